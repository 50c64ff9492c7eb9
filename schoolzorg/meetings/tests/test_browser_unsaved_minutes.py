"""In Chromium: minutes typed but not saved yet are not lost by the other buttons of the
working screen. axe on every state shown."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.accounts.roles import Role
from schoolzorg.careteams.models import TeamRole
from schoolzorg.careteams.tests.factories import CareTeamFactory, add_member
from schoolzorg.meetings.models import AgendaItem, Decision
from schoolzorg.meetings.services import place_on_agenda
from schoolzorg.meetings.tests.factories import CareMeetingFactory, give_consent
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TYPED = "Moeder vertelt dat de ochtenden lastig zijn."


def _meeting_with_an_item(member: Any) -> tuple[Any, Any, AgendaItem]:
    school = SchoolFactory(name="De Regenboog")
    ib = member(Role.SUPPORT_COORDINATOR, school)
    team = CareTeamFactory(school=school)
    add_member(team, ib, TeamRole.SUPPORT_COORDINATOR, hours="8")
    meeting = CareMeetingFactory(care_team=team, scheduled_on=timezone.localdate())
    pupil = PupilFactory(first_name="Sam", last_name="Browserkind", current_school=school)
    give_consent(pupil, ib)
    item = place_on_agenda(meeting, pupil=pupil, question="Wat helpt Sam?", by=ib)
    return ib, meeting, item


def test_adding_a_decision_keeps_the_typed_minutes(page, member, browser_login, axe_check):
    ib, meeting, item = _meeting_with_an_item(member)
    browser_login(page, ib)
    page.goto(page.base_url + f"/overleggen/{meeting.pk}/")
    minutes = page.get_by_label(re.compile(r"^Verslag"))
    minutes.fill(TYPED)

    # A decision sent with a mistake, then a good one: each answer replaces the whole item.
    page.get_by_role("button", name=re.compile(r"^Besluit opslaan")).click()
    page.locator(".error-summary").wait_for()
    assert minutes.input_value() == TYPED
    axe_check(page)
    page.get_by_label("Wat gaan we doen").fill("Ochtendritme bespreken met moeder")
    page.get_by_label("Wie is aan zet?").select_option("school_social_work")
    page.get_by_label("Wie doet het").select_option(str(ib.pk))
    due = weekday(timezone.localdate() + dt.timedelta(days=21))
    page.get_by_label("Klaar op").fill(due.isoformat())
    page.get_by_role("button", name=re.compile(r"^Besluit opslaan")).click()
    page.get_by_role("link", name="actie in het plan").wait_for()
    assert Decision.objects.filter(item=item).exists()
    assert minutes.input_value() == TYPED
    assert page.get_by_text("Uw tekst hieronder is nog niet opgeslagen.").is_visible()
    axe_check(page)

    # Still to be saved, and saved as usual.
    page.get_by_role("button", name=re.compile(r"^Verslag opslaan")).click()
    page.get_by_text("Laatst opgeslagen").wait_for()
    item.refresh_from_db()
    assert item.minutes == TYPED


def test_closing_the_minutes_with_unsaved_text_is_refused_and_keeps_it(
    page, member, browser_login, axe_check
):
    from schoolzorg.meetings.services import move_meeting

    ib, meeting, item = _meeting_with_an_item(member)
    move_meeting(meeting, move="hold", by=ib, expected="planned")
    browser_login(page, ib)
    page.goto(page.base_url + f"/overleggen/{meeting.pk}/")
    page.get_by_label(re.compile(r"^Verslag")).fill(TYPED)

    page.get_by_role("button", name="Verslag vaststellen").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.inner_text().startswith("Het verslag is nog niet vastgesteld. Bij punt 1")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.get_by_label(re.compile(r"^Verslag")).input_value() == TYPED
    meeting.refresh_from_db()
    assert meeting.state == "held"
    axe_check(page)

    # Saved first, then closed.
    page.get_by_role("button", name=re.compile(r"^Verslag opslaan")).click()
    page.get_by_text("Laatst opgeslagen").wait_for()
    page.get_by_role("button", name="Verslag vaststellen").click()
    page.get_by_text("Het overleg staat nu op ‘Verslag vastgesteld’.").wait_for()
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert (meeting.state, item.minutes) == ("closed", TYPED)


def test_cancelling_asks_first_by_keyboard_and_keeps_unsaved_minutes(
    page, member, browser_login, axe_check
):
    """WCAG 3.3.4: Enter on 'Overleg afzeggen' opens the question; only its button cancels, and
    it still refuses while minutes are typed but not saved."""
    ib, meeting, _ = _meeting_with_an_item(member)
    browser_login(page, ib)
    page.goto(page.base_url + f"/overleggen/{meeting.pk}/")
    confirm = page.get_by_role("button", name="Ja, overleg afzeggen")
    assert not confirm.is_visible()
    page.get_by_text("Overleg afzeggen", exact=True).focus()
    page.keyboard.press("Enter")
    assert confirm.is_visible()
    assert page.get_by_text("Dit kunt u niet terugdraaien.").is_visible()
    axe_check(page)
    meeting.refresh_from_db()
    assert meeting.state == "planned"  # opening the question changed nothing

    page.get_by_label(re.compile(r"^Verslag")).fill(TYPED)
    confirm.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label(re.compile(r"^Verslag")).input_value() == TYPED
    meeting.refresh_from_db()
    assert meeting.state == "planned"
