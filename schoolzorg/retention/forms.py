from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone

from schoolzorg.lib.forms import TextField
from schoolzorg.retention.models import FileKind, Requester


class RequestForm(forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    requester = forms.ChoiceField(
        label="Wie vraagt het?",
        choices=Requester.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies wie het vraagt."},
    )
    received_on = forms.DateField(
        label="Verzoek ontvangen op",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Vul de datum in waarop het verzoek binnenkwam.",
            "invalid": "Vul een datum in, bijvoorbeeld 15-03-2027.",
        },
    )
    note = TextField(
        label="Toelichting",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hoe kwam het verzoek binnen en wat vraagt men. Schrijf geen namen op.",
    )


# When a request may be refused, per kind of file: the law that applies to it.
REFUSAL_GROUNDS: dict[str, tuple[str, str]] = {
    FileKind.SCHOOL: (
        "Weigeren kan alleen als de school de gegevens moet bewaren: een wet verplicht het, of de "
        "gegevens zijn nodig voor een rechtszaak (AVG, artikel 17, derde lid).",
        "Bijvoorbeeld: de gegevens zijn nodig voor een lopende rechtszaak "
        "(AVG, artikel 17, derde lid).",
    ),
    # The neighbourhood team's and the social-work provider's file alike.
    FileKind.YOUTH_CARE: (
        "Weigeren kan als bewaren van aanmerkelijk belang is voor een ander dan het kind "
        "(Jeugdwet, artikel 7.3.9, tweede lid).",
        "Bijvoorbeeld: bewaren is van aanmerkelijk belang voor een ander dan het kind "
        "(Jeugdwet, artikel 7.3.9, tweede lid).",
    ),
}


def refusal_ground(kind: str) -> str:
    """When a request about this kind of file may be refused, in words for the page."""
    return REFUSAL_GROUNDS.get(kind, REFUSAL_GROUNDS[FileKind.YOUTH_CARE])[0]


class RefuseForm(forms.Form):
    reason = TextField(
        label="Reden van weigeren",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Schrijf op waarom het verzoek wordt geweigerd."},
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grounds = REFUSAL_GROUNDS.get(kind, REFUSAL_GROUNDS[FileKind.YOUTH_CARE])
        self.fields["reason"].help_text = grounds[1]


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="Ik begrijp dat dit dossier voorgoed wordt vernietigd.",
        error_messages={"required": "Vink aan dat u het dossier wilt vernietigen."},
    )
