from __future__ import annotations

from typing import Any

from django import forms

from schoolzorg.pupils.reads import search_text


class NameSearchField(forms.CharField):
    """A name to search for, without the hidden characters pasted along (`reads.search_text`).

    They are taken out before the field's checks: a NUL among them, which Django refuses and
    PostgreSQL cannot take, is gone then too, as in the API.
    """

    def to_python(self, value: Any) -> str:
        return search_text(super().to_python(value) or "")


class PupilSearchForm(forms.Form):
    q = NameSearchField(
        label="Naam van de leerling",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text="U ziet alleen leerlingen met wie u een rol hebt.",
    )
