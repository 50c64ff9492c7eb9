"""Authorization matrix: instrument pages (see schoolzorg/audit/matrix.py).

Assessments belong to the full file; child-safety and reporting-code material only to the support
coordinator and the school social worker of the pupil's school. Pages that a viewer may reach but
not change (a colleague's draft) redirect to the read-only page: that counts as reached.
"""

from __future__ import annotations

from typing import Any

from schoolzorg.audit.matrix import FULL_WITH_CONSENT, SIGNED_IN, RouteSpec, World

CHILD_SAFETY = frozenset({"coordinator", "social_worker"})


def _severity_done(world: World) -> None:
    from schoolzorg.assessments.tests.factories import completed_severity

    world.extra["severity"] = completed_severity(world.pupil, world.users["coordinator"])


def _severity_draft(world: World) -> None:
    from schoolzorg.assessments import services

    world.extra["draft"] = services.start_assessment(
        world.pupil, "severity", by=world.users["coordinator"]
    )


def _safety_done(world: World) -> None:
    from schoolzorg.assessments.tests.factories import completed_safety

    world.extra["safety"] = completed_safety(world.pupil, world.users["coordinator"])


def _pk(key: str) -> Any:
    return lambda w: {"pk": w.extra[key].pk}


ROUTES = {
    # The list of instrument versions holds no pupil data.
    "assessments:definitions": RouteSpec(allowed=SIGNED_IN),
    "assessments:start": [
        RouteSpec(
            kwargs=lambda w: {"pupil_pk": w.pupil.pk, "code": "severity"},
            allowed=FULL_WITH_CONSENT,
            label="ernsttaxatie starten",
        ),
        RouteSpec(
            kwargs=lambda w: {"pupil_pk": w.pupil.pk, "code": "child_safety"},
            allowed=CHILD_SAFETY,
            label="veiligheidsinschatting starten",
        ),
        RouteSpec(
            kwargs=lambda w: {"pupil_pk": w.pupil.pk, "code": "reporting_code"},
            allowed=CHILD_SAFETY,
            label="meldcode starten",
        ),
    ],
    "assessments:safety_list": RouteSpec(
        kwargs=lambda w: {"pupil_pk": w.pupil.pk}, allowed=CHILD_SAFETY
    ),
    "assessments:detail": [
        RouteSpec(
            kwargs=_pk("severity"),
            allowed=FULL_WITH_CONSENT,
            setup=_severity_done,
            label="ernsttaxatie",
        ),
        RouteSpec(
            kwargs=_pk("safety"),
            allowed=CHILD_SAFETY,
            setup=_safety_done,
            label="veiligheidsinschatting",
        ),
    ],
    "assessments:fill": [
        RouteSpec(
            kwargs=_pk("draft"),
            allowed=FULL_WITH_CONSENT,
            setup=_severity_draft,
            label="concept (anderen dan de auteur: doorgestuurd naar lezen)",
        ),
    ],
    "assessments:complete": [
        RouteSpec(
            kwargs=_pk("draft"),
            allowed=FULL_WITH_CONSENT,
            setup=_severity_draft,
            label="concept afronden (anderen: doorgestuurd naar lezen)",
        ),
    ],
    "assessments:review": [
        RouteSpec(
            kwargs=_pk("safety"),
            allowed=CHILD_SAFETY,
            setup=_safety_done,
            label="veiligheidsinschatting bespreken (auteur: doorgestuurd)",
        ),
    ],
}
