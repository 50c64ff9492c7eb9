"""Authorization matrix: home, public pages and school pages (see schoolzorg/audit/matrix.py)."""

from __future__ import annotations

from schoolzorg.audit.matrix import EVERYONE, SIGNED_IN, RouteSpec

# Schools are public registry data (DUO); members see the schools their memberships work at
# (the service desk works for the municipality's providers, not at a school).
_SEES_SCHOOL = SIGNED_IN - {"outsider", "other_team_worker", "service_desk"}

ROUTES = {
    "home": RouteSpec(allowed=SIGNED_IN),
    "health": RouteSpec(allowed=EVERYONE, label="publiek: gezondheidscontrole"),
    "sources": RouteSpec(allowed=EVERYONE, label="publiek: bronnen en licenties"),
    "privacy": RouteSpec(allowed=EVERYONE, label="publiek: privacyverklaring"),
    "organisations:school_list": RouteSpec(allowed=SIGNED_IN),
    "organisations:school_detail": RouteSpec(
        kwargs=lambda w: {"pk": w.school.pk}, allowed=_SEES_SCHOOL
    ),
}
