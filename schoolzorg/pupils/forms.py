from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from schoolzorg.lib.forms import DateInput
from schoolzorg.lib.postcodes import display_postcode, normalise_postcode
from schoolzorg.lib.validators import without_hidden_characters
from schoolzorg.organisations.models import PostcodeArea
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


STALE_PAGE = "Deze pagina is verouderd. Laad de pagina opnieuw en probeer het nog eens."
HOUSE_NUMBER = re.compile(r"^[1-9][0-9]{0,4}(?:[ -]?[A-Za-z0-9]{1,6})?$")


class MoveForm(forms.Form):
    """A new home address and the day of the move ("Verhuizing vastleggen").

    The postcode must be a Dutch postcode the postcode table knows: it decides the home district
    and so the neighbourhood team. The house number is not needed for that and may stay empty.
    The checks against the address history (the day of the move after the current address's
    start, not the same address again) are the service's (`services.record_move`), made with the
    pupil's row locked.
    """

    postcode = forms.CharField(
        label="Nieuwe postcode",
        max_length=10,
        help_text="Bijvoorbeeld 3501 AB. De postcode bepaalt de wijk en het wijkteam.",
        error_messages={"required": "Vul de nieuwe postcode in."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 8}),
    )
    house_number = forms.CharField(
        label="Huisnummer",
        max_length=20,
        required=False,
        help_text="Met toevoeging, bijvoorbeeld 12 of 12-A.",
        error_messages={"max_length": "Een huisnummer heeft hooguit 20 tekens."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 8}),
    )
    moved_on = forms.DateField(
        label="Verhuisd op",
        widget=DateInput(),
        help_text="De dag waarop het gezin op het nieuwe adres ging wonen: vandaag of eerder.",
        error_messages={
            "required": "Vul de dag van de verhuizing in.",
            "invalid": "Vul een geldige datum in, bijvoorbeeld 5-12-2026.",
        },
    )
    # The current address the page showed (its id; 0 when none): a move recorded meanwhile
    # makes this form stale (409).
    expected = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=2**63 - 1,
        error_messages=dict.fromkeys(["required", "invalid", "min_value", "max_value"], STALE_PAGE),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["moved_on"].initial = timezone.localdate()

    def clean_postcode(self) -> str:
        text = without_hidden_characters(self.cleaned_data["postcode"])
        pc = normalise_postcode(text)
        if len(pc) != 6:
            raise forms.ValidationError(
                "Vul een Nederlandse postcode in: vier cijfers en twee letters, "
                "bijvoorbeeld 3501 AB."
            )
        if PostcodeArea.objects.resolve(pc) is None:
            raise forms.ValidationError(
                f"Postcode {display_postcode(pc)} is niet bekend in de postcodetabel. Kijk de "
                "postcode na."
            )
        return pc

    def clean_house_number(self) -> str:
        text = without_hidden_characters(self.cleaned_data["house_number"]).strip()
        if text and not HOUSE_NUMBER.match(text):
            raise forms.ValidationError(
                "Vul een huisnummer in dat met een cijfer begint, eventueel met een toevoeging: "
                "12, 12A of 12-2."
            )
        return text
