"""Small helpers for the Django admin pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field
from django.http import HttpRequest

from schoolzorg.lib.forms import ModelChoiceField, ModelMultipleChoiceField


def yes_no(field: str, label: str) -> Callable[[Any], str]:
    """A list column that says "ja" or "nee" for a boolean field. Django's own column shows an
    icon whose text for screen readers is "True" or "False", in English."""

    @admin.display(description=label, ordering=field)
    def column(obj: Any) -> str:
        return "ja" if getattr(obj, field) else "nee"

    column.__name__ = f"{field}_ja_nee"
    return column


class JunkInputGuard:
    """ModelAdmin mixin for every admin of ours: an address or a query string that someone
    typed or changed by hand is answered like Django answers a missing object, never a 500.

    - A change, delete or history address with an id too large for the database (Django checks
      the range of an ordinary key, not of a parent link such as an organisation's
      `organisation_ptr`) is a missing object: back to the list with Django's message.
    - An add page's initial value that is no valid value of its field (`?school=abc`, an id
      too large) is left out: the field is shown empty.
    - A sent form with such a value in an autocomplete field (`organisation=abc`, `1.5`) gets
      the field's own error ("Selecteer een geldige keuze"): Django's autocomplete widget looks
      up the value it shows again with the raw text, which raised a ValueError while the form
      with its error was drawn. Our widgets leave such a value out (`GuardedAutocomplete`).
    - An id beyond 64 bits in any choice field is no valid choice either: the fields of
      `lib.forms` refuse it, where Django's let SQLite's OverflowError through."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", ModelChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = GuardedAutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = GuardedAutocompleteSelectMultiple(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        try:
            return super().get_object(request, object_id, from_field)  # type: ignore[misc]
        except OverflowError:
            return None

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)  # type: ignore[misc]
        opts = self.model._meta  # type: ignore[attr-defined]
        for name, value in list(initial.items()):
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                continue  # not a field: the form ignores it
            if isinstance(value, list):  # a many-to-many field's ids, split on commas
                kept = [v for v in value if _valid_value(field, v)]
                if kept:
                    initial[name] = kept
                else:
                    del initial[name]
            elif not _valid_value(field, value):
                del initial[name]
        return initial


class GuardedAutocomplete:
    """Mixin for Django's autocomplete widgets: the chosen values it looks up to show their
    names are only those that fit the field's key. A typed or changed value that does not
    (`abc`, `1.5`, an id too large) is not shown; the form field says it is no valid choice."""

    field: Any

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        kept = [v for v in value if v in (None, "") or _valid_value(self.field, v)]
        return super().optgroups(name, kept, attr)  # type: ignore[misc]


class GuardedAutocompleteSelect(GuardedAutocomplete, AutocompleteSelect):
    pass


class GuardedAutocompleteSelectMultiple(GuardedAutocomplete, AutocompleteSelectMultiple):
    pass


def _valid_value(field: Any, value: Any) -> bool:
    """Whether a typed value fits the field: for a relation, the key of the model it points to
    (its type and, for a number, the database's range), followed through parent links."""
    if not isinstance(field, Field) or not (field.concrete or field.many_to_many):
        return True  # a reverse relation: not on the form
    target: Any = field
    while target.is_relation:
        target = target.target_field
    try:
        target.run_validators(target.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True
