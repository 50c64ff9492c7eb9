"""Demo care meetings: a monthly rhythm per school, past meetings with minutes and decisions,
and the next meeting with an agenda.

The consent ledger has no demo layer of its own yet, so this layer records the consents to
discuss the pupils it puts on an agenda (a complete consent given by the parents). One new help
request per school stays without consent: the agenda builder shows it as a count.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.careteams.models import CareTeam, CareTeamMember
from schoolzorg.cases.models import Case
from schoolzorg.cases.workflow import CaseStatus
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.meetings import services
from schoolzorg.meetings.models import AgendaSource, Attendance, AttendanceStatus, MeetingSchedule
from schoolzorg.meetings.workflow import MeetingState
from schoolzorg.plans.demo import on_day
from schoolzorg.plans.services import first_due_day

MINUTES = [
    "Leerkracht ziet vooruitgang in de ochtend; na de pauze gaat het minder. Moeder herkent dit "
    "thuis. Afgesproken om het ritme samen te bekijken.",
    "SMW heeft twee gesprekken gehad met de leerling. Het gezin wil graag hulp bij de "
    "thuissituatie; wijkteammedewerker neemt contact op.",
]
DECISIONS = [
    ("Gesprek met moeder over het ochtendritme", "school_social_work", Role.SCHOOL_SOCIAL_WORKER),
    ("Vaste rustplek in de klas afspreken met de leerkracht", "school", Role.SUPPORT_COORDINATOR),
    ("Kennismaking met het gezin thuis", "neighbourhood_team", Role.NEIGHBOURHOOD_TEAM_WORKER),
]


def _consent(pupil: Any, by: Any, given_on: dt.date) -> None:
    guardians = [link.guardian for link in pupil.guardian_links.select_related("guardian")]
    consent = Consent.objects.create(
        pupil=pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=given_on,
        valid_until=given_on + dt.timedelta(days=365),
        # The pupil agrees too when 12 or older at any meeting within the year (age on the day).
        given_by_pupil=pupil.age_on(given_on + dt.timedelta(days=365)) >= 12,
        is_complete=True,
        recorded_by=by,
        evidence_note="Demo: toestemming van de ouders besproken in een gesprek op school.",
    )
    consent.given_by_guardians.set(guardians)


def _ensure_consent(case: Case, on: dt.date, by: Any, consented: set[int]) -> None:
    if case.pupil_id not in consented:
        _consent(case.pupil, by, on - dt.timedelta(days=20))
        consented.add(case.pupil_id)


def seed_demo(ctx: Any) -> None:
    teams: dict[int, CareTeam] = ctx.extra.get("care_teams", {})
    today = ctx.today
    for school in ctx.schools:
        team = teams.get(school.pk)
        if team is None:
            continue
        staff = ctx.staff[school.pk]
        ib = staff[Role.SUPPORT_COORDINATOR][0]
        schedule = MeetingSchedule.objects.create(
            care_team=team, weekday=1, week_of_month=2, location="Kamer zorgteam"
        )
        meetings = services.generate_meetings(
            schedule,
            start=today - dt.timedelta(days=75),
            until=today + dt.timedelta(days=70),
            by=ib,
        )
        past = [m for m in meetings if m.scheduled_on < today]
        coming = [m for m in meetings if m.scheduled_on >= today]
        cases = list(
            Case.objects.filter(school=school, status__in=[CaseStatus.NEW, CaseStatus.IN_CARE_TEAM])
            .select_related("pupil")
            .order_by("opened_at", "pk")
        )
        in_team = [c for c in cases if c.status == CaseStatus.IN_CARE_TEAM]
        new = [c for c in cases if c.status == CaseStatus.NEW]
        consented: set[int] = set()

        members = list(
            CareTeamMember.objects.current(today).filter(team=team).select_related("user")
        )
        by_role = {m.role: m.user for m in members}
        for n, meeting in enumerate(past[-2:]):
            for k, case in enumerate(in_team[:2]):
                _ensure_consent(case, past[0].scheduled_on, ib, consented)
                # What the meeting wrote (the item, its decision, which becomes an action in the
                # plan, and the lines on the case) dates from the meeting's day.
                with on_day(meeting.scheduled_on, 15, today=today):
                    item = services.place_on_agenda(
                        meeting,
                        pupil=case.pupil,
                        question=f"Hoe gaat het met {case.pupil.first_name}? Wat is er nodig?",
                        by=ib,
                        source=AgendaSource.REVIEW,
                        case=case,
                    )
                    services.save_minutes(
                        item, text=MINUTES[(n + k) % len(MINUTES)], expected_version=0, by=ib
                    )
                    text, domain, role = DECISIONS[(n + k) % len(DECISIONS)]
                    services.add_decision(
                        item,
                        text=text,
                        domain=domain,
                        owner=by_role.get(role, ib),
                        # Three weeks on, or the school's first day open after that.
                        due_on=first_due_day(
                            school,
                            domain=domain,
                            by_person=True,
                            on=meeting.scheduled_on + dt.timedelta(days=21),
                        ),
                        by=ib,
                        form_token=uuid.UUID(int=ctx.rng.getrandbits(128)),
                    )
                    if k == 0:
                        guest = services.add_guest(
                            meeting,
                            name=f"Ouder van {case.pupil.first_name}",
                            role="parent",
                            item=item,
                            by=ib,
                        )
                        services.send_for_correction(guest, by=ib, on=meeting.scheduled_on)
            Attendance.objects.bulk_create(
                Attendance(
                    meeting=meeting,
                    member=m,
                    status=AttendanceStatus.EXCUSED if i == 4 else AttendanceStatus.PRESENT,
                )
                for i, m in enumerate(members)
            )
            services.move_meeting(meeting, move="hold", by=ib, expected=MeetingState.PLANNED)
            if n == 0:
                services.move_meeting(meeting, move="close", by=ib, expected=MeetingState.HELD)
        if past[:-2]:
            for meeting in past[:-2]:
                services.move_meeting(meeting, move="hold", by=ib, expected=MeetingState.PLANNED)
        if coming:
            nxt = coming[0]
            for case in new[:1] + in_team[2:3]:
                _ensure_consent(case, today, ib, consented)
                services.place_on_agenda(
                    nxt,
                    pupil=case.pupil,
                    question=case.description,
                    by=ib,
                    source=AgendaSource.HELP_REQUEST
                    if case.status == CaseStatus.NEW
                    else AgendaSource.REVIEW,
                    case=case,
                )
