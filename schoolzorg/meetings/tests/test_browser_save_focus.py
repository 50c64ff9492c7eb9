"""In Chromium: saving the minutes or a decision of an item replaces the whole item (htmx). The
focus lands on the new item's heading, not on the page's body, and the status line of the
screen reads out what was saved. axe on the screen after each save."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.accounts.roles import Role
from schoolzorg.careteams.models import TeamRole
from schoolzorg.careteams.tests.factories import CareTeamFactory, add_member
from schoolzorg.meetings.services import place_on_agenda
from schoolzorg.meetings.tests.factories import CareMeetingFactory, give_consent
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# Functions, not bare expressions: the page's CSP forbids evaluating a string.
FOCUSED_ID = "() => document.activeElement && document.activeElement.id"
STATUS_SAYS = "(text) => document.getElementById('opslag-melding').textContent === text"


def test_a_save_within_an_item_moves_focus_to_its_heading_and_says_so(
    page, member, browser_login, axe_check
):
    school = SchoolFactory(name="De Regenboog")
    ib = member(Role.SUPPORT_COORDINATOR, school)
    team = CareTeamFactory(school=school)
    add_member(team, ib, TeamRole.SUPPORT_COORDINATOR, hours="8")
    meeting = CareMeetingFactory(care_team=team, scheduled_on=timezone.localdate())
    pupil = PupilFactory(first_name="Sam", last_name="Browserkind", current_school=school)
    give_consent(pupil, ib)
    item = place_on_agenda(meeting, pupil=pupil, question="Wat helpt Sam?", by=ib)
    browser_login(page, ib)
    page.goto(page.base_url + f"/overleggen/{meeting.pk}/")
    assert page.locator("#opslag-melding").get_attribute("role") == "status"

    page.get_by_label(re.compile(r"^Verslag")).fill("Moeder vertelt dat de ochtenden lastig zijn.")
    page.get_by_role("button", name=re.compile(r"^Verslag opslaan")).press("Enter")
    page.get_by_text("Laatst opgeslagen").wait_for()
    page.wait_for_function(f"() => ({FOCUSED_ID})() === 'punt-{item.pk}-titel'")
    page.wait_for_function(STATUS_SAYS, arg="Verslag opgeslagen.")
    assert page.locator(f"#punt-{item.pk}").get_by_text("Verslag opgeslagen.").is_visible()
    axe_check(page)

    page.get_by_label("Wat gaan we doen").fill("Ochtendritme bespreken met moeder")
    page.get_by_label("Wie is aan zet?").select_option("school_social_work")
    page.get_by_label("Wie doet het").select_option(str(ib.pk))
    due = weekday(timezone.localdate() + dt.timedelta(days=21))
    page.get_by_label("Klaar op").fill(due.isoformat())
    page.evaluate("document.getElementById('opslag-melding').textContent = ''")
    page.get_by_role("button", name=re.compile(r"^Besluit opslaan")).press("Enter")
    page.get_by_role("link", name="actie in het plan").wait_for()
    page.wait_for_function(f"() => ({FOCUSED_ID})() === 'punt-{item.pk}-titel'")
    page.wait_for_function(STATUS_SAYS, arg="Besluit opgeslagen.")
    assert page.locator(f"#punt-{item.pk}").get_by_text("Besluit opgeslagen.").is_visible()
    axe_check(page)
