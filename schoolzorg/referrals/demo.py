"""Demo referrals in every state, some overdue and escalated, so the ladder is visible at once.

Dates are set by passing `today` to the services, counted back in school days from the seed's
day, so the demo looks the same whenever it is loaded (relative to that day). The timeline lines
each step writes (the referral's, the escalations, the lines on the case, the notifications) get
the day of that step (`lib.storydates`), and the escalation sweep runs for every day from the
first referral sent to today, so each rung is raised on the day its deadline implies: the
timeline tells the story of a stalled referral as its deadlines do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Min

from schoolzorg.accounts.models import Notification
from schoolzorg.accounts.roles import Role
from schoolzorg.cases.models import CaseEvent
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.consent.rules import required_parties
from schoolzorg.consent.services import record_consent
from schoolzorg.lib.storydates import Backdate, moment
from schoolzorg.pupils.models import Guardian
from schoolzorg.referrals import services
from schoolzorg.referrals.deadlines import add_school_days
from schoolzorg.referrals.models import (
    Escalation,
    EscalationReason,
    Referral,
    ReferralEvent,
    ReportingCodeStatus,
    Urgency,
)
from schoolzorg.referrals.routing import route_for

DOCUMENT = {
    "help_question": "Moeder: ‘Ik wil dat we thuis weer rustig met elkaar kunnen praten.’",
    "strengths": "Betrokken ouders, kind heeft een goede band met de leerkracht en zit op voetbal.",
    "concerns": "Veel spanningen thuis na het verlies van werk; kind is moe en trekt zich terug.",
    "already_tried": "- Vier gesprekken met het SMW\n- Afspraken met de leerkracht over rustmomenten",
    "severity_summary": "Draaglast is groter dan draagkracht op het gebied van opvoeding.",
    "child_safety_summary": "Geen signalen van acute onveiligheid; zorgen over spanningen thuis.",
    "reporting_code_status": ReportingCodeStatus.NOT_APPLICABLE,
    "consent_scope": "Hulpvraag, zorgen en wat al is geprobeerd; geen schoolresultaten.",
    "urgency": Urgency.NORMAL,
    "proposed_handover": "Gesprek op school met moeder, SMW en wijkteam, op een ochtend.",
}

# The lines a step writes, with the field that says when: dated with the day of the step.
TIMELINES = (
    (ReferralEvent, "at"),
    (Escalation, "raised_at"),
    (CaseEvent, "at"),
    (Notification, "created_at"),
)


def _back(ctx: Any, school: Any, days: int) -> dt.date:
    return add_school_days(
        ctx.today, -days, region=school.effective_holiday_region, school_id=school.pk
    )


def _ensure_consent(
    pupil: Any,
    team: Any,
    by: Any,
    on: dt.date,
    purpose: str = Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
) -> None:
    """A complete consent for the purpose with the team, given by those the age rule asks for."""
    if Consent.objects.valid_for(pupil, purpose, team, on=on).exists():
        return
    given_on = on - dt.timedelta(days=30)
    parties = required_parties(pupil, given_on)
    guardians = Guardian.objects.filter(pk__in=parties.guardian_ids).order_by("pk")
    record_consent(
        pupil,
        purpose=purpose,
        recipient=team,
        data_scope=DOCUMENT["consent_scope"]
        if purpose == Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM
        else "Een gesprek met het wijkteam over de hulpvraag.",
        guardians=guardians if parties.guardians_required else (),
        given_by_pupil=parties.pupil,
        given_on=given_on,
        evidence_note="Formulier getekend op school (demo).",
        by=by,
    )


def seed_demo(ctx: Any) -> None:
    school = ctx.schools[0]
    staff = ctx.staff[school.pk]
    smw = staff[Role.SCHOOL_SOCIAL_WORKER][0]
    coordinator = staff[Role.SUPPORT_COORDINATOR][0]
    candidates = [
        (p, route.team)
        for p in ctx.pupils
        if p.current_school_id == school.pk and (route := route_for(p, school)).team is not None
    ]
    plans: list[str] = [
        "draft_incomplete",
        "draft",
        "submitted",
        "submitted_overdue",
        "returned",
        "acknowledged_overdue",
        "planned",
        "planned_overdue",
        "held",
        "first_contact",
        "accepted",
        "declined",
        "withdrawn",
        "closed",
        "manual_escalation",
    ]
    with services.without_emails():
        for plan, (pupil, team) in zip(plans, candidates, strict=False):
            _seed_one(ctx, plan, pupil, team, school, smw, coordinator)
        _sweep_day_by_day(ctx, school)


def _sweep_day_by_day(ctx: Any, school: Any) -> None:
    """The escalation sweep on every day since the first referral was sent, as the scheduler
    runs it: each rung is raised (and its line dated) on the day it was reached."""
    first = Referral.objects.filter(school=school).aggregate(first=Min("submitted_on"))["first"]
    day = first or ctx.today
    clock = Backdate(*TIMELINES)
    while day <= ctx.today:
        services.run_escalations(day)
        # Early in the morning: the deadline ran out the day before.
        clock.to(moment(day, 7, today=ctx.today))
        day += dt.timedelta(days=1)


def _seed_one(ctx: Any, plan: str, pupil: Any, team: Any, school: Any, smw: Any, ib: Any) -> None:
    workers = ctx.extra["team_workers"][team.pk]
    demo_worker = ctx.users.get(Role.NEIGHBOURHOOD_TEAM_WORKER)
    worker = demo_worker if demo_worker in workers else workers[0]
    # How many school days ago the referral was sent, per plan.
    sent = {
        "submitted": 1,
        "submitted_overdue": 14,
        "returned": 6,
        "acknowledged_overdue": 9,
        "planned": 4,
        "planned_overdue": 16,
        "held": 12,
        "first_contact": 20,
        "accepted": 25,
        "declined": 8,
        "withdrawn": 3,
        "closed": 40,
        "manual_escalation": 2,
    }.get(plan, 0)
    sent_on = _back(ctx, school, sent)
    _ensure_consent(pupil, team, smw, sent_on)
    clock = Backdate(*TIMELINES)
    stamps: dict[str, dt.datetime | None] = {}

    def on(day: dt.date, hour: int, minute: int = 0, *, step: str = "") -> None:
        """What the last step wrote happened on `day` (today: at the clock's time)."""
        at = moment(day, hour, minute, today=ctx.today)
        clock.to(at)
        if step:
            stamps[step] = at

    referral = services.create_referral(pupil, by=smw)
    document = dict(DOCUMENT)
    if plan == "draft_incomplete":
        document = {"help_question": DOCUMENT["help_question"], "concerns": DOCUMENT["concerns"]}
    services.save_draft(referral, document, by=smw)
    # A draft is written today; a referral sent earlier was written the morning it was sent.
    on(ctx.today if plan.startswith("draft") else sent_on, 9, step="created")
    _story(ctx, plan, referral, school, smw, ib, team, worker, sent, sent_on, on)
    _date_the_referral(referral, stamps)


def _story(
    ctx: Any,
    plan: str,
    referral: Referral,
    school: Any,
    smw: Any,
    ib: Any,
    team: Any,
    worker: Any,
    sent: int,
    sent_on: dt.date,
    on: Any,
) -> None:
    """The referral's steps after the draft, each on its own day (`on` dates its lines)."""
    pupil = referral.pupil
    if plan.startswith("draft"):
        return
    services.submit_referral(referral, by=smw, today=sent_on)
    on(sent_on, 9, 30, step="submitted")
    if plan in ("submitted", "submitted_overdue"):
        return
    if plan == "manual_escalation":
        services.escalate_referral(
            referral,
            by=ib,
            reason=EscalationReason.WAITING_LIST,
            note="Het wijkteam meldt een wachtlijst van zes weken; het gezin kan niet wachten.",
            today=ctx.today,
        )
        on(ctx.today, 12)
        return
    if plan == "withdrawn":
        services.withdraw_referral(
            referral, by=smw, reason="De ouders willen eerst zelf hulp zoeken.", today=ctx.today
        )
        on(ctx.today, 13)
        return
    if plan == "returned":
        services.return_incomplete(
            referral, by=worker, reasons="De ernsttaxatie is niet ingevuld; graag aanvullen."
        )
        # The team read it the next school day and sent it back the same morning.
        on(_back(ctx, school, sent - 1), 10, 15)
        return
    if plan == "declined":
        services.acknowledge_referral(referral, by=worker, today=_back(ctx, school, 7))
        on(_back(ctx, school, 7), 10, 15)
        services.decline_referral(
            referral,
            by=worker,
            advice="Beter passend: de opvoedcursus van het CJG en de huisarts.",
            today=_back(ctx, school, 5),
        )
        on(_back(ctx, school, 5), 11, 30)
        return
    acknowledged_on = _back(ctx, school, sent - 1)
    services.acknowledge_referral(referral, by=worker, today=acknowledged_on)
    on(acknowledged_on, 10, 15)
    if plan == "acknowledged_overdue":
        return
    planned_for = (
        add_school_days(ctx.today, 3, region=school.effective_holiday_region, school_id=school.pk)
        if plan == "planned"
        else _back(ctx, school, max(sent - 6, 1))
    )
    # The warm handover is a conversation with the team: the family agreed to it too, with the
    # same form (the acknowledged referral waiting for its plan has no such consent yet, so the
    # demo shows the team what it then reads).
    _ensure_consent(pupil, team, smw, sent_on, purpose=Purpose.WARM_HANDOVER)
    planned_on = min(planned_for, _back(ctx, school, sent - 3))
    services.plan_handover(
        referral,
        by=worker,
        on=planned_for,
        place="Op school, kamer van de IB",
        participants="Moeder, SMW, wijkteammedewerker",
        parents_invited=True,
        today=planned_on,
    )
    on(planned_on, 11)
    if plan in ("planned", "planned_overdue"):
        return
    services.hold_handover(referral, by=worker, held_on=planned_for, today=planned_for)
    on(planned_for, 14)
    if plan == "held":
        return
    contact_on = _back(ctx, school, max(sent - 10, 1))
    services.confirm_first_contact(referral, by=worker, on=contact_on, today=ctx.today)
    on(contact_on, 15)
    if plan == "first_contact":
        return
    accepted_on = _back(ctx, school, max(sent - 12, 0))
    services.accept_referral(referral, by=worker, today=accepted_on)
    on(accepted_on, 15, 30)
    if plan == "closed":
        services.close_referral(
            referral,
            by=worker,
            feedback="Het gezin krijgt hulp van het wijkteam; de school hoort bij de evaluatie meer.",
            today=ctx.today,
        )
        on(ctx.today, 16)


def _date_the_referral(referral: Referral, stamps: dict[str, dt.datetime | None]) -> None:
    """The referral's own moments: written and sent on the days of the story."""
    dates = {
        field: at
        for field, at in (
            ("created_at", stamps.get("created")),
            ("submitted_at", stamps.get("submitted")),
        )
        if at is not None
    }
    if dates:
        Referral.objects.filter(pk=referral.pk).update(**dates)


__all__ = ["Referral", "seed_demo"]
