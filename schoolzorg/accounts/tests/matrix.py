"""Authorization matrix: the login pages (see schoolzorg/audit/matrix.py)."""

from __future__ import annotations

from schoolzorg.audit.matrix import EVERYONE, SIGNED_IN, RouteSpec

ROUTES = {
    # Signed-in users are sent home; anonymous users see the form.
    "accounts:login": RouteSpec(allowed=EVERYONE, label="publiek: inlogformulier"),
    "accounts:verify": RouteSpec(allowed=SIGNED_IN),
    "accounts:setup": RouteSpec(allowed=SIGNED_IN),
    "accounts:reauth": RouteSpec(allowed=SIGNED_IN),
    "accounts:account": RouteSpec(allowed=SIGNED_IN, label="eigen account"),
    "accounts:logout": RouteSpec(
        allowed=EVERYONE, method="POST", crawl=False, ends_at_login=True, label="uitloggen"
    ),
}
