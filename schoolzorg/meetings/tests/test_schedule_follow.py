"""The rhythm's new time, duration or place is taken over by the planned meetings that still
had the old one; a new day, week or frequency moves none of them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from schoolzorg.meetings.models import (
    CareMeeting,
    Frequency,
    MeetingSchedule,
)
from schoolzorg.meetings.services import (
    MeetingError,
    set_schedule,
)
from schoolzorg.meetings.tests.factories import CareMeetingFactory
from schoolzorg.meetings.workflow import MeetingState

pytestmark = pytest.mark.django_db


def _rhythm(setting, **fields):
    data = {
        "frequency": Frequency.MONTHLY,
        "weekday": 1,
        "week_of_month": 2,
        "start_time": dt.time(13, 30),
        "duration_minutes": 90,
        "location": "Kamer van de IB-er",
    }
    return set_schedule(setting.team, by=setting.ib, **{**data, **fields})


def _meetings(setting, *days, **fields):
    return [
        CareMeetingFactory(
            care_team=setting.team,
            scheduled_on=day,
            start_time=dt.time(13, 30),
            end_time=dt.time(15, 0),
            location="Kamer van de IB-er",
            **fields,
        )
        for day in days
    ]


def test_planned_meetings_follow_the_rhythms_new_time_duration_and_place(setting):
    _rhythm(setting)
    today = timezone.localdate()
    following, moved_by_hand, cancelled = _meetings(
        setting,
        today + dt.timedelta(days=30),
        today + dt.timedelta(days=60),
        today + dt.timedelta(days=90),
    )
    (past,) = _meetings(setting, today - dt.timedelta(days=30))
    CareMeeting.objects.filter(pk=moved_by_hand.pk).update(start_time=dt.time(9, 0))
    CareMeeting.objects.filter(pk=cancelled.pk).update(state=MeetingState.CANCELLED)
    CareMeeting.objects.filter(pk=setting.meeting.pk).delete()
    saved = _rhythm(setting, start_time=dt.time(14, 0), duration_minutes=60, location="Aula")
    assert saved.followed == 1 and saved.times_changed and not saved.days_changed
    now = CareMeeting.objects.get(pk=following.pk)
    assert (now.start_time, now.end_time, now.location) == (dt.time(14), dt.time(15), "Aula")
    assert now.scheduled_on == following.scheduled_on
    assert now.ics_sequence == following.ics_sequence + 1
    for kept in (moved_by_hand, cancelled, past):
        assert CareMeeting.objects.get(pk=kept.pk).location == "Kamer van de IB-er"
        assert CareMeeting.objects.get(pk=kept.pk).ics_sequence == 0


def test_a_new_weekday_moves_no_planned_meeting(setting):
    _rhythm(setting)
    CareMeeting.objects.filter(pk=setting.meeting.pk).delete()
    (planned,) = _meetings(setting, timezone.localdate() + dt.timedelta(days=30))
    saved = _rhythm(setting, weekday=3, week_of_month=1, frequency=Frequency.SIX_A_YEAR)
    assert saved.days_changed and not saved.times_changed and saved.followed == 0
    stored = CareMeeting.objects.get(pk=planned.pk)
    assert stored.scheduled_on == planned.scheduled_on and stored.ics_sequence == 0


def test_the_first_rhythm_moves_nothing(setting):
    CareMeeting.objects.filter(pk=setting.meeting.pk).delete()
    (planned,) = _meetings(setting, timezone.localdate() + dt.timedelta(days=30))
    assert not MeetingSchedule.objects.exists()
    saved = _rhythm(setting, location="Aula")
    assert saved.followed == 0
    assert CareMeeting.objects.get(pk=planned.pk).location == "Kamer van de IB-er"


def test_the_rhythm_page_says_how_many_followed_and_that_dates_stay(setting, client_for):
    _rhythm(setting)
    CareMeeting.objects.filter(pk=setting.meeting.pk).delete()
    _meetings(
        setting,
        timezone.localdate() + dt.timedelta(days=30),
        timezone.localdate() + dt.timedelta(days=60),
    )
    client = client_for(setting.ib)
    url = f"/overleggen/team/{setting.team.pk}/ritme/"
    page = client.get(url).content.decode()
    assert "blijven overleggen die al gepland staan op hun datum" in page
    data = {
        "frequency": Frequency.MONTHLY,
        "weekday": 3,
        "week_of_month": 2,
        "start_time": "15:00",
        "duration_minutes": "60",
        "location": "Kamer van de IB-er",
        "until": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
    }
    response = client.post(url, data, follow=True)
    body = response.content.decode()
    assert "2 overleggen die al gepland stonden, hebben nu de nieuwe tijd en plek." in body
    assert "Overleggen die al gepland stonden, houden hun datum." in body
    assert set(
        CareMeeting.objects.filter(care_team=setting.team).values_list("start_time", flat=True)
    ) == {dt.time(15, 0)}


def test_a_rhythm_ending_after_midnight_moves_nothing(setting):
    _rhythm(setting)
    CareMeeting.objects.filter(pk=setting.meeting.pk).delete()
    (planned,) = _meetings(setting, timezone.localdate() + dt.timedelta(days=30))
    with pytest.raises(MeetingError, match="dezelfde dag eindigen"):
        _rhythm(setting, start_time=dt.time(23, 0), duration_minutes=120)
    assert CareMeeting.objects.get(pk=planned.pk).start_time == dt.time(13, 30)
