"""In Chromium: the administrator corrects a suspect holiday; a coordinator adds a study day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.calendars.models import HolidayReview, HolidayStatus, SchoolClosure
from schoolzorg.calendars.tests.factories import SchoolHolidayFactory
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_admin_reviews_a_pending_holiday(
    page: Any, member: Callable[..., Any], browser_login: Any, axe_check: Any
) -> None:
    holiday = SchoolHolidayFactory(
        region="zuid",
        source_region="ZU",
        name="Voorjaarsvakantie",
        start_on=dt.date(2027, 2, 13),
        end_on=dt.date(2027, 3, 21),
        source_start_on=dt.date(2027, 2, 13),
        source_end_on=dt.date(2027, 3, 21),
        status=HolidayStatus.PENDING,
        flag_reason="Voorjaarsvakantie duurt 37 dagen; meer dan drie weken is ongewoon",
    )
    admin = member(Role.FUNCTIONAL_ADMIN, MunicipalityFactory())
    browser_login(page, admin)

    page.get_by_role("link", name="Kalender").click()
    axe_check(page)
    page.get_by_role("link", name="Vakanties die op controle wachten").click()
    page.wait_for_url("**/kalender/controle/")
    assert page.get_by_text("duurt 37 dagen").is_visible()
    axe_check(page)

    # The menu's "Kalender 1 te beoordelen" also has the word: take the row's link.
    page.get_by_role("main").get_by_role("link", name="Beoordelen").click()
    page.wait_for_url(f"**/kalender/controle/{holiday.pk}/")
    axe_check(page)
    # A correction without a reason is refused, and what was typed stays.
    page.get_by_label("Corrigeren: gebruik de data hieronder").check()
    page.get_by_label("Laatste vrije dag").fill("2027-02-21")
    page.get_by_role("button", name="Besluit vastleggen").click()
    # The message stands at its field and, as a link to that field, in the summary on top.
    assert page.locator("p.error", has_text="Schrijf kort waarom.").is_visible()
    assert page.locator(".error-summary a", has_text="Schrijf kort waarom.").is_visible()
    axe_check(page)
    assert page.get_by_label("Laatste vrije dag").input_value() == "2027-02-21"

    page.get_by_label("Toelichting").fill("Typefout in de bron; Rijksoverheid zegt 21 februari.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.wait_for_url("**/kalender/controle/")
    assert page.get_by_text("Er wachten geen vakanties op controle.").is_visible()
    assert page.get_by_role("cell", name="Gecorrigeerd").is_visible()
    axe_check(page)

    page.get_by_role("link", name="Een nieuw bestand met schoolvakanties inlezen").click()
    page.wait_for_url("**/kalender/controle/inlezen/")
    page.get_by_role("button", name="Inlezen").click()
    assert page.locator("p.error", has_text="Kies een bestand.").is_visible()
    assert page.locator(".error-summary a", has_text="Kies een bestand.").is_visible()
    axe_check(page)

    holiday.refresh_from_db()
    assert (holiday.status, holiday.end_on) == (HolidayStatus.APPROVED, dt.date(2027, 2, 21))
    assert HolidayReview.objects.get(holiday=holiday).by == admin


def test_coordinator_adds_and_removes_a_study_day(
    page: Any, member: Callable[..., Any], browser_login: Any, axe_check: Any
) -> None:
    school = SchoolFactory(name="De Regenboog")
    ib = member(Role.SUPPORT_COORDINATOR, school)
    browser_login(page, ib)

    page.goto(page.base_url + f"/kalender/school/{school.pk}/")
    axe_check(page)
    today = dt.date.today()
    monday = today + dt.timedelta(days=28 + (7 - today.weekday()) % 7)  # a Monday weeks ahead
    page.get_by_label("Datum").fill(monday.isoformat())
    page.get_by_label("Reden").fill("Studiedag team")
    page.get_by_role("button", name="Toevoegen").click()
    assert page.get_by_text("De dag is toegevoegd.").is_visible()
    axe_check(page)
    assert SchoolClosure.objects.filter(school=school, date=monday).exists()

    # Tester X13: the first press (here Enter) only asks; the button in the question removes.
    confirm = page.get_by_role("button", name="Ja, verwijder deze dag")
    assert not confirm.is_visible()
    page.locator("summary", has_text="Verwijderen").focus()
    page.keyboard.press("Enter")
    assert confirm.is_visible()
    axe_check(page)
    assert SchoolClosure.objects.exists()  # opening the question changed nothing
    confirm.click()
    assert page.get_by_text("is verwijderd").is_visible()
    assert not SchoolClosure.objects.exists()
