"""Change history (field diffs) of domain records, through django-auditlog.

Call `register(Model)` from your AppConfig.ready(). Encrypted fields (child-safety material) are
left out of the diff on purpose: auditlog stores values in plain text, which would undo the
encryption. The diff then only shows that the record changed, not the secret text.
"""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.apps import apps

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


def register_core_models() -> None:
    for label in CORE_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        m2m = ["given_by_guardians"] if label == "consent.Consent" else None
        register(model, m2m_fields=m2m) if m2m else register(model)


def entries_for(objects: dict[str, Any], *, limit: int) -> list[Any]:
    """Auditlog entries of these objects, newest first, in one query.

    `objects` maps a model label to the ids of its objects: a list, or a queryset of `pk`
    values that runs inside the same query.
    """
    by_type = {_content_type_id(label): ids for label, ids in objects.items()}
    return list(_entries(by_type)[:limit])


def _content_type_id(label: str) -> int:
    from django.contrib.contenttypes.models import ContentType

    model = apps.get_model(label)
    return int(ContentType.objects.get_for_model(model, for_concrete_model=False).pk)


def _entries(objects: dict[int, Any]) -> Any:
    """Entries whose content type (the key) and object key are in `objects`."""
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
    return _pupil_changes(pupil_id=pupil_id, pupil_key=str(pupil_id), types=types, limit=limit)


@prepared(shape=("limit",))
def _pupil_changes(pupil_id: int, pupil_key: str, types: tuple[int, ...], limit: int) -> Any:
    objects: dict[int, Any] = {types[0]: [pupil_key]}
    for content_type_id, label in zip(types[1:], PUPIL_RECORDS, strict=True):
        objects[content_type_id] = apps.get_model(label).objects.filter(pupil_id=pupil_id)
    return _entries(objects)[:limit]
