"""In Chromium: the admin's membership form sent with mistakes (tester Q11). The focus goes to a
summary that lists the fields (role=alert), the autocomplete boxes carry their field's error,
a date field has no time-zone note (tester Q5), and the header speaks the product's words."""

from __future__ import annotations

from typing import Any

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_sent_membership_form_with_mistakes_is_accessible(
    page: Any, member: Any, browser_login: Any, axe_check: Any
) -> None:
    admin = member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())
    admin.is_staff = True
    admin.save()
    browser_login(page, admin)
    page.goto(page.base_url + "/beheer/accounts/membership/add/")
    page.wait_for_selector("#id_user + .select2 .select2-selection[data-named]")
    focused = page.evaluate("[document.activeElement.id, document.activeElement.className]")
    assert "select2-selection" in focused[1], focused  # the box a user sees, not the <select>

    page.locator("input[name=_save]").focus()
    page.keyboard.press("Enter")  # Opslaan, with nothing filled in
    page.wait_for_selector(".error-summary")
    active = page.evaluate(
        "[document.activeElement.className, document.activeElement.getAttribute('role')]"
    )
    assert "error-summary" in active[0] and active[1] == "alert"
    summary = page.locator(".error-summary")
    assert summary.locator("a[href='#id_user']").count() == 1
    assert "Gebruiker" in summary.inner_text()
    assert not page.locator("p.errornote").is_visible()  # Django's note, said by the summary

    box = page.locator("#id_user + .select2 .select2-selection")
    assert box.get_attribute("aria-invalid") == "true"
    assert "id_user_error" in (box.get_attribute("aria-describedby") or "")
    summary.locator("a[href='#id_user']").click()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "combobox"

    header = page.locator("#user-tools").text_content() or ""
    assert "Uitloggen" in header and "Naar Schoolzorg" in header
    axe_check(page)


def test_a_date_field_has_no_time_zone_note(page: Any, member: Any, browser_login: Any) -> None:
    """Django notes beside a date field that the browser's clock is in another time zone
    ("Let op: vul tijden in zoals in de tijdzone Europe/Amsterdam"): no time is asked there."""
    admin = member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())
    admin.is_staff = True
    admin.save()
    elsewhere = page.context.browser.new_context(locale="nl-NL", timezone_id="America/New_York")
    abroad = elsewhere.new_page()
    abroad.base_url = page.base_url
    browser_login(abroad, admin)
    abroad.goto(abroad.base_url + "/beheer/accounts/membership/add/")
    assert abroad.locator("#id_valid_from").count() == 1
    assert abroad.locator(".timezonewarning").count() == 0
    elsewhere.close()
