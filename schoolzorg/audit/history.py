"""Change history (field diffs) of domain records, through django-auditlog.

Call `register(Model)` from your AppConfig.ready(). Encrypted fields (child-safety material) are
left out of the diff on purpose: auditlog stores values in plain text, which would undo the
encryption. The diff then only shows that the record changed, not the secret text.

Accounts are tracked without their password hash, last sign-in and session stamp; a new
password (set by its owner, by a reset link or by an administrator) is recorded as a change of
its own that says only that it changed (`log_password_change`), so the privacy officer sees who set whose password.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.encoding import smart_str

from schoolzorg.lib.crypto import EncryptedTextField
from schoolzorg.lib.prepared import prepared

# Registered by the audit app itself for the layers below it (labels only, no imports).
CORE_MODELS = (
    "organisations.Organisation",
    "organisations.Municipality",
    "organisations.School",
    "organisations.SchoolBoard",
    "organisations.Partnership",
    "organisations.SocialWorkProvider",
    "organisations.NeighbourhoodTeam",
    "organisations.YouthHealthService",
    "organisations.ServiceDesk",
    "organisations.District",
    "accounts.User",
    "accounts.Membership",
    "pupils.Pupil",
    "pupils.Family",
    "pupils.Guardian",
    "pupils.GuardianLink",
    "pupils.Enrolment",
    "pupils.Residence",
    "consent.Consent",
    "consent.LegalBasis",
)


def register(model: Any, **options: Any) -> None:
    """Track every create, change and delete of `model` with a field diff."""
    if auditlog.contains(model):
        return
    secret = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
    exclude = list(options.pop("exclude_fields", [])) + secret
    auditlog.register(model, exclude_fields=exclude, **options)


# Never in a diff: the hash would be readable in the history, a sign-in is not a change.
USER_EXCLUDED = ["password", "last_login", "session_stamp", "password_from_admin"]
PASSWORD_CHANGED = ["(verborgen)", "nieuw wachtwoord ingesteld"]


def register_core_models() -> None:
    from django.db.models.signals import post_save

    for label in CORE_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if label == "consent.Consent":
            register(model, m2m_fields=["given_by_guardians"])
        elif label == "accounts.User":
            register(model, exclude_fields=USER_EXCLUDED)
            post_save.connect(log_password_change, sender=model, dispatch_uid="audit.password")
        else:
            register(model)


def log_password_change(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """After `set_password()` and a save, record that the password changed (not the hash).

    Django keeps the new raw password in `_password` until the save that follows `set_password`
    (and clears it for a silent hash upgrade at sign-in, which is no change)."""
    from auditlog.models import LogEntry

    if created or getattr(instance, "_password", None) is None:
        return
    LogEntry.objects.log_create(
        instance, action=LogEntry.Action.UPDATE, changes={"password": PASSWORD_CHANGED}
    )


def entries_for(objects: dict[str, Any], *, limit: int, moved_from: Any = None) -> list[Any]:
    """Auditlog entries of these objects, newest first, in one query.

    `objects` maps a model label to the ids of its objects: a list, or a queryset of `pk`
    values that runs inside the same query. `moved_from` maps a foreign key's name to ids: the
    changes of these models that moved an object away from one of them are wanted as well.
    """
    by_type = {_content_type_id(label): ids for label, ids in objects.items()}
    return for_display(list(_entries(by_type, moved_from or {})[:limit]))


def _content_type_id(label: str) -> int:
    from django.contrib.contenttypes.models import ContentType

    model = apps.get_model(label)
    return int(ContentType.objects.get_for_model(model, for_concrete_model=False).pk)


def _entries(objects: dict[int, Any], moved_from: dict[str, list[int]] | None = None) -> Any:
    """Entries whose content type (the key) and object key are in `objects`, and those of the
    same content types whose recorded old value of a field in `moved_from` is one of its ids."""
    from auditlog.models import LogEntry
    from django.db.models import CharField, Q
    from django.db.models.functions import Cast

    wanted = Q(pk__in=[])
    for content_type_id, ids in objects.items():
        if isinstance(ids, list):
            keys: Any = [str(i) for i in ids]
        else:  # auditlog keeps the object's key as text
            keys = ids.annotate(key=Cast("pk", CharField())).values("key")
        wanted |= Q(content_type_id=content_type_id, object_pk__in=keys)
    for field, ids in (moved_from or {}).items():
        if ids:  # auditlog keeps [old, new] as text
            old = {f"changes__{field}__0__in": [str(i) for i in ids]}
            wanted |= Q(content_type_id__in=list(objects), **old)
    return (
        LogEntry.objects.filter(wanted)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


# The records that hang from a pupil, whose changes show with the pupil's.
PUPIL_RECORDS = (
    "pupils.Enrolment",
    "pupils.Residence",
    "pupils.GuardianLink",
    "consent.Consent",
    "consent.LegalBasis",
)


def pupil_changes(pupil_id: int, *, limit: int) -> list[Any]:
    """Changes to the pupil and to the records that hang from them, newest first."""
    # Content type ids come from the database: arguments (shape), not constants of the builder.
    types = tuple(_content_type_id(label) for label in ("pupils.Pupil", *PUPIL_RECORDS))
    return for_display(
        _pupil_changes(pupil_id=pupil_id, pupil_key=str(pupil_id), types=types, limit=limit)
    )


@prepared(shape=("limit",))
def _pupil_changes(pupil_id: int, pupil_key: str, types: tuple[int, ...], limit: int) -> Any:
    objects: dict[int, Any] = {types[0]: [pupil_key]}
    for content_type_id, label in zip(types[1:], PUPIL_RECORDS, strict=True):
        objects[content_type_id] = apps.get_model(label).objects.filter(pupil_id=pupil_id)
    return _entries(objects)[:limit]


def _changed_fields(entry: Any) -> list[tuple[str, Any, Any]]:
    """(name, model field or None, stored values) of each change the entry records."""
    model = entry.content_type.model_class()
    found = []
    for name, values in entry.changes_dict.items():
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        found.append((name, field, values))
    return found


def _foreign_keys(entry: Any) -> list[tuple[Any, str]]:
    """(field, stored value) of each foreign key named in the entry's changes."""
    return [
        (field, str(v))
        for _name, field, values in _changed_fields(entry)
        if field is not None and (field.many_to_one or field.one_to_one)
        for v in values
        if str(v) != "None"
    ]


def _key(field: Any, value: str) -> Any:
    return field.related_model._meta.pk.to_python(value)


def _read_from(model: Any) -> Any:
    """Children of a multi-table model that print as their root (a School, a Municipality: as
    an Organisation, by name) are read from the root, all in one query."""
    parents = model._meta.get_parent_list()
    root = parents[-1] if parents else model
    return root if model.__str__ is root.__str__ else model


# auditlog's action names have no Dutch translation.
ACTION_LABELS = {0: "aangemaakt", 1: "gewijzigd", 2: "verwijderd", 3: "bekeken"}
# auditlog keeps values as text: Python's words for empty, yes and no.
PLAIN_VALUES = {"None": "", "True": "ja", "False": "nee"}
M2M_OPERATIONS = {"add": "toegevoegd", "delete": "weggehaald"}


def for_display(entries: list[Any]) -> list[Any]:
    """Give each entry `action_label` and `changed` ([(field, old, new)]) in plain Dutch.

    The objects that changed foreign keys point to are read in bulk: auditlog's
    `changes_display_dict` reads each with a query of its own (a page of 200 membership changes:
    hundreds of queries). This reads them once per model and hands auditlog the names; a deleted
    object shows as "organisatie 12 (verwijderd)".
    """
    wanted: dict[Any, set[Any]] = defaultdict(set)
    for entry in entries:
        for field, value in _foreign_keys(entry):
            try:
                wanted[_read_from(field.related_model)].add(_key(field, value))
            except ValidationError:
                continue
    names = {
        model: {pk: smart_str(obj) for pk, obj in model._default_manager.in_bulk(pks).items()}
        for model, pks in wanted.items()
    }

    def display(field: Any, value: str) -> str:
        if value == "None":
            return value
        try:
            found = names.get(_read_from(field.related_model), {}).get(_key(field, value))
        except ValidationError:
            return value
        if found is None:
            return f"{field.related_model._meta.verbose_name} {value} (verwijderd)"
        return found

    for entry in entries:
        entry._get_changes_display_for_fk_field = display
        entry.action_label = ACTION_LABELS.get(entry.action, str(entry.action))
        entry.changed = _changed(entry)
    return entries


def _changed(entry: Any) -> list[tuple[str, str, str]]:
    """(field, old, new) per changed field, as auditlog shows them, in plain Dutch."""
    shown = entry.changes_display_dict
    rows = []
    for name, field, values in _changed_fields(entry):
        if field is not None and (getattr(field, "primary_key", False) or field.auto_created):
            continue  # the record's own id; a relation from another table
        label = str(getattr(field, "verbose_name", name))
        if isinstance(values, dict):  # many-to-many: what was added or taken away
            operation = str(values.get("operation", ""))
            objects = ", ".join(str(o) for o in values.get("objects", []))
            rows.append((label, "", f"{M2M_OPERATIONS.get(operation, operation)}: {objects}"))
            continue
        old, new = [*shown.get(label, values), "", ""][:2]
        rows.append(
            (label, PLAIN_VALUES.get(str(old), str(old)), PLAIN_VALUES.get(str(new), str(new)))
        )
    return rows
