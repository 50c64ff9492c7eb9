"""In Chromium: register a concern, open the case, start the plan, add a goal and an action,
record a review; axe on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.cases.models import Case
from schoolzorg.plans.models import Action, Goal, Review
from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _day(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_concern_to_case_to_plan_goal_action_and_review(page, member, browser_login, axe_check):
    pupil = PupilFactory(first_name="Lotte", last_name="Browserzorg")
    add_guardian(pupil, full_name="Moeder Browserzorg")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    browser_login(page, ib)

    page.goto(f"{page.base_url}/leerlingen/{pupil.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Zorg melden").click()
    page.wait_for_url(f"**/casussen/melden/{pupil.pk}/")
    axe_check(page)
    # Submitting without a subject explains what is missing and keeps the text.
    page.get_by_label("Wat is er aan de hand?").fill("Lotte is vaak moe en komt te laat.")
    page.get_by_role("button", name="Zorg melden").click()
    # The message stands at its field and, as a link to that field, in the summary on top.
    assert page.locator("p.error", has_text="Kies een onderwerp.").is_visible()
    assert page.locator(".error-summary a", has_text="Kies een onderwerp.").is_visible()
    axe_check(page)
    page.get_by_label("Onderwerp").select_option("absence")
    page.get_by_role("button", name="Zorg melden").click()
    case = Case.objects.get()
    page.wait_for_url(f"**/casussen/{case.pk}/")
    assert page.get_by_text("Lotte is vaak moe en komt te laat.").is_visible()
    axe_check(page)

    page.get_by_role("button", name="Integraal plan starten").click()
    page.wait_for_url("**/plannen/*/")
    axe_check(page)

    page.get_by_text("Doel toevoegen voor Lotte").click()
    page.get_by_label("Doel", exact=True).fill("Lotte is uitgerust en op tijd op school")
    page.get_by_role("button", name="Doel opslaan").click()
    # Not SMART yet: the form says what is missing.
    assert page.get_by_text("(Meetbaar)").first.is_visible()
    axe_check(page)
    page.get_by_label("Hoe meten we het?").fill("4 van de 5 dagen voor 8.30 uur in de klas")
    page.get_by_role("combobox", name="Eigenaar").select_option(str(ib.pk))
    page.get_by_label("Uiterlijk bereikt op").fill(_day(60))
    page.get_by_label("Evalueren op").fill(_day(30))
    page.get_by_role("button", name="Doel opslaan").click()
    page.wait_for_load_state()
    assert Goal.objects.count() == 1
    axe_check(page)

    page.get_by_text("Actie toevoegen voor Lotte").click()
    page.get_by_label("Wat gaat er gebeuren?").fill("Wekker zetten en tas klaarzetten")
    page.get_by_label("Wie is aan zet?").select_option("family")
    page.get_by_label("Of: iemand uit gezin of netwerk").fill("moeder")
    page.get_by_label("Klaar op").fill(_day(7))
    page.get_by_role("button", name="Actie opslaan").click()
    page.wait_for_load_state()
    assert Action.objects.get().owner_name == "moeder"
    assert page.get_by_role("cell", name="Wekker zetten en tas klaarzetten").is_visible()
    axe_check(page)

    page.get_by_role("link", name="Evaluatie vastleggen").click()
    page.wait_for_url("**/evaluatie/")
    axe_check(page)
    page.get_by_label("Deels bereikt").check()
    page.get_by_label("Cijfer (1 tot 5)").select_option("3")
    page.get_by_label("Wat zeggen gezin en team?").fill("Twee keer te laat deze week.")
    page.get_by_label("Volgende evaluatie").fill(_day(14))
    page.get_by_role("button", name="Evaluatie opslaan").click()
    page.wait_for_url("**/plannen/*/**")
    assert Review.objects.get().score == 3
    axe_check(page)

    page.goto(f"{page.base_url}/casussen/{case.pk}/")
    assert page.get_by_text("Nieuw doel: Lotte is uitgerust").is_visible()
    axe_check(page)


def test_a_status_change_refused_as_stale_keeps_what_was_typed(
    page, member, browser_login, axe_check
):
    from schoolzorg.cases import services

    pupil = PupilFactory(first_name="Noor", last_name="Browserstatus")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    colleague = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    case = services.register_concern(pupil, category="absence", description="Te laat.", by=ib)
    browser_login(page, ib)
    page.goto(f"{page.base_url}/casussen/{case.pk}/")
    page.locator("summary", has_text="Status of regisseur wijzigen").click()
    page.get_by_label("Nieuwe status").select_option("closed")
    page.get_by_label("Uitkomst (bij afsluiten)").select_option("resolved")
    note = "Noor komt weer op tijd; de ouders bellen als het misgaat."
    page.get_by_label("Toelichting").fill(note)
    services.change_case_status(case, to="in_care_team", by=colleague)  # meanwhile

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Status opslaan").click()
    page.wait_for_load_state("load")
    assert answer.value.status == 409
    summary = page.locator(".error-summary")
    assert "Iemand anders heeft deze casus net gewijzigd." in summary.inner_text()
    assert summary.evaluate("el => el === document.activeElement")
    assert page.get_by_label("Toelichting").input_value() == note
    assert page.get_by_label("Uitkomst (bij afsluiten)").input_value() == "resolved"
    axe_check(page)
