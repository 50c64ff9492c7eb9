from __future__ import annotations

from django import forms


class PupilSearchForm(forms.Form):
    q = forms.CharField(
        label="Naam van de leerling",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text="U ziet alleen leerlingen met wie u een rol hebt.",
    )
