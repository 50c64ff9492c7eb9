"""Input shapes for the consent ledger; every error is plain Dutch."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from schoolzorg.consent.models import LegalBasisKind, Purpose
from schoolzorg.consent.policies import recipients_for
from schoolzorg.lib.forms import ModelMultipleChoiceField
from schoolzorg.organisations.models import Organisation
from schoolzorg.pupils.models import Guardian

# Accepted evidence files: the first bytes prove the type, the name alone does not.
_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_evidence_file(upload: Any) -> None:
    name = (upload.name or "").lower()
    ext = next((e for e in _SIGNATURES if name.endswith(e)), None)
    if ext is None:
        raise forms.ValidationError("Alleen een PDF, JPG of PNG kan worden toegevoegd.")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise forms.ValidationError(f"Het bestand is te groot; het mag hooguit {mb} MB zijn.")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[ext]):
        raise forms.ValidationError("Dit bestand is geen echte PDF, JPG of PNG.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label="Doel", choices=Purpose.choices)
    recipient = forms.ModelChoiceField(
        label="Ontvangende organisatie",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Alle organisaties in het schoolzorgteam",
    )
    data_scope = forms.CharField(
        label="Welke gegevens",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: het plan, niet de schoolresultaten.",
    )
    guardians = ModelMultipleChoiceField(
        label="Deze ouders met gezag gaven toestemming",
        queryset=Guardian.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Kies alleen ouders uit de lijst."},
    )
    given_by_pupil = forms.BooleanField(label="De leerling gaf toestemming", required=False)
    given_on = forms.DateField(label="Gegeven op", widget=DateInput())
    valid_until = forms.DateField(label="Geldig tot en met", required=False, widget=DateInput())
    evidence_note = forms.CharField(
        label="Hoe is de toestemming vastgelegd?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: mondeling in het gesprek van 3 maart, met wie erbij was.",
    )
    evidence_file = forms.FileField(
        label="Ondertekend formulier",
        required=False,
        help_text="PDF, JPG of PNG.",
        validators=[validate_evidence_file],
    )

    def __init__(self, pupil: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.fields["recipient"].queryset = recipients_for(pupil)  # type: ignore[attr-defined]
        self.fields["guardians"].queryset = Guardian.objects.filter(  # type: ignore[attr-defined]
            pupil_links__pupil=pupil, pupil_links__has_authority=True
        )
        self.fields["given_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given, until = data.get("given_on"), data.get("valid_until")
        if given and until and until < given:
            self.add_error("valid_until", "Deze datum ligt vóór de datum van de toestemming.")
        if given and given > timezone.localdate():
            self.add_error("given_on", "Deze datum ligt in de toekomst.")
        if not data.get("evidence_note") and not data.get("evidence_file"):
            self.add_error(
                "evidence_note",
                "Schrijf op hoe de toestemming is gegeven, of voeg het formulier toe.",
            )
        return data


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label="Ingetrokken op", widget=DateInput())
    reason = forms.CharField(
        label="Reden", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


class LegalBasisForm(forms.Form):
    kind = forms.ChoiceField(label="Grondslag", choices=LegalBasisKind.choices)
    purpose = forms.ChoiceField(label="Doel", choices=Purpose.choices)
    recipient = forms.ModelChoiceField(
        label="Ontvangende organisatie", queryset=Organisation.objects.none(), required=False
    )
    reason = forms.CharField(
        label="Onderbouwing",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Waarom is dit nodig zonder toestemming? Wie heeft u geraadpleegd?",
        max_length=4000,
    )
    valid_from = forms.DateField(label="Geldig vanaf", widget=DateInput())
    valid_until = forms.DateField(label="Geldig tot en met", required=False, widget=DateInput())

    def __init__(self, pupil: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients_for(pupil)  # type: ignore[attr-defined]
        self.fields["valid_from"].initial = timezone.localdate()
