"""Small helpers for the Django admin pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field
from django.http import HttpRequest


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
      too large) is left out: the field is shown empty."""

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
