"""Authorization matrix: requests for early destruction and the register (see
schoolzorg/audit/matrix.py)."""

from __future__ import annotations

import datetime as dt

from schoolzorg.audit.matrix import RouteSpec, World

COORDINATOR = {"coordinator"}  # the support coordinator of the pupil's school answers for its file


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


ROUTES = {
    "retention:register": RouteSpec(allowed={"privacy_officer"}, setup=_request),
    "retention:new_request": RouteSpec(
        kwargs=lambda w: {"pupil_pk": w.pupil.pk}, allowed=COORDINATOR
    ),
    "retention:detail": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["request"].pk}, allowed=COORDINATOR, setup=_request
    ),
    "retention:refuse": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["request"].pk},
        allowed=COORDINATOR,
        method="POST",
        data=lambda w: {"reason": "Van aanmerkelijk belang voor een ander"},
        setup=_request,
    ),
    "retention:carry_out": [
        RouteSpec(
            kwargs=lambda w: {"pk": w.extra["request"].pk}, allowed=COORDINATOR, setup=_request
        ),
        RouteSpec(
            kwargs=lambda w: {"pk": w.extra["request"].pk},
            allowed=COORDINATOR,
            method="POST",
            data=lambda w: {"confirm": "on"},
            setup=_request,
        ),
    ],
}
