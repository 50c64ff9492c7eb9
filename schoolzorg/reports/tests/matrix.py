"""Authorization matrix: the municipality's figures (see schoolzorg/audit/matrix.py).

Another municipality's figures (`?gemeente=<id>`) are refused in `test_views.py`.
"""

from __future__ import annotations

from schoolzorg.audit.matrix import EVERYONE, RouteSpec

ANALYST = frozenset({"analyst"})

ROUTES = {
    "reports:index": RouteSpec(allowed=ANALYST, label="cijfers eigen gemeente"),
    "reports:export": RouteSpec(allowed=ANALYST, label="CSV eigen gemeente"),
    "reports:floor": RouteSpec(allowed=EVERYONE, label="publiek: vaste kleine tekst, geen data"),
}
