from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone

from schoolzorg.retention.models import Requester


class RequestForm(forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    requester = forms.ChoiceField(
        label="Wie vraagt het?", choices=Requester.choices, widget=forms.RadioSelect
    )
    received_on = forms.DateField(
        label="Verzoek ontvangen op",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Vul een datum in, bijvoorbeeld 15-03-2027."},
    )
    note = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Hoe kwam het verzoek binnen en wat vraagt men. Schrijf geen namen op.",
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Reden van weigeren",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Bijvoorbeeld: bewaren is van aanmerkelijk belang voor een ander dan het kind "
            "(Jeugdwet, artikel 7.3.9)."
        ),
        error_messages={"required": "Schrijf op waarom het verzoek wordt geweigerd."},
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="Ik begrijp dat dit dossier voorgoed wordt vernietigd.",
        error_messages={"required": "Vink aan dat u het dossier wilt vernietigen."},
    )
