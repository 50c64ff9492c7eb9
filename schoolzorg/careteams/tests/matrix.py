"""Authorization matrix for the care team pages (see schoolzorg/audit/matrix.py)."""

from __future__ import annotations

import datetime as dt

from schoolzorg.audit.matrix import SIGNED_IN, RouteSpec, World

# Everyone who works at or serves the school sees its care team: composition and walk-in hours
# are no secret to colleagues. Municipality roles see the school but not its team page.
SCHOOL_PEOPLE = frozenset(
    {
        "coordinator",
        "teacher_own_group",
        "teacher_other_group",
        "social_worker",
        "partnership_contact",
        "nurse",
        "team_worker",
    }
)
MANAGER = frozenset({"coordinator"})


def _team(world: World) -> None:
    from schoolzorg.careteams.models import CareTeamMember, PresenceSlot, TeamRole
    from schoolzorg.careteams.tests.factories import CareTeamFactory

    team = CareTeamFactory(school=world.school)
    worker = CareTeamMember.objects.create(
        team=team,
        user=world.users["team_worker"],
        role=TeamRole.NEIGHBOURHOOD_TEAM_WORKER,
        hours_per_week=4,
        joined_on=dt.date(2020, 1, 1),
    )
    slot = PresenceSlot.objects.create(
        member=worker,
        weekday=2,
        starts_at=dt.time(8, 30),
        ends_at=dt.time(10, 0),
        place="Ouderkamer",
        is_walk_in=True,
    )
    world.extra.update(care_team=team, team_member=worker, slot=slot)


ROUTES = {
    "careteams:list": RouteSpec(allowed=SIGNED_IN, setup=_team),
    "careteams:detail": RouteSpec(
        kwargs=lambda w: {"school_pk": w.school.pk}, allowed=SCHOOL_PEOPLE, setup=_team
    ),
    "careteams:add_member": RouteSpec(
        kwargs=lambda w: {"school_pk": w.school.pk}, allowed=MANAGER, setup=_team
    ),
    "careteams:end_member": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["team_member"].pk}, allowed=MANAGER, setup=_team
    ),
    "careteams:change_hours": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["team_member"].pk}, allowed=MANAGER, setup=_team
    ),
    "careteams:add_slot": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["team_member"].pk}, allowed=MANAGER, setup=_team
    ),
    "careteams:remove_slot": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["slot"].pk}, allowed=MANAGER, method="POST", setup=_team
    ),
}
