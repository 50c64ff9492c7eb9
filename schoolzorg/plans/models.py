"""The integral plan: one family, one plan (één gezin, één plan), with a part per child.

Content follows handelingsgericht werken: strengths first, then concerns and support needs, what
the family and its network do themselves, SMART goals, actions per domain with an owner and a due
date, and reviews per goal. Every save writes a version snapshot; edits use optimistic locking on
`IntegralPlan.version` so that two people editing at once never overwrite each other silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from schoolzorg.lib.dates import numeric
from schoolzorg.pupils.models import Pupil


class IntegralPlanQuerySet(models.QuerySet["IntegralPlan"]):
    def visible_to(self, user: Any) -> IntegralPlanQuerySet:
        """Plans with at least one child whose full file the user may see."""
        full = Pupil.objects.visible_to(user, full_only=True)
        return self.filter(pk__in=PlanPart.objects.filter(pupil__in=full).values("plan_id"))


class IntegralPlan(models.Model):
    family = models.OneToOneField(
        "pupils.Family", on_delete=models.PROTECT, related_name="integral_plan"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="regisseur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_plans",
    )
    strengths = models.TextField(
        "wat gaat goed in het gezin",
        blank=True,
        help_text="Sterke kanten en wat werkt. Begin hiermee.",
    )
    concerns = models.TextField("belangrijkste zorgen", blank=True)
    own_contribution = models.TextField(
        "wat doen het gezin en hun netwerk zelf",
        blank=True,
        help_text="Bijvoorbeeld: oma haalt twee keer per week op, vader gaat naar de opvoedcursus.",
    )
    # Optimistic lock: every write raises the number; an edit form carries the number it saw.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = IntegralPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "integraal plan"
        verbose_name_plural = "integrale plannen"

    def __str__(self) -> str:
        return f"Plan gezin {self.family.name}"

    def latest_agreements(self) -> list[PlanAgreement]:
        """The latest agreement of each parent (`latest_of_each`); uses a prefetch if there is
        one."""
        return latest_of_each(self.agreements.all(), self.version)


class PlanAgreement(models.Model):
    """A parent's agreement with the plan as it stood then: one row each time a parent agrees.

    The family owns the plan: each parent with authority agrees on their own day, and a parent
    may agree again to a newer version; every agreement is kept with the version it was for.
    """

    plan = models.ForeignKey(IntegralPlan, on_delete=models.CASCADE, related_name="agreements")
    guardian = models.ForeignKey(
        "pupils.Guardian",
        verbose_name="ouder of verzorger",
        on_delete=models.PROTECT,
        related_name="plan_agreements",
    )
    agreed_on = models.DateField("akkoord gegeven op")
    # The version the recording made: recording changes no text, so it is the version agreed to.
    plan_version = models.PositiveIntegerField("versie van het plan")
    note = models.CharField("toelichting", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # One token per rendered agreement form: the same form sent again is recorded once.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    # Set by `latest_of_each`: False when the plan's text changed after this agreement.
    is_current = True

    class Meta:
        ordering = ["plan_version", "pk"]
        verbose_name = "akkoord van een ouder"
        verbose_name_plural = "akkoorden van ouders"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "plan_version"], name="one_agreement_per_plan_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guardian} op {numeric(self.agreed_on)}"


def latest_of_each(agreements: Iterable[PlanAgreement], version: int) -> list[PlanAgreement]:
    """The latest agreement of each parent, by name, each marked `is_current` when the plan's
    text did not change after it (at plan version `version`).

    Recording an agreement adds a version without changing the text, so the second parent's
    agreement does not make the first one's out of date; any other new version does.
    """
    rows = sorted(agreements, key=lambda a: (a.plan_version, a.pk))
    recorded = {a.plan_version for a in rows}
    last_change = version
    while last_change in recorded:
        last_change -= 1
    latest = {a.guardian_id: a for a in rows}
    for agreement in latest.values():
        agreement.is_current = agreement.plan_version >= last_change
    return sorted(latest.values(), key=lambda a: (str(a.guardian), a.pk))


def agreements_text(agreements: Iterable[PlanAgreement]) -> str:
    """'Ilona Soekhai op 5-12-2026, Joost Soekhai op 4-12-2026'"""
    return ", ".join(str(a) for a in agreements)


class PlanPart(models.Model):
    """The part of the family plan about one child: the child's own support needs and goals."""

    plan = models.ForeignKey(IntegralPlan, on_delete=models.CASCADE, related_name="parts")
    pupil = models.OneToOneField("pupils.Pupil", on_delete=models.PROTECT, related_name="plan_part")
    strengths = models.TextField("wat gaat goed bij dit kind", blank=True)
    concerns = models.TextField("zorgen", blank=True)
    support_needs = models.TextField(
        "ondersteuningsbehoefte",
        blank=True,
        help_text="Wat heeft dit kind nodig? Bijvoorbeeld: 'een vaste plek en vaste tijden'.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pupil__date_of_birth", "pk"]
        verbose_name = "deel van het plan"
        verbose_name_plural = "delen van het plan"

    def __str__(self) -> str:
        return f"Plan voor {self.pupil}"


class GoalStatus(models.TextChoices):
    OPEN = "open", "Loopt"
    REACHED = "reached", "Bereikt"
    STOPPED = "stopped", "Gestopt"


class GoalQuerySet(models.QuerySet["Goal"]):
    def visible_to(self, user: Any) -> GoalQuerySet:
        return self.filter(part__pupil__in=Pupil.objects.visible_to(user, full_only=True))

    def open(self) -> GoalQuerySet:
        return self.filter(status=GoalStatus.OPEN)

    def review_due(self, on: dt.date) -> GoalQuerySet:
        return self.open().filter(review_on__lte=on)


class Goal(models.Model):
    """A SMART goal: owner, measurable criterion, target date, review date."""

    part = models.ForeignKey(PlanPart, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField("doel")
    criterion = models.TextField(
        "hoe meten we het",
        blank=True,
        help_text="Bijvoorbeeld: 'is 4 van de 5 dagen op tijd op school'.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="eigenaar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_goals",
    )
    owner_name = models.CharField(
        "eigenaar (gezin of netwerk)",
        max_length=200,
        blank=True,
        help_text="Als het gezin of iemand uit het netwerk eigenaar is: de naam.",
    )
    target_on = models.DateField("uiterlijk bereikt op", null=True, blank=True)
    review_on = models.DateField("evalueren op", null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN, db_index=True
    )
    # One token per rendered goal form: a resent form (back button, double click) finds the
    # first goal instead of putting the same goal in the plan twice.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "doel"
        verbose_name_plural = "doelen"

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name

    @property
    def is_open(self) -> bool:
        return self.status == GoalStatus.OPEN

    @property
    def stop_review(self) -> Review | None:
        """The evaluation that stopped the goal (from the prefetched reviews, if any)."""
        if self.status != GoalStatus.STOPPED:
            return None
        return next((r for r in self.reviews.all() if r.stop_reason), None)


class Domain(models.TextChoices):
    """Who is to act on an action or a meeting decision; the screens call it "Wie is aan zet?"
    (`DOMAIN_LABEL`), with the person who does it in its own field ("Wie doet het?")."""

    SCHOOL = "school", "School"
    SCHOOL_SOCIAL_WORK = "school_social_work", "Schoolmaatschappelijk werk"
    NEIGHBOURHOOD_TEAM = "neighbourhood_team", "Wijkteam"
    FAMILY = "family", "Gezin"
    NETWORK = "network", "Netwerk (familie, buren, vrienden)"
    OTHER = "other", "Anders"


# One name for this field on every screen, in the timeline and on paper.
DOMAIN_LABEL = "Wie is aan zet?"
DOMAIN_HELP = (
    "School, schoolmaatschappelijk werk, wijkteam, gezin of netwerk. "
    "Bij 'Wie doet het?' kiest u de persoon."
)
DOMAIN_REQUIRED = "Kies wie aan zet is."
# Which days an action can be due on, by who is at turn (`plans.services.closed_due_day`).
DUE_ON_HELP = (
    "School of schoolmaatschappelijk werk aan zet: een dag waarop de school open is. "
    "Wijkteam: een werkdag. Gezin of netwerk: elke dag."
)


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Gepland"
    IN_PROGRESS = "in_progress", "Bezig"
    DONE = "done", "Gedaan"
    CANCELLED = "cancelled", "Vervallen"


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet["Action"]):
    def visible_to(self, user: Any) -> ActionQuerySet:
        return self.filter(part__pupil__in=Pupil.objects.visible_to(user, full_only=True))

    def open(self) -> ActionQuerySet:
        return self.filter(status__in=OPEN_ACTION_STATUSES)

    def overdue(self, on: dt.date) -> ActionQuerySet:
        return self.open().filter(due_on__lt=on)

    def owned_by(self, user: Any) -> ActionQuerySet:
        return self.filter(owner=user)

    def tried_for(self, pupil: Any) -> ActionQuerySet:
        """What was already tried for a pupil: actions done or under way (for referrals).

        A planned action has not been tried yet, and a cancelled one was never done."""
        return self.filter(
            part__pupil=pupil, status__in=(ActionStatus.DONE, ActionStatus.IN_PROGRESS)
        )


class Action(models.Model):
    """Who does what by when, in one domain (school, SMW, wijkteam, family, network)."""

    part = models.ForeignKey(PlanPart, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        Goal,
        verbose_name="hoort bij doel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    domain = models.CharField("aan zet", max_length=32, choices=Domain.choices)
    description = models.TextField("wat")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="wie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_actions",
    )
    owner_name = models.CharField(
        "wie (gezin of netwerk)",
        max_length=200,
        blank=True,
        help_text="Als iemand uit het gezin of netwerk het doet: de naam.",
    )
    due_on = models.DateField("klaar op")
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED, db_index=True
    )
    done_on = models.DateField(null=True, blank=True)
    # Where the action came from, e.g. a care meeting decision ("Overleg 12-03-2026").
    source = models.CharField("herkomst", max_length=200, blank=True)
    # One token per rendered action form: a resent form finds the first action (and sends no
    # second notification).
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "actie"
        verbose_name_plural = "acties"
        indexes = [models.Index(fields=["owner", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | ~Q(owner_name=""), name="action_has_owner"
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_label(self) -> str:
        return str(self.owner) if self.owner_id else self.owner_name

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due_on < (on or timezone.localdate())


class Progress(models.TextChoices):
    NOT_REACHED = "not_reached", "Niet bereikt"
    PARTLY = "partly", "Deels bereikt"
    FULLY = "fully", "Helemaal bereikt"


class Review(models.Model):
    """An evaluation of one goal: how far it is reached, and what the family and team say."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("datum evaluatie")
    progress = models.CharField("hoe ver is het doel", max_length=16, choices=Progress.choices)
    score = models.PositiveSmallIntegerField(
        "cijfer (1 tot 5)",
        null=True,
        blank=True,
        help_text="1 = veel slechter dan gehoopt, 5 = veel beter dan gehoopt.",
    )
    note = models.TextField("toelichting", blank=True)
    # Filled in when this evaluation stopped the goal: the goal's history says when and why.
    stop_reason = models.TextField("waarom gestopt", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # One token per rendered review form: the same evaluation sent again is recorded once, so
    # the goal's history that the family and the team read does not list it twice.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = "evaluatie"
        verbose_name_plural = "evaluaties"
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=1) & Q(score__lte=5)),
                name="review_score_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_progress_display()} ({numeric(self.reviewed_on)})"


class PlanVersionQuerySet(models.QuerySet["PlanVersion"]):
    def about(self, pupil_ids: Any) -> PlanVersionQuerySet:
        """Changes to the family's part of the plan and to the parts of these children: the
        summary of a change to another child's part names that child."""
        return self.filter(Q(pupil__isnull=True) | Q(pupil_id__in=pupil_ids))


class PlanVersion(models.Model):
    """A snapshot of the whole plan after one save: who, when, and what it said."""

    plan = models.ForeignKey(IntegralPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField("wat is er veranderd", max_length=300, blank=True)
    # The child whose part the change is about; empty for the family's part of the plan.
    pupil = models.ForeignKey(
        Pupil, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(default=dict)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = "versie"
        verbose_name_plural = "versies"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version")
        ]

    def __str__(self) -> str:
        return f"Versie {self.number}"
