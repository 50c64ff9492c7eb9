"""Measures that need the cases and referrals apps: read only once their models exist.

Lead times and escalations come from `schoolzorg.referrals.figures` when that module offers them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from schoolzorg.reports.sources import Counts


def pupils_in_care(months: list[dt.date]) -> Counts:
    return {}


def pupils_in_care_with_consent(months: list[dt.date]) -> Counts:
    return {}


def warm_handovers(months: list[dt.date]) -> Counts:
    return {}


def warm_handovers_within_norm(months: list[dt.date]) -> Counts:
    return {}


def escalations_by_team(months: list[dt.date]) -> Counts:
    return {}


def lead_times(months: list[dt.date]) -> list[dict[str, Any]]:
    """Rows for `MonthlyLeadTimeFigure`: municipality_id, month, step, step_label, order, ..."""
    return []


def escalations_by_reason_level(months: list[dt.date]) -> list[dict[str, Any]]:
    """Rows for `MonthlyEscalationFigure`: municipality_id, month, reason, reason_label, level, ..."""
    return []
