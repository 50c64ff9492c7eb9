"""In a real browser: the privacy officer signs off the weekly report; a coordinator records consent."""

from __future__ import annotations

import pytest

from schoolzorg.audit.matrix import build_world
from schoolzorg.audit.models import WeeklyReview
from schoolzorg.consent.models import Consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_officer_signs_off_the_weekly_report(page, browser_login, axe_check) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from schoolzorg.audit.services import Basis, record_access

    world = build_world()
    # A read last week: the log began before the week the report opens on.
    coordinator = world.users["coordinator"]
    with time_machine.travel(timezone.now() - dt.timedelta(days=7), tick=False):
        record_access(
            None,
            user=coordinator,
            action="view",
            pupil_id=world.pupil.pk,
            basis=Basis("membership", "support_coordinator", world.school.pk, world.school.name),
        )
    browser_login(page, world.users["privacy_officer"])
    page.goto(page.base_url + "/logboek/")
    axe_check(page)
    page.get_by_role("link", name="Weekrapport bekijken").click()
    page.wait_for_url("**/logboek/week/**")
    axe_check(page)
    page.get_by_label("Opmerking bij deze week").fill("Geen bijzonderheden.")
    page.get_by_role("button", name="Week aftekenen").click()
    page.get_by_text("De week is afgetekend.").wait_for()
    axe_check(page)
    review = WeeklyReview.objects.get()
    assert review.signed_off_by == world.users["privacy_officer"]
    assert review.note == "Geen bijzonderheden."


def test_coordinator_records_a_consent(page, browser_login, axe_check) -> None:  # type: ignore[no-untyped-def]
    world = build_world()
    pupil = world.pupil_without_consent
    browser_login(page, world.users["coordinator"])
    page.goto(f"{page.base_url}/leerlingen/{pupil.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Toestemming vastleggen", exact=True).click()
    page.wait_for_url(f"**/toestemming/leerling/{pupil.pk}/nieuw/")
    page.get_by_text("alle ouders met gezag moeten toestemming geven").wait_for()
    axe_check(page)
    page.get_by_label("Doel").select_option("discuss_in_care_team")
    page.get_by_label("Vader Zonderstemming").check()
    page.get_by_label("Hoe is de toestemming vastgelegd?").fill("Mondeling, oudergesprek.")
    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_text("De toestemming is vastgelegd.").wait_for()
    axe_check(page)
    consent = Consent.objects.get(pupil=pupil)
    assert consent.is_complete and consent.recorded_by == world.users["coordinator"]
