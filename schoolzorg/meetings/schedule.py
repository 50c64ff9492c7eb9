"""Turn a meeting rhythm into dates: 'the second Tuesday of every month, not in a holiday'.

When the planned day is not a school day (a holiday, a study day), the meeting moves to the same
weekday a week later, still in that month, so members keep their fixed day; when no such day is
left in the month, that month has no meeting. Six-a-year schedules meet in the odd months of the
school year: September, November, January, March, May and July.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from schoolzorg.calendars.workingdays import is_school_day
from schoolzorg.meetings.models import Frequency, MeetingSchedule

SIX_A_YEAR_MONTHS = frozenset({9, 11, 1, 3, 5, 7})

IsSchoolDay = Callable[[dt.date], bool]


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-4) given weekday (0 = Monday) of a month."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def _months_from(start: dt.date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while True:
        yield year, month
        month += 1
        if month == 13:
            year, month = year + 1, 1


def meeting_dates(
    *,
    frequency: str,
    weekday: int,
    week_of_month: int,
    start: dt.date,
    until: dt.date,
    school_day: IsSchoolDay,
) -> list[dt.date]:
    """Every meeting day from `start` up to and including `until`."""
    found: list[dt.date] = []
    for year, month in _months_from(start):
        if dt.date(year, month, 1) > until:
            break
        if frequency == Frequency.SIX_A_YEAR and month not in SIX_A_YEAR_MONTHS:
            continue
        day = nth_weekday(year, month, weekday, week_of_month)
        while day.month == month and not school_day(day):
            day += dt.timedelta(days=7)
        if day.month != month or day < start or day > until:
            continue
        found.append(day)
    return found


def dates_for(schedule: MeetingSchedule, *, start: dt.date, until: dt.date) -> list[dt.date]:
    """Meeting days for a care team's schedule, skipping its school's holidays and closure days."""
    school = schedule.care_team.school
    region = school.effective_holiday_region

    def school_day(day: dt.date) -> bool:
        return is_school_day(day, region=region, school_id=school.pk)

    return meeting_dates(
        frequency=schedule.frequency,
        weekday=schedule.weekday,
        week_of_month=schedule.week_of_month,
        start=start,
        until=until,
        school_day=school_day,
    )
