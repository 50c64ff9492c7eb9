"""Authorization matrix: calendar pages (see schoolzorg/audit/matrix.py).

Holiday review belongs to the functional administrator; a school's study days to its support
coordinator (and director, who is no actor in the world). No page here shows pupil data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from schoolzorg.audit.matrix import RouteSpec, World

ADMIN = frozenset({"functional_admin"})
SCHOOL_LEADS = frozenset({"coordinator"})


def _pending(world: World) -> None:
    from schoolzorg.calendars.tests.factories import SchoolHolidayFactory

    world.extra["holiday"] = SchoolHolidayFactory(
        status="pending",
        flag_reason="Voorjaarsvakantie duurt 37 dagen",
        start_on=dt.date(2027, 2, 13),
        end_on=dt.date(2027, 3, 21),
    )


def _closure(world: World) -> None:
    from schoolzorg.calendars.tests.factories import SchoolClosureFactory

    world.extra["closure"] = SchoolClosureFactory(school=world.school, date=dt.date(2099, 10, 5))


def _school(world: World) -> dict[str, Any]:
    return {"school_id": world.school.pk}


ROUTES = {
    "calendars:index": RouteSpec(
        allowed=ADMIN | SCHOOL_LEADS | {"outsider"},
        label="elke IB-er komt bij de eigen school uit",
    ),
    "calendars:review_list": RouteSpec(allowed=ADMIN, setup=_pending),
    "calendars:upload": RouteSpec(allowed=ADMIN),
    "calendars:review_detail": [
        RouteSpec(kwargs=lambda w: {"pk": w.extra["holiday"].pk}, allowed=ADMIN, setup=_pending),
        RouteSpec(
            kwargs=lambda w: {"pk": w.extra["holiday"].pk},
            allowed=ADMIN,
            setup=_pending,
            method="POST",
            data=lambda w: {"decision": "reject", "note": "matrix"},
            label="afwijzen",
        ),
    ],
    "calendars:closures": [
        RouteSpec(kwargs=_school, allowed=SCHOOL_LEADS),
        RouteSpec(
            kwargs=_school,
            allowed=SCHOOL_LEADS,
            method="POST",
            data=lambda w: {"date": "2099-10-06", "reason": "Studiedag"},
            label="studiedag toevoegen",
        ),
    ],
    "calendars:closure_delete": RouteSpec(
        kwargs=lambda w: {"school_id": w.school.pk, "pk": w.extra["closure"].pk},
        allowed=SCHOOL_LEADS,
        method="POST",
        setup=_closure,
    ),
}
