"""Input shapes for the oversight pages."""

from __future__ import annotations

from django import forms

from schoolzorg.lib.forms import DateInput

# The longest note with a break-the-glass review or a week's sign-off.
NOTE_MAX_LENGTH = 4000


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label="Naam of e-mailadres van de gebruiker",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class BreakGlassForm(forms.Form):
    first_name = forms.CharField(label="Voornaam van de leerling", max_length=100)
    last_name = forms.CharField(label="Achternaam van de leerling", max_length=150)
    date_of_birth = forms.DateField(label="Geboortedatum", widget=DateInput())
    reason = forms.CharField(
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
    )
    note = forms.CharField(
        label="Toelichting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX_LENGTH,
    )


class SignOffForm(forms.Form):
    note = forms.CharField(
        label="Opmerking bij deze week",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX_LENGTH,
    )
