"""Input shapes for the referral document and each move."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from schoolzorg.accounts.models import Membership
from schoolzorg.lib import formtokens
from schoolzorg.lib.forms import DateInput, ModelChoiceField, TextField
from schoolzorg.organisations.models import NeighbourhoodTeam
from schoolzorg.referrals.access import TEAM_ROLES
from schoolzorg.referrals.models import EscalationReason, Referral
from schoolzorg.referrals.neighbours import finished_assessments
from schoolzorg.referrals.services import Seen, fingerprint
from schoolzorg.referrals.workflow import DayCount, State

# Strengths and concerns of a new draft come from the integral plan and, for the concerns, the
# open cases (`services.create_referral`); each part is labelled "(uit het integraal plan)" or
# "(uit casus N)". The help says so only where such a part is there.
PREFILL_MARKS = ("(uit het integraal plan)", "(uit casus ")
FROM_PLAN_HELP = "Ingevuld uit het integraal plan en de open casussen; pas aan waar nodig."
OWN_HELP = {
    "strengths": "Wat gaat goed bij het kind en het gezin? Wat kunnen zij zelf?",
    "concerns": "Wat zijn de zorgen over het kind en het gezin?",
}

# The longest text of a section of the document (a page or two) and of a move's reason, advice
# or participants (a few sentences, as the consent ledger's texts). The model's TextFields have
# no limit: the forms hold it, so a pasted book is refused at the field, not stored and shown.
SECTION_MAX = 5000
REASON_MAX = 2000
TOO_LONG = {
    "max_length": "Deze tekst is te lang. Schrijf hooguit %(limit_value)d tekens "
    "(nu %(show_value)d)."
}

# A hidden value that is missing or mangled: the page is older than the form it sends.
STALE_PAGE = "Deze pagina is verouderd. Laad de pagina opnieuw en probeer het nog eens."
_STALE_PAGE = dict.fromkeys(
    ["required", "invalid", "invalid_choice", "min_value", "max_value"], STALE_PAGE
)


class SeenStateForm(forms.Form):
    """Carries the state and submission round the user's screen showed, for the compare-and-set.

    The round tells a screen of an earlier submission from the current one in the same state.
    """

    seen_state = forms.ChoiceField(
        choices=State.choices, widget=forms.HiddenInput, error_messages=_STALE_PAGE
    )
    seen_round = forms.IntegerField(
        min_value=0, max_value=32767, widget=forms.HiddenInput, error_messages=_STALE_PAGE
    )

    @staticmethod
    def seen(referral: Referral) -> dict[str, Any]:
        """The initial hidden values for a screen of the referral as it is now."""
        return {"seen_state": referral.state, "seen_round": referral.round}

    def apply_seen(self, referral: Referral) -> None:
        """Put what the screen showed on the referral, for the service's compare-and-set."""
        referral.state = self.cleaned_data["seen_state"]
        referral.round = self.cleaned_data["seen_round"]


class StartForm(forms.Form):
    """ "Concept maken": only the token, so the same form sent twice makes one draft."""

    form_token = formtokens.token_field()


def _section_field(db_field: Any, **kwargs: Any) -> forms.Field | None:
    """A section of the document: its model field's form field, at most `SECTION_MAX` long."""
    if isinstance(db_field, models.TextField):
        kwargs = {"max_length": SECTION_MAX, "error_messages": TOO_LONG, **kwargs}
    field: forms.Field | None = db_field.formfield(**kwargs)
    return field


def _assessment_choices(pupil: Any, code: str, user: Any) -> list[tuple[str, str]]:
    return [("", "Geen (conclusie hieronder in woorden)"), *finished_assessments(pupil, code, user)]


class ReferralDocumentForm(forms.ModelForm):  # type: ignore[type-arg]
    """Every section is optional while typing; `missing_parts` says what is needed to send."""

    severity_assessment_id = forms.TypedChoiceField(
        label="Afgeronde ernsttaxatie", required=False, coerce=int, empty_value=None
    )
    child_safety_assessment_id = forms.TypedChoiceField(
        label="Afgeronde veiligheidsinschatting (LIRIK)",
        required=False,
        coerce=int,
        empty_value=None,
    )

    class Meta:
        model = Referral
        formfield_callback = _section_field
        fields = [
            "help_question",
            "strengths",
            "concerns",
            "already_tried",
            "severity_assessment_id",
            "severity_summary",
            "child_safety_assessment_id",
            "child_safety_summary",
            "reporting_code_status",
            "consent_scope",
            "urgency",
            "proposed_handover",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 4})
            for f in [
                "help_question",
                "strengths",
                "concerns",
                "already_tried",
                "severity_summary",
                "child_safety_summary",
                "consent_scope",
                "proposed_handover",
            ]
        }
        help_texts = {
            "help_question": "Schrijf op wat het gezin zelf vraagt, zo veel mogelijk in hun woorden.",
            "already_tried": "Ingevuld uit het plan en de registratie van het SMW; vul aan waar nodig.",
            "consent_scope": "Welke gegevens mogen met het wijkteam worden gedeeld? Bij een "
            "nieuw concept staat hier wat de toestemming daarover zegt; pas aan waar nodig.",
            "proposed_handover": "Wanneer, waar en met wie? Liefst met het gezin erbij.",
        }

    def __init__(self, *args: Any, user: Any, show_safety: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.show_safety = user, show_safety
        for name in self.OPTIONAL:
            self.fields[name].required = False
        for name, own in OWN_HELP.items():
            text = getattr(self.instance, name) or ""
            prefilled = any(mark in text for mark in PREFILL_MARKS)
            self.fields[name].help_text = FROM_PLAN_HELP if prefilled else own
        pupil = self.instance.pupil
        self.fields["severity_assessment_id"].choices = _assessment_choices(  # type: ignore[attr-defined]
            pupil, "severity", user
        )
        if show_safety:
            self.fields["child_safety_assessment_id"].choices = _assessment_choices(  # type: ignore[attr-defined]
                pupil, "child_safety", user
            )
        else:
            for name in ["child_safety_assessment_id", "child_safety_summary"]:
                del self.fields[name]
        # Per section, what the screen was drawn with and what it showed beside it after a
        # conflict (`services.Seen`), as fingerprints: a save writes only what the user changed,
        # and never over a text the user has not seen.
        self.sections = [name for name in self.Meta.fields if name in self.fields]
        for name in self.sections:
            for token in (f"base_{name}", f"shown_{name}"):
                self.fields[token] = forms.CharField(required=False, widget=forms.HiddenInput)
            self.initial.setdefault(f"base_{name}", fingerprint(getattr(self.instance, name)))

    def sent(self) -> dict[str, Any]:
        """The sections the request carried, cleaned (an autosave may send only some)."""
        return {k: self.cleaned_data[k] for k in self.sections if k in self.data}

    def seen(self, *, with_shown: bool) -> dict[str, Seen]:
        """What the screen showed per section; `with_shown` for a save the user chose by a
        button (an autosave never replaces a text the page showed beside the user's own)."""
        data = self.cleaned_data
        return {
            name: Seen(
                (data.get(f"base_{name}") or "")[:64],
                (data.get(f"shown_{name}") or "")[:64] if with_shown else "",
            )
            for name in self.sections
        }

    def showing(self) -> dict[str, set[str]]:
        """Per section, the fingerprints of the texts the screen shows: the field, and what the
        page showed beside it."""
        data = self.cleaned_data
        return {
            name: {fingerprint(data.get(name)), (data.get(f"shown_{name}") or "")[:64]} - {""}
            for name in self.sections
        }

    # Sections are needed to send, not to save: labels show no "(niet verplicht)", yet a draft
    # with empty sections saves, and `missing_parts` lists what is still needed.
    use_required_attribute = False
    OPTIONAL = frozenset({"severity_assessment_id", "child_safety_assessment_id"})

    def full_clean(self) -> None:
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()
        finally:
            for name, field in self.fields.items():
                field.required = name in self.sections and name not in self.OPTIONAL

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in ["severity_assessment_id", "child_safety_assessment_id"]:
            if key in self.fields:
                valid = {c for c, _ in self.fields[key].choices}  # type: ignore[attr-defined]
                if data.get(key) is not None and str(data[key]) not in valid:
                    self.add_error(key, "Kies een afgeronde inschatting uit de lijst.")
        return data


class ChooseTeamForm(SeenStateForm):
    team = ModelChoiceField(
        label="Wijkteam",
        queryset=NeighbourhoodTeam.objects.order_by("name"),
        error_messages={
            "required": "Kies een wijkteam.",
            "invalid_choice": "Kies een wijkteam uit de lijst.",
        },
    )
    reason = TextField(
        label="Waarom dit wijkteam?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={"required": "Schrijf op waarom u een ander wijkteam kiest.", **TOO_LONG},
    )


class WorkerChoiceField(ModelChoiceField):
    """A worker of the team by name, the signed-in user's own marked "(u)" (`me`): two
    colleagues of one first name are easily mixed up, and the one chosen gets the message."""

    me: int | None = None

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} (u)" if obj.pk == self.me else str(obj)


class AcknowledgeForm(SeenStateForm):
    """The team confirms receipt and names the worker. The signed-in user usually takes the
    referral: their name is chosen already when they are in the list (`CHOOSES_SELF`)."""

    CHOOSES_SELF = True

    worker = WorkerChoiceField(
        label="Behandelaar",
        queryset=Membership.objects.none(),
        error_messages={
            "required": "Kies een behandelaar.",
            "invalid_choice": "Kies een behandelaar uit de lijst.",
        },
    )

    def __init__(self, *args: Any, referral: Referral, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from schoolzorg.accounts.models import User

        worker = self.fields["worker"]
        assert isinstance(worker, WorkerChoiceField)
        worker.help_text = "Kiest u een collega? Die krijgt hiervan bericht."
        worker.queryset = (
            User.objects.filter(
                memberships__in=Membership.objects.active().filter(
                    organisation_id=referral.team_id or 0, role__in=TEAM_ROLES
                )
            )
            .distinct()
            .order_by("full_name")
        )
        worker.me = user.pk
        if (
            self.CHOOSES_SELF
            and not self.is_bound
            and "worker" not in self.initial
            and worker.queryset.filter(pk=user.pk).exists()
        ):
            self.initial["worker"] = user.pk


class ReassignForm(AcknowledgeForm):
    """Another worker of the team takes the referral over.

    Carries the worker the screen named (`seen_worker`, 0 for nobody) besides the state and
    round: a colleague may have handed the referral on meanwhile, and choosing a worker is a
    choice about the one the screen showed. Nobody is chosen beforehand: handing over is
    choosing a colleague.
    """

    CHOOSES_SELF = False

    seen_worker = forms.IntegerField(
        min_value=0, max_value=2**63 - 1, widget=forms.HiddenInput, error_messages=_STALE_PAGE
    )

    def __init__(self, *args: Any, referral: Referral, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, referral=referral, user=user, **kwargs)
        self.fields["worker"].label = "Nieuwe behandelaar"
        self.fields["worker"].help_text = "De nieuwe behandelaar krijgt hiervan bericht."

    @staticmethod
    def seen(referral: Referral) -> dict[str, Any]:
        return {**SeenStateForm.seen(referral), "seen_worker": referral.assignee_id or 0}

    def apply_seen(self, referral: Referral) -> None:
        super().apply_seen(referral)
        referral.assignee_id = self.cleaned_data["seen_worker"] or None


class PlanHandoverForm(SeenStateForm):
    on = forms.DateField(
        label="Datum",
        widget=DateInput(),
        error_messages={"required": "Vul de datum van de warme overdracht in."},
    )
    place = TextField(
        label="Plaats",
        max_length=200,
        error_messages={"required": "Vul in waar de warme overdracht is."},
    )
    participants = TextField(
        label="Wie doen er mee?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        error_messages={"required": "Vul in wie er meedoen.", **TOO_LONG},
    )
    parents_invited = forms.BooleanField(
        label="De ouders zijn uitgenodigd",
        required=False,
        help_text="Een warme overdracht is liefst met het gezin erbij: nodig de ouders uit, en "
        "de leerling als dat past.",
    )

    # Which days the handover may be on follows the referral's urgency (`workflow.DayCount`).
    DAYS_HELP = {
        DayCount.SCHOOL: "Kies een dag waarop de school open is.",
        DayCount.WORKING: "Kies een werkdag; dat mag ook in een schoolvakantie.",
        DayCount.CALENDAR: "Elke dag kan, ook in het weekend of een vakantie.",
    }

    def __init__(
        self,
        *args: Any,
        due_on: dt.date | None = None,
        counts: str = DayCount.SCHOOL,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        help_text = self.DAYS_HELP[DayCount(counts)]
        if due_on is not None and due_on < timezone.localdate():
            help_text += (
                " De warme overdracht moest uiterlijk "
                f"{date_format(due_on, 'l j F Y')} gehouden worden (de termijn); die is voorbij, "
                "dus de toeleiding wordt geëscaleerd tot de overdracht gehouden is."
            )
        elif due_on is not None:
            help_text += (
                " De warme overdracht moet uiterlijk "
                f"{date_format(due_on, 'l j F Y')} gehouden worden (de termijn). Later kan "
                "ook, maar dan wordt de toeleiding geëscaleerd."
            )
        self.fields["on"].help_text = help_text


class HoldHandoverForm(SeenStateForm):
    held_on = forms.DateField(
        label="Gehouden op",
        widget=DateInput(),
        error_messages={"required": "Vul de dag in waarop de warme overdracht is gehouden."},
    )

    def __init__(
        self,
        *args: Any,
        planned_on: dt.date | None = None,
        today: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if planned_on is not None and today is not None and planned_on > today:
            # The field then holds a day before it (or nothing, `services.likely_hold_day`):
            # say so, so an early date is chosen on purpose.
            self.fields["held_on"].help_text = (
                f"Gepland op {date_format(planned_on, 'l j F Y')}. Was de overdracht eerder, "
                "vul dan de dag in waarop ze gehouden is."
            )
        elif planned_on is not None:
            self.fields["held_on"].help_text = f"Gepland op {date_format(planned_on, 'l j F Y')}."


class FirstContactForm(SeenStateForm):
    on = forms.DateField(
        label="Datum eerste contact",
        widget=DateInput(),
        error_messages={"required": "Vul de datum van het eerste contact met het gezin in."},
    )


class ReturnForm(SeenStateForm):
    reasons = TextField(
        label="Wat ontbreekt er?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={"required": "Vul in wat er ontbreekt.", **TOO_LONG},
    )


class DeclineForm(SeenStateForm):
    advice = TextField(
        label="Advies: waar kan het gezin wel terecht?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={"required": "Vul in waar het gezin wel terecht kan.", **TOO_LONG},
    )


class WithdrawForm(SeenStateForm):
    reason = TextField(
        label="Waarom intrekken?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={"required": "Vul in waarom u de toeleiding intrekt.", **TOO_LONG},
    )


class CloseForm(SeenStateForm):
    feedback = TextField(
        label="Terugkoppeling aan de school",
        help_text="Alleen wat de toestemming van het gezin toelaat.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={"required": "Vul de terugkoppeling aan de school in.", **TOO_LONG},
    )


class EscalateForm(SeenStateForm):
    reason = forms.ChoiceField(
        label="Reden",
        choices=[("", "Kies een reden"), *list(EscalationReason.choices)],
        error_messages={
            "required": "Kies een reden.",
            "invalid_choice": "Kies een reden uit de lijst.",
        },
    )
    note = TextField(
        label="Toelichting",
        # Who reads it follows `policies.escalation_note`.
        help_text="Deze toelichting lezen alleen de school en het wijkteam (zolang het wijkteam "
        "het document mag lezen); het servicepunt en het samenwerkingsverband zien alleen de "
        "reden.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        error_messages={"required": "Schrijf in een paar woorden wat er niet lukt.", **TOO_LONG},
    )
    seen_escalation_count = forms.IntegerField(
        min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput, error_messages=_STALE_PAGE
    )

    @staticmethod
    def seen(referral: Referral) -> dict[str, Any]:
        return {**SeenStateForm.seen(referral), "seen_escalation_count": referral.escalation_count}

    def apply_seen(self, referral: Referral) -> None:
        super().apply_seen(referral)
        referral.escalation_count = self.cleaned_data["seen_escalation_count"]
