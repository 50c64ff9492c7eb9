"""Input for the review page and a school's study days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from schoolzorg.calendars.importing import impossible_dates, outside_school_year
from schoolzorg.calendars.models import SchoolHoliday, school_year_of
from schoolzorg.lib.forms import DateInput, TextField
from schoolzorg.lib.validators import is_blank
from schoolzorg.organisations.models import HolidayRegion

DATE_ERRORS = {
    "invalid": "Vul een datum in, bijvoorbeeld 21-12-2024.",
    "required": "Vul een datum in.",
}


class ReviewForm(forms.Form):
    """One decision on a pending holiday; the dates and region only matter for a correction."""

    DECISIONS = [
        ("approve", "Bevestigen: de data kloppen"),
        ("correct", "Corrigeren: gebruik de data hieronder"),
        ("reject", "Afwijzen: deze vakantie niet gebruiken"),
    ]

    decision = forms.ChoiceField(
        label="Besluit",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies een besluit."},
    )
    start_on = forms.DateField(
        label="Eerste vrije dag", required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    end_on = forms.DateField(
        label="Laatste vrije dag",
        required=False,
        widget=DateInput(),
        error_messages=DATE_ERRORS,
        help_text="Deze dag is zelf ook vrij.",
    )
    region = forms.ChoiceField(
        label="Vakantieregio",
        choices=[("", "Kies een regio"), *HolidayRegion.choices],
        required=False,
    )
    note = TextField(
        label="Toelichting",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld: bron Rijksoverheid.",
    )
    # What the page showed (`SchoolHoliday.review_key`): a decision on other data is refused.
    shown = TextField(required=False, widget=forms.HiddenInput)

    PROPOSAL_DECISIONS = [
        ("approve", "Bevestigen: de nieuwe data uit het bestand kloppen"),
        ("correct", "Corrigeren: gebruik de data hieronder"),
        ("reject", "Afwijzen: de nieuwe data niet gebruiken; de huidige data blijven gelden"),
    ]

    def __init__(self, *args: Any, holiday: SchoolHoliday | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holiday = holiday
        # Needed for some decisions only (`clean`): say when, not "(niet verplicht)".
        for name in ("start_on", "end_on", "region"):
            self.fields[name].note = "(nodig als u corrigeert)"  # type: ignore[attr-defined]
        self.fields["note"].note = "(nodig als u corrigeert of afwijst)"  # type: ignore[attr-defined]
        if holiday is not None and holiday.has_proposal:
            self.fields["decision"].choices = self.PROPOSAL_DECISIONS  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision == "correct":
            start, end = data.get("start_on"), data.get("end_on")
            if not start and "start_on" not in self.errors:
                self.add_error("start_on", "Vul de eerste vrije dag in.")
            if not end and "end_on" not in self.errors:
                self.add_error("end_on", "Vul de laatste vrije dag in.")
            problem = impossible_dates(start, end) if start and end else None
            if problem:
                self.add_error("end_on", problem)
            elif start and end and self.holiday is not None:
                year = self.holiday.school_year
                problem = outside_school_year(self.holiday.name, year, start, end)
                if problem:
                    wrong = "start_on" if school_year_of(start) != year else "end_on"
                    self.add_error(wrong, problem)
            if not data.get("region"):
                self.add_error("region", "Kies een vakantieregio.")
        if decision in ("correct", "reject") and is_blank(data.get("note") or ""):
            self.add_error("note", "Schrijf kort waarom.")
        return data


class ClosureForm(forms.Form):
    date = forms.DateField(label="Datum", widget=DateInput(), error_messages=DATE_ERRORS)
    reason = TextField(
        label="Reden",
        max_length=200,
        help_text="Bijvoorbeeld: Studiedag team, Vrije dag na de kerstviering.",
        error_messages={"required": "Vul een reden in."},
    )

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day.weekday() >= 5:
            raise forms.ValidationError("Die dag valt in het weekend; dan is de school al dicht.")
        return day


MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class HolidayFileForm(forms.Form):
    file = forms.FileField(
        label="Bestand met schoolvakanties",
        help_text="CSV in het formaat van OpenHolidays API (ook opnieuw opgeslagen in Excel), of "
        "het JSON-bestand van Rijksoverheid met de schoolvakanties van een schooljaar.",
        error_messages={"required": "Kies een bestand.", "empty": "Het bestand is leeg."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "Het bestand is groter dan 2 MB; dat is geen vakantielijst."
            )
        return upload
