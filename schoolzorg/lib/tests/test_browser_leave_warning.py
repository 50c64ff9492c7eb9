"""In Chromium: leaving a page while a form holds typed text that is not saved asks first (the
browser's own question); after saving, or when sending the form, it does not."""

from __future__ import annotations

import re
from typing import Any

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.cases.models import Case
from schoolzorg.meetings.tests.test_browser_unsaved_minutes import TYPED, _meeting_with_an_item
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


class Dialogs:
    """Answers every question of the browser, staying on the page or leaving it."""

    def __init__(self, page: Any) -> None:
        self.seen: list[str] = []
        self.leave = False
        page.on("dialog", self._answer)

    def _answer(self, dialog: Any) -> None:
        self.seen.append(dialog.type)
        if self.leave:
            dialog.accept()
        else:
            dialog.dismiss()


def _try_to_leave(page: Any, dialogs: Any) -> None:
    """Click the site's name (a link home) and give the browser a moment to ask."""
    page.locator(".site-header__brand").click()
    page.wait_for_timeout(300)


def test_typed_concern_asks_before_leaving_and_not_when_sent(page, member, browser_login):
    pupil = PupilFactory(first_name="Lotte", last_name="Vertrekt")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    browser_login(page, ib)
    dialogs = Dialogs(page)
    form_url = f"{page.base_url}/casussen/melden/{pupil.pk}/"

    # Nothing typed, or typed and taken away again, or only a choice made: leaving asks nothing.
    page.goto(form_url)
    _try_to_leave(page, dialogs)
    page.wait_for_url(page.base_url + "/")
    page.goto(form_url)
    page.get_by_label("Wat is er aan de hand?").fill("Lotte")
    page.get_by_label("Wat is er aan de hand?").fill("")
    page.get_by_label("Onderwerp").select_option("absence")
    _try_to_leave(page, dialogs)
    page.wait_for_url(page.base_url + "/")
    assert dialogs.seen == []

    # Sent empty with a mistake: nothing typed to lose on the page that comes back.
    page.goto(form_url)
    page.get_by_role("button", name="Zorg melden").click()
    page.locator(".error-summary").wait_for()
    _try_to_leave(page, dialogs)
    page.wait_for_url(page.base_url + "/")
    assert dialogs.seen == []

    # Typed: the browser asks; staying keeps the text.
    page.goto(form_url)
    page.get_by_label("Wat is er aan de hand?").fill("Lotte is vaak moe.")
    _try_to_leave(page, dialogs)
    assert dialogs.seen == ["beforeunload"]
    assert page.url == form_url
    assert page.get_by_label("Wat is er aan de hand?").input_value() == "Lotte is vaak moe."

    # Sent with a mistake: no question on the way; the page that comes back holds the text
    # unsaved, so leaving it asks again.
    page.get_by_role("button", name="Zorg melden").click()
    page.locator(".error-summary").wait_for()
    assert dialogs.seen == ["beforeunload"]
    _try_to_leave(page, dialogs)
    assert dialogs.seen == ["beforeunload", "beforeunload"]

    # Sent right: saved, and the next page leaves freely.
    page.get_by_label("Onderwerp").select_option("absence")
    page.get_by_role("button", name="Zorg melden").click()
    case = Case.objects.get()
    page.wait_for_url(f"**/casussen/{case.pk}/")
    _try_to_leave(page, dialogs)
    page.wait_for_url(page.base_url + "/")
    assert dialogs.seen == ["beforeunload", "beforeunload"]


def test_minutes_typed_ask_until_saved_by_htmx(page, member, browser_login):
    ib, meeting, item = _meeting_with_an_item(member)
    browser_login(page, ib)
    dialogs = Dialogs(page)
    page.goto(page.base_url + f"/overleggen/{meeting.pk}/")
    page.get_by_label(re.compile(r"^Verslag")).fill(TYPED)
    _try_to_leave(page, dialogs)
    assert dialogs.seen == ["beforeunload"]

    # Saved in place (the item is replaced by htmx): leaving no longer asks.
    page.get_by_role("button", name=re.compile(r"^Verslag opslaan")).click()
    page.get_by_text("Laatst opgeslagen").wait_for()
    item.refresh_from_db()
    assert item.minutes == TYPED
    _try_to_leave(page, dialogs)
    page.wait_for_url(page.base_url + "/")
    assert dialogs.seen == ["beforeunload"]

    # Asked, and the user chooses to leave: the page goes.
    page.goto(page.base_url + f"/overleggen/{meeting.pk}/")
    page.get_by_label(re.compile(r"^Verslag")).fill(TYPED + " En meer.")
    dialogs.leave = True
    _try_to_leave(page, dialogs)
    page.wait_for_url(page.base_url + "/")
    assert dialogs.seen == ["beforeunload", "beforeunload"]


def test_the_sign_in_pages_never_ask(page, member):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    ib = member(Role.SUPPORT_COORDINATOR, PupilFactory().current_school)
    TOTPDevice.objects.create(user=ib, name="test", confirmed=True)
    dialogs = Dialogs(page)
    page.goto(page.base_url + "/inloggen/")
    page.get_by_label("E-mailadres").fill(ib.email)
    page.get_by_label("Wachtwoord").fill("x" * 12)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/code/")
    page.get_by_label("Code").fill("12")
    # Home sends a half signed-in user back to this page: the point is that it is left freely.
    with page.expect_navigation():
        page.locator(".site-header__brand").click()
    assert page.get_by_label("Code").input_value() == ""
    assert dialogs.seen == []


def test_a_form_sent_back_with_only_its_own_date_filled_in_does_not_ask(
    page, member, browser_login
):
    pupil = PupilFactory(first_name="Daan", last_name="Vraagt")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    browser_login(page, ib)
    dialogs = Dialogs(page)
    # The request form fills in today's date itself; sent without a choice, it comes back.
    page.goto(f"{page.base_url}/bewaartermijnen/leerling/{pupil.pk}/verzoek/")
    page.get_by_role("button", name="Verzoek vastleggen").click()
    page.locator(".error-summary").wait_for()
    _try_to_leave(page, dialogs)
    page.wait_for_url(page.base_url + "/")
    assert dialogs.seen == []
