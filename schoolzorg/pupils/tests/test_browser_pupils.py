"""In Chromium: sign in, search a pupil, open the pupil page, sign out; axe on every page."""

from __future__ import annotations

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_coordinator_signs_in_searches_opens_pupil_and_signs_out(
    page, member, browser_login, axe_check
):
    pupil = PupilFactory(first_name="Fleur", last_name="Browsertest")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)

    page.goto(page.base_url + "/inloggen/")
    axe_check(page)
    browser_login(page, ib)
    axe_check(page)
    assert page.get_by_role("heading", name="Mijn werk").is_visible()

    page.get_by_role("link", name="Leerlingen").click()
    page.get_by_label("Naam van de leerling").fill("browsertest")
    page.get_by_role("button", name="Zoeken").click()
    axe_check(page)
    page.get_by_role("link", name="Fleur Browsertest").click()
    page.wait_for_url(f"**/leerlingen/{pupil.pk}/")
    assert page.get_by_role("heading", name="Fleur Browsertest").is_visible()
    axe_check(page)

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/")
    assert page.get_by_text("U bent uitgelogd.").is_visible()
    axe_check(page)
