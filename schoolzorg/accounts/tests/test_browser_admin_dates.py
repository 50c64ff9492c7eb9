"""In Chromium: the admin's date pickers name their links in Dutch, with the word they show
("Vandaag (5 december 2026)"), so a screen reader reads Dutch and a speech-input user who says
"Vandaag" reaches the link (WCAG 2.5.3, 3.1.2)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DUTCH_DATE = r"\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}"


def test_the_membership_forms_date_pickers_speak_dutch(
    page: Any, member: Any, browser_login: Any, axe_check: Any
) -> None:
    admin = member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())
    admin.is_staff = True
    admin.save()
    browser_login(page, admin)
    page.goto(page.base_url + "/beheer/accounts/membership/add/")
    today = page.locator(".datetimeshortcuts a", has_text="Vandaag").first
    assert re.fullmatch(rf"Vandaag \({DUTCH_DATE}\)", today.get_attribute("aria-label") or "")
    axe_check(page)

    page.locator("button[id^=calendarlink]").first.click()
    box = page.locator(".calendarbox:visible").first
    previous = box.locator(".calendarnav-previous").get_attribute("aria-label") or ""
    following = box.locator(".calendarnav-next").get_attribute("aria-label") or ""
    assert re.fullmatch(r"Vorige maand \(\w+ \d{4}\)", previous), previous
    assert re.fullmatch(r"Volgende maand \(\w+ \d{4}\)", following), following
    day = box.locator("td a").first.get_attribute("aria-label") or ""
    assert re.match(DUTCH_DATE, day), day
