"""Rebuild the roll-up tables. Idempotent: a run replaces the window's rows with fresh counts.

Concurrent runs (two schedulers, a retry, the command during a task) are serialised by a row lock
on `FigureRefresh(pk=1)`, so they never interleave their delete and insert.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from schoolzorg.organisations.models import NeighbourhoodTeam, School
from schoolzorg.reports import referral_sources, sources
from schoolzorg.reports.models import (
    FigureRefresh,
    MonthlyEscalationFigure,
    MonthlyLeadTimeFigure,
    MonthlyReferralFigure,
    MonthlySchoolFigure,
)

DEFAULT_MONTHS = 12
SCHOOL_MEASURES = {
    "help_requests": sources.help_requests,
    "cases_opened": sources.cases_opened,
    "consents_given": sources.consents_given,
    "meetings_held": sources.meetings_held,
    "referrals_submitted": sources.referrals_submitted_by_school,
}
# Counted on one day of each month (`sources.stock_day`): these also need today.
SCHOOL_STOCKS = {
    "pupils": sources.pupils_enrolled,
    "pupils_in_care": referral_sources.pupils_in_care,
    "pupils_in_care_with_consent": referral_sources.pupils_in_care_with_consent,
    "pupils_with_consent": sources.pupils_with_consent,
}
TEAM_MEASURES = {
    "referrals": sources.referrals_received_by_team,
    "warm_handovers": referral_sources.warm_handovers,
    "warm_handovers_within_norm": referral_sources.warm_handovers_within_norm,
    "escalations": referral_sources.escalations_by_team,
}
BATCH = 2000


@dataclass(frozen=True)
class RefreshResult:
    school_rows: int
    team_rows: int
    lead_time_rows: int
    escalation_rows: int
    seconds: float


def _rows_by_key(measures: dict[str, Any], months: list[dt.date]) -> dict[Any, dict[str, int]]:
    found: dict[Any, dict[str, int]] = {}
    for name, fn in measures.items():
        for key, n in fn(months).items():
            found.setdefault(key, {})[name] = n
    return found


def refresh_figures(*, today: dt.date | None = None, months: int = DEFAULT_MONTHS) -> RefreshResult:
    """Recompute every roll-up for the last `months` months (this month included)."""
    started = time.monotonic()
    today = today or timezone.localdate()
    window = sources.window(today, months)
    # Read first, outside the lock: the grouped queries are the slow part.
    stocks = {name: functools.partial(fn, today=today) for name, fn in SCHOOL_STOCKS.items()}
    school_values = _rows_by_key(SCHOOL_MEASURES | stocks, window)
    team_values = _rows_by_key(TEAM_MEASURES, window)
    lead_times = referral_sources.lead_times(window)
    escalations = referral_sources.escalations_by_reason_level(window)

    schools = {
        s["pk"]: s
        for s in School.objects.filter(
            pk__in={k[0] for k in school_values}, municipality__isnull=False
        ).values("pk", "name", "municipality_id")
    }
    teams = {
        t["pk"]: t
        for t in NeighbourhoodTeam.objects.filter(
            pk__in={k[0] for k in team_values}, municipality__isnull=False
        ).values("pk", "name", "municipality_id")
    }
    school_rows = [
        MonthlySchoolFigure(
            municipality_id=schools[sid]["municipality_id"],
            school_id=sid,
            school_name=schools[sid]["name"],
            month=month,
            **values,
        )
        for (sid, month), values in sorted(school_values.items())
        if sid in schools
    ]
    team_rows = [
        MonthlyReferralFigure(
            municipality_id=teams[tid]["municipality_id"],
            team_id=tid,
            team_name=teams[tid]["name"],
            month=month,
            **values,
        )
        for (tid, month), values in sorted(team_values.items())
        if tid in teams
    ]
    lead_rows = [MonthlyLeadTimeFigure(**row) for row in lead_times]
    escalation_rows = [MonthlyEscalationFigure(**row) for row in escalations]

    with transaction.atomic():
        state = FigureRefresh.objects.select_for_update().filter(pk=1).first()
        if state is None:
            state = FigureRefresh.objects.create(pk=1)
        for figure_model in (
            MonthlySchoolFigure,
            MonthlyReferralFigure,
            MonthlyLeadTimeFigure,
            MonthlyEscalationFigure,
        ):
            figure_model.objects.filter(month__gte=window[0]).delete()
        MonthlySchoolFigure.objects.bulk_create(school_rows, batch_size=BATCH)
        MonthlyReferralFigure.objects.bulk_create(team_rows, batch_size=BATCH)
        MonthlyLeadTimeFigure.objects.bulk_create(lead_rows, batch_size=BATCH)
        MonthlyEscalationFigure.objects.bulk_create(escalation_rows, batch_size=BATCH)
        seconds = time.monotonic() - started
        FigureRefresh.objects.filter(pk=1).update(
            refreshed_at=timezone.now(), counted_on=today, seconds=seconds, months=months
        )
    return RefreshResult(
        len(school_rows), len(team_rows), len(lead_rows), len(escalation_rows), seconds
    )
