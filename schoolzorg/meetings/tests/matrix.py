"""Authorization matrix for care meetings (see schoolzorg/audit/matrix.py).

The nurse and the neighbourhood team worker are made members of the school's care team here:
members see the meeting and the items of pupils they may see (with consent).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from schoolzorg.audit.matrix import CARE_TEAM, CASE_STAFF, SIGNED_IN, RouteSpec, World

MINUTE_TAKERS = CASE_STAFF | CARE_TEAM


def _meeting(world: World) -> None:
    from schoolzorg.careteams.models import CareTeamMember, TeamRole
    from schoolzorg.careteams.tests.factories import CareTeamFactory
    from schoolzorg.meetings.models import AgendaItem, MeetingGuest
    from schoolzorg.meetings.tests.factories import CareMeetingFactory

    team = CareTeamFactory(school=world.school)
    for actor, role in (
        ("coordinator", TeamRole.SUPPORT_COORDINATOR),
        ("nurse", TeamRole.YOUTH_HEALTH_NURSE),
        ("team_worker", TeamRole.NEIGHBOURHOOD_TEAM_WORKER),
    ):
        CareTeamMember.objects.create(
            team=team, user=world.users[actor], role=role, joined_on=dt.date(2020, 1, 1)
        )
    # Today: minutes, decisions, attendance and guests are recorded from the meeting's day on,
    # so the working screen offers their forms (the axe crawls fill them in).
    meeting = CareMeetingFactory(care_team=team, scheduled_on=timezone.localdate())
    # An item with minutes: removing it is refused, so every permitted actor finds it.
    item = AgendaItem.objects.create(
        meeting=meeting, pupil=world.pupil, question="Wat helpt?", position=1, minutes="Besproken"
    )
    hidden = AgendaItem.objects.create(
        meeting=meeting, pupil=world.pupil_without_consent, question="?", position=2
    )
    guest = MeetingGuest.objects.create(meeting=meeting, item=item, name="Moeder", role="parent")
    # Sent the minutes for correction: taking this guest off is refused, so every permitted
    # actor finds it.
    sent_guest = MeetingGuest.objects.create(
        meeting=meeting,
        item=item,
        name="Vader",
        role="parent",
        sent_for_correction_on=timezone.localdate(),
    )
    world.extra.update(
        care_team=team,
        meeting=meeting,
        item=item,
        hidden_item=hidden,
        guest=guest,
        sent_guest=sent_guest,
    )


def _m(world: World) -> dict[str, int]:
    return {"pk": world.extra["meeting"].pk}


def _team(world: World) -> dict[str, int]:
    return {"team_pk": world.extra["care_team"].pk}


def _i(world: World) -> dict[str, int]:
    return {"pk": world.extra["item"].pk}


def _g(world: World) -> dict[str, int]:
    return {"pk": world.extra["guest"].pk}


def _reschedule_data(world: World) -> dict[str, str]:
    meeting = world.extra["meeting"]
    shown = {
        "scheduled_on": meeting.scheduled_on.isoformat(),
        "start_time": meeting.start_time.strftime("%H:%M:%S"),
        "end_time": meeting.end_time.strftime("%H:%M:%S"),
        "location": meeting.location,
    }
    return {
        **{f"expected_{name}": value for name, value in shown.items()},
        "scheduled_on": shown["scheduled_on"],
        "start_time": "14:00",
        "end_time": "15:30",
        "location": "Teamkamer",
    }


ROUTES = {
    "meetings:list": RouteSpec(allowed=SIGNED_IN, setup=_meeting),
    "meetings:schedule": RouteSpec(kwargs=_team, allowed=CASE_STAFF, setup=_meeting),
    "meetings:create": RouteSpec(kwargs=_team, allowed=CASE_STAFF, setup=_meeting),
    "meetings:detail": RouteSpec(kwargs=_m, allowed=MINUTE_TAKERS, setup=_meeting),
    "meetings:agenda": RouteSpec(kwargs=_m, allowed=CASE_STAFF, setup=_meeting),
    "meetings:place": RouteSpec(
        kwargs=_m,
        allowed=CASE_STAFF,
        method="POST",
        data=lambda w: {"pupil": w.pupil.pk, "question": "Bespreken"},
        setup=_meeting,
    ),
    "meetings:add_item": RouteSpec(
        kwargs=_m,
        allowed=CASE_STAFF,
        method="POST",
        data=lambda w: {"question": "Inloopspreekuur"},
        setup=_meeting,
    ),
    "meetings:attendance": RouteSpec(
        kwargs=_m, allowed=MINUTE_TAKERS, method="POST", setup=_meeting
    ),
    "meetings:add_guest": RouteSpec(
        kwargs=_m,
        allowed=MINUTE_TAKERS,
        method="POST",
        data=lambda w: {
            "guest-name": "Vader",
            "guest-role": "parent",
            "guest-item": w.extra["item"].pk,
        },
        setup=_meeting,
    ),
    "meetings:move": RouteSpec(
        kwargs=_m,
        allowed=MINUTE_TAKERS,
        method="POST",
        data=lambda w: {"move": "nonsense", "expected": "planned"},
        setup=_meeting,
    ),
    # Whoever plans the team's meetings (`can_prepare`); the care team's members from outside
    # the school see the meeting but do not move it.
    "meetings:reschedule": [
        RouteSpec(kwargs=_m, allowed=CASE_STAFF, setup=_meeting, label="formulier"),
        RouteSpec(
            kwargs=_m,
            allowed=CASE_STAFF,
            method="POST",
            data=_reschedule_data,
            setup=_meeting,
            label="verzetten naar een andere tijd",
        ),
    ],
    "meetings:ics": RouteSpec(kwargs=_m, allowed=MINUTE_TAKERS, setup=_meeting),
    "meetings:pdf": RouteSpec(kwargs=_m, allowed=MINUTE_TAKERS, setup=_meeting),
    "meetings:item_pdf": [
        RouteSpec(
            kwargs=_i,
            allowed=MINUTE_TAKERS,
            setup=_meeting,
            label="verslag van één kind voor de ouders",
        ),
        RouteSpec(
            kwargs=lambda w: {"pk": w.extra["hidden_item"].pk},
            allowed=CASE_STAFF,
            setup=_meeting,
            label="leerling zonder toestemming: niet voor het team van buiten de school",
        ),
    ],
    "meetings:minutes": [
        RouteSpec(
            kwargs=_i,
            allowed=MINUTE_TAKERS,
            method="POST",
            data=lambda w: {
                f"m{w.extra['item'].pk}-minutes": "x",
                f"m{w.extra['item'].pk}-version": "99",
            },
            setup=_meeting,
            label="leerling met toestemming",
        ),
        RouteSpec(
            kwargs=lambda w: {"pk": w.extra["hidden_item"].pk},
            allowed=CASE_STAFF,
            method="POST",
            setup=_meeting,
            label="leerling zonder toestemming: niet voor het team van buiten de school",
        ),
    ],
    "meetings:decide": RouteSpec(kwargs=_i, allowed=MINUTE_TAKERS, method="POST", setup=_meeting),
    "meetings:remove_item": RouteSpec(kwargs=_i, allowed=CASE_STAFF, method="POST", setup=_meeting),
    "meetings:remove_guest": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["sent_guest"].pk},
        allowed=MINUTE_TAKERS,
        method="POST",
        setup=_meeting,
    ),
    "meetings:send_correction": RouteSpec(
        kwargs=_g, allowed=MINUTE_TAKERS, method="POST", setup=_meeting
    ),
    "meetings:record_correction": RouteSpec(kwargs=_g, allowed=MINUTE_TAKERS, setup=_meeting),
}
