"""The working screen offers only what the meeting's state allows."""

from __future__ import annotations

import re

import pytest

from schoolzorg.meetings.models import CareMeeting
from schoolzorg.meetings.workflow import MeetingState

pytestmark = pytest.mark.django_db


def test_cancelled_meeting_offers_no_agenda_building(setting, client_for):
    CareMeeting.objects.filter(pk=setting.meeting.pk).update(state=MeetingState.CANCELLED)
    client = client_for(setting.ib)
    url = f"/overleggen/{setting.meeting.pk}/"
    page = client.get(url).content.decode()
    assert "Gaat niet door" in page
    assert "Agenda samenstellen" not in page
    assert f'href="{url}agenda/"' not in page
    assert "Zet in mijn agenda" not in page
    response = client.get(f"{url}agenda/", follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "de agenda verandert niet meer" in response.content.decode()


@pytest.mark.parametrize("state", [MeetingState.PLANNED, MeetingState.HELD])
def test_an_editable_meeting_still_offers_it(setting, client_for, state):
    CareMeeting.objects.filter(pk=setting.meeting.pk).update(state=state)
    client = client_for(setting.ib)
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert "Agenda samenstellen" in page
    assert client.get(f"/overleggen/{setting.meeting.pk}/agenda/").status_code == 200


def test_cancelling_a_meeting_asks_first_and_says_it_cannot_be_undone(setting, client_for):
    """WCAG 3.3.4: the first press opens a question (a closed <details>, no script needed); only
    its button sends the step, with the state the page showed and the minutes fields' text."""
    page = client_for(setting.ib).get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    question = re.search(
        r"<details([^>]*)>\s*<summary[^>]*>Overleg afzeggen</summary>(.*?)</details>", page, re.S
    )
    assert question, "the cancel step is not behind a question"
    assert "open" not in question.group(1)
    inside = question.group(2)
    assert "Iedereen van het team ziet dat het overleg niet doorgaat." in inside
    assert "Dit kunt u niet terugdraaien." in inside
    assert ">Ja, overleg afzeggen</button>" in inside
    assert 'name="move" value="cancel"' in inside and 'name="expected" value="planned"' in inside
    assert "data-sends-minutes" in inside
    assert page.count('value="cancel"') == 1  # no second button that cancels at once


def test_meeting_pages_are_titled_with_the_school_as_their_heading_is(setting, client_for):
    """WCAG 2.4.2: two schools' meetings on one day are two different tabs."""
    from django.utils.html import escape

    from schoolzorg.lib.dates import numeric

    name = escape(setting.team.meeting_name)
    day = numeric(setting.meeting.scheduled_on)
    client = client_for(setting.ib)
    page = client.get(f"/overleggen/{setting.meeting.pk}/").content.decode()
    assert f"<title>{name} De Regenboog {day} – Schoolzorg</title>" in page
    agenda = client.get(f"/overleggen/{setting.meeting.pk}/agenda/").content.decode()
    assert f"<title>Agenda samenstellen: {name} De Regenboog {day} – Schoolzorg</title>" in agenda
