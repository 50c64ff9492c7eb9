"""Input shapes for the consent ledger; every error is plain Dutch."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from schoolzorg.consent.models import (
    BASIS_PURPOSES,
    NO_RECIPIENT,
    NO_RECIPIENT_MEANS,
    SHARING_CHOICES,
    SHARING_PURPOSES,
    LegalBasisKind,
    Purpose,
    refused_basis,
    refused_recipient,
)
from schoolzorg.consent.policies import recipients_for
from schoolzorg.consent.services import BASIS_NEEDS_END, REASON_MIN, REASON_TOO_SHORT
from schoolzorg.lib import daterange, formtokens
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.forms import (
    EMPTY_CHOICE,
    DateInput,
    ModelChoiceField,
    ModelMultipleChoiceField,
    TextField,
)
from schoolzorg.organisations.models import Organisation
from schoolzorg.pupils.models import Guardian, named_with_relation

# The free texts of the ledger: a few sentences, as the withdrawal reason.
TEXT_MAX = 2000
TEXT_ERRORS = {"max_length": "Schrijf hooguit %(limit_value)d tekens (nu %(show_value)d)."}

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


NOBODY_TICKED = (
    "Vink aan wie toestemming gaf: een ouder met gezag, de leerling, of allebei. "
    "Zonder iemand die toestemming gaf kan er niets worden vastgelegd."
)
NOBODY_TICKED_NOW = "Vink aan wie nu toestemming gaf: een ouder met gezag of de leerling."


def nobody_ticked(form: forms.Form, message: str) -> None:
    """Refuse a form on which nobody is ticked as having consented, at the parents' checkboxes
    (the error summary links the first, `#id_guardians_0`); with no parent to tick, at the
    pupil's own box, and else for the form as a whole."""
    guardians = form.fields["guardians"]
    assert isinstance(guardians, forms.ModelMultipleChoiceField)
    if guardians.queryset is not None and guardians.queryset.exists():
        form.add_error("guardians", message)
    else:
        form.add_error("given_by_pupil" if "given_by_pupil" in form.fields else None, message)


class GuardianChoiceField(ModelMultipleChoiceField):
    """Parents with authority to tick, each with their relation to the pupil ("Stefan Soekhai
    (moeder)"): two parents of one name are told apart."""

    def label_from_instance(self, obj: Any) -> str:
        return named_with_relation(obj.full_name, getattr(obj, "relation_here", ""))


def _guardians_with_authority(pupil_id: int) -> Any:
    return (
        Guardian.objects.filter(pupil_links__pupil_id=pupil_id, pupil_links__has_authority=True)
        .annotate(relation_here=F("pupil_links__relation"))
        .order_by("full_name", "pk")
    )


def _no_recipient_help(what: str, purposes: Iterable[Purpose]) -> str:
    """What choosing no receiving organisation means, per purpose the form offers
    (`NO_RECIPIENT_MEANS`), for a consent or a legal basis (`what`)."""
    return (
        f"Kiest u geen organisatie, dan geldt de {what} voor iedereen die bij het doel hoort. "
        + " ".join(
            f"Bij ‘{purpose.label}’ is dat {NO_RECIPIENT_MEANS[purpose]}." for purpose in purposes
        )
        + f" Kiest u een organisatie, dan geldt de {what} alleen voor die organisatie."
    )


def _basis_purposes_help() -> str:
    """Which purposes each kind of legal basis can ground (`BASIS_PURPOSES`), kinds with the same
    purposes together: "‘Meldrecht …’ geldt alleen voor: Melden bij Veilig Thuis. …"."""
    groups: dict[frozenset[str], list[str]] = {}
    for kind in LegalBasisKind:
        groups.setdefault(BASIS_PURPOSES[kind], []).append(f"‘{kind.label}’")
    lines = []
    for purposes, kinds in groups.items():
        names = ", ".join(p.label for p in Purpose if p in purposes)
        who = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " en " + kinds[-1]
        lines.append(f"{who} {'geldt' if len(kinds) == 1 else 'gelden'} alleen voor: {names}.")
    return " ".join(lines)


# An organisation the list does not offer (the municipality, the school board, the service
# desk, or one far from the pupil), say from an old screen: `policies.recipients_for`.
RECIPIENT_NOT_OFFERED = (
    "Deze organisatie kan geen gegevens van de leerling krijgen. Dat kan alleen een organisatie "
    "in het schoolzorgteam van de leerling, zoals het wijkteam of de jeugdgezondheidszorg; niet "
    "de gemeente, het schoolbestuur of het servicepunt. Kies een organisatie uit de lijst, of "
    "kies geen organisatie."
)


def check_recipient(form: forms.Form) -> None:
    """Refuse at the field a receiving organisation that cannot receive under the chosen purpose
    (a neighbourhood team's purpose naming the youth health service, say)."""
    data = form.cleaned_data
    if "purpose" not in data or "recipient" not in data:
        return  # refused at its own field already
    if refused := refused_recipient(data["purpose"], data["recipient"]):
        form.add_error("recipient", refused)


class ConsentForm(forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    purpose = forms.ChoiceField(label="Doel", choices=SHARING_CHOICES)
    recipient = forms.ModelChoiceField(
        label="Ontvangende organisatie",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=NO_RECIPIENT,
        help_text=_no_recipient_help("toestemming", SHARING_PURPOSES),
        error_messages={"invalid_choice": RECIPIENT_NOT_OFFERED},
    )
    data_scope = TextField(
        label="Welke gegevens",
        required=False,
        max_length=TEXT_MAX,
        error_messages=TEXT_ERRORS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: het plan, niet de schoolresultaten.",
    )
    guardians = GuardianChoiceField(
        label="Deze ouders met gezag gaven toestemming",
        queryset=Guardian.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Kies alleen ouders uit de lijst."},
    )
    given_by_pupil = forms.BooleanField(label="De leerling gaf toestemming", required=False)
    given_on = forms.DateField(label="Gegeven op", widget=DateInput())
    valid_until = forms.DateField(label="Geldig tot en met", required=False, widget=DateInput())
    evidence_note = TextField(
        label="Hoe is de toestemming vastgelegd?",
        required=False,
        max_length=TEXT_MAX,
        error_messages=TEXT_ERRORS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: mondeling in het gesprek van 3 maart, met wie erbij was.",
    )
    evidence_file = forms.FileField(
        label="Ondertekend formulier",
        required=False,
        validators=[validate_evidence_file],
    )

    def __init__(self, pupil: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.fields["recipient"].queryset = recipients_for(pupil)  # type: ignore[attr-defined]
        self.fields["guardians"].queryset = _guardians_with_authority(pupil.pk)  # type: ignore[attr-defined]
        # The size limit in the help text, which the field's aria-describedby reads out.
        mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        self.fields["evidence_file"].help_text = f"PDF, JPG of PNG, hoogstens {mb} MB."
        self.fields["given_on"].initial = timezone.localdate()
        # One of the two is needed (`clean`): say so after the labels, not "(niet verplicht)".
        self.fields["evidence_note"].note = "(vul dit in, of voeg hieronder het formulier toe)"  # type: ignore[attr-defined]
        self.fields["evidence_file"].note = "(als u hierboven niets schreef)"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born = self.pupil.date_of_birth
        daterange.check_field(
            self,
            "given_on",
            earliest=born,
            latest=timezone.localdate(),
            too_early=f"Deze datum ligt vóór de geboortedatum van de leerling ({numeric(born)}).",
            too_late=daterange.IN_THE_FUTURE,
        )
        given = data.get("given_on")
        if given:
            latest = daterange.add_years(given, daterange.CONSENT_YEARS_VALID)
            daterange.check_field(
                self,
                "valid_until",
                earliest=given,
                latest=latest,
                too_early="Deze datum ligt vóór de datum van de toestemming.",
                too_late=f"Een toestemming geldt hooguit {daterange.CONSENT_YEARS_VALID} jaar. "
                f"Kies uiterlijk {numeric(latest)}; vraag daarna opnieuw toestemming.",
            )
        if "guardians" in data and not data.get("guardians") and not data.get("given_by_pupil"):
            nobody_ticked(self, NOBODY_TICKED)
        if not data.get("evidence_note") and not data.get("evidence_file"):
            self.add_error(
                "evidence_note",
                "Schrijf op hoe de toestemming is gegeven, of voeg het formulier toe.",
            )
        check_recipient(self)
        return data


class CompleteForm(forms.Form):
    """Add the agreement of the parties still missing on an incomplete consent."""

    guardians = GuardianChoiceField(
        label="Deze ouders met gezag gaven nu ook toestemming",
        queryset=Guardian.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Kies alleen ouders uit de lijst."},
    )
    given_by_pupil = forms.BooleanField(label="De leerling gaf nu ook toestemming", required=False)
    given_on = forms.DateField(
        label="Gegeven op",
        widget=DateInput(),
        help_text="De dag waarop de laatste toestemming kwam. De toestemming geldt vanaf die dag.",
    )

    def __init__(self, consent: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent = consent
        already = consent.given_by_guardians.values_list("pk", flat=True)
        self.fields["guardians"].queryset = _guardians_with_authority(  # type: ignore[attr-defined]
            consent.pupil_id
        ).exclude(pk__in=list(already))
        if consent.given_by_pupil:
            del self.fields["given_by_pupil"]
        self.fields["given_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        daterange.check_field(
            self,
            "given_on",
            earliest=self.consent.given_on,
            latest=timezone.localdate(),
            too_early="Deze datum ligt vóór de datum waarop de toestemming is gegeven "
            f"({numeric(self.consent.given_on)}).",
            too_late=daterange.IN_THE_FUTURE,
        )
        if "guardians" in data and not data.get("guardians") and not data.get("given_by_pupil"):
            nobody_ticked(self, NOBODY_TICKED_NOW)
        return data


WITHDRAWN_IN_FUTURE = (
    "Intrekken gaat meteen in: de datum kan niet in de toekomst liggen. Kies vandaag of eerder."
)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label="Ingetrokken op",
        widget=DateInput(),
        help_text="Intrekken gaat meteen in: vandaag, of de dag waarop de ouder of leerling "
        "het zei.",
    )
    reason = TextField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        error_messages=TEXT_ERRORS,
    )

    def __init__(self, consent: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["withdrawn_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        daterange.check_field(
            self,
            "withdrawn_on",
            earliest=self.consent.given_on,
            latest=timezone.localdate(),
            too_early="Deze datum ligt vóór de datum waarop de toestemming is gegeven "
            f"({numeric(self.consent.given_on)}).",
            too_late=WITHDRAWN_IN_FUTURE,
        )
        return data


class LegalBasisForm(forms.Form):
    form_token = formtokens.token_field()
    # Both lists start empty: the first grondslag (meldrecht) and the first doel (bespreken)
    # are a pair `refused_basis` always refuses, so a preselected pair only led to an error.
    kind = forms.ChoiceField(
        label="Grondslag",
        choices=[("", EMPTY_CHOICE), *LegalBasisKind.choices],
        help_text=_basis_purposes_help(),
        error_messages={"required": "Kies de grondslag."},
    )
    purpose = forms.ChoiceField(
        label="Doel",
        choices=[("", EMPTY_CHOICE), *Purpose.choices],
        error_messages={"required": "Kies het doel."},
    )
    recipient = ModelChoiceField(
        label="Ontvangende organisatie",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=NO_RECIPIENT,
        help_text=_no_recipient_help("grondslag", list(Purpose)),
        error_messages={"invalid_choice": RECIPIENT_NOT_OFFERED},
    )
    reason = TextField(
        label="Onderbouwing",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Waarom is dit nodig zonder toestemming? Wie heeft u geraadpleegd?",
        max_length=4000,
        error_messages={"required": "Schrijf op waarom dit nodig is zonder toestemming."},
    )
    valid_from = forms.DateField(label="Geldig vanaf", widget=DateInput())
    valid_until = forms.DateField(
        label="Geldig tot en met",
        required=False,
        widget=DateInput(),
        help_text="Nodig bij delen binnen Schoolzorg; niet bij melden bij Veilig Thuis.",
    )

    def __init__(self, pupil: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.fields["recipient"].queryset = recipients_for(pupil)  # type: ignore[attr-defined]
        self.fields["valid_from"].initial = timezone.localdate()
        # Needed for every purpose but the report (`clean`): say so, not "(niet verplicht)".
        self.fields["valid_until"].note = "(behalve bij melden bij Veilig Thuis)"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        daterange.check_field(
            self,
            "valid_from",
            earliest=self.pupil.date_of_birth,
            latest=daterange.add_years(today, 1),
            too_early="Deze datum ligt vóór de geboortedatum van de leerling.",
        )
        start = data.get("valid_from")
        if start:
            daterange.check_field(
                self,
                "valid_until",
                earliest=start,
                latest=daterange.add_years(start, daterange.CONSENT_YEARS_VALID),
                too_early="Deze datum ligt vóór 'geldig vanaf'.",
            )
        reason = data.get("reason")
        if reason and len(reason.strip()) < REASON_MIN:
            self.add_error("reason", REASON_TOO_SHORT)
        kind, purpose = data.get("kind"), data.get("purpose")
        if kind and purpose and (refused := refused_basis(kind, purpose)):
            # Meldrecht with a purpose of sharing: change the purpose; the report with another
            # kind: change the kind.
            at = "kind" if purpose == Purpose.REPORT_TO_VEILIG_THUIS else "purpose"
            self.add_error(at, refused)
        elif (
            purpose in SHARING_PURPOSES
            and "valid_until" not in self.errors
            and data.get("valid_until") is None
        ):
            self.add_error("valid_until", BASIS_NEEDS_END)
        check_recipient(self)
        return data
