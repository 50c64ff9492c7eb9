"""Figures for reporting: aggregates only, never a row per child.

Every function takes a period (`start`, `end`, both inclusive dates) and `by`, the unit to
group on: "school", "team" or "municipality" (the municipality of the receiving team). Rows
are grouped per month (the first day of the month, a `date`) and per unit, and carry the unit's
id and name. Lead times are in school days of the school's holiday region (weekends, school
holidays, public holidays and the school's own days off not counted), the unit the norms are set
in, and each step counts in the month it was completed; "within the norm" compares with the
stored due dates, which the days a step waited on the school's consent for the warm handover
moved on (`services.end_handover_consent_wait`: those days are not the team's); the lead times
still hold those days, as the time the family waited. A step whose saved dates run backwards (entered before the step dates were
checked) is left out of its lead time rather than pulling the mean below zero.

    lead_time_per_step(start, end, by="team")        -> list[LeadTime]
    warm_handovers_within_norm(start, end, by="team") -> list[HandoverShare]
    escalations_by_reason_and_level(start, end, by="team") -> list[EscalationCount]
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from schoolzorg.referrals.models import Escalation, Referral

By = Literal["school", "team", "municipality"]

_UNIT_FIELDS: dict[str, tuple[str, str]] = {
    "school": ("school_id", "school__name"),
    "team": ("team_id", "team__name"),
    "municipality": ("team__municipality_id", "team__municipality__name"),
}

# (step, from-date field, to-date field); "total" runs from sending to the first contact.
STEPS: list[tuple[str, str, str]] = [
    ("acknowledge", "submitted_on", "acknowledged_on"),
    ("plan_handover", "acknowledged_on", "handover_planned_on"),
    ("hold_handover", "handover_planned_on", "handover_held_on"),
    ("first_contact", "handover_held_on", "first_contact_on"),
    ("total", "submitted_on", "first_contact_on"),
]


@dataclass(frozen=True)
class LeadTime:
    month: dt.date
    unit_id: int | None
    unit_name: str
    step: str
    count: int
    mean_days: float
    median_days: float


@dataclass(frozen=True)
class HandoverShare:
    month: dt.date
    unit_id: int | None
    unit_name: str
    held: int
    within_norm: int

    @property
    def share(self) -> float:
        return self.within_norm / self.held if self.held else 0.0


@dataclass(frozen=True)
class EscalationCount:
    month: dt.date
    unit_id: int | None
    unit_name: str
    reason: str
    level: int
    count: int


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def lead_time_per_step(start: dt.date, end: dt.date, *, by: By = "team") -> list[LeadTime]:
    """School days spent per step, for steps completed in the period, by the month completed.

    A fixed number of queries: the referrals, the schools' days off (two), the public holidays
    and one per holiday region, whatever the number of referrals and schools.
    """
    from schoolzorg.calendars import workingdays

    unit_id, unit_name = _UNIT_FIELDS[by]
    fields = sorted({f for _, a, b in STEPS for f in (a, b)})
    completed = Q()
    for to_field in sorted({b for _, _, b in STEPS}):
        completed |= Q(**{f"{to_field}__gte": start, f"{to_field}__lte": end})
    rows = list(
        Referral.objects.filter(completed).values(
            unit_id,
            unit_name,
            "school_id",
            "school__holiday_region",
            "school__municipality__holiday_region",
            *fields,
        )
    )
    workingdays.prefetch_schools({row["school_id"] for row in rows})
    buckets: dict[tuple[dt.date, int | None, str, str], list[int]] = defaultdict(list)
    counted: dict[tuple[dt.date, dt.date, str, int], int] = {}
    for row in rows:
        region = row["school__holiday_region"] or row["school__municipality__holiday_region"] or ""
        for step, a, b in STEPS:
            begun, done = row[a], row[b]
            if begun is None or done is None or done < begun or not start <= done <= end:
                continue
            span = (begun, done, region, row["school_id"])
            if span not in counted:  # ~40 µs for a month's span; many referrals share one
                counted[span] = workingdays.school_days_between(
                    begun, done, region=region, school_id=row["school_id"]
                )
            buckets[(_month(done), row[unit_id], row[unit_name] or "", step)].append(counted[span])
    return [
        LeadTime(month, uid, name, step, len(days), statistics.fmean(days), statistics.median(days))
        for (month, uid, name, step), days in sorted(
            buckets.items(), key=lambda kv: (kv[0][0], kv[0][2], kv[0][3])
        )
    ]


def warm_handovers_within_norm(
    start: dt.date, end: dt.date, *, by: By = "team"
) -> list[HandoverShare]:
    """Warm handovers held in the period, and how many by their due date, per month held."""
    unit_id, unit_name = _UNIT_FIELDS[by]
    rows = Referral.objects.filter(handover_held_on__gte=start, handover_held_on__lte=end).values(
        unit_id, unit_name, "handover_held_on", "handover_due_on"
    )
    held: dict[tuple[dt.date, int | None, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        key = (_month(row["handover_held_on"]), row[unit_id], row[unit_name] or "")
        held[key][0] += 1
        if row["handover_due_on"] is not None and row["handover_held_on"] <= row["handover_due_on"]:
            held[key][1] += 1
    return [
        HandoverShare(month, uid, name, n, ok)
        for (month, uid, name), (n, ok) in sorted(held.items(), key=lambda kv: (kv[0][0], kv[0][2]))
    ]


def escalations_by_reason_and_level(
    start: dt.date, end: dt.date, *, by: By = "team"
) -> list[EscalationCount]:
    """Escalations raised in the period (automatic and by hand), per month, reason and level."""
    unit_id, unit_name = _UNIT_FIELDS[by]
    rows = (
        Escalation.objects.filter(raised_on__gte=start, raised_on__lte=end)
        .annotate(month=TruncMonth("raised_on"))
        .values("month", f"referral__{unit_id}", f"referral__{unit_name}", "reason", "level")
        .annotate(count=Count("pk"))
        .order_by("month", f"referral__{unit_name}", "reason", "level")
    )
    return [
        EscalationCount(
            r["month"] if isinstance(r["month"], dt.date) else r["month"].date(),
            r[f"referral__{unit_id}"],
            r[f"referral__{unit_name}"] or "",
            r["reason"],
            r["level"],
            r["count"],
        )
        for r in rows
    ]
