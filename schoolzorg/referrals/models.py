"""Referral to the neighbourhood team (toeleiding), its timeline, service norms and escalations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from schoolzorg.referrals.workflow import (
    ASSIGNED_STATES,
    DUE_FIELD_BY_STEP,
    OPEN_STATES,
    STEP_BY_STATE,
    UNDER_WAY_STATES,
    State,
    Step,
    urgency_norm,
)
from schoolzorg.referrals.workflow import (
    Urgency as Urgency,  # the document's field; its norms live with the workflow
)


class ReportingCodeStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Niet van toepassing: geen signalen van onveiligheid"
    IN_PROGRESS = "in_progress", "Stappen van de meldcode worden doorlopen"
    CONSULTED = "consulted", "Veilig Thuis is geraadpleegd"
    REPORTED = "reported", "Er is een melding gedaan bij Veilig Thuis"


class EscalationReason(models.TextChoices):
    NO_RESPONSE = "no_response", "Geen reactie"
    NO_FITTING_HELP = "no_fitting_help", "Geen passende hulp"
    WAITING_LIST = "waiting_list", "Wachtlijst"
    DISAGREEMENT = "disagreement", "Verschil van inzicht"


class EscalationLevel(models.IntegerChoices):
    ASSIGNEE = 1, "1. Herinnering aan de behandelaar of de contactpersoon"
    CONTACT = 2, "2. Contactpersoon van het wijkteam voor de school"
    TEAM_LEADER = 3, "3. Teamleider wijkteam"
    MUNICIPALITY = 4, "4. Gemeente en Servicepunt SMW"


class ServiceNorm(models.Model):
    """Service norms and the escalation ladder of a municipality (or the default when none).

    Every deadline counts school working days (public and school holidays of the school's region
    excluded) from the day the referral was submitted, so a late step does not move the promise
    to the family. Escalation level N fires when `level_N_after_days` school days have passed since
    the step's due date; level 1 on the first school day after it. A referral's urgency shortens
    these and may count other days (`workflow.URGENCY_NORMS`).
    """

    municipality = models.OneToOneField(
        "organisations.Municipality",
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="referral_norm",
    )
    acknowledge_days = models.PositiveSmallIntegerField("ontvangst bevestigen binnen", default=2)
    plan_handover_days = models.PositiveSmallIntegerField("overdracht plannen binnen", default=5)
    hold_handover_days = models.PositiveSmallIntegerField("overdracht houden binnen", default=10)
    first_contact_days = models.PositiveSmallIntegerField("eerste contact binnen", default=15)
    level_1_after_days = models.PositiveSmallIntegerField("niveau 1 na", default=1)
    level_2_after_days = models.PositiveSmallIntegerField("niveau 2 na", default=3)
    level_3_after_days = models.PositiveSmallIntegerField("niveau 3 na", default=5)
    level_4_after_days = models.PositiveSmallIntegerField("niveau 4 na", default=10)

    class Meta:
        verbose_name = "servicenorm toeleiding"
        verbose_name_plural = "servicenormen toeleiding"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                name="one_referral_norm_per_municipality",
            ),
            models.CheckConstraint(
                condition=Q(level_1_after_days__lte=models.F("level_2_after_days"))
                & Q(level_2_after_days__lte=models.F("level_3_after_days"))
                & Q(level_3_after_days__lte=models.F("level_4_after_days")),
                name="referral_norm_ladder_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Servicenorm {self.municipality or 'standaard'}"

    @classmethod
    def for_municipality(cls, municipality_id: int | None) -> ServiceNorm:
        """The municipality's norm, else the default row, else the built-in defaults (unsaved)."""
        rows = {
            n.municipality_id: n
            for n in cls.objects.filter(
                Q(municipality_id=municipality_id) | Q(municipality__isnull=True)
            )
        }
        return rows.get(municipality_id) or rows.get(None) or cls()

    def days_for(self, step: str, urgency: str = "") -> int:
        """Days for the step; an urgency's maximum (`workflow.URGENCY_NORMS`) when shorter."""
        table: dict[str, int] = {
            Step.ACKNOWLEDGE: self.acknowledge_days,
            Step.PLAN_HANDOVER: self.plan_handover_days,
            Step.HOLD_HANDOVER: self.hold_handover_days,
            Step.FIRST_CONTACT: self.first_contact_days,
        }
        return min(table[step], urgency_norm(urgency).step_days.get(step, table[step]))

    def level_after_days(self, urgency: str = "") -> dict[int, int]:
        """Days after the due date per rung; an urgency's maximum when shorter."""
        ladder = {
            1: self.level_1_after_days,
            2: self.level_2_after_days,
            3: self.level_3_after_days,
            4: self.level_4_after_days,
        }
        at_most = urgency_norm(urgency).ladder_days
        if at_most is None:
            return ladder
        return {level: min(days, at_most[level - 1]) for level, days in ladder.items()}


class ReferralQuerySet(models.QuerySet["Referral"]):
    def taken_on(self, pupil_ids: Any) -> ReferralQuerySet:
        """Referrals about these pupils that a named worker has taken on and still works on
        (acknowledged, under way or accepted), with that worker."""
        return self.filter(
            pupil_id__in=pupil_ids,
            state__in=[*ASSIGNED_STATES, State.ACCEPTED],
            assignee__is_active=True,
        ).select_related("assignee")

    def visible_to(self, user: Any) -> ReferralQuerySet:
        from schoolzorg.referrals.access import referral_visibility_q

        q = referral_visibility_q(user)
        return self.filter(q) if q is not None else self.none()

    def open(self) -> ReferralQuerySet:
        return self.filter(is_open_q())

    def under_way(self) -> ReferralQuerySet:
        """Not ended: a draft, sent, returned, in progress or accepted (`UNDER_WAY_STATES`)."""
        return self.filter(state__in=UNDER_WAY_STATES)

    def overdue(self, today: dt.date) -> ReferralQuerySet:
        return self.filter(overdue_q(today))

    def for_team(self, team_ids: set[int]) -> ReferralQuerySet:
        return self.filter(for_team_q(team_ids))


# The same conditions as Q objects, for counting several of them in one query.
def is_open_q() -> Q:
    return Q(state__in=OPEN_STATES)


def overdue_q(today: dt.date) -> Q:
    """The current step's deadline has passed."""
    q = Q()
    for state, step in STEP_BY_STATE.items():
        q |= Q(state=state, **{f"{DUE_FIELD_BY_STEP[step]}__lt": today})
    return q


def waiting_on_school_q() -> Q:
    """The step "plan the warm handover" is noted as waiting on the school's consent (set at
    acknowledgement and by the sweep: `services.run_handover_consent_checks`)."""
    return Q(state=State.ACKNOWLEDGED, handover_consent_wait_from__isnull=False)


def team_overdue_q(today: dt.date) -> Q:
    """Past a deadline and the team's turn: a step that waits on the school is not the team's
    delay (its deadlines move on when the consent comes), so the team's lists leave it out."""
    return overdue_q(today) & ~waiting_on_school_q()


def for_team_q(team_ids: set[int]) -> Q:
    """Submitted to one of these teams (a draft never reaches a team)."""
    return Q(team_id__in=team_ids) & ~Q(submitted_at__isnull=True)


# The school's outgoing list by view (`?weergave=`), first the menu's: the list shows what each
# count of "Mijn werk" counts, and both filter with `outgoing_q`.
OUTGOING_VIEWS = {
    "alle": "Alle toeleidingen",
    "lopend": "Lopend bij het wijkteam",
    "te-laat": "Termijn verlopen",
    "concepten": "Concepten en teruggestuurd",
}


def outgoing_q(view: str, school_ids: set[int], today: dt.date) -> Q:
    """The referrals of these schools in one view of their outgoing list (`OUTGOING_VIEWS`):
    with the team (open), of those the ones past a deadline, the drafts and those returned to
    the school, or all of them."""
    q = Q(school_id__in=school_ids)
    if view == "lopend":
        return q & is_open_q()
    if view == "te-laat":
        return q & is_open_q() & overdue_q(today)
    if view == "concepten":
        return q & Q(state__in=[State.DRAFT, State.RETURNED])
    return q


class Referral(models.Model):
    """A referral document from the school to the neighbourhood team where the pupil lives."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="referrals")
    school = models.ForeignKey(
        "organisations.School", on_delete=models.PROTECT, related_name="referrals"
    )
    team = models.ForeignKey(
        "organisations.NeighbourhoodTeam",
        verbose_name="wijkteam",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # How the team was chosen: the route from postcode to team, or the override and its reason.
    routing_note = models.CharField("route", max_length=300, blank=True)
    is_routing_overridden = models.BooleanField(default=False)
    override_reason = models.TextField("reden andere keuze", blank=True)
    lives_outside_school_municipality = models.BooleanField(default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The school social worker who prepares the referral and stays involved until first contact.
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="schoolmaatschappelijk werker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="wijkteammedewerker",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_referrals",
    )

    # The document.
    help_question = models.TextField("hulpvraag in de woorden van het gezin", blank=True)
    strengths = models.TextField("wat gaat goed (krachten)", blank=True)
    concerns = models.TextField("zorgen", blank=True)
    already_tried = models.TextField("wat is al geprobeerd", blank=True)
    severity_summary = models.TextField("ernsttaxatie: conclusie", blank=True)
    severity_assessment_id = models.BigIntegerField(null=True, blank=True)
    child_safety_summary = models.TextField("veiligheid (LIRIK): conclusie", blank=True)
    child_safety_assessment_id = models.BigIntegerField(null=True, blank=True)
    reporting_code_status = models.CharField(
        "meldcode", max_length=20, choices=ReportingCodeStatus.choices, blank=True
    )
    consent_scope = models.TextField("wat mag het wijkteam weten (toestemming)", blank=True)
    urgency = models.CharField("urgentie", max_length=10, choices=Urgency.choices, blank=True)
    proposed_handover = models.TextField("voorstel warme overdracht", blank=True)

    # Workflow facts.
    round = models.PositiveSmallIntegerField(default=0, help_text="Hoe vaak verstuurd.")
    # Counts every escalation raised (by hand or by the sweep); an escalation by hand compares
    # it with what the school's screen showed, so a double click climbs one rung only.
    escalation_count = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)
    handover_planned_on = models.DateField(null=True, blank=True)
    handover_on = models.DateField("datum warme overdracht", null=True, blank=True)
    handover_place = models.CharField("plaats", max_length=200, blank=True)
    handover_participants = models.TextField("deelnemers", blank=True)
    parents_invited = models.BooleanField("ouders uitgenodigd", default=False)
    handover_held_on = models.DateField(null=True, blank=True)
    first_contact_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    return_reasons = models.TextField("wat ontbreekt", blank=True)
    decline_advice = models.TextField("advies", blank=True)
    withdraw_reason = models.TextField("reden intrekken", blank=True)
    closing_feedback = models.TextField("terugkoppeling aan de school", blank=True)
    # The first day without a consent or legal basis to share with the team, once the team was
    # told (`services.note_share_basis_ended`); cleared when a ground is in force again. Access
    # never reads it: the rule asks the consent ledger on every request (`sharing`).
    share_basis_ended_on = models.DateField("grond om te delen vervallen op", null=True, blank=True)
    # The day the pupil moved to a home whose route gives another team than this referral's,
    # recorded after the route was fixed (sent, or chosen by hand): the page says so while the
    # route still differs (`services.moved_elsewhere`). A send clears it: it was sent knowing.
    pupil_moved_on = models.DateField("leerling verhuisd op", null=True, blank=True)
    # The first day the acknowledged referral waited on the school for a consent for the warm
    # handover (`services.waits_on_school`): the team cannot plan it, so the sweep reminds
    # the school instead of escalating the team, and once the consent is there the team's
    # deadlines move on by the days waited (`services.end_handover_consent_wait`), which clears it.
    handover_consent_wait_from = models.DateField(
        "wacht op toestemming warme overdracht sinds", null=True, blank=True
    )
    # The start page's token (`lib.formtokens`): the same form sent twice makes one draft.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    acknowledge_due_on = models.DateField(null=True, blank=True)
    plan_due_on = models.DateField(null=True, blank=True)
    handover_due_on = models.DateField(null=True, blank=True)
    first_contact_due_on = models.DateField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "toeleiding"
        verbose_name_plural = "toeleidingen"
        indexes = [
            models.Index(fields=["team", "state"]),
            models.Index(fields=["school", "state"]),
            models.Index(fields=["pupil", "state"]),
        ]

    def __str__(self) -> str:
        return f"Toeleiding {self.pk}"

    @property
    def current_step(self) -> str | None:
        return STEP_BY_STATE.get(self.state)

    @property
    def current_due_on(self) -> dt.date | None:
        step = self.current_step
        return getattr(self, DUE_FIELD_BY_STEP[step]) if step else None

    def is_overdue(self, today: dt.date) -> bool:
        due = self.current_due_on
        return due is not None and due < today

    @property
    def social_worker_involved(self) -> bool:
        from schoolzorg.referrals.workflow import SOCIAL_WORKER_STATES

        return self.state in SOCIAL_WORKER_STATES

    def deadlines(self) -> list[tuple[str, dt.date | None, dt.date | None]]:
        """(step label, due date, date done) for every step with a norm."""
        return [
            (Step.ACKNOWLEDGE.label, self.acknowledge_due_on, self.acknowledged_on),
            (Step.PLAN_HANDOVER.label, self.plan_due_on, self.handover_planned_on),
            (Step.HOLD_HANDOVER.label, self.handover_due_on, self.handover_held_on),
            (Step.FIRST_CONTACT.label, self.first_contact_due_on, self.first_contact_on),
        ]


class ReferralEvent(models.Model):
    """One line on the referral's timeline."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "gebeurtenis toeleiding"
        verbose_name_plural = "gebeurtenissen toeleiding"


class Escalation(models.Model):
    """One rung of the escalation ladder reached for a step of one submission round.

    Automatic escalations are unique per (referral, round, step, level): two sweeps running at
    once insert the same row, and the database lets exactly one of them win. A resubmitted
    referral (next round) starts the ladder again. Escalations by hand have no such row limit
    (the top rung can be called again); the service compares `Referral.escalation_count` with
    the school's screen, so one click climbs one rung.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="escalations")
    round = models.PositiveSmallIntegerField(default=1)
    step = models.CharField(max_length=20, choices=Step.choices)
    level = models.PositiveSmallIntegerField(choices=EscalationLevel.choices)
    reason = models.CharField(max_length=20, choices=EscalationReason.choices)
    note = models.TextField(blank=True)
    is_manual = models.BooleanField(default=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    notified = models.TextField("wie kreeg bericht", blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        verbose_name = "escalatie"
        verbose_name_plural = "escalaties"
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "round", "step", "level"],
                condition=Q(is_manual=False),
                name="one_automatic_escalation_per_level",
            )
        ]
