"""Demo integral plans: HGW text, SMART goals, actions per domain (some overdue), reviews.

A plan is written some weeks ago (after its case was opened and after a care meeting's decision
that started it), evaluated two weeks ago and agreed to today: its versions, the lines on the
case and the notifications carry those days (`on_day`), not the seed's clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Max
from django.utils import timezone

from schoolzorg.accounts.models import Notification
from schoolzorg.accounts.roles import Role
from schoolzorg.cases.models import Case, CaseEvent
from schoolzorg.cases.workflow import CaseStatus
from schoolzorg.lib.storydates import Backdate, moment
from schoolzorg.plans import services
from schoolzorg.plans.models import (
    Action,
    ActionStatus,
    Domain,
    Goal,
    IntegralPlan,
    PlanPart,
    PlanVersion,
    Review,
)

FAMILY = {
    "strengths": "Ouders zijn betrokken en komen naar gesprekken. Oma woont dichtbij en helpt graag.",
    "concerns": "Spanningen thuis door geldzorgen; de ochtenden verlopen chaotisch.",
    "own_contribution": "Oma brengt de kinderen twee ochtenden per week. Moeder gaat naar de "
    "schuldhulp van de gemeente.",
}
# What a step in a plan writes, with the field that says when.
TIMELINES = (
    (PlanVersion, "created_at"),
    (PlanPart, "created_at"),
    (Goal, "created_at"),
    (Action, "created_at"),
    (Review, "created_at"),
    (CaseEvent, "at"),
    (Notification, "created_at"),
)
PART = {
    "strengths": "Vrolijk, sportief en behulpzaam in de klas.",
    "concerns": "Komt vaak te laat en is moe; concentratie neemt af.",
    "support_needs": "Een vaste ochtendroutine en een rustige plek in de klas.",
}


@contextmanager
def on_day(day: dt.date, hour: int, *, today: dt.date) -> Iterator[None]:
    """What the block writes to plans (versions, goals, actions, the lines on the case, the
    notifications) happened on `day` at `hour` (today: at the clock's time). Steps are told in
    the order of the story; also used by the care meetings' demo, whose decisions become actions.
    """
    clock = Backdate(*TIMELINES)
    yield
    at = moment(day, hour, today=today)
    if at is not None:
        plans = clock.written(PlanVersion).values("plan_id")
        IntegralPlan.objects.filter(pk__in=plans).update(updated_at=at)
        IntegralPlan.objects.filter(pk__in=plans, created_at__gt=at).update(created_at=at)
    clock.to(at)


def _written_on(case: Any, today: dt.date) -> dt.date:
    """The day the plan is written: up to six weeks ago, the day after the case was opened and
    after what the family's plan already holds (a care meeting's decision)."""
    day = max(timezone.localdate(case.opened_at) + dt.timedelta(days=1), today - dt.timedelta(42))
    before = PlanVersion.objects.filter(plan__family_id=case.pupil.family_id).aggregate(
        last=Max("created_at")
    )["last"]
    if before is not None:
        day = max(day, timezone.localdate(before) + dt.timedelta(days=1))
    return min(day, today)


def seed_demo(ctx: Any) -> None:
    today = ctx.today
    for school in ctx.schools:
        staff = ctx.staff[school.pk]
        ib = staff[Role.SUPPORT_COORDINATOR][0]
        smw = staff[Role.SCHOOL_SOCIAL_WORKER][0]
        worker = staff.get(Role.NEIGHBOURHOOD_TEAM_WORKER, [smw])[0]
        cases = list(
            Case.objects.filter(school=school)
            .exclude(status__in=[CaseStatus.NEW, CaseStatus.CLOSED])
            .select_related("pupil")
            .order_by("pk")[:3]
        )
        for n, case in enumerate(cases):
            written = _written_on(case, today)
            with on_day(written, 10, today=today):
                part, evaluated = _write_plan(ctx, n, case, ib=ib, smw=smw, worker=worker)
            reviewed = max(today - dt.timedelta(days=14), written)
            with on_day(reviewed, 15, today=today):
                Review.objects.create(
                    goal=evaluated,
                    reviewed_on=reviewed,
                    progress="partly",
                    score=3,
                    note="Speelt vaker mee met voetbal; nog niet elke dag.",
                    reviewed_by=smw,
                )
            if n == 1:
                guardian = case.pupil.guardians.first()
                if guardian is not None:
                    services.record_agreement(part.plan, guardian=guardian, agreed_on=today, by=ib)


def _write_plan(
    ctx: Any, n: int, case: Any, *, ib: Any, smw: Any, worker: Any
) -> tuple[PlanPart, Goal]:
    """The plan's text, two goals and five actions for the case's child; returns the part and
    the goal evaluated two weeks ago."""
    rng, today = ctx.rng, ctx.today
    part = services.start_plan(case.pupil, by=ib)
    plan = part.plan
    services.update_plan(
        plan,
        expected_version=plan.version,
        by=ib,
        family=FAMILY,
        parts={part.pk: PART},
    )
    name = case.pupil.first_name
    goal = services.add_goal(
        part,
        description=f"{name} is op tijd op school en begint uitgerust aan de dag",
        criterion="4 van de 5 dagen voor 8.30 uur in de klas",
        owner=ib,
        target_on=today + dt.timedelta(days=rng.randint(40, 90)),
        # One plan in three is due for review already, so the panel shows it.
        review_on=today - dt.timedelta(days=3) if n == 0 else today + dt.timedelta(days=20),
        by=ib,
        enforce_smart=False,
    )
    goal2 = services.add_goal(
        part,
        description=f"{name} heeft in de pauze iemand om mee te spelen",
        criterion="speelt 3 van de 5 pauzes met klasgenoten (observatie leerkracht)",
        owner_name="moeder",
        target_on=today + dt.timedelta(days=60),
        review_on=today + dt.timedelta(days=30),
        by=ib,
    )
    actions = [
        (Domain.SCHOOL, "Vaste plek bij de deur en een dagritmekaart", ib, -5),
        (Domain.SCHOOL_SOCIAL_WORK, "Drie gesprekken met moeder over de ochtend", smw, 10),
        (Domain.FAMILY, "Wekker zetten en tas de avond ervoor inpakken", "moeder", 3),
        (Domain.NETWORK, "Oma brengt op maandag en donderdag", "oma", 30),
        (Domain.NEIGHBOURHOOD_TEAM, "Kennismaking en hulp bij geldzaken", worker, -2),
    ]
    for domain, text, owner, days in actions:
        action = services.add_action(
            part,
            description=text,
            domain=domain,
            owner=owner,
            # On a day the rule allows for who is at turn (a school day for the
            # school), whatever day the demo is loaded.
            due_on=services.first_due_day(
                part.pupil.current_school,
                domain=domain,
                by_person=not isinstance(owner, str),
                on=today + dt.timedelta(days=days),
            ),
            goal=goal if domain != Domain.NETWORK else goal2,
            by=ib,
            source="Schoolzorgteam (demo)",
        )
        if days < 0 and n == 2:
            Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE, done_on=today)
    return part, goal2
