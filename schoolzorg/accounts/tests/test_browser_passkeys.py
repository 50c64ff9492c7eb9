"""In Chromium with a virtual authenticator: add a passkey, then pass the second step with it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import SchoolFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_passkey_is_added_on_the_account_page_and_then_passes_the_second_step(
    page, member, browser_login, axe_check, settings, live_server
):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())

    browser_login(page, user)
    page.goto(page.base_url + "/account/")
    axe_check(page)
    page.get_by_role("button", name="Passkey toevoegen").click()
    expect(page.get_by_text("Passkeys: 1")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill("x" * 12)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/code/")
    axe_check(page)
    page.get_by_role("button", name="Doorgaan met uw passkey").click()
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_role("heading", name="Mijn werk").is_visible()
