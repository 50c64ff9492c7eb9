from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone

from schoolzorg.lib import daterange, formtokens
from schoolzorg.lib.forms import EMPTY_CHOICE, DateInput, ModelChoiceField, TextField
from schoolzorg.meetings.models import (
    DURATION_MINUTES_MAX,
    DURATION_MINUTES_MIN,
    AttendanceStatus,
    GuestRole,
    MeetingSchedule,
)
from schoolzorg.plans.forms import owner_value, set_choices, set_owners
from schoolzorg.plans.models import (
    DOMAIN_HELP,
    DOMAIN_LABEL,
    DOMAIN_REQUIRED,
    DUE_ON_HELP,
    Domain,
)

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_ERRORS = {"required": "Vul een datum in.", "invalid": "Vul een geldige datum in."}
TIME_ERRORS = {"required": "Vul een tijd in.", "invalid": "Vul een tijd in als 13:30."}


DURATION_MESSAGE = (
    f"Een overleg duurt minstens {DURATION_MINUTES_MIN} en hoogstens {DURATION_MINUTES_MAX} "
    f"minuten ({DURATION_MINUTES_MAX // 60} uur)."
)


class ScheduleForm(forms.ModelForm):  # type: ignore[type-arg]
    # The database's range, said at the field (and in the input's min and max) instead of the
    # name of the constraint it would break.
    duration_minutes = forms.IntegerField(
        label="Duur in minuten",
        min_value=DURATION_MINUTES_MIN,
        max_value=DURATION_MINUTES_MAX,
        error_messages={
            "required": "Vul in hoeveel minuten een overleg duurt.",
            "invalid": "Vul een heel aantal minuten in, bijvoorbeeld 90.",
            "min_value": DURATION_MESSAGE,
            "max_value": DURATION_MESSAGE,
        },
    )
    until = forms.DateField(
        label="Overleggen inplannen tot en met",
        widget=DateInput(),
        error_messages=DATE_ERRORS,
        help_text="Schoolvakanties en studiedagen van de school worden overgeslagen.",
    )

    class Meta:
        model = MeetingSchedule
        fields = [
            "frequency",
            "weekday",
            "week_of_month",
            "start_time",
            "duration_minutes",
            "location",
        ]
        widgets = {"start_time": TIME}
        error_messages = {"start_time": TIME_ERRORS}

    def clean_until(self) -> Any:
        until = self.cleaned_data["until"]
        today = timezone.localdate()
        if until < today:
            raise forms.ValidationError("Kies een datum in de toekomst.")
        if (until - today).days > 400:
            raise forms.ValidationError("Plan hooguit ruim een schooljaar vooruit.")
        return until


class MeetingForm(forms.Form):
    scheduled_on = forms.DateField(label="Datum", widget=DateInput(), error_messages=DATE_ERRORS)
    start_time = forms.TimeField(label="Begint om", widget=TIME, error_messages=TIME_ERRORS)
    end_time = forms.TimeField(label="Eindigt om", widget=TIME, error_messages=TIME_ERRORS)
    location = forms.CharField(label="Plek", max_length=120, required=False)
    # The same form sent twice plans one meeting (`services.plan_meeting`).
    form_token = formtokens.token_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("start_time")
            and data.get("end_time")
            and data["end_time"] <= data["start_time"]
        ):
            self.add_error("end_time", "De eindtijd moet na de begintijd liggen.")
        today = timezone.localdate()
        daterange.check_field(
            self,
            "scheduled_on",
            earliest=today - dt.timedelta(days=daterange.DAYS_BACK),
            latest=today + dt.timedelta(days=daterange.MEETING_DAYS_AHEAD),
            too_late="Plan hooguit ruim een schooljaar vooruit.",
        )
        return data


STALE_FORM = "Dit formulier is niet compleet. Ververs de pagina en probeer het opnieuw."
HIDDEN_ERRORS = {"required": STALE_FORM, "invalid": STALE_FORM}


class RescheduleForm(MeetingForm):
    """ "Overleg verzetten": a planned meeting's new date, times and place.

    The hidden `expected_*` fields hold what the screen showed: the service moves the meeting
    only from there (`services.reschedule_meeting`), so a colleague's change is not overwritten.
    """

    expected_scheduled_on = forms.DateField(widget=forms.HiddenInput, error_messages=HIDDEN_ERRORS)
    expected_start_time = forms.TimeField(widget=forms.HiddenInput, error_messages=HIDDEN_ERRORS)
    expected_end_time = forms.TimeField(widget=forms.HiddenInput, error_messages=HIDDEN_ERRORS)
    expected_location = forms.CharField(
        widget=forms.HiddenInput, required=False, strip=False, max_length=120
    )
    # Moving a meeting compares with what the screen showed (`expected_*`), not a token.
    form_token = None  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheduled_on"].help_text = "Een schooldag: vandaag of later."

    @property
    def expected(self) -> dict[str, Any]:
        """What the screen showed, by the service's names (needs `is_valid()`)."""
        return {name: self.cleaned_data[f"expected_{name}"] for name in EXPECTED}

    @property
    def wanted(self) -> dict[str, Any]:
        """The new date, times and place (needs `is_valid()`)."""
        return {name: self.cleaned_data[name] for name in EXPECTED}

    def is_stale(self) -> bool:
        """Whether only the hidden fields are wrong: not something the user can correct."""
        return any(name.startswith("expected_") for name in self.errors)

    @staticmethod
    def shown(meeting: Any) -> dict[str, Any]:
        """The initial values: the meeting as it is now, in the fields and the hidden ones."""
        now = {name: getattr(meeting, name) for name in EXPECTED}
        return now | {f"expected_{name}": value for name, value in now.items()}


EXPECTED = ("scheduled_on", "start_time", "end_time", "location")


class PupilChoiceField(ModelChoiceField):
    """Pupils by name and group, as the case forms show them: two children of a school can have
    the same name."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.first_name} {obj.last_name} (groep {obj.current_group})"


class PupilSearchForm(forms.Form):
    """Find a pupil of the school to place by hand: the builder lists only the pupils found, not
    the whole school (a real school has over a thousand, and each one shown is a logged read)."""

    leerling = forms.CharField(
        label="Zoek een leerling van deze school",
        max_length=100,
        help_text="Typ de voornaam, de achternaam of een deel ervan.",
        error_messages={
            "required": "Typ een naam om te zoeken.",
            "max_length": "Typ hoogstens %(limit_value)d tekens.",
        },
    )


class PlaceForm(forms.Form):
    """Place a pupil on the agenda: from a proposed case, or chosen by hand.

    `pupils` are those that may be placed (checked on submit); `show()` sets the ones the list
    offers: the pupils the search found.
    """

    case = forms.IntegerField(required=False, widget=forms.HiddenInput)
    leerling = forms.CharField(
        required=False, max_length=100, widget=forms.HiddenInput(attrs={"id": "plaats-zoekterm"})
    )
    pupil: ModelChoiceField = PupilChoiceField(
        label="Leerling",
        queryset=None,
        error_messages={
            "required": "Kies een leerling.",
            "invalid_choice": "Kies een leerling uit de lijst.",
        },
    )
    question = TextField(
        label="Vraag aan het team",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Schrijf op wat u het team wilt vragen."},
        help_text="Bijvoorbeeld: 'Wat heeft Sam nodig om weer elke dag naar school te komen?'",
    )

    def __init__(self, *args: Any, pupils: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pupil"]
        field.queryset = pupils  # type: ignore[attr-defined]
        field.required = not self.data.get("case")  # a proposed case names its pupil

    def show(
        self,
        pupils: list[Any],
        *,
        consented: set[int] | frozenset[int] = frozenset(),
        why_not: dict[int, str] | None = None,
    ) -> None:
        """Offer these pupils in the list, saying for those without consent to be discussed
        why (`why_not`: the status of their last consent; else none yet); what may be chosen is
        still `pupils`."""
        field = self.fields["pupil"]
        label = field.label_from_instance  # type: ignore[attr-defined]
        why_not = why_not or {}

        def shown(pupil: Any) -> str:
            if pupil.pk in consented:
                return str(label(pupil))
            if pupil.pk in why_not:
                return f"{label(pupil)}: toestemming {why_not[pupil.pk]}"
            return f"{label(pupil)}: nog geen toestemming"

        field.choices = [("", field.empty_label)] + [(p.pk, shown(p)) for p in pupils]  # type: ignore[attr-defined]


class GeneralItemForm(forms.Form):
    form_token = formtokens.token_field()
    question = TextField(
        label="Ander agendapunt (zonder leerling)",
        max_length=500,
        error_messages={
            "required": "Schrijf op wat u wilt bespreken.",
            "max_length": "Schrijf hooguit %(limit_value)d tekens (nu %(show_value)d). "
            "Zet de rest in het verslag.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # On the agenda page next to PlaceForm, which has a `question` field as well: its own
        # ids keep each label tied to its own field.
        kwargs.setdefault("auto_id", "id_algemeen_%s")
        super().__init__(*args, **kwargs)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Verslag", widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=10000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecisionForm(forms.Form):
    text = TextField(
        label="Wat gaan we doen",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Beschrijf wat er is besloten."},
    )
    domain = forms.ChoiceField(
        label=DOMAIN_LABEL,
        help_text=DOMAIN_HELP,
        choices=Domain.choices,
        error_messages={"required": DOMAIN_REQUIRED},
    )
    owner = forms.TypedChoiceField(
        label="Wie doet het",
        coerce=int,
        empty_value=None,
        error_messages={
            "required": "Kies wie het doet.",
            "invalid_choice": "Kies iemand uit de lijst.",
        },
    )
    # The same choice as on the plan's action form (`plans.forms.set_owners`): a decision about
    # a child can be for someone from the family or network, by name.
    owner_name = TextField(label="Of: iemand uit gezin of netwerk", required=False, max_length=200)
    due_on = forms.DateField(
        label="Klaar op", widget=DateInput(), help_text=DUE_ON_HELP, error_messages=DATE_ERRORS
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    people: dict[Any, Any]

    def __init__(self, *args: Any, owners: list[Any], pupil: Any = None, **kwargs: Any) -> None:
        """`owners`: a plain list fetched once per page (twenty items share it without twenty
        queries). `pupil`: the item's child; without one (a general item) there is no family,
        so only the team's people are offered."""
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        if pupil is not None:
            self.fields["owner"].required = False
            set_owners(self, owners, pupil)
        else:
            del self.fields["owner_name"]
            self.people = {u.pk: u for u in owners}
            set_choices(self, "owner", [("", EMPTY_CHOICE)] + [(u.pk, u.full_name) for u in owners])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.pupil is not None:
            data["owner_value"] = owner_value(
                self, data, "Kies wie het doet, of vul een naam in uit het gezin of netwerk."
            )
        else:
            data["owner_value"] = self.people.get(data["owner"]) if data.get("owner") else None
        # Not before the meeting day is the service's rule; this catches a slip of the year.
        latest = daterange.add_years(timezone.localdate(), daterange.PLAN_YEARS_AHEAD)
        daterange.check_field(self, "due_on", latest=latest)
        return data


class GuestForm(forms.Form):
    form_token = formtokens.token_field()
    name = TextField(
        label="Naam",
        max_length=200,
        error_messages={
            "required": "Vul de naam in.",
            "max_length": "Schrijf hooguit %(limit_value)d tekens (nu %(show_value)d).",
        },
    )
    role = forms.ChoiceField(
        label="Rol",
        choices=GuestRole.choices,
        error_messages={"required": "Kies de rol.", "invalid_choice": "Kies een rol uit de lijst."},
    )
    item = forms.TypedChoiceField(
        label="Bij agendapunt",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Ouders en de leerling: kies het punt over het kind. Zij krijgen alleen het "
        "verslag van dat punt. Iemand anders (een leerkracht, iemand van buiten het team) kan "
        "alleen bij het hele overleg zijn als er geen kinderen besproken worden.",
        error_messages={
            "invalid_choice": "Dit agendapunt staat niet (meer) op de agenda. Ververs de pagina "
            "en kies een punt uit de lijst."
        },
    )
    agreed = forms.BooleanField(
        label="De ouders (of de leerling) stemden in met deze gast bij dit punt",
        required=False,
        help_text="Alleen voor een gast die geen ouder of de leerling is, bij het punt over een "
        "kind. Onder 12 jaar beslissen de ouders met gezag, van 12 tot 16 jaar de ouders en de "
        "leerling, vanaf 16 jaar de leerling zelf.",
    )
    agreed_on = forms.DateField(
        label="Ingestemd op",
        required=False,
        widget=DateInput(),
        initial=timezone.localdate,
        help_text="Vul in als u het vakje hierboven aanvinkt: de dag waarop zij instemden, "
        "uiterlijk de dag van het overleg.",
        error_messages=DATE_ERRORS,
    )

    def __init__(self, *args: Any, items: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "het hele overleg"), *items]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("agreed"):
            # Without the tick no agreement is recorded, whatever the date field holds.
            data["agreed_on"] = None
            return data
        if data.get("agreed_on") is None and "agreed_on" not in self.errors:
            self.add_error("agreed_on", "Vul in op welke dag zij instemden.")
        daterange.check_past_day(self, "agreed_on")
        return data


class CorrectionForm(forms.Form):
    """The parents' reaction to their child's minutes; opens with the reaction recorded so far.

    `expected` is the reaction the form showed: saving over a reaction someone else recorded
    meanwhile is refused (409) instead of replacing it unseen.
    """

    expected = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    note = TextField(
        label="Reactie of correctie van de ouders",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Schrijf de reactie op, ook als die 'akkoord' is."},
    )
    received_on = forms.DateField(
        label="Ontvangen op",
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages=DATE_ERRORS,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        daterange.check_past_day(self, "received_on")
        return data


ATTENDANCE_CHOICES = [("", "niet ingevuld"), *AttendanceStatus.choices]
