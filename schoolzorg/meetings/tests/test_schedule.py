from __future__ import annotations

import datetime as dt

import pytest

from schoolzorg.meetings.models import Frequency, MeetingSchedule
from schoolzorg.meetings.schedule import meeting_dates, nth_weekday
from schoolzorg.meetings.services import generate_meetings


def every_weekday(day: dt.date) -> bool:
    return day.weekday() < 5


def test_nth_weekday_finds_the_second_tuesday():
    assert nth_weekday(2026, 9, 1, 2) == dt.date(2026, 9, 8)
    assert nth_weekday(2026, 12, 1, 1) == dt.date(2026, 12, 1)


def test_monthly_gives_one_date_per_month():
    dates = meeting_dates(
        frequency=Frequency.MONTHLY,
        weekday=1,
        week_of_month=2,
        start=dt.date(2026, 9, 1),
        until=dt.date(2026, 12, 31),
        school_day=every_weekday,
    )
    assert dates == [
        dt.date(2026, 9, 8),
        dt.date(2026, 10, 13),
        dt.date(2026, 11, 10),
        dt.date(2026, 12, 8),
    ]


def test_six_a_year_meets_every_other_month():
    dates = meeting_dates(
        frequency=Frequency.SIX_A_YEAR,
        weekday=3,
        week_of_month=1,
        start=dt.date(2026, 8, 1),
        until=dt.date(2027, 7, 31),
        school_day=every_weekday,
    )
    assert [d.month for d in dates] == [9, 11, 1, 3, 5, 7]


def test_holiday_moves_meeting_a_week_later_and_full_holiday_month_is_skipped():
    autumn_break = {dt.date(2026, 10, 13)}
    summer = {dt.date(2027, 7, 1) + dt.timedelta(days=i) for i in range(31)}

    def school_day(day: dt.date) -> bool:
        return day.weekday() < 5 and day not in autumn_break | summer

    dates = meeting_dates(
        frequency=Frequency.MONTHLY,
        weekday=1,
        week_of_month=2,
        start=dt.date(2026, 10, 1),
        until=dt.date(2027, 7, 31),
        school_day=school_day,
    )
    assert dates[0] == dt.date(2026, 10, 20)
    assert all(d.month != 7 for d in dates)


@pytest.mark.django_db
def test_generate_uses_the_school_calendar_and_skips_existing_days(setting):
    from schoolzorg.calendars.workingdays import is_school_day

    schedule = MeetingSchedule.objects.create(
        care_team=setting.team, frequency=Frequency.MONTHLY, weekday=1, week_of_month=2
    )
    start = dt.date(2030, 9, 1)
    until = dt.date(2031, 6, 30)
    created = generate_meetings(schedule, start=start, until=until, by=setting.ib)
    assert len(created) == 10
    region = setting.school.effective_holiday_region
    assert all(
        is_school_day(m.scheduled_on, region=region, school_id=setting.school.pk) for m in created
    )
    assert generate_meetings(schedule, start=start, until=until, by=setting.ib) == []
