"""Authorization matrix: requests for early destruction and the register (see
schoolzorg/audit/matrix.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from schoolzorg.audit.matrix import RouteSpec, World

COORDINATOR = {"coordinator"}  # the support coordinator of the pupil's school answers for its file
# The school social worker answers for the provider's file once the provider had contact.
SOCIAL_WORKER = {"social_worker"}


def _request(world: World) -> None:
    from schoolzorg.retention.models import DestructionRecord, DestructionRequest

    world.extra["request"] = DestructionRequest.objects.create(
        pupil=world.pupil,
        organisation=world.school,
        kind="school",
        requester="guardian",
        received_on=dt.date(2026, 11, 2),
        note="Matrix: per brief van de moeder",
        recorded_by=world.users["coordinator"],
    )
    # The register shows something, not only its empty state.
    DestructionRecord.objects.create(
        at=dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC),
        organisation=world.school,
        organisation_label=world.school.name,
        kind="school",
        reason="expired",
        records=3,
        counts={"casussen": 1, "inschrijvingen": 1, "documenten": 1},
        basis="Bewaartermijn verstreken: 2 jaar nadat de leerling van school ging",
    )


def _contact(world: World) -> None:
    from schoolzorg.cases.tests.factories import CaseFactory, contact

    social_worker = world.users["social_worker"]
    case = CaseFactory(pupil=world.pupil, raised_by=world.users["coordinator"])
    contact(case, social_worker, _provider(world))


def _provider(world: World) -> Any:
    from schoolzorg.organisations.models import SocialWorkProvider

    membership = world.users["social_worker"].memberships.get()
    return SocialWorkProvider.objects.get(pk=membership.organisation_id)


def _provider_request(world: World) -> None:
    from schoolzorg.retention.models import DestructionRequest

    _contact(world)
    world.extra["request"] = DestructionRequest.objects.create(
        pupil=world.pupil,
        organisation=_provider(world),
        kind="youth_care",
        requester="guardian",
        received_on=dt.date(2026, 11, 2),
        note="Matrix: per brief van de vader",
        recorded_by=world.users["social_worker"],
    )


def _request_routes(allowed: set[str], setup: Any) -> dict[str, list[RouteSpec]]:
    """The routes of one open request, for those who answer for its file."""
    return {
        "retention:detail": [
            RouteSpec(kwargs=lambda w: {"pk": w.extra["request"].pk}, allowed=allowed, setup=setup)
        ],
        "retention:refuse": [
            RouteSpec(
                kwargs=lambda w: {"pk": w.extra["request"].pk},
                allowed=allowed,
                method="POST",
                data=lambda w: {"reason": "Van aanmerkelijk belang voor een ander"},
                setup=setup,
            )
        ],
        "retention:carry_out": [
            RouteSpec(kwargs=lambda w: {"pk": w.extra["request"].pk}, allowed=allowed, setup=setup),
            RouteSpec(
                kwargs=lambda w: {"pk": w.extra["request"].pk},
                allowed=allowed,
                method="POST",
                data=lambda w: {"confirm": "on"},
                setup=setup,
            ),
        ],
    }


_SCHOOL_FILE = _request_routes(COORDINATOR, _request)
_PROVIDER_FILE = _request_routes(SOCIAL_WORKER, _provider_request)

ROUTES: dict[str, RouteSpec | list[RouteSpec]] = {
    "retention:register": RouteSpec(allowed={"privacy_officer"}, setup=_request),
    "retention:new_request": [
        RouteSpec(kwargs=lambda w: {"pupil_pk": w.pupil.pk}, allowed=COORDINATOR),
        RouteSpec(
            kwargs=lambda w: {"pupil_pk": w.pupil.pk},
            allowed=COORDINATOR | SOCIAL_WORKER,
            setup=_contact,
            label="the provider had contact about the pupil",
        ),
    ],
    **{name: _SCHOOL_FILE[name] + _PROVIDER_FILE[name] for name in _SCHOOL_FILE},
}
