"""The weekly anomaly report on the read log, which the privacy officer signs off.

Signals, not verdicts: unusual volume per user (more than three times the median of that week
and at least `MIN_VOLUME` reads), every break-the-glass use, reads outside office hours
(07:00–19:00 Europe/Amsterdam) and reads on Saturday or Sunday.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from schoolzorg.audit.models import AccessLogEntry, BreakGlassGrant

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
OFFICE_START = dt.time(7, 0)
OFFICE_END = dt.time(19, 0)
MIN_VOLUME = 50
VOLUME_FACTOR = 3


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week that holds `day`."""
    return day - dt.timedelta(days=day.weekday())


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

    @property
    def signal_count(self) -> int:
        return (
            len(self.volume) + len(self.break_glass) + len(self.outside_hours) + len(self.weekend)
        )


def weekly_report(week_start: dt.date) -> WeekReport:
    start, end = _bounds(week_start)
    report = WeekReport(week_start=week_start)
    per_user: Counter[tuple[int | None, str]] = Counter()
    outside: Counter[tuple[int | None, str]] = Counter()
    weekend: Counter[tuple[int | None, str]] = Counter()
    rows = (
        AccessLogEntry.objects.filter(at__gte=start, at__lt=end)
        .order_by()
        .values_list("user_id", "user_label", "at")
    )
    for user_id, label, at in rows.iterator(chunk_size=5000):
        key = (user_id, label)
        per_user[key] += 1
        local = at.astimezone(AMSTERDAM)
        if local.weekday() >= 5:
            weekend[key] += 1
        elif not (OFFICE_START <= local.time() < OFFICE_END):
            outside[key] += 1
    report.total = sum(per_user.values())
    if per_user:
        report.median = float(statistics.median(per_user.values()))
    threshold = max(MIN_VOLUME, VOLUME_FACTOR * report.median)
    report.volume = [
        {"user_id": uid, "user": label, "count": n}
        for (uid, label), n in per_user.most_common()
        if n >= threshold
    ]
    report.outside_hours = [
        {"user_id": uid, "user": label, "count": n} for (uid, label), n in outside.most_common()
    ]
    report.weekend = [
        {"user_id": uid, "user": label, "count": n} for (uid, label), n in weekend.most_common()
    ]
    report.break_glass = [
        {
            "grant_id": g.pk,
            "user": str(g.user),
            "at": g.granted_at.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M"),
            "reason": g.reason,
            "reviewed": g.reviewed_at is not None,
        }
        for g in BreakGlassGrant.objects.filter(granted_at__gte=start, granted_at__lt=end)
        .select_related("user")
        .order_by("granted_at")
    ]
    return report
