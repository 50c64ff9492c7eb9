"""Deadlines in school working days of the school's holiday region, or as the urgency says.

Uses the calendar app's `add_school_days`; when the calendar is not installed (an early
checkout) it falls back to weekdays only, which is never later than the real answer would be
wrong by more than the holidays it does not know.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from schoolzorg.referrals.workflow import DUE_FIELD_BY_STEP, DayCount, Step, urgency_norm


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


def add_days(start: dt.date, days: int, *, counts: str, school: Any) -> dt.date:
    """`days` days after `start`, counting the days of `counts` (`workflow.DayCount`)."""
    if counts == DayCount.CALENDAR:
        return start + dt.timedelta(days=days)
    if counts == DayCount.WORKING:  # no region: weekends and public holidays only
        return add_school_days(start, days, region="")
    return add_school_days(start, days, region=school.effective_holiday_region, school_id=school.pk)


def days_between(start: dt.date, end: dt.date, *, counts: str, school: Any) -> int:
    """The days of `counts` after `start` up to and including `end` (`add_days` reversed)."""
    if counts == DayCount.CALENDAR:
        return (end - start).days
    from schoolzorg.calendars import workingdays

    if counts == DayCount.WORKING:
        return workingdays.school_days_between(start, end, region="")
    return workingdays.school_days_between(
        start, end, region=school.effective_holiday_region, school_id=school.pk
    )


def due_dates(
    school: Any, submitted_on: dt.date, norm: Any, urgency: str = ""
) -> dict[str, dt.date]:
    """Due date per step, counted from the day of submission: in school days, or as the
    urgency says (`workflow.URGENCY_NORMS`)."""
    counts = urgency_norm(urgency).counts
    return {
        DUE_FIELD_BY_STEP[step]: add_days(
            submitted_on, norm.days_for(step, urgency), counts=counts, school=school
        )
        for step in Step.values
    }


def level_dates(school: Any, due_on: dt.date, norm: Any, urgency: str = "") -> dict[int, dt.date]:
    """The day each escalation level is reached for a step due on `due_on`."""
    counts = urgency_norm(urgency).counts
    return {
        level: add_days(due_on, after, counts=counts, school=school)
        for level, after in norm.level_after_days(urgency).items()
    }
