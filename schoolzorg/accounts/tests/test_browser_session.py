"""In Chromium: the end of an idle session. Two minutes before, a dialog offers to stay signed in
(WCAG 2.2.1); a form sent after it ended loses its text, says so, and after signing in again the
page it was on opens, not the form's own address (which takes forms only). Signing out in one
tab is said at once in the others, whose typed text stays."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolzorg.accounts.roles import Role
from schoolzorg.cases.tests.factories import CaseFactory
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NOTE = "Moeder belde: het gaat thuis beter sinds de nieuwe afspraken."


def _case_of(member: Any) -> tuple[Any, Any]:
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    return ib, CaseFactory(pupil=pupil, raised_by=ib)


def _type_a_note(page: Any) -> None:
    page.locator("summary", has_text="Notitie toevoegen").click()  # opens the <details>
    page.get_by_label("Notitie", exact=True).fill(NOTE)


def test_the_warning_before_the_idle_limit_keeps_the_user_signed_in(
    page, member, browser_login, axe_check
):
    ib, case = _case_of(member)
    browser_login(page, ib)
    page.clock.install()
    page.goto(f"{page.base_url}/casussen/{case.pk}/")
    _type_a_note(page)
    dialog = page.get_by_role("alertdialog")
    assert not dialog.is_visible()

    page.clock.fast_forward("28:30")  # 90 seconds left
    page.clock.run_for(6000)
    assert dialog.is_visible()
    assert page.get_by_role("alertdialog", name="U wordt over 2 minuten afgemeld").is_visible()
    keep = dialog.get_by_role("button", name="Blijf ingelogd")
    assert keep.evaluate("el => el === document.activeElement")
    axe_check(page)

    with page.expect_response(re.compile(r"/inloggen/verlengen/$")) as answer:
        keep.click()
    assert answer.value.status == 200
    page.wait_for_function("() => !document.getElementById('sessie-melding').open")
    page.clock.fast_forward("20:00")  # well within the new 30 minutes
    page.clock.run_for(6000)
    assert not dialog.is_visible()

    # Nothing more done: when the time is up, the dialog says so; the text stays to be copied.
    page.clock.fast_forward("11:00")
    page.clock.run_for(6000)
    ended = page.get_by_role("alertdialog", name="U bent afgemeld")
    assert ended.is_visible()
    assert "nog niet opsloeg, is niet opgeslagen" in ended.inner_text()
    axe_check(page)
    ended.get_by_role("button", name="Sluiten en tekst kopiëren").click()
    assert page.get_by_label("Notitie", exact=True).input_value() == NOTE


def test_signing_out_in_another_tab_is_said_at_once_and_the_text_stays(
    page, member, browser_login, axe_check
):
    ib, case = _case_of(member)
    browser_login(page, ib)
    page.goto(f"{page.base_url}/casussen/{case.pk}/")
    _type_a_note(page)
    ended = page.get_by_role("alertdialog", name="U bent afgemeld")

    other = page.context.new_page()  # a second tab of the same browser
    other.base_url = page.base_url
    other.goto(f"{page.base_url}/account/")
    other.get_by_role("button", name="Uitloggen").click()
    other.wait_for_url("**/inloggen/")
    assert "U bent uitgelogd." in other.inner_text("main")
    assert not other.get_by_role("alertdialog").is_visible()

    ended.wait_for()  # no waiting for the idle limit: the other tab said so
    assert "U bent uitgelogd in een ander tabblad of venster." in ended.inner_text()
    assert "Uw sessie is verlopen" not in ended.inner_text()
    assert "nog niet opsloeg, is niet opgeslagen" in ended.inner_text()
    axe_check(page)
    ended.get_by_role("button", name="Sluiten en tekst kopiëren").click()
    assert page.get_by_label("Notitie", exact=True).input_value() == NOTE

    # Signed in again in the other tab: this page's forms still carry the old session's token,
    # so it keeps saying so; a page opened afresh works as usual.
    TOTPDevice.objects.filter(user=ib).update(last_t=-1)
    browser_login(other, ib)
    page.reload()
    assert not page.get_by_role("alertdialog").is_visible()


def test_a_note_sent_after_the_session_ended_says_it_was_not_saved_and_comes_back(
    page, member, browser_login
):
    ib, case = _case_of(member)
    browser_login(page, ib)
    page.goto(f"{page.base_url}/casussen/{case.pk}/")
    _type_a_note(page)
    Session.objects.all().delete()  # the idle limit passed: the session is gone
    page.on("dialog", lambda question: question.accept())
    page.get_by_role("button", name="Notitie toevoegen").click()

    page.wait_for_url(re.compile(r"/inloggen/\?next="))
    assert "Wat u net typte of koos, is daarom niet opgeslagen." in page.inner_text("main")
    page.get_by_label("E-mailadres").fill(ib.email)
    page.get_by_label("Wachtwoord").fill("x" * 12)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/code/")
    # The code of the first sign-in may still be the current one: allow it once more.
    TOTPDevice.objects.filter(user=ib).update(last_t=-1)
    device = TOTPDevice.objects.get(user=ib)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Code").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_url(f"{page.base_url}/casussen/{case.pk}/")  # the case, not a 405
    assert page.get_by_role("heading", level=1).is_visible()


def test_the_admin_warns_before_the_idle_limit_too(page, member, browser_login, axe_check):
    from schoolzorg.accounts.models import User
    from schoolzorg.organisations.tests.factories import MunicipalityFactory

    admin = member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())
    User.objects.filter(pk=admin.pk).update(is_staff=True)
    browser_login(page, admin)
    page.clock.install()
    page.goto(f"{page.base_url}/beheer/")
    dialog = page.get_by_role("alertdialog")
    assert not dialog.is_visible()

    page.clock.fast_forward("28:30")
    page.clock.run_for(6000)
    assert page.get_by_role("alertdialog", name="U wordt over 2 minuten afgemeld").is_visible()
    axe_check(page)
    with page.expect_response(re.compile(r"/inloggen/verlengen/$")) as answer:
        dialog.get_by_role("button", name="Blijf ingelogd").click()
    assert answer.value.status == 200 and answer.value.json()["ingelogd"]
    page.wait_for_function("() => !document.getElementById('sessie-melding').open")
