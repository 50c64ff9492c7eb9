"""Input shapes for the oversight pages."""

from __future__ import annotations

from typing import Any

from django import forms

from schoolzorg.lib import formtokens
from schoolzorg.lib.forms import DateInput, TextField
from schoolzorg.lib.validators import is_blank

# The longest note with a break-the-glass review or a week's sign-off.
NOTE_MAX_LENGTH = 4000


class UserSearchForm(forms.Form):
    q = TextField(
        label="Naam of e-mailadres van de gebruiker",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class BreakGlassForm(forms.Form):
    form_token = formtokens.token_field()
    first_name = TextField(label="Voornaam van de leerling", max_length=100)
    last_name = TextField(label="Achternaam van de leerling", max_length=150)
    date_of_birth = forms.DateField(label="Geboortedatum", widget=DateInput())
    reason = TextField(
        label="Waarom moet u dit dossier nu inzien?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="De privacyfunctionaris beoordeelt elke noodtoegang achteraf.",
    )


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label="Was de noodtoegang terecht?",
        choices=[("justified", "Terecht"), ("unjustified", "Niet terecht")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Kies of de noodtoegang terecht was.",
            "invalid_choice": "Kies of de noodtoegang terecht was.",
        },
    )
    note = TextField(
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={
            "max_length": f"De toelichting is te lang: hoogstens {NOTE_MAX_LENGTH} tekens."
        },
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        # The service's rule too; here it comes back at the field with the typed text kept.
        if data.get("verdict") == "unjustified" and is_blank(data.get("note") or ""):
            self.add_error("note", "Licht toe waarom de noodtoegang niet terecht was.")
        return data


class SignOffForm(forms.Form):
    note = TextField(
        label="Opmerking bij deze week",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
    )
