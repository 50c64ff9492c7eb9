"""Demo care teams: one per school for this school year, with hours and walk-in times.

The second school's neighbourhood team worker has 2 hours a week, below the 4-hour norm, so the
completeness warning shows in the demo.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.careteams.models import (
    CareTeam,
    CareTeamChange,
    CareTeamMember,
    ChangeKind,
    PresenceNorm,
    PresenceSlot,
    TeamRole,
    school_year_of,
)
from schoolzorg.lib.dates import numeric

HOURS = {
    TeamRole.SUPPORT_COORDINATOR: Decimal("8"),
    TeamRole.SCHOOL_SOCIAL_WORKER: Decimal("16"),
    TeamRole.PARTNERSHIP_CONTACT: Decimal("4"),
    TeamRole.NEIGHBOURHOOD_TEAM_WORKER: Decimal("4"),
    TeamRole.YOUTH_HEALTH_NURSE: Decimal("2"),
}
BELOW_NORM_SCHOOL_INDEX = 1


def seed_demo(ctx: Any) -> None:
    year = school_year_of(ctx.today)
    start = dt.date(year, 8, 15)
    if ctx.municipality is not None:
        PresenceNorm.objects.get_or_create(
            municipality=ctx.municipality, defaults={"neighbourhood_team_hours": Decimal("4")}
        )
    teams: dict[int, CareTeam] = {}
    for i, school in enumerate(ctx.schools):
        team = CareTeam.objects.create(school=school, school_year=year)
        teams[school.pk] = team
        staff = ctx.staff[school.pk]
        members = []
        for role in TeamRole.values:
            people = staff.get(Role(role), [])
            if not people:
                continue
            hours = HOURS[TeamRole(role)]
            if role == TeamRole.NEIGHBOURHOOD_TEAM_WORKER and i == BELOW_NORM_SCHOOL_INDEX:
                hours = Decimal("2")
            members.append(
                CareTeamMember(
                    team=team, user=people[0], role=role, hours_per_week=hours, joined_on=start
                )
            )
        CareTeamMember.objects.bulk_create(members)
        CareTeamChange.objects.bulk_create(
            CareTeamChange(
                team=team,
                kind=ChangeKind.JOINED,
                text=f"{m.user} toegevoegd als {m.get_role_display().lower()}, "
                f"{m.hours_per_week} uur per week, vanaf {numeric(start)}.",
                by=staff[Role.SUPPORT_COORDINATOR][0],
            )
            for m in members
        )
        worker = next((m for m in members if m.role == TeamRole.NEIGHBOURHOOD_TEAM_WORKER), None)
        if worker is not None:
            day = i % 5
            PresenceSlot.objects.bulk_create(
                [
                    PresenceSlot(
                        member=worker,
                        weekday=day,
                        starts_at=dt.time(8, 30),
                        ends_at=dt.time(9, 30),
                        place="Ouderkamer",
                        is_walk_in=True,
                    ),
                    PresenceSlot(
                        member=worker,
                        weekday=day,
                        starts_at=dt.time(9, 30),
                        ends_at=dt.time(10, 30)
                        if i == BELOW_NORM_SCHOOL_INDEX
                        else dt.time(12, 30),
                        place="Kamer zorgteam",
                    ),
                ]
            )
    ctx.extra["care_teams"] = teams
