"""Deadlines in school working days of the school's holiday region.

Uses the calendar app's `add_school_days`; when the calendar is not installed (an early
checkout) it falls back to weekdays only, which is never later than the real answer would be
wrong by more than the holidays it does not know.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from schoolzorg.referrals.workflow import DUE_FIELD_BY_STEP, Step


def add_school_days(
    start: dt.date, days: int, *, region: str, school_id: int | None = None
) -> dt.date:
    try:
        from schoolzorg.calendars import workingdays
    except ImportError:  # pragma: no cover - calendar app not yet present
        workingdays = None  # type: ignore[assignment]
    if workingdays is not None:
        return workingdays.add_school_days(start, days, region=region, school_id=school_id)
    day = start
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        day += dt.timedelta(days=step)
        if day.weekday() < 5:
            remaining -= 1
    return day


def due_dates(school: Any, submitted_on: dt.date, norm: Any) -> dict[str, dt.date]:
    """Due date per step, counted in school days from the day of submission."""
    region = school.effective_holiday_region
    return {
        DUE_FIELD_BY_STEP[step]: add_school_days(
            submitted_on, norm.days_for(step), region=region, school_id=school.pk
        )
        for step in Step.values
    }


def level_dates(school: Any, due_on: dt.date, norm: Any) -> dict[int, dt.date]:
    """The day each escalation level is reached for a step due on `due_on`."""
    region = school.effective_holiday_region
    return {
        level: add_school_days(due_on, after, region=region, school_id=school.pk)
        for level, after in norm.level_after_days().items()
    }
