"""The weekly anomaly report on the read log, which the privacy officer signs off.

Signals, not verdicts: unusual volume per user (more than three times the median of that week
and at least `MIN_VOLUME` reads), every break-the-glass use, reads outside office hours
(07:00–19:00 Europe/Amsterdam) and reads on Saturday or Sunday.

Per scope owner: the report of an organisation's privacy officer holds only the entries and grants
in that organisation's scope (`policies.Scope`, e.g. a school board: its schools and their
pupils). Counted in SQL (GROUP BY user), never row by row: a week of the national log holds tens
of millions of entries.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.db.models.lookups import GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.utils import timezone

from schoolzorg.lib.dates import numeric_time

if TYPE_CHECKING:
    from schoolzorg.audit.policies import Scope

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
OFFICE_START = dt.time(7, 0)
OFFICE_END = dt.time(19, 0)
MIN_VOLUME = 50
VOLUME_FACTOR = 3


# The first week a report can be asked for: no read log reaches further back. A week of the year
# 1 or 9999 has no bounds in Python's dates.
FIRST_WEEK = dt.date(2000, 1, 3)


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week that holds `day`."""
    return day - dt.timedelta(days=day.weekday())


def first_log_week() -> dt.date:
    """The Monday of the week of the first entry the read log holds; without any, this week.
    The weekly report goes no further back: an empty week before it has nothing to sign off.
    The whole log's first entry, not the scope's: that is one step down the `at` index, where
    the scope's first entry made PostgreSQL search a partnership's pupils through every month
    (0.3 s a page on the national data)."""
    from schoolzorg.audit.models import AccessLogEntry

    first = AccessLogEntry.objects.order_by("at").values_list("at", flat=True).first()
    if first is None:
        return week_of(timezone.localdate())
    return max(FIRST_WEEK, week_of(timezone.localtime(first, AMSTERDAM).date()))


def _bounds(week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(week_start, dt.time(0), tzinfo=AMSTERDAM)
    end = dt.datetime.combine(week_start + dt.timedelta(days=7), dt.time(0), tzinfo=AMSTERDAM)
    return start, end


@dataclass
class WeekReport:
    week_start: dt.date
    total: int = 0
    volume: list[dict[str, Any]] = field(default_factory=list)
    break_glass: list[dict[str, Any]] = field(default_factory=list)
    outside_hours: list[dict[str, Any]] = field(default_factory=list)
    weekend: list[dict[str, Any]] = field(default_factory=list)
    median: float = 0.0

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)

    def findings(self) -> dict[str, Any]:
        """A JSON-ready summary, stored with the sign-off."""
        return {
            "total": self.total,
            "median": self.median,
            "volume": self.volume,
            "break_glass": self.break_glass,
            "outside_hours": self.outside_hours,
            "weekend": self.weekend,
        }

    def signals(self, limit: int | None) -> dict[str, tuple[list[dict[str, Any]], int]]:
        """Per signal the first `limit` users (all with None) and how many more there are."""
        return {
            key: (rows[:limit], len(rows) - len(rows[:limit]))
            for key, rows in (
                ("volume", self.volume),
                ("outside_hours", self.outside_hours),
                ("weekend", self.weekend),
            )
        }

    @property
    def signal_count(self) -> int:
        return (
            len(self.volume) + len(self.break_glass) + len(self.outside_hours) + len(self.weekend)
        )


def count_reads(week_start: dt.date, scope: Scope) -> list[dict[str, Any]]:
    """The week's entries in the scope per user: all, at the weekend, outside office hours.

    Aggregated in the database: one query per part of the scope (`scoped_entry_parts`), however
    many entries the week holds. Sorted by number of reads, then name.
    """
    from schoolzorg.audit.policies import scoped_entry_parts

    start, end = _bounds(week_start)
    weekday = ExtractIsoWeekDay("at", tzinfo=AMSTERDAM)  # Monday 1 … Sunday 7
    hour = ExtractHour("at", tzinfo=AMSTERDAM)  # office hours start and end on the hour
    is_weekend = GreaterThanOrEqual(weekday, 6)
    outside_office = Q(LessThanOrEqual(weekday, 5)) & (
        Q(LessThan(hour, OFFICE_START.hour)) | Q(GreaterThanOrEqual(hour, OFFICE_END.hour))
    )
    counted: dict[tuple[Any, str], dict[str, Any]] = {}
    for part in scoped_entry_parts(scope):
        for found in (
            part.filter(at__gte=start, at__lt=end)
            .order_by()
            .values("user_id", "user_label")
            .annotate(
                n=Count("id"),
                weekend=Count("id", filter=Q(is_weekend)),
                outside=Count("id", filter=outside_office),
            )
        ):
            row = counted.setdefault((found["user_id"], found["user_label"]), found)
            if row is not found:
                for key in ("n", "weekend", "outside"):
                    row[key] += found[key]
    return sorted(
        counted.values(),
        key=lambda r: (-r["n"], r["user_label"], r["user_id"] is None, r["user_id"] or 0),
    )


def is_over(week_start: dt.date, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= _bounds(week_start)[1]


def store_counts(week_start: dt.date, owner: Any) -> bool:
    """Count a week that is over for one owner's scope and keep the counts; False if they were
    kept already (or the week is not over). Safe to run twice at once."""
    from schoolzorg.audit.models import WeekCounts
    from schoolzorg.audit.policies import Scope

    if not is_over(week_start):
        return False
    if WeekCounts.objects.filter(organisation_id=owner.pk, week_start=week_start).exists():
        return False
    rows = count_reads(week_start, Scope.of(owner))
    try:
        with transaction.atomic():
            WeekCounts.objects.create(
                organisation_id=owner.pk,
                week_start=week_start,
                rows=rows,
                counted_at=timezone.now(),
            )
    except IntegrityError:  # another worker kept them first
        return False
    return True


def store_last_week(today: dt.date | None = None) -> int:
    """Keep last week's counts for every organisation with a privacy officer; how many were new.

    The worker runs this every hour (`weekly-read-counts`): from Monday on, the reports of the
    week before open without counting it.
    """
    from schoolzorg.accounts.models import Membership
    from schoolzorg.accounts.roles import Role
    from schoolzorg.audit.models import WeekCounts
    from schoolzorg.organisations.models import Organisation

    day = today or timezone.localdate()
    week = week_of(day) - dt.timedelta(days=7)
    officers = Membership.objects.active(day).filter(role=Role.PRIVACY_OFFICER)
    done = WeekCounts.objects.filter(week_start=week).values("organisation_id")
    owners = Organisation.objects.filter(pk__in=officers.values("organisation_id")).exclude(
        pk__in=done
    )
    return sum(store_counts(week, owner) for owner in owners.order_by("pk"))


def weekly_report(week_start: dt.date, scope: Scope) -> WeekReport:
    """The week's signals in one scope's part of the read log (see `policies.scoped_entries`).

    A scope of one owner whose week is over and was counted (`store_counts`, by the worker)
    reads the kept counts; otherwise the week is counted now (`count_reads`). Break-the-glass
    grants are always read now: their review changes.
    """
    from schoolzorg.audit.models import WeekCounts
    from schoolzorg.audit.policies import scoped_grants

    start, end = _bounds(week_start)
    report = WeekReport(week_start=week_start)
    kept = None
    if len(scope.owner_ids) == 1 and is_over(week_start):
        kept = (
            WeekCounts.objects.filter(organisation_id=scope.owner_ids[0], week_start=week_start)
            .values_list("rows", flat=True)
            .first()
        )
    rows = kept if kept is not None else count_reads(week_start, scope)
    report.total = sum(r["n"] for r in rows)
    if rows:
        report.median = float(statistics.median(r["n"] for r in rows))
    threshold = max(MIN_VOLUME, VOLUME_FACTOR * report.median)

    def listed(key: str, minimum: float = 1) -> list[dict[str, Any]]:
        found = [r for r in rows if r[key] >= minimum]
        found.sort(key=lambda r: -r[key])  # stable: ties keep the query's order
        return [{"user_id": r["user_id"], "user": r["user_label"], "count": r[key]} for r in found]

    report.volume = listed("n", threshold)
    report.outside_hours = listed("outside")
    report.weekend = listed("weekend")
    report.break_glass = [
        {
            "grant_id": g.pk,
            "user": str(g.user),
            "at": numeric_time(g.granted_at),
            "reason": g.reason,
            "reviewed": g.reviewed_at is not None,
        }
        for g in scoped_grants(scope)
        .filter(granted_at__gte=start, granted_at__lt=end)
        .select_related("user")
        .order_by("granted_at")
    ]
    return report
