"""Minutes, decisions, attendance and guests belong to the meeting day; a meeting that has
decisions or minutes is not cancelled (ADR 0201, "Decisions")."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.lib.dates import numeric
from schoolzorg.meetings.models import Attendance, CareMeeting, Decision, MeetingGuest
from schoolzorg.meetings.services import (
    MeetingError,
    add_decision,
    add_guest,
    move_meeting,
    place_on_agenda,
    record_attendance,
    save_minutes,
)
from schoolzorg.plans.models import Action, IntegralPlan

pytestmark = pytest.mark.django_db


def _item(setting):
    return place_on_agenda(
        setting.meeting, pupil=setting.pupil, question="Wat helpt?", by=setting.ib
    )


def _on(meeting, day):
    meeting.scheduled_on = day
    meeting.save(update_fields=["scheduled_on"])


def _decide(item, by, token=None):
    return add_decision(
        item,
        text="Gesprek met moeder",
        domain="school",
        owner=by,
        due_on=weekday(item.meeting.scheduled_on + dt.timedelta(days=14)),
        by=by,
        form_token=token or uuid.uuid4(),
    )


def test_before_the_meeting_day_nothing_of_the_meeting_itself_is_recorded(setting):
    item = _item(setting)  # the agenda is made ahead: the meeting is next week
    day = numeric(setting.meeting.scheduled_on)
    member = setting.team.members.get(user=setting.nurse)
    attempts = {
        "Het verslag is niet opgeslagen.": lambda: save_minutes(
            item, text="Besproken", expected_version=0, by=setting.ib
        ),
        "Het besluit is niet opgeslagen.": lambda: _decide(item, setting.ib),
        "De aanwezigheid is niet opgeslagen.": lambda: record_attendance(
            setting.meeting, statuses={member.pk: "present"}, by=setting.ib
        ),
        "De gast is niet toegevoegd.": lambda: add_guest(
            setting.meeting, name="Moeder", role="parent", item=item, by=setting.ib
        ),
    }
    for not_done, attempt in attempts.items():
        with pytest.raises(MeetingError) as refused:
            attempt()
        assert refused.value.message.startswith(f"{not_done} Dit overleg is pas op {day}.")
    item.refresh_from_db()
    assert (item.minutes, item.minutes_version) == ("", 0)
    assert not Decision.objects.exists() and not Action.objects.exists()
    assert not IntegralPlan.objects.exists()
    assert not Attendance.objects.exists() and not MeetingGuest.objects.exists()
    # From the day on, all of it is recorded.
    _on(setting.meeting, timezone.localdate())
    save_minutes(item, text="Besproken", expected_version=0, by=setting.ib)
    _decide(item, setting.ib)
    record_attendance(setting.meeting, statuses={member.pk: "present"}, by=setting.ib)
    add_guest(setting.meeting, name="Moeder", role="parent", item=item, by=setting.ib)
    assert Action.objects.count() == 1 and Attendance.objects.count() == 1


def test_the_working_screen_before_the_day_shows_the_agenda_and_says_when(setting, client_for):
    item = _item(setting)
    client = client_for(setting.ib)
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert 'id="pas-op-de-dag"' in body and "op of na die dag vast" in body
    assert "Wat helpt?" in body
    for form in (
        f'action="/overleggen/punt/{item.pk}/verslag/"',
        f'action="/overleggen/punt/{item.pk}/besluit/"',
        f'action="/overleggen/{setting.meeting.pk}/aanwezigheid/"',
        f'action="/overleggen/{setting.meeting.pk}/gasten/"',
    ):
        assert form not in body, form
    _on(setting.meeting, timezone.localdate())
    body = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert 'id="pas-op-de-dag"' not in body
    assert f'action="/overleggen/punt/{item.pk}/verslag/"' in body
    assert f'action="/overleggen/punt/{item.pk}/besluit/"' in body


@pytest.mark.parametrize("htmx", [False, True])
def test_minutes_and_a_decision_sent_before_the_day_are_refused_and_the_text_kept(
    setting, client_for, htmx
):
    item = _item(setting)
    client = client_for(setting.ib)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    minutes = client.post(
        f"/overleggen/punt/{item.pk}/verslag/",
        {f"m{item.pk}-minutes": "Moeder vertelt over de ochtend", f"m{item.pk}-version": 0},
        **headers,
    )
    assert minutes.status_code == (200 if htmx else 409)
    body = minutes.content.decode()
    assert "Het verslag is niet opgeslagen. Dit overleg is pas op" in body
    assert re.search(r"<textarea[^>]*>\s*Moeder vertelt over de ochtend</textarea>", body)
    p = f"d{item.pk}-"
    decision = client.post(
        f"/overleggen/punt/{item.pk}/besluit/",
        {
            p + "text": "Ochtendritme bespreken",
            p + "domain": "school",
            p + "owner": setting.ib.pk,
            p + "due_on": weekday(setting.meeting.scheduled_on + dt.timedelta(days=14)).isoformat(),
            p + "form_token": str(uuid.uuid4()),
        },
        **headers,
    )
    assert decision.status_code == (200 if htmx else 409)
    body = decision.content.decode()
    assert "Het besluit is niet opgeslagen. Dit overleg is pas op" in body
    assert re.search(r"<textarea[^>]*>\s*Ochtendritme bespreken</textarea>", body)
    item.refresh_from_db()
    assert item.minutes == "" and not Decision.objects.exists() and not Action.objects.exists()


def test_attendance_sent_before_the_day_is_refused_in_words(setting, client_for):
    member = setting.team.members.get(user=setting.nurse)
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/aanwezigheid/",
        {f"status_{member.pk}": "present"},
        follow=True,
    )
    assert response.status_code == 200
    assert "De aanwezigheid is niet opgeslagen. Dit overleg is pas op" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_meeting_with_decisions_or_minutes_is_not_cancelled(setting, client_for):
    _on(setting.meeting, timezone.localdate())
    item = _item(setting)
    _decide(item, setting.ib)
    with pytest.raises(MeetingError, match="er zijn al besluiten genomen"):
        move_meeting(setting.meeting, move="cancel", by=setting.ib, expected="planned")
    response = client_for(setting.ib).post(
        f"/overleggen/{setting.meeting.pk}/stap/",
        {"move": "cancel", "expected": "planned"},
        follow=True,
    )
    assert "Dit overleg kunt u niet meer afzeggen" in response.content.decode()
    assert CareMeeting.objects.get().state == "planned"
    assert Action.objects.count() == 1
    # Minutes alone: it took place too, unless the minutes are taken away again.
    Decision.objects.all().delete()
    save_minutes(item, text="Besproken", expected_version=0, by=setting.ib)
    with pytest.raises(MeetingError, match="er staat al een verslag"):
        move_meeting(setting.meeting, move="cancel", by=setting.ib, expected="planned")
    save_minutes(item, text="", expected_version=1, by=setting.ib)
    move_meeting(setting.meeting, move="cancel", by=setting.ib, expected="planned")
    assert CareMeeting.objects.get().state == "cancelled"
