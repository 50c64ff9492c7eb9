"""In Chromium, the whole route: a concern is registered, it is proposed for the care meeting,
placed on the agenda (consent present), the meeting writes minutes and a decision (htmx), the
decision is an action in the plan, and the action is marked done. axe on every page visited.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.accounts.roles import Role
from schoolzorg.careteams.models import TeamRole
from schoolzorg.careteams.tests.factories import CareTeamFactory, add_member
from schoolzorg.meetings.models import AgendaItem, Decision
from schoolzorg.meetings.tests.factories import CareMeetingFactory, give_consent
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.plans.models import Action
from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_concern_to_agenda_to_decision_to_plan_action(page, member, browser_login, axe_check):
    school = SchoolFactory(name="De Regenboog")
    ib = member(Role.SUPPORT_COORDINATOR, school)
    team = CareTeamFactory(school=school)
    add_member(team, ib, TeamRole.SUPPORT_COORDINATOR, hours="8")
    # The meeting is today: its agenda is made in the morning, the minutes and the decision
    # are written at the table (not before the day: the screen does not offer them then).
    meeting = CareMeetingFactory(care_team=team, scheduled_on=timezone.localdate())
    pupil = PupilFactory(first_name="Sam", last_name="Browserkind", current_school=school)
    add_guardian(pupil, full_name="Moeder Browserkind")
    give_consent(pupil, ib)
    sister = PupilFactory(first_name="Lotte", last_name="Browserkind", current_school=school)
    give_consent(sister, ib)

    browser_login(page, ib)
    axe_check(page)

    # 1. A concern is registered through the cases page.
    page.goto(page.base_url + f"/casussen/melden/{pupil.pk}/")
    axe_check(page)
    page.get_by_label("Onderwerp").select_option("absence")
    page.get_by_label("Wat is er aan de hand?").fill("Komt de laatste weken vaak te laat.")
    page.get_by_role("button", name="Zorg melden").click()
    page.wait_for_load_state()
    axe_check(page)

    # 2. The meeting list and the agenda builder propose it.
    page.get_by_role("link", name="Overleggen").first.click()
    page.wait_for_url("**/overleggen/")
    axe_check(page)
    page.goto(page.base_url + f"/overleggen/{meeting.pk}/agenda/")
    axe_check(page)
    assert page.get_by_role("heading", name="Sam Browserkind").is_visible()
    page.get_by_role("button", name=re.compile(r"^Op de agenda")).click()
    page.wait_for_url(f"**/overleggen/{meeting.pk}/agenda/")
    assert page.get_by_text("Sam staat op de agenda.").is_visible()
    axe_check(page)
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.case is not None

    # A pupil without a case is found by name and placed by hand.
    page.get_by_label("Zoek een leerling van deze school").fill("lotte")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**leerling=lotte**")
    axe_check(page)
    page.get_by_label("Leerling", exact=True).select_option(str(sister.pk))
    page.get_by_label("Vraag aan het team").last.fill("Hoe gaat het met Lotte thuis?")
    page.get_by_role("button", name="Leerling op de agenda zetten").click()
    page.wait_for_url(f"**/overleggen/{meeting.pk}/agenda/")
    assert page.get_by_text("Lotte staat op de agenda.").is_visible()
    assert AgendaItem.objects.filter(meeting=meeting, pupil=sister, source="manual").exists()
    # ... and taken off again: the rest of the meeting is about Sam.
    page.get_by_role("button", name=re.compile(r"^Van de agenda halen.*Lotte")).click()
    page.wait_for_url(f"**/overleggen/{meeting.pk}/agenda/")
    assert not AgendaItem.objects.filter(meeting=meeting, pupil=sister).exists()

    # 3. The meeting: minutes and a decision, each saved without a full reload.
    page.goto(page.base_url + f"/overleggen/{meeting.pk}/")
    axe_check(page)
    page.evaluate("window.__same_page = true")
    page.get_by_label(re.compile(r"^Verslag")).fill("Moeder vertelt dat de ochtenden lastig zijn.")
    page.get_by_role("button", name=re.compile(r"^Verslag opslaan")).click()
    page.get_by_text("Laatst opgeslagen").wait_for()
    page.get_by_label("Wat gaan we doen").fill("Ochtendritme bespreken met moeder")
    page.get_by_label("Wie is aan zet?").select_option("school_social_work")
    page.get_by_label("Wie doet het").select_option(str(ib.pk))
    due = weekday(timezone.localdate() + dt.timedelta(days=21))
    page.get_by_label("Klaar op").fill(due.isoformat())
    page.get_by_role("button", name=re.compile(r"^Besluit opslaan")).click()
    page.get_by_role("link", name="actie in het plan").wait_for()
    assert page.evaluate("window.__same_page") is True  # htmx swapped the item in place
    axe_check(page)
    item.refresh_from_db()
    assert item.minutes.startswith("Moeder vertelt")
    decision = Decision.objects.get(item=item)
    assert decision.plan_action is not None

    # 4. The decision is an action in the plan; the owner marks it done.
    page.get_by_role("link", name="actie in het plan").click()
    page.wait_for_url("**/plannen/*/")
    axe_check(page)
    assert page.get_by_text("Ochtendritme bespreken met moeder").is_visible()
    page.get_by_label("Stand van actie 1").select_option("done")
    page.get_by_role("button", name=re.compile(r"^Opslaan")).click()
    page.wait_for_load_state()
    axe_check(page)
    assert Action.objects.get(pk=decision.plan_action_id).status == "done"
