"""In Chromium: a page with htmx breaks no rule of the Content Security Policy (htmx 2 would add
its indicator style inline), and the browser finds the site's icon (it asked /favicon.ico and
got a 404 on every page)."""

from __future__ import annotations

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import SchoolFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_pages_break_no_csp_rule_and_have_an_icon(page, member, browser_login):
    complaints: list[str] = []
    page.on("console", lambda message: complaints.append(message.text))
    not_found: list[str] = []
    page.on("response", lambda r: not_found.append(r.url) if r.status == 404 else None)
    ib = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    browser_login(page, ib)  # the login pages and the home page
    page.goto(page.base_url + "/overleggen/")
    page.wait_for_load_state("networkidle")
    assert [c for c in complaints if "Content Security Policy" in c] == []
    assert not_found == []
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(page.base_url + icon).ok
    answer = page.request.get(page.base_url + "/favicon.ico")
    assert answer.ok and answer.headers["content-type"] == "image/x-icon"
