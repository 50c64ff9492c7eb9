"""Authorization matrix: pupil search and the pupil page (see schoolzorg/audit/matrix.py)."""

from __future__ import annotations

from schoolzorg.audit.matrix import (
    SEES_PUPIL,
    SEES_PUPIL_WITHOUT_CONSENT,
    SIGNED_IN,
    RouteSpec,
)

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
}
