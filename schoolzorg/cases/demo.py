"""Demo cases in every status at every school, school social work contacts over recent months,
and a few anonymous consultations. Deterministic through `ctx.rng`; dates relative to `ctx.today`.
Each line on a case's timeline has the day of its step (`lib.storydates`), not the seed's clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from schoolzorg.accounts.models import Notification
from schoolzorg.accounts.roles import Role
from schoolzorg.cases import services
from schoolzorg.cases.models import (
    AnonymousConsultation,
    Case,
    CaseEvent,
    Category,
    ContactForm,
    Outcome,
    SocialWorkContact,
)
from schoolzorg.cases.workflow import CaseStatus
from schoolzorg.lib.storydates import Backdate

DESCRIPTIONS = {
    Category.LEARNING: "Loopt achter met lezen; raakt gefrustreerd bij opdrachten.",
    Category.BEHAVIOUR: "Is vaak boos in de klas en heeft ruzie op het plein.",
    Category.SOCIAL_EMOTIONAL: "Trekt zich terug, huilt snel en zegt dat niemand haar aardig vindt.",
    Category.ABSENCE: "Komt de laatste maand vaak te laat of is ziek gemeld op maandag.",
    Category.HOME_SITUATION: "Ouders gaan scheiden; moeder vertelt over geldzorgen.",
    Category.HEALTH: "Is vaak moe en klaagt over buikpijn.",
    Category.SAFETY: "Vertelt over harde ruzies thuis; leerkracht maakt zich zorgen.",
    Category.OTHER: "Broertje is ernstig ziek; het gezin staat onder druk.",
}
PLAN = [
    CaseStatus.NEW,
    CaseStatus.NEW,
    CaseStatus.IN_CARE_TEAM,
    CaseStatus.IN_CARE_TEAM,
    CaseStatus.WITH_SCHOOL_SOCIAL_WORK,
    CaseStatus.WITH_SCHOOL_SOCIAL_WORK,
    CaseStatus.WITH_SCHOOL_SOCIAL_WORK,
    CaseStatus.WITH_SCHOOL_SOCIAL_WORK,  # "referred" follows when referrals.demo sends one
    CaseStatus.CLOSED,
    CaseStatus.CLOSED,
]
WITH_WHOM = {
    ContactForm.TALK_PUPIL: "leerling",
    ContactForm.TALK_PARENT: "moeder",
    ContactForm.TALK_TEACHER: "leerkracht",
    ContactForm.HOME_VISIT: "moeder en leerling",
    ContactForm.CONSULTATION: "IB-er",
    ContactForm.PHONE: "vader",
}


def _at(ctx: Any, days_ago: int) -> dt.datetime:
    day = ctx.today - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def seed_demo(ctx: Any) -> None:
    rng = ctx.rng
    categories = list(Category.values)
    all_cases: list[Case] = []
    for school in ctx.schools:
        staff = ctx.staff[school.pk]
        ib = staff[Role.SUPPORT_COORDINATOR][0]
        teacher = staff[Role.TEACHER][0]
        smw = staff[Role.SCHOOL_SOCIAL_WORKER][0]
        provider_id = smw.memberships.filter(role=Role.SCHOOL_SOCIAL_WORKER).values_list(
            "organisation_id", flat=True
        )[0]
        pupils = [p for p in ctx.pupils if p.current_school_id == school.pk]
        chosen = rng.sample(pupils, min(len(PLAN), len(pupils)))
        for n, (pupil, status) in enumerate(zip(chosen, PLAN, strict=False)):
            category = categories[(n + school.pk) % len(categories)]
            days_ago = rng.randint(5, 150)
            if status == CaseStatus.IN_CARE_TEAM:
                # Discussed in the care meetings of the past months (meetings.demo, from 75
                # days back): raised before them.
                days_ago = max(days_ago, 80)
            raiser = teacher if pupil.current_group == "6" and n % 3 == 0 else ib
            clock = Backdate((CaseEvent, "at"), (Notification, "created_at"))
            case = services.register_concern(
                pupil,
                category=category,
                description=DESCRIPTIONS[category],
                raised_by_label="leerkracht" if raiser == teacher else "intern begeleider",
                urgency=rng.choice(("normal", "normal", "soon", "urgent")),
                coordinator=ib if status != CaseStatus.NEW else None,
                by=raiser,
            )
            # Spread the history over the past months so lists and timelines look lived-in (before
            # the contacts: a contact cannot lie before the case was opened).
            case.opened_at = _at(ctx, days_ago)
            Case.objects.filter(pk=case.pk).update(opened_at=case.opened_at)
            clock.to(case.opened_at)
            path: list[str] = []
            if status in (CaseStatus.IN_CARE_TEAM, CaseStatus.CLOSED):
                path.append(CaseStatus.IN_CARE_TEAM)
            if status == CaseStatus.WITH_SCHOOL_SOCIAL_WORK:
                path.append(CaseStatus.WITH_SCHOOL_SOCIAL_WORK)
            if status == CaseStatus.CLOSED:
                path.append(CaseStatus.CLOSED)
            for to in path:
                services.change_case_status(
                    case,
                    to=to,
                    by=ib,
                    social_worker=smw,
                    outcome=rng.choice(list(Outcome.values)) if to == CaseStatus.CLOSED else "",
                )
                # Taken up the day after it was raised; closed when `closed_at` says, below.
                closed = to == CaseStatus.CLOSED
                clock.to(_at(ctx, max(1, days_ago // 3) if closed else days_ago - 1))
            if status in (CaseStatus.WITH_SCHOOL_SOCIAL_WORK, CaseStatus.CLOSED):
                for k in range(rng.randint(2, 6)):
                    form = rng.choice(list(ContactForm.values))
                    services.record_contact(
                        worker=smw,
                        school=school,
                        provider=_provider(provider_id),
                        case=case,
                        contact_on=ctx.today - dt.timedelta(days=min(days_ago - 1, 4 + k * 9)),
                        form=form,
                        with_whom=WITH_WHOM[form],
                        minutes=rng.choice((15, 30, 45, 45, 60, 90)),
                        note="Afspraken gemaakt over de ochtendroutine." if k == 0 else "",
                    )
            services.add_case_event(
                case, kind="note", text="Leerkracht ziet dat het in de klas iets beter gaat.", by=ib
            )
            if status == CaseStatus.CLOSED:
                Case.objects.filter(pk=case.pk).update(closed_at=_at(ctx, max(1, days_ago // 3)))
            all_cases.append(case)
        # Consultation-only contacts (no case) and a few anonymous consultations.
        for m in range(4):
            SocialWorkContact.objects.create(
                school=school,
                worker=smw,
                provider_id=provider_id,
                contact_on=ctx.today - dt.timedelta(days=10 + 30 * m),
                form=ContactForm.CONSULTATION,
                with_whom="leerkrachten groep 5 en 6",
                minutes=60,
            )
        for m in range(rng.randint(1, 3)):
            AnonymousConsultation.objects.create(
                school=school,
                category=rng.choice(categories),
                summary="Een kind uit groep 4 is vaak alleen thuis; ouders werken in ploegen.",
                held_on=ctx.today - dt.timedelta(days=7 + 25 * m),
                participants="IB-er, SMW, wijkteam",
                advice="Ouders uitnodigen voor een gesprek met de SMW.",
                recorded_by=ib,
            )
    ctx.extra["cases"] = all_cases


_PROVIDERS: dict[int, Any] = {}


def _provider(pk: int) -> Any:
    from schoolzorg.organisations.models import SocialWorkProvider

    if pk not in _PROVIDERS:
        _PROVIDERS[pk] = SocialWorkProvider.objects.get(pk=pk)
    return _PROVIDERS[pk]
