from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from schoolzorg.meetings.tests.factories import CareMeetingFactory

pytestmark = pytest.mark.django_db


def test_menu_counts_meetings_this_week_and_home_lists_coming_meetings(setting, client_for):
    today = timezone.localdate()
    setting.meeting.scheduled_on = today
    setting.meeting.save()
    CareMeetingFactory(care_team=setting.team, scheduled_on=today + dt.timedelta(days=20))
    response = client_for(setting.ib).get("/")
    body = response.content.decode()
    nav = next(i for i in response.context["nav_items"] if i.label == "Overleggen")
    assert nav.count == 1
    # The badge counts this week's meetings, and says so (tester X, stop 28: it said "open").
    assert '<span class="badge">1<span class="visually-hidden"> deze week</span></span>' in body
    assert "Komende zorgoverleggen" in body
    assert "De Regenboog" in body


def test_outsider_has_no_meeting_panel(setting, client_for):
    body = client_for(setting.outsider).get("/").content.decode()
    assert "Komende zorgoverleggen" not in body
