"""Demo integral plans: HGW text, SMART goals, actions per domain (some overdue), reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.cases.models import Case
from schoolzorg.cases.workflow import CaseStatus
from schoolzorg.plans import services
from schoolzorg.plans.models import Action, ActionStatus, Domain, Review

FAMILY = {
    "strengths": "Ouders zijn betrokken en komen naar gesprekken. Oma woont dichtbij en helpt graag.",
    "concerns": "Spanningen thuis door geldzorgen; de ochtenden verlopen chaotisch.",
    "own_contribution": "Oma brengt de kinderen twee ochtenden per week. Moeder gaat naar de "
    "schuldhulp van de gemeente.",
}
PART = {
    "strengths": "Vrolijk, sportief en behulpzaam in de klas.",
    "concerns": "Komt vaak te laat en is moe; concentratie neemt af.",
    "support_needs": "Een vaste ochtendroutine en een rustige plek in de klas.",
}


def seed_demo(ctx: Any) -> None:
    rng, today = ctx.rng, ctx.today
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
                    Action.objects.filter(pk=action.pk).update(
                        status=ActionStatus.DONE, done_on=today
                    )
            Review.objects.create(
                goal=goal2,
                reviewed_on=today - dt.timedelta(days=14),
                progress="partly",
                score=3,
                note="Speelt vaker mee met voetbal; nog niet elke dag.",
                reviewed_by=smw,
            )
            if n == 1:
                guardian = case.pupil.guardians.first()
                if guardian is not None:
                    services.record_agreement(plan, guardian=guardian, agreed_on=today, by=ib)
