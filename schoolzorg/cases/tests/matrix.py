"""Authorization matrix for cases, documents, school social work and anonymous consultations.

See schoolzorg/audit/matrix.py. Most specs use the pupil WITHOUT care-team consent, so only the
school's case staff see the case; one detail spec adds the nurse and the neighbourhood team worker
to the care team and uses the consented pupil, proving they then see the case too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from schoolzorg.audit.matrix import CARE_TEAM, CASE_STAFF, SIGNED_IN, RouteSpec, World

PDF = b"%PDF-1.4\n%%EOF\n"


def _case_for(world: World, pupil: Any) -> Any:
    from schoolzorg.cases.services import register_concern

    return register_concern(
        pupil, category="absence", description="Komt vaak te laat.", by=world.users["coordinator"]
    )


def _case(world: World) -> None:
    world.extra["case"] = _case_for(world, world.pupil_without_consent)


def _case_with_care_team(world: World) -> None:
    from schoolzorg.careteams.models import CareTeamMember, TeamRole
    from schoolzorg.careteams.tests.factories import CareTeamFactory

    team = CareTeamFactory(school=world.school)
    for actor, role in (
        ("nurse", TeamRole.YOUTH_HEALTH_NURSE),
        ("team_worker", TeamRole.NEIGHBOURHOOD_TEAM_WORKER),
    ):
        CareTeamMember.objects.create(
            team=team, user=world.users[actor], role=role, joined_on=dt.date(2020, 1, 1)
        )
    world.extra["case"] = _case_for(world, world.pupil)


def _document(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schoolzorg.cases.services import add_document

    _case(world)
    world.extra["document"] = add_document(
        world.extra["case"],
        upload=SimpleUploadedFile("verslag.pdf", PDF),
        by=world.users["coordinator"],
        max_bytes=1024 * 1024,
    )


def _provider(world: World) -> None:
    from schoolzorg.accounts.models import Membership

    _case(world)
    world.extra["provider_pk"] = (
        Membership.objects.filter(user=world.users["social_worker"]).get().organisation_id
    )


def _consultation(world: World) -> None:
    from schoolzorg.cases.services import record_consultation

    world.extra["consultation"] = record_consultation(
        school=world.school,
        category="absence",
        summary="Kind is vaak alleen thuis.",
        held_on=timezone.localdate(),
        participants="IB, SMW",
        by=world.users["coordinator"],
    )


def _c(world: World) -> dict[str, int]:
    return {"pk": world.extra["case"].pk}


# Case staff of another school (the outsider) may open the consultation pages: they list and
# record consultations of the outsider's own school only (the canary: no foreign rows shown).
CONSULTING = CASE_STAFF | {"outsider"}

ROUTES = {
    # "Mijn werk" names the pupil of the IB-er's open case: the matrix checks it is not cached.
    "home": RouteSpec(allowed=SIGNED_IN, setup=_case, label="Mijn werk met een casus"),
    "cases:list": RouteSpec(allowed=SIGNED_IN, setup=_case, label="lijst, gefilterd"),
    "cases:register": RouteSpec(
        kwargs=lambda w: {"pupil_pk": w.pupil_without_consent.pk},
        allowed=CASE_STAFF | {"teacher_own_group"},
    ),
    "cases:detail": [
        RouteSpec(kwargs=_c, allowed=CASE_STAFF, setup=_case, label="zonder toestemming"),
        RouteSpec(
            kwargs=_c,
            allowed=CASE_STAFF | CARE_TEAM,
            setup=_case_with_care_team,
            label="met toestemming, zorgteam",
        ),
    ],
    "cases:add_event": RouteSpec(
        kwargs=_c, allowed=CASE_STAFF, setup=_case, method="POST", data=lambda w: {"text": ""}
    ),
    "cases:change_status": RouteSpec(
        kwargs=_c, allowed=CASE_STAFF, setup=_case, method="POST", data=lambda w: {}
    ),
    "cases:set_coordinator": RouteSpec(
        kwargs=_c, allowed=CASE_STAFF, setup=_case, method="POST", data=lambda w: {}
    ),
    "cases:upload": RouteSpec(
        kwargs=_c, allowed=CASE_STAFF, setup=_case, method="POST", data=lambda w: {}
    ),
    "cases:add_contact": RouteSpec(
        kwargs=_c, allowed={"social_worker"}, setup=_case, method="POST", data=lambda w: {}
    ),
    "cases:download": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["document"].pk}, allowed=CASE_STAFF, setup=_document
    ),
    "cases:caseload": RouteSpec(allowed={"social_worker"}, setup=_case),
    "cases:add_school_contact": RouteSpec(
        allowed={"social_worker"}, method="POST", data=lambda w: {}
    ),
    "cases:hours": RouteSpec(allowed={"social_worker"}, setup=_provider),
    "cases:export_hours": RouteSpec(
        kwargs=lambda w: {"provider_pk": w.extra["provider_pk"], "fmt": "csv"},
        allowed={"social_worker"},
        setup=_provider,
    ),
    "cases:consultations": RouteSpec(allowed=CONSULTING, setup=_consultation),
    "cases:consultation_new": RouteSpec(allowed=CONSULTING),
    "cases:consultation_convert": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["consultation"].pk},
        allowed=CASE_STAFF,
        setup=_consultation,
    ),
}
