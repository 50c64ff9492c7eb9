"""In Chromium: a coordinator fills in a severity assessment and completes it; axe on every page."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from schoolzorg.accounts.roles import Role
from schoolzorg.assessments.models import Assessment, AssessmentStatus
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CHOICES = {
    "Ontwikkeling en leren": "Er zijn zorgen over een deel van de ontwikkeling",
    "Welbevinden en gedrag": "Het kind laat langere tijd zorgelijk gedrag",
    "Gezondheid": "Geen zorgen over de gezondheid.",
    "Eten, slapen, kleding en hygiëne": "De dagelijkse verzorging is op orde.",
    "Veiligheid en stabiliteit thuis": "Er is onrust thuis",
    "Opvoedvaardigheden": "De ouders hebben vragen over de opvoeding",
    "Omstandigheden van het gezin": "Er zijn zorgen op meerdere gebieden",
    "Netwerk rond het gezin": "Er is weinig steun van anderen.",
    "Belasting (wat drukt op kind en gezin)": "Zware belasting.",
}


def test_coordinator_fills_in_and_completes_a_severity_assessment(
    page, member, browser_login, axe_check
):
    # A transactional test starts from a flushed database: load the shipped definitions again,
    # as the data migration did.
    call_command("load_instruments", stdout=StringIO())
    pupil = PupilFactory(first_name="Sem", last_name="Ernsttest")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    browser_login(page, ib)
    page.goto(f"{page.base_url}/leerlingen/{pupil.pk}/")
    page.get_by_role("link", name="Nieuw: Ernsttaxatie").click()
    page.wait_for_url(re.compile(r".*/nieuw/severity/$"))
    axe_check(page)
    page.get_by_role("button", name="Start ernsttaxatie").click()
    page.wait_for_url(re.compile(r".*/invullen/$"))
    axe_check(page)

    for row, statement in CHOICES.items():
        group = page.get_by_role("group", name=row, exact=False)
        group.get_by_role("radio", name=statement, exact=statement.endswith(".")).check()
    # Autosave on change: the draft is stored before any button is pressed.
    expect_saved = page.get_by_role("status").filter(has_text="Concept opgeslagen")
    expect_saved.wait_for()
    assessment = Assessment.objects.get(pupil=pupil)
    assert len(assessment.answers) >= 1

    page.get_by_role("button", name="Opslaan en naar afronden").click()
    page.wait_for_url(re.compile(r".*/afronden/$"))
    # One required row (coping) is still open: completion names it.
    page.get_by_label("Ernstige zorgen: toeleiding naar het wijkteam nodig.").check()
    page.get_by_label("Onderbouwing van uw oordeel").fill("Belasting weegt zwaarder.")
    page.get_by_role("button", name="Afronden").click()
    assert page.get_by_role("alert").filter(has_text="Draagkracht").is_visible()
    assert page.get_by_label("Onderbouwing van uw oordeel").input_value() == (
        "Belasting weegt zwaarder."
    )
    axe_check(page)

    page.get_by_role("link", name=re.compile("Draagkracht")).click()
    page.wait_for_url(re.compile(r".*/invullen/#row-coping$"))
    page.get_by_role("group", name="Draagkracht", exact=False).get_by_label(
        "Het gezin kan weinig zelf oplossen."
    ).check()
    page.get_by_role("button", name="Opslaan en naar afronden").click()
    # The browser keeps the #row-coping fragment across the redirect.
    page.wait_for_url(re.compile(r".*/afronden/(#row-coping)?$"))
    assert page.get_by_role("cell", name="Zware belasting.").is_visible()
    axe_check(page)
    page.get_by_label("Ernstige zorgen: toeleiding naar het wijkteam nodig.").check()
    page.get_by_label("Onderbouwing van uw oordeel").fill("Belasting weegt zwaarder.")
    page.get_by_role("button", name="Afronden").click()
    page.wait_for_url(re.compile(rf".*/instrumenten/{assessment.pk}/(#row-coping)?$"))
    assert page.get_by_text("Het instrument is afgerond.").is_visible()
    axe_check(page)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.rationale == "Belasting weegt zwaarder."

    page.goto(f"{page.base_url}/leerlingen/{pupil.pk}/")
    assert page.get_by_role("link", name="Ernsttaxatie", exact=True).is_visible()
    axe_check(page)
