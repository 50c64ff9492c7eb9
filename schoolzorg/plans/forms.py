"""Input shapes for plans. SMART checks explain exactly what is missing, in plain Dutch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from schoolzorg.cases.forms import set_coordinators
from schoolzorg.lib import daterange, formtokens
from schoolzorg.lib.converters import parse_id
from schoolzorg.lib.forms import DateInput, TextField
from schoolzorg.lib.validators import is_blank
from schoolzorg.plans.models import (
    DOMAIN_HELP,
    DOMAIN_LABEL,
    DOMAIN_REQUIRED,
    DUE_ON_HELP,
    ActionStatus,
    Domain,
    Progress,
)
from schoolzorg.plans.services import (
    PART_FIELDS,
    PLAN_FIELDS,
    STOP_REASON_MISSING,
    STOP_WHEN_REACHED,
    smart_problems,
)


def set_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, str]]) -> None:
    """Set a choice field's options at run time (people and pupils depend on the user)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


DATE_ERRORS = {"invalid": "Vul een geldige datum in (dag-maand-jaar)."}


def plan_horizon() -> dt.date:
    """The last day a plan date may lie on: a plan looks a few years ahead, never decades."""
    return daterange.add_years(timezone.localdate(), daterange.PLAN_YEARS_AHEAD)


def recorded_since() -> dt.date:
    """The first day something recorded afterwards may lie on (about a school year back)."""
    return timezone.localdate() - dt.timedelta(days=daterange.DAYS_BACK)


def _one_of_two(form: forms.Form, first: str, second: str) -> None:
    """Two optional fields of which one must be filled in: say so after both labels."""
    form.fields[first].note = "(kies iemand, of vul hieronder een naam in)"  # type: ignore[attr-defined]
    form.fields[second].note = "(als u hierboven niemand koos)"  # type: ignore[attr-defined]


def owner_refusal(pupil: Any) -> str:
    """Why a person sent as an owner is not among those offered (a screen opened before a
    consent was withdrawn, say)."""
    name = pupil.first_name if pupil is not None else "het kind"
    return (
        f"Deze persoon kan geen eigenaar zijn: alleen wie de gegevens van {name} mag zien. Dat "
        "is iemand van de school, of iemand anders als er toestemming of een wettelijke "
        "grondslag is (bespreken in het schoolzorgteam). Kies iemand uit de lijst."
    )


def set_owners(form: forms.Form, people: list[Any], pupil: Any) -> None:
    """Offer these people as owner, or someone from the family or network by name (fields
    `owner` and `owner_name`; check with `owner_value`). The caller passes only those
    `consent.relationships.named_among` allows; anyone else, say from a screen opened before a
    consent was withdrawn, is refused in Dutch. Used by the plan's goals and actions and by a
    care meeting's decisions."""
    form.people = {u.pk: u for u in people}  # type: ignore[attr-defined]
    # The empty first line is no choice (a name of the family or network goes in the field
    # below), so it says what to do rather than look like an option (tester X, stop 28).
    set_choices(form, "owner", _people_choices(people, "Kies iemand van het team"))
    form.fields["owner"].error_messages["invalid_choice"] = owner_refusal(pupil)
    _one_of_two(form, "owner", "owner_name")


def owner_value(form: forms.Form, data: dict[str, Any], missing: str) -> Any:
    """The owner chosen on a form set up by `set_owners`: the person, else the family or
    network name; neither one is refused at `owner` with `missing`. Returns a user, a name, or
    (after that error) an empty name: what `add_action` and `add_decision` take."""
    people: dict[Any, Any] = form.people  # type: ignore[attr-defined]
    owner = people.get(data.get("owner")) if data.get("owner") else None
    if owner is None and is_blank(data.get("owner_name") or ""):
        form.add_error("owner", missing)
    return owner if owner is not None else (data.get("owner_name") or "").strip()


def _people_choices(people: list[Any], empty: str) -> list[tuple[Any, str]]:
    return [("", empty)] + [(u.pk, u.full_name) for u in people]


class PlanTextForm(forms.Form):
    """The plan's text: family fields plus one block per visible child (prefixed by part id)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    strengths = TextField(
        label="Wat gaat goed in het gezin",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sterke kanten en wat werkt. Begin hiermee.",
    )
    concerns = TextField(
        label="Belangrijkste zorgen",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    own_contribution = TextField(
        label="Wat doen het gezin en hun netwerk zelf",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bijvoorbeeld: oma haalt twee keer per week op, vader gaat naar de opvoedcursus.",
    )

    def __init__(self, *args: Any, parts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parts = parts
        labels = {
            "strengths": "Wat gaat goed bij {name}",
            "concerns": "Zorgen over {name}",
            "support_needs": "Wat heeft {name} nodig (ondersteuningsbehoefte)",
        }
        for part in parts:
            for field in PART_FIELDS:
                self.fields[f"part-{part.pk}-{field}"] = TextField(
                    label=labels[field].format(name=part.pupil.first_name),
                    required=False,
                    max_length=10000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    @classmethod
    def initial_for(cls, plan: Any, parts: list[Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": plan.version}
        initial.update({f: getattr(plan, f) for f in PLAN_FIELDS})
        for part in parts:
            for field in PART_FIELDS:
                initial[f"part-{part.pk}-{field}"] = getattr(part, field)
        return initial

    def family_fields(self) -> list[Any]:
        return [self[f] for f in PLAN_FIELDS]

    def part_blocks(self) -> list[tuple[Any, list[Any]]]:
        return [(p, [self[f"part-{p.pk}-{f}"] for f in PART_FIELDS]) for p in self.parts]

    def family_data(self) -> dict[str, str]:
        return {f: self.cleaned_data[f] for f in PLAN_FIELDS}

    def parts_data(self) -> dict[int, dict[str, str]]:
        return {
            p.pk: {f: self.cleaned_data[f"part-{p.pk}-{f}"] for f in PART_FIELDS}
            for p in self.parts
        }


class GoalForm(forms.Form):
    form_token = formtokens.token_field()
    description = TextField(
        label="Doel",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Wat is er anders als het doel bereikt is? Bijvoorbeeld: 'Sam gaat met plezier naar school'.",
        error_messages={
            "required": "Beschrijf het doel: wat is er anders als het bereikt is? (Specifiek)"
        },
    )
    criterion = TextField(
        label="Hoe meten we het?",
        error_messages={
            "required": "Schrijf op hoe u ziet dat het doel bereikt is, bijvoorbeeld 'is 4 van de "
            "5 dagen op tijd'. (Meetbaar)"
        },
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bijvoorbeeld: 'is 4 van de 5 dagen op tijd op school'.",
    )
    owner = forms.TypedChoiceField(
        label="Eigenaar",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Kies een professional, of vul hieronder iemand uit het gezin of netwerk in.",
    )
    owner_name = TextField(
        label="Of: eigenaar uit gezin of netwerk",
        required=False,
        max_length=200,
        help_text="Bijvoorbeeld: moeder, of oom Ahmed.",
    )
    target_on = forms.DateField(
        label="Uiterlijk bereikt op",
        widget=DateInput(),
        error_messages={
            "required": "Vul in wanneer het doel bereikt moet zijn. (Tijdgebonden)",
            **DATE_ERRORS,
        },
    )
    review_on = forms.DateField(
        label="Evalueren op",
        widget=DateInput(),
        error_messages={
            "required": "Vul in wanneer u samen bekijkt hoe het gaat (evaluatiedatum).",
            **DATE_ERRORS,
        },
    )

    people: dict[Any, Any]

    def __init__(self, *args: Any, people: list[Any], pupil: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_owners(self, people, pupil)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        owner = self.people.get(data.get("owner")) if data.get("owner") else None
        data["owner_user"] = owner
        for name in ("target_on", "review_on"):
            daterange.check_field(self, name, latest=plan_horizon())
        for field, message in smart_problems(
            description=data.get("description", ""),
            criterion=data.get("criterion", ""),
            owner=owner,
            owner_name=data.get("owner_name", ""),
            target_on=data.get("target_on"),
            review_on=data.get("review_on"),
        ).items():
            # A field already refused (empty, bad date) keeps its own message; no second one.
            if field not in self.errors:
                self.add_error(field, message)
        return data


class ActionForm(forms.Form):
    form_token = formtokens.token_field()
    description = TextField(
        label="Wat gaat er gebeuren?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Beschrijf wat er moet gebeuren."},
    )
    domain = forms.ChoiceField(
        label=DOMAIN_LABEL,
        help_text=DOMAIN_HELP,
        choices=[("", "Kies"), *list(Domain.choices)],
        error_messages={"required": DOMAIN_REQUIRED},
    )
    goal = forms.TypedChoiceField(
        label="Hoort bij doel", required=False, coerce=int, empty_value=None
    )
    owner = forms.TypedChoiceField(
        label="Wie doet het?", required=False, coerce=int, empty_value=None
    )
    owner_name = TextField(label="Of: iemand uit gezin of netwerk", required=False, max_length=200)
    due_on = forms.DateField(
        label="Klaar op",
        widget=DateInput(),
        help_text=DUE_ON_HELP,
        error_messages={"required": "Vul in wanneer de actie klaar moet zijn.", **DATE_ERRORS},
    )

    people: dict[Any, Any]

    def __init__(
        self, *args: Any, people: list[Any], goals: list[Any], pupil: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_owners(self, people, pupil)
        self.goals = {g.pk: g for g in goals}
        set_choices(
            self, "goal", [("", "Geen bepaald doel")] + [(g.pk, g.description[:80]) for g in goals]
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        data["owner_value"] = owner_value(
            self, data, "Kies wie de actie uitvoert, of vul een naam in uit het gezin of netwerk."
        )
        daterange.check_field(self, "due_on", earliest=recorded_since(), latest=plan_horizon())
        data["goal_obj"] = self.goals.get(data.get("goal")) if data.get("goal") else None
        return data


def _expected_person(form: forms.Form) -> int | None:
    """The person the screen showed (empty: nobody, or a name from the family or network)."""
    raw: str = form.cleaned_data["expected"]
    if raw == "":
        return None
    pk = parse_id(raw)
    if pk is None:
        raise forms.ValidationError("Deze pagina is niet meer actueel. Open het plan opnieuw.")
    return pk


class PlanCoordinatorForm(forms.Form):
    """Another coordinator (regisseur) for the plan, from those who may open a child's file in
    it (the rule for a case's coordinator: `cases.forms.set_coordinators`)."""

    # The coordinator the screen showed; anyone else now means a colleague chose meanwhile.
    expected = forms.CharField(widget=forms.HiddenInput, required=False)
    coordinator = forms.TypedChoiceField(
        label="Nieuwe regisseur", coerce=int, error_messages={"required": "Kies een regisseur."}
    )

    def __init__(self, *args: Any, coordinators: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_regisseur_%s")
        super().__init__(*args, **kwargs)
        set_coordinators(self, coordinators, None, empty="Kies een persoon")
        self.fields["coordinator"].error_messages["invalid_choice"] = (
            "Deze persoon kan geen regisseur zijn: alleen wie de gegevens van een kind in dit "
            "plan mag zien. Kies iemand uit de lijst."
        )

    def clean_expected(self) -> int | None:
        return _expected_person(self)


class ActionOwnerForm(forms.Form):
    """Another professional for an open action, from those who may own one in this child's
    part (`set_owners`)."""

    expected = forms.CharField(widget=forms.HiddenInput, required=False)
    owner = forms.TypedChoiceField(
        label="Wie doet het nu?",
        coerce=int,
        error_messages={"required": "Kies wie de actie nu uitvoert."},
    )

    def __init__(self, *args: Any, people: list[Any], pupil: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", _people_choices(people, "Kies een persoon"))
        self.fields["owner"].error_messages["invalid_choice"] = owner_refusal(pupil)

    def clean_expected(self) -> int | None:
        return _expected_person(self)


class ActionStatusForm(forms.Form):
    expected = forms.ChoiceField(choices=ActionStatus.choices, widget=forms.HiddenInput)
    to = forms.ChoiceField(label="Status", choices=ActionStatus.choices)


class ReviewForm(forms.Form):
    form_token = formtokens.token_field()
    progress = forms.ChoiceField(
        label="Hoe ver is het doel?",
        choices=Progress.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies hoe ver het doel bereikt is."},
    )
    score = forms.TypedChoiceField(
        label="Cijfer (1 tot 5)",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Geen cijfer")] + [(n, str(n)) for n in range(1, 6)],
        help_text="1 = veel slechter dan gehoopt, 3 = zoals gehoopt, 5 = veel beter dan gehoopt.",
    )
    note = TextField(
        label="Wat zeggen gezin en team?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reviewed_on = forms.DateField(
        label="Datum evaluatie",
        widget=DateInput(),
        error_messages={"required": "Vul de datum in.", **DATE_ERRORS},
    )
    next_review_on = forms.DateField(
        label="Volgende evaluatie", required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    stop = forms.BooleanField(
        label="Doel stoppen",
        required=False,
        help_text="Vink dit aan als het doel niet meer past, bijvoorbeeld omdat de situatie "
        "veranderd is. Het doel blijft in het plan staan met de stand 'Gestopt' en de reden. "
        "U evalueert het daarna niet meer.",
    )
    stop_reason = TextField(
        label="Waarom stopt het doel?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bijvoorbeeld: het doel past niet meer bij wat het gezin nu nodig heeft.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["next_review_on"].note = "(niet nodig als het doel bereikt is of stopt)"  # type: ignore[attr-defined]
        self.fields["stop_reason"].note = "(alleen als u het doel stopt)"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        stop = bool(data.get("stop"))
        reason = data.get("stop_reason") or ""
        if stop and not reason and "stop_reason" not in self.errors:
            self.add_error("stop_reason", STOP_REASON_MISSING)
        if not stop and reason:
            self.add_error(
                "stop_reason",
                "U schreef een reden, maar vinkte 'Doel stoppen' niet aan. Vink het aan als het "
                "doel stopt, of maak dit veld leeg.",
            )
        if stop and data.get("progress") == Progress.FULLY:
            self.add_error("stop", STOP_WHEN_REACHED)
        today = timezone.localdate()
        daterange.check_field(
            self,
            "reviewed_on",
            earliest=recorded_since(),
            latest=today,
            too_late="Een evaluatie kan niet in de toekomst liggen.",
        )
        daterange.check_field(self, "next_review_on", latest=plan_horizon())
        nxt: dt.date | None = self.cleaned_data.get("next_review_on")
        if nxt is not None and nxt <= today:
            self.add_error(
                "next_review_on", "Kies voor de volgende evaluatie een datum na vandaag."
            )
        if (
            data.get("progress")
            and data["progress"] != Progress.FULLY
            and not stop
            and nxt is None
            and not self.errors
        ):
            self.add_error(
                "next_review_on",
                "Het doel is nog niet helemaal bereikt: kies wanneer u weer evalueert.",
            )
        return data


class AgreementForm(forms.Form):
    form_token = formtokens.token_field()
    guardian = forms.TypedChoiceField(
        label="Wie gaf akkoord?",
        coerce=int,
        error_messages={"required": "Kies de ouder of verzorger."},
    )
    agreed_on = forms.DateField(
        label="Datum",
        widget=DateInput(),
        error_messages={"required": "Vul de datum in.", **DATE_ERRORS},
    )
    note = TextField(
        label="Toelichting",
        required=False,
        max_length=300,
        help_text="Bijvoorbeeld: besproken in het gesprek op school.",
    )

    def __init__(self, *args: Any, guardians: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guardians = {g.pk: g for g in guardians}
        set_choices(self, "guardian", [("", "Kies")] + [(g.pk, g.full_name) for g in guardians])

    def clean_agreed_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["agreed_on"]
        reason = daterange.out_of_range(
            day,
            earliest=recorded_since(),
            latest=timezone.localdate(),
            too_late="De datum kan niet in de toekomst liggen.",
        )
        if reason:
            raise forms.ValidationError(reason)
        return day
