from __future__ import annotations

import datetime as dt
import re

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


def _rhythm(**changes):
    from django.utils import timezone

    data = {
        "frequency": Frequency.MONTHLY,
        "weekday": 1,
        "week_of_month": 2,
        "start_time": "13:30",
        "duration_minutes": "90",
        "location": "",
        "until": (timezone.localdate() + dt.timedelta(days=120)).isoformat(),
    }
    return {**data, **changes}


@pytest.mark.parametrize("minutes", ["0", "1", "14", "481", "99999999999999999999"])
def test_a_rhythm_duration_out_of_range_says_the_range_at_the_field(setting, client_for, minutes):
    url = f"/overleggen/team/{setting.team.pk}/ritme/"
    response = client_for(setting.ib).post(url, _rhythm(duration_minutes=minutes))
    assert response.status_code == 400
    body = response.content.decode()
    message = "Een overleg duurt minstens 15 en hoogstens 480 minuten (8 uur)."
    field = "id_duration_minutes"
    assert f'id="{field}_error"><span class="visually-hidden">Fout: </span>{message}</p>' in body
    assert f'<a href="#{field}">Duur in minuten: {message}</a>' in body
    assert "Beperking" not in body and "9223372036854775807" not in body
    assert f'value="{minutes}"' in body
    assert not MeetingSchedule.objects.exists()


def test_the_rhythm_duration_input_allows_what_the_database_allows(setting, client_for):
    body = client_for(setting.ib).get(f"/overleggen/team/{setting.team.pk}/ritme/").content.decode()
    field = re.search(r'<input[^>]*id="id_duration_minutes"[^>]*>', body)
    assert field is not None
    assert 'min="15"' in field.group() and 'max="480"' in field.group()


def _next(weekday: int) -> dt.date:
    from django.utils import timezone

    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day


def test_a_one_off_meeting_on_a_weekend_or_study_day_is_refused_at_the_date(setting, client_for):
    from django.utils.formats import date_format

    from schoolzorg.calendars import workingdays
    from schoolzorg.calendars.models import SchoolClosure
    from schoolzorg.meetings.models import CareMeeting

    url = f"/overleggen/team/{setting.team.pk}/nieuw/"
    client = client_for(setting.ib)
    saturday = _next(5)
    times = {"start_time": "13:00", "end_time": "14:00", "location": ""}
    response = client.post(url, {"scheduled_on": saturday.isoformat(), **times})
    assert response.status_code == 400
    body = response.content.decode()
    said = (
        f"Op {date_format(saturday, 'l j F Y')} is de school dicht (weekend). Kies een schooldag."
    )
    assert f'<a href="#id_scheduled_on">Datum: {said}' in body
    assert f'value="{saturday.isoformat()}"' in body
    tuesday = _next(1)
    SchoolClosure.objects.create(school=setting.school, date=tuesday, reason="Studiedag")
    workingdays.clear_cache()
    response = client.post(url, {"scheduled_on": tuesday.isoformat(), **times})
    assert response.status_code == 400
    assert "is de school dicht (Studiedag)" in response.content.decode()
    assert not CareMeeting.objects.exclude(pk=setting.meeting.pk).exists()
    # A school day is planned.
    wednesday = tuesday + dt.timedelta(days=1)
    if (
        workingdays.is_school_day(
            wednesday, region=setting.school.effective_holiday_region, school_id=setting.school.pk
        )
        and not CareMeeting.objects.filter(scheduled_on=wednesday).exists()
    ):
        assert client.post(url, {"scheduled_on": wednesday.isoformat(), **times}).status_code == 302
