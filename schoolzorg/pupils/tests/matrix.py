"""Authorization matrix: pupil search and the pupil page (see schoolzorg/audit/matrix.py)."""

from __future__ import annotations

import datetime as dt

from schoolzorg.audit.matrix import (
    SEES_PUPIL,
    SEES_PUPIL_WITHOUT_CONSENT,
    SIGNED_IN,
    RouteSpec,
    World,
)


def _lives_in_the_district(world: World) -> None:
    """The world's pupil lives in the school's district (postcode 3503 AB); 3501 AB is known
    too, so a move can be recorded there."""
    from schoolzorg.organisations.models import PostcodeArea
    from schoolzorg.pupils.services import move_pupil

    for postcode in ("3503AB", "3501AB"):
        PostcodeArea.objects.get_or_create(
            postcode=postcode,
            defaults={"district": world.school.district, "municipality": world.municipality},
        )
    move_pupil(world.pupil, "3503AB", house_number="12", on=dt.date(2020, 8, 1))
    world.extra["residence"] = world.pupil.residences.get(moved_out_on__isnull=True)


ROUTES = {
    # Everyone signed in may search; results are filtered (the canary test checks them).
    "pupils:search": RouteSpec(allowed=SIGNED_IN, query="q=Matrixkind"),
    "api-pupil-list": RouteSpec(allowed=SIGNED_IN, query="naam=Matrixkind"),
    "api-pupil-detail": [
        RouteSpec(
            kwargs=lambda w: {"pk": w.pupil.pk}, allowed=SEES_PUPIL, label="API, toestemming"
        ),
        RouteSpec(
            kwargs=lambda w: {"pk": w.pupil_without_consent.pk},
            allowed=SEES_PUPIL_WITHOUT_CONSENT,
            label="API, zonder toestemming",
        ),
    ],
    "pupils:detail": [
        RouteSpec(
            kwargs=lambda w: {"pk": w.pupil.pk},
            allowed=SEES_PUPIL,
            label="leerling met toestemming zorgteam",
        ),
        RouteSpec(
            kwargs=lambda w: {"pk": w.pupil_without_consent.pk},
            allowed=SEES_PUPIL_WITHOUT_CONSENT,
            label="leerling zonder toestemming",
        ),
    ],
    # Only the support coordinator of the pupil's school records a move (docs/permissions.md).
    "pupils:move": [
        RouteSpec(
            kwargs=lambda w: {"pk": w.pupil.pk},
            allowed={"coordinator"},
            setup=_lives_in_the_district,
            label="formulier met het huidige adres",
        ),
        RouteSpec(
            kwargs=lambda w: {"pk": w.pupil.pk},
            allowed={"coordinator"},
            setup=_lives_in_the_district,
            method="POST",
            data=lambda w: {
                "postcode": "3501 AB",
                "house_number": "7",
                "moved_on": dt.date.today().isoformat(),
                "expected": w.extra["residence"].pk,
            },
            label="verhuizing vastleggen",
        ),
    ],
}
