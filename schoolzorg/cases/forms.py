"""Input shapes for cases. Validation messages in plain Dutch; services have the final say."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from schoolzorg.cases.models import (
    Category,
    ContactForm,
    EventKind,
    Outcome,
    Urgency,
)
from schoolzorg.cases.services import ALLOWED_LABEL
from schoolzorg.cases.workflow import MOVE_LABELS, CaseStatus
from schoolzorg.lib import daterange, formtokens
from schoolzorg.lib.converters import parse_id
from schoolzorg.lib.forms import DateInput, TextField


def set_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, str]]) -> None:
    """Set a choice field's options at run time (people and pupils depend on the user)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def person_with_roles(user: Any) -> str:
    """A name in a choice of coordinators, with role and organisation where known:
    "Petra de Graaf – Intern begeleider / zorgcoördinator, OBS De Regenboog"."""
    roles = getattr(user, "roles_here", None)
    return f"{user.full_name} – {'; '.join(roles)}" if roles else str(user.full_name)


def set_coordinators(form: forms.BaseForm, people: list[Any], pupil: Any, *, empty: str) -> None:
    """Offer these people as coordinator (the view passes only those
    `consent.relationships.named_among` allows). Anyone else, say from a screen opened before a
    consent was withdrawn, is refused in Dutch."""
    set_choices(form, "coordinator", [("", empty)] + [(u.pk, person_with_roles(u)) for u in people])
    name = pupil.first_name if pupil is not None else "het kind"
    form.fields["coordinator"].error_messages["invalid_choice"] = (
        f"Deze persoon kan geen regisseur zijn: alleen wie de gegevens van {name} mag zien. Dat "
        "is iemand van de school, of iemand anders als er toestemming of een wettelijke "
        "grondslag is (bespreken in het schoolzorgteam). Kies iemand uit de lijst."
    )


class ConcernForm(forms.Form):
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    category = forms.ChoiceField(
        label="Onderwerp", choices=[("", "Kies een onderwerp"), *list(Category.choices)]
    )
    description = TextField(
        label="Wat is er aan de hand?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Schrijf op wat u ziet of hoort. Noem ook wat goed gaat.",
        error_messages={"required": "Beschrijf kort wat er aan de hand is."},
    )
    raised_by_label = TextField(
        label="Wie maakt zich zorgen?",
        max_length=200,
        required=False,
        help_text="Bijvoorbeeld: de leerkracht, de moeder, de leerling zelf.",
    )
    urgency = forms.ChoiceField(
        label="Hoe snel moet er iets gebeuren?", choices=Urgency.choices, initial=Urgency.NORMAL
    )
    coordinator = forms.TypedChoiceField(
        label="Regisseur",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="De persoon die de draden bij elkaar houdt. U kunt dit later ook kiezen.",
    )

    def __init__(
        self,
        *args: Any,
        coordinators: list[Any] | None = None,
        pupil: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].error_messages["required"] = "Kies een onderwerp."
        if coordinators is None:
            del self.fields["coordinator"]
        else:
            set_coordinators(self, coordinators, pupil, empty="Nog niet")


class NoteForm(forms.Form):
    form_token = formtokens.token_field()
    kind = forms.ChoiceField(
        label="Soort",
        choices=[
            (EventKind.NOTE, EventKind.NOTE.label),
            (EventKind.CONTACT, EventKind.CONTACT.label),
        ],
        initial=EventKind.NOTE,
        error_messages={"required": "Kies of het een notitie of een contact is."},
    )
    text = TextField(
        label="Notitie",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Schrijf iets op voordat u opslaat."},
    )


class StatusForm(forms.Form):
    # The status the user's screen showed; anything else is a stale or tampered form.
    expected = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    to = forms.ChoiceField(
        label="Nieuwe status",
        error_messages={
            "required": "Kies de nieuwe status.",
            # A choice that the status now shown no longer allows (after a colleague's change).
            "invalid_choice": "Deze stap kan nu niet meer. Kies een status uit de lijst.",
        },
    )
    outcome = forms.ChoiceField(
        label="Uitkomst (bij afsluiten)",
        required=False,
        choices=[("", "–"), *list(Outcome.choices)],
    )
    outcome_note = TextField(
        label="Toelichting",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, allowed: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "to", [(s, MOVE_LABELS.get(s, s)) for s in (allowed or [])])

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("to") == "closed" and not data.get("outcome"):
            self.add_error("outcome", "Kies de uitkomst voordat u de casus afsluit.")
        return data


class CoordinatorForm(forms.Form):
    # The coordinator the user's screen showed (empty: nobody yet); anyone else now means a
    # colleague chose meanwhile, and the service refuses.
    expected = forms.CharField(widget=forms.HiddenInput, required=False)
    coordinator = forms.TypedChoiceField(
        label="Regisseur", coerce=int, error_messages={"required": "Kies een regisseur."}
    )

    def __init__(
        self, *args: Any, coordinators: list[Any], pupil: Any = None, **kwargs: Any
    ) -> None:
        # On the case page next to the status form, which has an `expected` field as well: its
        # own ids keep the page's ids unique.
        kwargs.setdefault("auto_id", "id_regisseur_%s")
        super().__init__(*args, **kwargs)
        set_coordinators(self, coordinators, pupil, empty="Kies een persoon")

    def clean_expected(self) -> int | None:
        raw: str = self.cleaned_data["expected"]
        if raw == "":
            return None
        pk = parse_id(raw)
        if pk is None:
            raise forms.ValidationError("Deze pagina is niet meer actueel. Open de casus opnieuw.")
        return pk


class DocumentForm(forms.Form):
    form_token = formtokens.token_field()
    file = forms.FileField(
        label="Bestand",
        error_messages={
            "required": "Kies een bestand.",
            "empty": "Het bestand is leeg. Kies een ander bestand.",
        },
    )
    description = TextField(label="Omschrijving", required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # In the help text, which the file field's aria-describedby points at, so a screen
        # reader says the size limit and who can open the file when the field gets focus.
        mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        self.fields["file"].help_text = (
            f"{ALLOWED_LABEL}, hoogstens {mb} MB. "
            "Het bestand is alleen te openen voor wie deze casus mag zien."
        )


class ContactFormForm(forms.Form):
    form_token = formtokens.token_field()
    contact_on = forms.DateField(
        label="Datum",
        widget=DateInput(),
        error_messages={"required": "Vul de datum in.", "invalid": "Vul een geldige datum in."},
    )
    form = forms.ChoiceField(
        label="Soort contact",
        choices=ContactForm.choices,
        error_messages={"required": "Kies de soort contact."},
    )
    with_whom = TextField(
        label="Met wie", max_length=200, error_messages={"required": "Vul in met wie u sprak."}
    )
    minutes = forms.IntegerField(
        label="Duur in minuten",
        min_value=1,
        max_value=600,
        error_messages={
            "required": "Vul de duur in minuten in.",
            "min_value": "Vul minstens 1 minuut in.",
            "max_value": "Hoogstens 600 minuten per contact.",
            "invalid": "Vul een heel getal in.",
        },
    )
    note = TextField(
        label="Korte notitie",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_contact_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["contact_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Een contact kan niet in de toekomst liggen.")
        return day


class ConsultationForm(forms.Form):
    form_token = formtokens.token_field()
    school = forms.TypedChoiceField(
        label="School", coerce=int, error_messages={"required": "Kies een school."}
    )
    category = forms.ChoiceField(
        label="Onderwerp",
        choices=[("", "Kies een onderwerp"), *list(Category.choices)],
        error_messages={"required": "Kies een onderwerp."},
    )
    summary = TextField(
        label="Waar gaat het over?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Zonder naam, geboortedatum of andere gegevens waaraan u het kind herkent.",
        error_messages={"required": "Beschrijf kort de situatie."},
    )
    held_on = forms.DateField(
        label="Datum",
        widget=DateInput(),
        error_messages={"required": "Vul de datum in.", "invalid": "Vul een geldige datum in."},
    )
    participants = TextField(
        label="Wie waren erbij?",
        max_length=300,
        help_text="Bijvoorbeeld: IB-er, SMW, wijkteam.",
        error_messages={"required": "Vul in wie erbij waren."},
    )
    advice = TextField(
        label="Advies", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, schools: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "school", [(s.pk, s.name) for s in schools])
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        daterange.check_field(
            self,
            "held_on",
            earliest=today - dt.timedelta(days=daterange.DAYS_BACK),
            latest=today,
            too_late="De datum ligt in de toekomst.",
        )
        return data


class ConvertSearchForm(forms.Form):
    """The name to look for when a consultation becomes a case: only matches are listed (and
    logged), never the whole school."""

    zoek = TextField(
        label="Naam van de leerling",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text="U vindt alleen leerlingen van deze school met geldige toestemming om in het "
        "schoolzorgteam te bespreken.",
    )


class ConvertForm(forms.Form):
    pupil = forms.TypedChoiceField(
        label="Leerling",
        coerce=int,
        error_messages={
            "required": "Kies de leerling.",
            "invalid_choice": "Kies een leerling uit de zoekresultaten. Alleen leerlingen van "
            "deze school met geldige toestemming om in het schoolzorgteam te bespreken kunnen "
            "een casus worden.",
        },
    )
    urgency = forms.ChoiceField(
        label="Hoe snel moet er iets gebeuren?", choices=Urgency.choices, initial=Urgency.NORMAL
    )

    def __init__(self, *args: Any, pupils: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "pupil",
            [("", "Kies een leerling")]
            + [(p.pk, f"{p.first_name} {p.last_name} (groep {p.current_group})") for p in pupils],
        )


class SchoolContactForm(ContactFormForm):
    """A contact that belongs to no case, at one of the schools the social worker serves."""

    school = forms.TypedChoiceField(
        label="School", coerce=int, error_messages={"required": "Kies een school."}
    )

    field_order = ["school", "contact_on", "form", "with_whom", "minutes", "note"]

    def __init__(self, *args: Any, schools: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "school", [(s.pk, s.name) for s in schools])
        self.order_fields(self.field_order)
