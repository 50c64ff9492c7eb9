"""Authorization matrix for integral plans (see schoolzorg/audit/matrix.py).

The plan is about the pupil without care-team consent: only the school's case staff see it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from conftest import weekday
from schoolzorg.audit.matrix import CASE_STAFF, RouteSpec, World


def _plan(world: World) -> None:
    from schoolzorg.plans import services

    by = world.users["coordinator"]
    part = services.start_plan(world.pupil_without_consent, by=by)
    goal = services.add_goal(
        part,
        description="Noor gaat met plezier naar school",
        criterion="4 van de 5 dagen op tijd",
        owner=by,
        target_on=timezone.localdate() + dt.timedelta(days=60),
        review_on=timezone.localdate() + dt.timedelta(days=30),
        by=by,
    )
    action = services.add_action(
        part,
        description="Dagritmekaart",
        domain="school",
        owner=by,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=7)),
        by=by,
    )
    world.extra.update(plan=part.plan, part=part, goal=goal, action=action)


def _p(world: World) -> dict[str, int]:
    return {"pk": world.extra["plan"].pk}


def _part(world: World) -> dict[str, int]:
    return {"part_pk": world.extra["part"].pk}


ROUTES = {
    "plans:start": RouteSpec(
        kwargs=lambda w: {"pupil_pk": w.pupil_without_consent.pk},
        allowed=CASE_STAFF,
        method="POST",
        data=lambda w: {},
    ),
    "plans:detail": RouteSpec(kwargs=_p, allowed=CASE_STAFF, setup=_plan),
    "plans:edit": RouteSpec(kwargs=_p, allowed=CASE_STAFF, setup=_plan),
    "plans:agreement": RouteSpec(
        kwargs=_p, allowed=CASE_STAFF, setup=_plan, method="POST", data=lambda w: {}
    ),
    "plans:versions": RouteSpec(kwargs=_p, allowed=CASE_STAFF, setup=_plan),
    "plans:pdf": RouteSpec(kwargs=_p, allowed=CASE_STAFF, setup=_plan),
    "plans:add_goal": RouteSpec(
        kwargs=_part, allowed=CASE_STAFF, setup=_plan, method="POST", data=lambda w: {}
    ),
    "plans:add_action": RouteSpec(
        kwargs=_part, allowed=CASE_STAFF, setup=_plan, method="POST", data=lambda w: {}
    ),
    "plans:action_status": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["action"].pk},
        allowed=CASE_STAFF,
        setup=_plan,
        method="POST",
        data=lambda w: {},
    ),
    "plans:coordinator": RouteSpec(
        kwargs=_p, allowed=CASE_STAFF, setup=_plan, method="POST", data=lambda w: {}
    ),
    "plans:action_owner": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["action"].pk},
        allowed=CASE_STAFF,
        setup=_plan,
        method="POST",
        data=lambda w: {},
    ),
    "plans:add_review": RouteSpec(
        kwargs=lambda w: {"goal_pk": w.extra["goal"].pk}, allowed=CASE_STAFF, setup=_plan
    ),
    # Who may edit the plan removes a goal added by mistake; the first allowed actor removes
    # it, the others get the plan back with "Dit doel was al verwijderd." (302, not a 404).
    "plans:remove_goal": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["plan"].pk, "goal_pk": w.extra["goal"].pk},
        allowed=CASE_STAFF,
        setup=_plan,
        method="POST",
        data=lambda w: {},
    ),
}
