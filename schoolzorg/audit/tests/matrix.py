"""Authorization matrix: the read log and break-the-glass (see schoolzorg/audit/matrix.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from schoolzorg.audit.matrix import CARE_TEAM, CASE_STAFF, RouteSpec, World

OFFICER = {"privacy_officer"}
# Professionals with a pupil-facing role, also without a relationship to this pupil.
MAY_BREAK_GLASS = CASE_STAFF | CARE_TEAM | {"outsider", "other_team_worker"}


def _grant(world: World) -> None:
    from schoolzorg.audit.models import BreakGlassGrant

    now = timezone.now()
    world.extra["grant"] = BreakGlassGrant.objects.create(
        user=world.users["outsider"],
        pupil_id=world.pupil.pk,
        pupil_label="x",
        role="support_coordinator",
        organisation_id=world.other_school.pk,  # in the privacy officer's municipality
        organisation_label=world.other_school.name,
        reason="Matrix: acute zorg, IB-er niet bereikbaar",
        granted_at=now - dt.timedelta(hours=3),
        expires_at=now - dt.timedelta(hours=2),
    )


def _last_monday() -> str:
    today = timezone.localdate()
    return (today - dt.timedelta(days=today.weekday() + 7)).isoformat()


ROUTES = {
    "audit:index": RouteSpec(allowed=OFFICER, query="q=Matrix"),
    "audit:user_log": RouteSpec(
        kwargs=lambda w: {"user_id": w.users["coordinator"].pk}, allowed=OFFICER
    ),
    "audit:changes": RouteSpec(allowed=OFFICER),
    "audit:pupil_log": RouteSpec(
        kwargs=lambda w: {"pupil_id": w.pupil.pk}, allowed={"coordinator"}
    ),
    "audit:pupil_log_for_parents": RouteSpec(
        kwargs=lambda w: {"pupil_id": w.pupil.pk}, allowed={"coordinator"}
    ),
    "audit:pupil_changes": RouteSpec(
        kwargs=lambda w: {"pupil_id": w.pupil.pk}, allowed={"coordinator"}
    ),
    "audit:break_glass": RouteSpec(allowed=MAY_BREAK_GLASS),
    "audit:break_glass_reviews": RouteSpec(allowed=OFFICER, setup=_grant),
    "audit:break_glass_review": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["grant"].pk},
        allowed=OFFICER,
        method="POST",
        data=lambda w: {"verdict": "justified", "note": ""},
        setup=_grant,
    ),
    "audit:weekly": RouteSpec(allowed=OFFICER, query=f"week={_last_monday()}"),
    "audit:weekly_sign_off": RouteSpec(
        kwargs=lambda w: {"week": _last_monday()},
        allowed=OFFICER,
        method="POST",
        data=lambda w: {"note": "gezien"},
    ),
}
