from __future__ import annotations

import pytest
from django.urls import reverse

from schoolzorg.accounts.roles import Role
from schoolzorg.assessments import services
from schoolzorg.assessments.models import Assessment, AssessmentStatus
from schoolzorg.assessments.tests.factories import (
    SEVERITY_ANSWERS,
    completed_safety,
    completed_severity,
)
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.organisations.tests.factories import (
    PartnershipFactory,
    SchoolFactory,
    YouthHealthServiceFactory,
)
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _no_cache(response) -> bool:  # type: ignore[no-untyped-def]
    value = response["Cache-Control"]
    return "no-store" in value or value.startswith("max-age=0")


def _form_post(answers: dict) -> dict[str, str]:
    data: dict[str, str] = {}
    for key, answer in answers.items():
        if "value" in answer:
            data[key] = "on" if answer["value"] is True else answer["value"]
        if "note" in answer:
            data[f"{key}__note"] = answer["note"]
    return data


def _urls(a: Assessment) -> list[str]:
    return [
        reverse("assessments:detail", args=[a.pk]),
        reverse("assessments:fill", args=[a.pk]),
        reverse("assessments:complete", args=[a.pk]),
        reverse("assessments:review", args=[a.pk]),
        reverse("assessments:start", args=[a.pupil_id, "severity"]),
        reverse("assessments:start", args=[a.pupil_id, "child_safety"]),
        reverse("assessments:safety_list", args=[a.pupil_id]),
    ]


def test_outsider_gets_404_on_every_view_and_nothing_is_logged(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    done = completed_safety(pupil, ib)
    draft = services.start_assessment(pupil, "severity", by=ib)
    outsider = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    client = client_for(outsider)
    before = AccessLogEntry.objects.count()
    for assessment in (done, draft):
        for url in _urls(assessment):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"confirm": "yes"}).status_code == 404, url
    assert client.get("/instrumenten/999999/").status_code == 404
    assert client.get("/instrumenten/leerling/999999/nieuw/severity/").status_code == 404
    assert AccessLogEntry.objects.count() == before
    assert not AccessLogEntry.objects.filter(user_id=outsider.pk).exists()
    assert Assessment.objects.count() == 2


def test_anonymous_is_sent_to_login(client):
    response = client.get("/instrumenten/1/")
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_unknown_instrument_code_is_404(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assert client_for(ib).get(f"/instrumenten/leerling/{pupil.pk}/nieuw/iq/").status_code == 404


def test_coordinator_starts_fills_and_completes_a_severity_assessment(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    client = client_for(ib)
    start = client.get(f"/instrumenten/leerling/{pupil.pk}/nieuw/severity/")
    assert start.status_code == 200 and "geen gelicentieerde versie" in start.content.decode()
    response = client.post(f"/instrumenten/leerling/{pupil.pk}/nieuw/severity/")
    assessment = Assessment.objects.get(pupil=pupil)
    assert response["Location"] == f"/instrumenten/{assessment.pk}/invullen/"

    page = client.get(f"/instrumenten/{assessment.pk}/invullen/")
    html = page.content.decode()
    assert _no_cache(page)
    assert "<legend><h2>Functioneren van het kind</h2></legend>" in html
    assert 'type="radio" name="burden"' in html and 'hx-trigger="change' in html

    # Save without JavaScript, then go on to completion.
    data = _form_post(SEVERITY_ANSWERS) | {"revision": "0", "action": "complete"}
    response = client.post(f"/instrumenten/{assessment.pk}/invullen/", data)
    assert response["Location"] == f"/instrumenten/{assessment.pk}/afronden/"
    page = client.get(f"/instrumenten/{assessment.pk}/afronden/").content.decode()
    assert "Uw antwoorden naast elkaar" in page
    assert "Er zijn zorgen op meerdere gebieden die elkaar versterken." in page
    assert "U kunt nog niet afronden" not in page

    response = client.post(
        f"/instrumenten/{assessment.pk}/afronden/",
        {"j__overall": "neighbourhood_team", "j__overall__rationale": "Te zwaar voor school."},
    )
    assert response["Location"] == f"/instrumenten/{assessment.pk}/"
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.rationale == "Te zwaar voor school."
    detail = client.get(f"/instrumenten/{assessment.pk}/").content.decode()
    assert "Ernstige zorgen: toeleiding naar het wijkteam nodig." in detail
    assert AccessLogEntry.objects.filter(
        pupil_id=pupil.pk, action="view", object_id=str(assessment.pk)
    ).exists()


def test_autosave_stores_the_draft_and_answers_with_a_status(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = services.start_assessment(pupil, "severity", by=ib)
    response = client_for(ib).post(
        f"/instrumenten/{assessment.pk}/invullen/",
        {"burden": "high", "burden__note": "Veel tegelijk.", "revision": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Concept opgeslagen" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.answers == {"burden": {"value": "high", "note": "Veel tegelijk."}}


def test_a_bad_answer_keeps_what_was_typed_and_says_which_row(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = services.start_assessment(pupil, "severity", by=ib)
    response = client_for(ib).post(
        f"/instrumenten/{assessment.pk}/invullen/",
        {"burden": "made_up", "coping__note": "Mijn lange toelichting", "revision": "0"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mijn lange toelichting" in html and "Kies een van de uitspraken." in html
    assert 'href="#row-burden"' in html


def test_completion_lists_the_missing_rows_and_keeps_the_rationale(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = services.start_assessment(pupil, "severity", by=ib)
    services.save_answers(assessment, {"burden": {"value": "high"}}, by=ib)
    response = client_for(ib).post(
        f"/instrumenten/{assessment.pk}/afronden/",
        {"j__overall": "acute", "j__overall__rationale": "Mijn onderbouwing"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "U kunt nog niet afronden" in html
    assert "Functioneren van het kind: Ontwikkeling en leren" in html
    assert "Belasting (wat drukt op kind en gezin)</a>" not in html
    assert "Mijn onderbouwing" in html
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_only_the_author_edits_a_draft_and_a_completed_one_is_read_only(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    colleague = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    draft = services.start_assessment(pupil, "severity", by=ib)
    response = client_for(colleague).post(f"/instrumenten/{draft.pk}/invullen/", {"burden": "low"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {}
    done = completed_severity(PupilFactory(current_school=pupil.current_school), ib)
    response = client_for(ib).get(f"/instrumenten/{done.pk}/invullen/")
    assert response["Location"] == f"/instrumenten/{done.pk}/"


@pytest.mark.parametrize("role", ["teacher", "nurse", "partnership_contact", "analyst"])
def test_child_safety_is_invisible_without_the_right(member, client_for, role):
    pupil = PupilFactory(current_group="6")
    school = pupil.current_school
    ib = member(Role.SUPPORT_COORDINATOR, school)
    safety = completed_safety(pupil, ib)
    severity = completed_severity(pupil, ib)
    if role == "teacher":
        user = member(Role.TEACHER, school, group="6")
    elif role == "nurse":
        user = member(Role.YOUTH_HEALTH_NURSE, YouthHealthServiceFactory(), school=school)
    elif role == "partnership_contact":
        user = member(Role.PARTNERSHIP_CONTACT, PartnershipFactory(), school=school)
    else:
        user = member(Role.MUNICIPAL_ANALYST, school.municipality)
    client = client_for(user)
    for url in (
        f"/instrumenten/{safety.pk}/",
        f"/instrumenten/{safety.pk}/bespreken/",
        f"/instrumenten/leerling/{pupil.pk}/veiligheid/",
        f"/instrumenten/leerling/{pupil.pk}/nieuw/child_safety/",
        f"/instrumenten/leerling/{pupil.pk}/nieuw/reporting_code/",
    ):
        assert client.get(url).status_code == 404, url
    assert not Assessment.objects.visible_to(user, include_sensitive=True).sensitive().exists()
    page = client.get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert "veiligheidsinschatting" not in page.lower()
    assert "Veiligheidsinschatting (LIRIK)" not in page
    if role == "partnership_contact":
        # Sees the full file, so the severity assessment, but no safety material.
        assert client.get(f"/instrumenten/{severity.pk}/").status_code == 200
    else:
        assert client.get(f"/instrumenten/{severity.pk}/").status_code == 404


def test_pupil_section_shows_safety_notice_only_to_those_allowed(member, client_for):
    pupil = PupilFactory()
    school = pupil.current_school
    ib = member(Role.SUPPORT_COORDINATOR, school)
    completed_safety(pupil, ib)
    severity = completed_severity(pupil, ib)
    page = client_for(ib).get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert "Er is een veiligheidsinschatting." in page
    assert f"/instrumenten/{severity.pk}/" in page
    # The safety assessment itself is not listed in the section.
    assert page.count("/instrumenten/") - page.count("/instrumenten/leerling/") == 1
    contact = member(Role.PARTNERSHIP_CONTACT, PartnershipFactory(), school=school)
    page = client_for(contact).get(f"/leerlingen/{pupil.pk}/").content.decode()
    assert "Er is een veiligheidsinschatting" not in page
    assert f"/instrumenten/{severity.pk}/" in page


def test_safety_list_shows_the_pupils_safety_assessments_and_logs_the_read(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    safety = completed_safety(pupil, ib)
    before = AccessLogEntry.objects.filter(pupil_id=pupil.pk, action="view").count()
    response = client_for(ib).get(f"/instrumenten/leerling/{pupil.pk}/veiligheid/")
    assert response.status_code == 200 and _no_cache(response)
    assert f"/instrumenten/{safety.pk}/" in response.content.decode()
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk, action="view").count() == before + 1


def test_visible_to_leaves_sensitive_out_by_default(member):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    safety = completed_safety(pupil, ib)
    severity = completed_severity(pupil, ib)
    assert list(Assessment.objects.visible_to(ib)) == [severity]
    assert set(Assessment.objects.visible_to(ib, include_sensitive=True)) == {safety, severity}


def test_colleague_reviews_a_safety_assessment_through_the_page(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    colleague = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    safety = completed_safety(pupil, ib)
    own = client_for(ib).get(f"/instrumenten/{safety.pk}/bespreken/", follow=True)
    assert own.redirect_chain[0][1] == 302  # the author cannot review their own work
    assert "U vulde dit instrument zelf in." in own.content.decode()
    client = client_for(colleague)
    assert (
        "Ik heb deze inschatting besproken"
        in client.get(f"/instrumenten/{safety.pk}/").content.decode()
    )
    assert client.get(f"/instrumenten/{safety.pk}/bespreken/").status_code == 200
    client.post(f"/instrumenten/{safety.pk}/bespreken/", {})
    safety.refresh_from_db()
    assert safety.status == AssessmentStatus.COMPLETED
    client.post(f"/instrumenten/{safety.pk}/bespreken/", {"confirm": "yes"})
    safety.refresh_from_db()
    assert safety.status == AssessmentStatus.REVIEWED and safety.reviewed_by == colleague
    again = client.get(f"/instrumenten/{safety.pk}/bespreken/", follow=True).content.decode()
    assert "Dit instrument is al besproken met een collega." in again


def test_report_without_consent_needs_a_reporting_right_legal_basis(member, client_for):
    import datetime as dt

    from schoolzorg.consent.models import LegalBasis, LegalBasisKind, Purpose

    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    a = services.start_assessment(pupil, "reporting_code", by=ib)
    step = {"date": "2026-01-05", "who": "IB, Jan", "note": "x"}
    yes = {"value": "yes"}
    services.save_answers(
        a,
        {
            "step1_signals": step,
            "step2_colleague": step,
            "step3_conversation": step,
            "step4_weighing": step,
            "step5_decision": step,
            "afw_suspicion": yes,
            "afw_unsafety": yes,
            "afw_capable": {"value": "no"},
            "afw_accepted": {"value": "no"},
            "afw_result": {"value": "no"},
        },
        by=ib,
    )
    client = client_for(ib)
    post = {"j__decision": "report_without_consent", "j__decision__rationale": "Acuut."}
    response = client.post(f"/instrumenten/{a.pk}/afronden/", post)
    assert response.status_code == 400 and "meldrecht" in response.content.decode()
    # Meldrecht stored (before the rule) for a purpose of sharing grounds nothing, not the
    # report either: the form does not offer it and the service refuses it.
    old = LegalBasis.objects.create(
        pupil=pupil,
        kind=LegalBasisKind.REPORTING_RIGHT,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        reason="Meldrecht Wet meldcode",
        valid_from=dt.date(2026, 1, 5),
        recorded_by=ib,
    )
    response = client.post(f"/instrumenten/{a.pk}/afronden/", post | {"legal_basis": old.pk})
    assert response.status_code == 400 and f'value="{old.pk}"' not in response.content.decode()
    with pytest.raises(services.IncompleteAssessment):
        services.complete_assessment(
            a,
            judgement={"decision": "report_without_consent"},
            rationale={"decision": "Acuut."},
            by=ib,
            legal_basis=old,
        )
    basis = LegalBasis.objects.create(
        pupil=pupil,
        kind=LegalBasisKind.REPORTING_RIGHT,
        purpose=Purpose.REPORT_TO_VEILIG_THUIS,
        reason="Meldrecht Wet meldcode",
        valid_from=dt.date(2026, 1, 5),
        recorded_by=ib,
    )
    response = client.post(f"/instrumenten/{a.pk}/afronden/", post | {"legal_basis": basis.pk})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.legal_basis == basis and a.is_child_safety


def test_my_work_shows_my_drafts_and_safety_assessments_awaiting_my_review(member, client_for):
    pupil = PupilFactory(first_name="Panelkind")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    colleague = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    safety = completed_safety(pupil, ib)
    draft = services.start_assessment(pupil, "severity", by=colleague)
    home = client_for(colleague).get("/").content.decode()
    assert f"/instrumenten/{safety.pk}/" in home and f"/instrumenten/{draft.pk}/invullen/" in home
    contact = member(Role.PARTNERSHIP_CONTACT, PartnershipFactory(), school=pupil.current_school)
    assert f"/instrumenten/{safety.pk}/" not in client_for(contact).get("/").content.decode()
    author_home = client_for(ib).get("/").content.decode()
    assert f"/instrumenten/{safety.pk}/" not in author_home


def test_my_work_panel_has_a_fixed_query_count(member, rf, django_assert_max_num_queries):
    from schoolzorg.assessments.sections import my_work_panel
    from schoolzorg.lib import requestcache

    school = PupilFactory().current_school
    ib = member(Role.SUPPORT_COORDINATOR, school)
    colleague = member(Role.SUPPORT_COORDINATOR, school)
    for _ in range(6):
        completed_safety(PupilFactory(current_school=school), ib)
        services.start_assessment(PupilFactory(current_school=school), "severity", by=colleague)
    request = rf.get("/")
    request.user = colleague
    with requestcache.scope(), django_assert_max_num_queries(6):  # as inside a page
        panel = my_work_panel(request)
        assert panel is not None
        assert len(panel.context["drafts"]) == 6 and len(panel.context["to_review"]) == 6
        for a in panel.context["to_review"]:
            str(a.completed_by), a.pupil.first_name, a.definition.title
