"""Write read-log entries. A view that only reads logs after the read and opens no transaction
around it (on SQLite a transaction holds the database's only write lock from its start): one
entry is one INSERT, committed by itself; a list's entries share one transaction that
`record_accesses` opens. A view that writes logs inside the write's transaction."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from schoolzorg.audit.models import AccessLogEntry, Action, BreakGlassGrant, WeeklyReview
from schoolzorg.lib import formtokens, requestcache
from schoolzorg.lib.clients import client_address
from schoolzorg.lib.validators import is_blank

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


@dataclass(frozen=True)
class Read:
    """One pupil shown to the user, for `record_accesses`."""

    pupil_id: int
    basis: Basis | None
    obj: Any = None


def _values(
    request: HttpRequest | None,
    user: Any,
    *,
    at: dt.datetime,
    action: str,
    pupil_id: int | None,
    basis: Basis | None,
    obj: Any,
    detail: str,
) -> dict[str, Any]:
    """The fields of one entry, by attribute name."""
    return {
        "at": at,
        "user_id": getattr(user, "pk", None),
        "user_label": str(user) if user is not None else "systeem",
        "role": basis.role if basis else "",
        "organisation_id": basis.organisation_id if basis else None,
        "organisation_label": basis.organisation_label if basis else "",
        "pupil_id": pupil_id,
        "action": action,
        "object_type": obj._meta.label if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "basis": basis.kind if basis else "",
        "basis_ref": basis.ref if basis else "",
        "client_address": client_address(request),
        "request_id": getattr(request, "request_id", "") if request is not None else "",
        "detail": detail[:300],
    }


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
    entry = AccessLogEntry(
        **_values(
            request,
            user,
            at=timezone.now(),
            action=action,
            pupil_id=pupil_id,
            basis=basis,
            obj=obj,
            detail=detail,
        )
    )
    entry.save(force_insert=True)
    return entry


def record_accesses(
    request: HttpRequest, reads: Iterable[Read], *, action: str, detail: str
) -> int:
    """One entry per pupil shown in a list (the first read of each), in one prepared statement.

    Written in one transaction: the caller's, else one of its own (50 rows, one commit).
    Returns the number of entries written.
    """
    if _BENCH_NO_READ_LOG:
        return 0
    now = timezone.now()
    seen: set[int] = set()
    entries = []
    for read in reads:
        if read.pupil_id in seen:
            continue
        seen.add(read.pupil_id)
        entries.append(
            _values(
                request,
                request.user,
                at=now,
                action=action,
                pupil_id=read.pupil_id,
                basis=read.basis,
                obj=read.obj,
                detail=detail,
            )
        )
    with transaction.atomic(using=router.db_for_write(AccessLogEntry), savepoint=False):
        _insert(entries)
    return len(entries)


_FIELDS = [f for f in AccessLogEntry._meta.concrete_fields if not f.primary_key]
_COLUMNS = [str(f.column) for f in _FIELDS]
# Text and integer values go to the driver as they are; the others (the time, the address) are
# converted by their field, once per distinct value (a list page shares both over all rows).
_CONVERT = [f.get_internal_type() not in ("CharField", "BigIntegerField") for f in _FIELDS]


def _insert(entries: list[dict[str, Any]]) -> None:
    """One prepared INSERT for all entries (`executemany`: psycopg sends them in one pipeline):
    the ORM's `bulk_create` spends more time compiling and converting 15 fields per row than the
    database spends writing 50 rows, and a multi-row VALUES text is too long for psycopg's
    query cache, so it would be parsed again on every page."""
    if not entries:
        return
    connection = connections[router.db_for_write(AccessLogEntry)]
    quote = connection.ops.quote_name
    # Identifiers come from the model, every value is a parameter.
    table = quote(AccessLogEntry._meta.db_table)
    columns = ", ".join(quote(c) for c in _COLUMNS)
    head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
    row = "(" + ", ".join(["%s"] * len(_FIELDS)) + ")"
    converted: dict[tuple[str, Any], Any] = {}

    def values(entry: dict[str, Any]) -> list[Any]:
        found = []
        for field, convert in zip(_FIELDS, _CONVERT, strict=True):
            raw = entry[field.attname]
            if convert and raw is not None:
                key = (field.attname, raw)
                if key not in converted:
                    converted[key] = field.get_db_prep_save(raw, connection)
                raw = converted[key]
            found.append(raw)
        return found

    rows = [values(e) for e in entries]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > 1:
            # One statement: each column one array parameter, unnested into the rows.
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in _FIELDS)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})",  # noqa: S608
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            cursor.executemany(head + row, rows)


# --- Break-the-glass ------------------------------------------------------------------------

BREAK_GLASS_MINUTES = 60


class AuditError(ValueError):
    """A write the read-log rules refuse; the message is plain Dutch."""


REASON_TOO_SHORT = "Beschrijf in ten minste een zin (20 tekens) waarom dit nu nodig is."


@transaction.atomic
def grant_break_glass(
    user: Any,
    *,
    pupil_id: int,
    pupil_label: str,
    reason: str,
    membership: Any,
    request: HttpRequest | None = None,
    form_token: uuid.UUID | None = None,
) -> tuple[BreakGlassGrant, bool]:
    """Open one pupil's file to one user for 60 minutes, with a reason, for later review.

    Returns the grant and whether it is new. One grant at a time per user and pupil: the form's
    `form_token` sent again (a double click, the back button) finds the grant of the first send,
    and while a grant for the pupil is still open a new request returns that one; each grant
    is a review for the privacy officer, so a second would only be a second review.
    """
    now = timezone.now()
    same = {"user_id": user.pk, "pupil_id": pupil_id}
    first = formtokens.sent_before(BreakGlassGrant, form_token, error=AuditError, **same)
    if first is not None:
        if not first.is_active_at(now):  # the back button after the hour: ask for a new form
            raise AuditError(formtokens.REUSED)
        return first, False
    reason = reason.strip()
    if len(reason) < 20:
        raise AuditError(REASON_TOO_SHORT)
    open_grant = BreakGlassGrant.objects.filter(
        user=user, pupil_id=pupil_id, granted_at__lte=now, expires_at__gt=now
    ).first()
    if open_grant is not None:
        return open_grant, False
    grant, new = formtokens.create_once(
        BreakGlassGrant,
        form_token,
        error=AuditError,
        same=same,
        user=user,
        pupil_id=pupil_id,
        pupil_label=pupil_label[:200],
        role=membership.role,
        organisation_id=membership.organisation_id,
        organisation_label=str(membership.organisation)[:200],
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    if not new:
        return grant, False
    requestcache.clear()  # the grant opens the file from this very request on
    record_access(
        request,
        user=user,
        action=Action.CREATE,
        pupil_id=pupil_id,
        basis=Basis(
            "break_the_glass",
            grant.role,
            grant.organisation_id,
            grant.organisation_label,
            str(grant.pk),
        ),
        obj=grant,
        detail="noodtoegang geopend",
    )
    return grant, True


@transaction.atomic
def review_break_glass(grant: BreakGlassGrant, *, by: Any, verdict: str, note: str) -> None:
    """Record the privacy officer's verdict once; a second review of the same grant is refused."""
    if verdict not in ("justified", "unjustified"):
        raise AuditError("Kies of de noodtoegang terecht was.")
    if verdict == "unjustified" and is_blank(note):
        raise AuditError("Licht toe waarom de noodtoegang niet terecht was.")
    changed = BreakGlassGrant.objects.filter(pk=grant.pk, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=by, review_verdict=verdict, review_note=note
    )
    if not changed:
        raise AuditError("Deze noodtoegang is al beoordeeld.")


@dataclass(frozen=True)
class OfficerWork:
    """What waits for a privacy officer: the log's start page and their "Mijn werk" panel."""

    open_grants: int
    last_week: dt.date
    last_week_review: WeeklyReview | None


def officer_work(scope: Any) -> OfficerWork:
    """Break-the-glass grants in the scope not yet reviewed, and last week's sign-off of the
    scope's first owner."""
    from schoolzorg.audit.anomalies import week_of
    from schoolzorg.audit.policies import scoped_grants

    last_week = week_of(timezone.localdate()) - dt.timedelta(days=7)
    return OfficerWork(
        open_grants=scoped_grants(scope).filter(reviewed_at__isnull=True).count(),
        last_week=last_week,
        last_week_review=week_review(last_week, scope.owner_ids[0]),
    )


def week_review(week_start: dt.date, organisation_id: int) -> WeeklyReview | None:
    """The sign-off of one owner's week: the owner's own, else a sign-off of the whole log from
    before the report was split per owner (no organisation), which covered every entry."""
    return (
        WeeklyReview.objects.filter(week_start=week_start)
        .filter(Q(organisation_id=organisation_id) | Q(organisation_id__isnull=True))
        .select_related("signed_off_by")
        .order_by(F("organisation_id").asc(nulls_last=True))
        .first()
    )


WEEK_NOT_OVER = "Deze week is nog niet voorbij; u kunt hem aftekenen vanaf maandag."


def week_is_over(week_start: dt.date, today: dt.date | None = None) -> bool:
    """Whether the week that starts on `week_start` (a Monday) has ended, its Sunday included."""
    return week_start <= (today or timezone.localdate()) - dt.timedelta(days=7)


@transaction.atomic
def sign_off_week(
    week_start: dt.date,
    *,
    organisation_id: int,
    organisation_label: str = "",
    by: Any,
    note: str,
    findings: dict[str, Any],
    today: dt.date | None = None,
) -> WeeklyReview:
    """Record who signed off one owner's anomaly report of one week, and when; only once per
    owner and week (a sign-off of the whole log from before counts as one), and only once the
    week is over: its weekend and evenings are signals of the report."""
    if week_start.weekday() != 0:
        raise AuditError("Een week begint op maandag.")
    if not week_is_over(week_start, today):
        raise AuditError(WEEK_NOT_OVER)
    if week_review(week_start, organisation_id) is not None:
        raise AuditError("Deze week is al afgetekend.")
    try:
        with transaction.atomic():  # a savepoint: two officers signing at the same moment
            return WeeklyReview.objects.create(
                week_start=week_start,
                organisation_id=organisation_id,
                organisation_label=organisation_label[:200],
                signed_off_by=by,
                signed_off_at=timezone.now(),
                note=note.strip(),
                findings=findings,
            )
    except IntegrityError as exc:
        raise AuditError("Deze week is al afgetekend.") from exc
