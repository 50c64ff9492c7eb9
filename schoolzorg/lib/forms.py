"""Form fields that answer an impossible choice with the field's own message, never a crash."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from schoolzorg.lib.validators import is_blank

EMPTY_CHOICE = "Maak een keuze"  # the empty line of a list ("---------" in Django)


class TextField(forms.CharField):
    """Django's text field, for which a text that shows nothing (only spaces, zero-width or
    other hidden characters: `lib.validators.is_blank`) is empty: a required one answers with
    its own "required" message at the field, instead of the service refusing it later."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        return self.empty_value if isinstance(text, str) and is_blank(text) else text


class ModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Django's field with a Dutch empty line, refusing an id beyond 64 bits as an invalid choice.

    SQLite cannot bind such a number and raises OverflowError when the lookup goes through a
    relation (a neighbourhood team's key points to its organisation); Django catches only
    ValueError and TypeError.
    """

    def __init__(self, *args: Any, empty_label: str | None = EMPTY_CHOICE, **kwargs: Any) -> None:
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Django's field, refusing an id beyond 64 bits as an invalid choice.

    The submitted ids are looked up with `IN (...)`, which Django does not guard against
    numbers SQLite cannot bind (OverflowError).
    """

    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except OverflowError:
            shown = ", ".join(str(v) for v in self.prepare_value(value))
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": shown},
            ) from None


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (`2026-12-04`): the Dutch display format
    (`04-12-2026`) is an invalid value for `<input type="date">`, which then shows up empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def answer_status(form: forms.BaseForm) -> int:
    """The status of a page that shows this form: 400 when it was sent and comes back (a
    mistake, with the input kept), 200 when it is shown to be filled in."""
    return 400 if form.is_bound else 200
