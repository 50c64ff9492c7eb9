"""In Chromium, two people: the school social worker writes and sends the referral, the
neighbourhood-team worker takes it through to first contact. axe on every page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schoolzorg.referrals.models import Referral
from schoolzorg.referrals.tests.factories import (
    COMPLETE_DOCUMENT,
    draft,
    make_world,
    school_day_before,
    school_day_from,
)
from schoolzorg.referrals.workflow import State

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _logout(page: Any) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/")


def test_school_sends_and_team_takes_the_referral_to_first_contact(
    page: Any, browser_login: Any, axe_check: Any
) -> None:
    world = make_world()
    pupil = world.pupil

    # The school social worker starts from the pupil page.
    browser_login(page, world.smw)
    axe_check(page)
    page.goto(f"{page.base_url}/leerlingen/{pupil.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Toeleiding naar het wijkteam starten").click()
    expect(
        page.get_by_text("Woonwijk Oost (volgens de postcode van het woonadres) → Wijkteam Oost")
    ).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Concept maken").click()
    page.wait_for_url("**/bewerken/")
    axe_check(page)

    # Sending too early lists what is missing; what was typed stays.
    page.get_by_label("Hulpvraag in de woorden van het gezin").fill(
        COMPLETE_DOCUMENT["help_question"]
    )
    page.get_by_role("button", name="Versturen naar het wijkteam").click()
    # The answer comes after the click returns: wait for it rather than look at once.
    expect(page.get_by_text("Niet verstuurd.")).to_be_visible()
    expect(page.get_by_text("Vul de zorgen in.").first).to_be_visible()
    axe_check(page)

    labels = {
        "strengths": "Wat gaat goed (krachten)",
        "concerns": "Zorgen",
        "already_tried": "Wat is al geprobeerd",
        "severity_summary": "Ernsttaxatie: conclusie",
        "child_safety_summary": "Veiligheid (LIRIK): conclusie",
        "consent_scope": "Wat mag het wijkteam weten (toestemming)",
        "proposed_handover": "Voorstel warme overdracht",
    }
    for field, label in labels.items():
        page.get_by_label(label, exact=True).fill(COMPLETE_DOCUMENT[field])
    page.get_by_label("Meldcode").select_option(COMPLETE_DOCUMENT["reporting_code_status"])
    page.get_by_label("Urgentie").select_option(COMPLETE_DOCUMENT["urgency"])
    # The autosave (htmx) confirms without leaving the page.
    page.get_by_text("Concept opgeslagen om").wait_for()
    # Let the last autosave finish before sending, as a person would see it confirmed.
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Versturen naar het wijkteam").click()
    page.wait_for_url("**/toeleidingen/*/", timeout=30000)
    assert page.get_by_text("De toeleiding is verstuurd naar het wijkteam.").is_visible()
    axe_check(page)
    referral = Referral.objects.get()
    assert referral.state == State.SUBMITTED
    _logout(page)

    # The team worker finds it in the inbox and takes it on.
    browser_login(page, world.worker)
    page.get_by_role("link", name="Toeleidingen").first.click()
    axe_check(page)
    page.get_by_role("link", name=f"{pupil.first_name} {pupil.last_name}").click()
    axe_check(page)
    # Their own name is marked and chosen already: they usually take it themselves.
    chosen = page.get_by_label("Behandelaar").locator("option:checked")
    assert chosen.inner_text() == f"{world.worker.full_name} (u)"
    page.get_by_role("button", name="Ontvangst bevestigen").click()
    assert page.locator("#status").inner_text() == "Ontvangen"
    axe_check(page)

    day = school_day_from(world, timezone.localdate() + dt.timedelta(days=2))
    page.locator("#id_plan_handover-on").fill(day.isoformat())
    page.get_by_label("Plaats").fill("Op school")
    page.get_by_label("Wie doen er mee?").fill("Moeder, SMW, wijkteam")
    page.get_by_label("De ouders zijn uitgenodigd").check()
    page.get_by_role("button", name="Warme overdracht plannen").click()
    assert page.locator("#status").inner_text() == "Warme overdracht gepland"
    axe_check(page)

    # Held on the last school day up to today: on a weekend that is before the day the handover
    # was planned, so the plan is dated two weeks back (a handover is not held on a closed day).
    today = timezone.localdate()
    held = school_day_before(world, today)
    Referral.objects.filter(pk=referral.pk).update(
        handover_planned_on=today - dt.timedelta(days=14)
    )
    page.locator("#id_hold_handover-held_on").fill(held.isoformat())
    page.get_by_role("button", name="Warme overdracht gehouden").click()
    assert page.locator("#status").inner_text() == "Warme overdracht gehouden"
    axe_check(page)

    page.get_by_role("button", name="Eerste contact bevestigen").click()
    assert page.locator("#status").inner_text() == "Eerste contact bevestigd"
    axe_check(page)
    referral.refresh_from_db()
    assert referral.state == State.FIRST_CONTACT and referral.assignee == world.worker


def test_two_tabs_on_one_draft_lose_no_text(page: Any, browser_login: Any, axe_check: Any) -> None:
    """One person, the same draft open in two tabs, the autosave on in both."""
    world = make_world()
    referral = draft(world, complete=False)
    browser_login(page, world.smw)
    edit = f"{page.base_url}/toeleidingen/{referral.pk}/bewerken/"
    page.goto(edit)
    tab2 = page.context.new_page()
    tab2.goto(edit)

    def autosaved(tab: Any) -> Any:
        return tab.expect_response(lambda r: r.url.endswith("/opslaan/"))

    # Tab 1 writes the hulpvraag and types on after its autosave: no conflict with itself.
    help_question = "Hulpvraag in de woorden van het gezin"
    with autosaved(page):
        page.get_by_label(help_question).fill("Rust thuis.")
    with autosaved(page):
        page.get_by_label(help_question).fill("Rust thuis en hulp bij het slapen.")
    expect(page.locator("#autosave-status")).to_contain_text("Concept opgeslagen om")

    # Tab 2 still shows the empty hulpvraag; its autosave of the zorgen leaves tab 1's text.
    with autosaved(tab2):
        tab2.get_by_label("Zorgen", exact=True).fill("Komt vaak te laat.")
    status = tab2.locator("#autosave-status")
    expect(status).to_contain_text("Concept opgeslagen om")
    expect(status).to_contain_text(f"Intussen is ook ‘{help_question}’ aangepast")
    expect(tab2.locator("#current-help_question")).to_contain_text(
        "Rust thuis en hulp bij het slapen."
    )
    axe_check(tab2)
    referral.refresh_from_db()
    assert referral.help_question == "Rust thuis en hulp bij het slapen."
    assert referral.concerns == "Komt vaak te laat."

    # Tab 2 types in the hulpvraag it never saw change: not saved, both texts shown.
    with autosaved(tab2):
        tab2.get_by_label(help_question).fill("Andere hulpvraag.")
    expect(status).to_contain_text("Niet alles is opgeslagen")
    expect(tab2.locator("#current-help_question")).to_contain_text("Wat er nu staat:")
    axe_check(tab2)
    referral.refresh_from_db()
    assert referral.help_question == "Rust thuis en hulp bij het slapen."

    # The button: the page comes back with both texts; saving again is a choice made after reading.
    tab2.get_by_role("button", name="Concept opslaan").click()
    expect(tab2.locator(".error-summary")).to_be_focused()
    expect(tab2.get_by_label(help_question)).to_have_value("Andere hulpvraag.")
    axe_check(tab2)
    tab2.get_by_role("button", name="Concept opslaan").click()
    expect(tab2.get_by_text("Het concept is opgeslagen.")).to_be_visible()
    referral.refresh_from_db()
    assert referral.help_question == "Andere hulpvraag."
    assert referral.concerns == "Komt vaak te laat."


def test_an_autosave_after_signing_out_elsewhere_says_so_and_keeps_the_text(
    page: Any, browser_login: Any, axe_check: Any
) -> None:
    """The session ends (signed out in another tab): the status line says so, focus and the
    typed text stay where they were; no login page inside the form."""
    world = make_world()
    referral = draft(world, complete=False)
    browser_login(page, world.smw)
    page.goto(f"{page.base_url}/toeleidingen/{referral.pk}/bewerken/")
    kept = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()  # the session gone, as if signed out in another tab
    page.context.add_cookies(kept)  # type: ignore[arg-type]
    field = page.get_by_label("Zorgen", exact=True)
    with page.expect_response(lambda r: r.url.endswith("/opslaan/")) as answer:
        field.fill("Komt vaak te laat.")
    assert answer.value.status == 401
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Uw sessie is verlopen")
    expect(status.get_by_role("link", name="log opnieuw in")).to_be_visible()
    expect(field).to_have_value("Komt vaak te laat.")
    expect(field).to_be_focused()
    assert page.locator("h1").count() == 1
    axe_check(page)


def test_a_withdrawn_consent_closes_the_file_for_the_team(
    page: Any, browser_login: Any, axe_check: Any
) -> None:
    """The testers' repro: the school social worker withdraws "Delen met het wijkteam" after
    the team planned the handover; the team leader then sees the progress, not the file."""
    from django.urls import reverse

    from schoolzorg.consent.models import Consent, Purpose
    from schoolzorg.referrals import services

    world = make_world()
    referral = draft(world)
    services.submit_referral(referral, by=world.smw)
    services.acknowledge_referral(referral, by=world.worker)
    services.plan_handover(
        referral,
        by=world.worker,
        on=school_day_from(world, timezone.localdate() + dt.timedelta(days=3)),
        place="School",
        participants="Moeder, SMW, wijkteam",
        parents_invited=True,
    )
    consent = Consent.objects.get(pupil=world.pupil, purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM)

    browser_login(page, world.smw)
    page.goto(page.base_url + reverse("consent:withdraw", args=[consent.pk]))
    page.get_by_label("Reden").fill("Moeder wil niet dat het wijkteam meekijkt.")
    page.get_by_role("button", name="Intrekken").click()
    expect(page.get_by_text("De toestemming is ingetrokken.")).to_be_visible()
    page.goto(page.base_url + reverse("referrals:detail", args=[referral.pk]))
    expect(
        page.get_by_text("Er is geen toestemming of grondslag meer om gegevens te delen")
    ).to_be_visible()
    axe_check(page)
    _logout(page)

    browser_login(page, world.leader)
    page.goto(page.base_url + reverse("referrals:detail", args=[referral.pk]))
    expect(
        page.get_by_text("Er is geen toestemming of grondslag meer om gegevens te delen")
    ).to_be_visible()
    expect(page.get_by_text("U ziet dit document niet meer")).to_be_visible()
    assert COMPLETE_DOCUMENT["help_question"] not in page.content()
    axe_check(page)
    answer = page.goto(page.base_url + reverse("pupils:detail", args=[world.pupil.pk]))
    assert answer is not None and answer.status == 404
