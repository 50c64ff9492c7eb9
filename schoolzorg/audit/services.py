"""Write read-log entries; called by views and exports in the same transaction as the read."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from schoolzorg.audit.models import AccessLogEntry

# Only `scripts/bench.sh` sets this, to measure what the read log costs; never set in production.
_BENCH_NO_READ_LOG = os.environ.get("SCHOOLZORG_BENCH_NO_READ_LOG") == "1"


@dataclass(frozen=True)
class Basis:
    """Why a user may see a pupil: the relationship and, where one exists, its record id."""

    kind: str  # membership, case, referral, break_the_glass, consent, ...
    role: str = ""
    organisation_id: int | None = None
    organisation_label: str = ""
    ref: str = ""


def record_access(
    request: HttpRequest | None,
    *,
    action: str,
    pupil_id: int | None,
    basis: Basis | None,
    obj: Any = None,
    detail: str = "",
    user: Any = None,
) -> AccessLogEntry:
    """Append one read-log entry for a read of a pupil's data."""
    if _BENCH_NO_READ_LOG:
        return AccessLogEntry(pupil_id=pupil_id, action=action)
    user = user or (request.user if request is not None else None)
    meta = request.META if request is not None else {}
    return AccessLogEntry.objects.create(
        at=timezone.now(),
        user_id=getattr(user, "pk", None),
        user_label=str(user) if user is not None else "systeem",
        role=basis.role if basis else "",
        organisation_id=basis.organisation_id if basis else None,
        organisation_label=basis.organisation_label if basis else "",
        pupil_id=pupil_id,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        basis=basis.kind if basis else "",
        basis_ref=basis.ref if basis else "",
        client_address=meta.get("REMOTE_ADDR") or None,
        request_id=getattr(request, "request_id", "") if request is not None else "",
        detail=detail[:300],
    )
