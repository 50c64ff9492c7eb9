from __future__ import annotations

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.assessments import services
from schoolzorg.assessments.models import AssessmentStatus, InstrumentCode, InstrumentDefinition
from schoolzorg.assessments.tests.factories import (
    SAFETY_ANSWERS,
    SEVERITY_ANSWERS,
    completed_safety,
    completed_severity,
)
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_shipped_definitions_are_present_after_migrate():
    codes = set(InstrumentDefinition.objects.shipped().values_list("code", flat=True))
    assert codes == set(InstrumentCode.values)
    for d in InstrumentDefinition.objects.all():
        assert "geen gelicentieerde versie" in d.source_label
        assert not d.is_licensed


def test_severity_is_completed_with_the_professionals_own_judgement(member):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = completed_severity(pupil, ib, judgement="school_support")
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.judgement.startswith("Zorgen: ondersteuning in en om de school")
    assert assessment.rationale == "Belasting weegt zwaarder dan draagkracht."
    assert assessment.answers["burden"] == {"value": "high"}
    assert assessment.completed_by == ib and assessment.is_finished
    assert not assessment.is_child_safety
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk, action="update").exists()


def test_completion_refuses_missing_required_rows_and_names_them(member):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = services.start_assessment(pupil, "severity", by=ib)
    partial = {k: v for k, v in SEVERITY_ANSWERS.items() if k not in ("burden", "coping")}
    services.save_answers(assessment, partial, by=ib)
    with pytest.raises(services.IncompleteAssessment) as exc:
        services.complete_assessment(assessment, judgement="acute", rationale="x", by=ib)
    assert [m["key"] for m in exc.value.missing] == ["burden", "coping"]
    assert "Belasting en draagkracht: Belasting (wat drukt op kind en gezin)" in exc.value.message
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT and assessment.judgement == ""


def test_judgement_needs_a_choice_from_the_list_and_a_rationale(member):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = services.start_assessment(pupil, "severity", by=ib)
    services.save_answers(assessment, SEVERITY_ANSWERS, by=ib)
    with pytest.raises(services.IncompleteAssessment) as exc:
        services.complete_assessment(assessment, judgement="score_7", rationale="", by=ib)
    assert "overall" in exc.value.errors and exc.value.missing == []
    with pytest.raises(services.IncompleteAssessment):
        services.complete_assessment(assessment, judgement="acute", rationale="  ", by=ib)


def test_a_bad_answer_stores_nothing_and_names_the_row(member):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = services.start_assessment(pupil, "severity", by=ib)
    services.save_answers(assessment, {"burden": {"value": "high"}}, by=ib)
    with pytest.raises(services.InvalidAnswers) as exc:
        services.save_answers(
            assessment, {"burden": {"value": "low"}, "coping": {"value": "42"}}, by=ib
        )
    assert set(exc.value.errors) == {"coping"}
    assessment.refresh_from_db()
    assert assessment.answers == {"burden": {"value": "high"}}


def test_a_stale_draft_is_refused_not_overwritten(member):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = services.start_assessment(pupil, "severity", by=ib)
    services.save_answers(assessment, {"burden": {"value": "high"}}, by=ib, expected_revision=0)
    with pytest.raises(services.StaleAssessment):
        services.save_answers(assessment, {"burden": {"value": "low"}}, by=ib, expected_revision=0)


def test_child_safety_needs_review_by_a_named_colleague_who_is_not_the_author(member):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    colleague = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = completed_safety(pupil, ib)
    assert assessment.is_child_safety and assessment.awaits_review and not assessment.is_finished
    assert [j["choice_label"] for j in assessment.judgements] == ["Onduidelijk", "Onveilig"]
    with pytest.raises(services.NotAllowed):
        services.review_assessment(assessment, reviewer=ib, by=ib)
    reviewed = services.review_assessment(assessment, reviewer=colleague, by=colleague)
    assert reviewed.status == AssessmentStatus.REVIEWED and reviewed.reviewed_by == colleague
    assert reviewed.is_finished


def test_a_colleague_without_child_safety_access_cannot_review(member):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    contact = member(
        Role.PARTNERSHIP_CONTACT,
        pupil.current_school.partnership or _partnership(),
        school=pupil.current_school,
    )
    assessment = completed_safety(pupil, ib)
    with pytest.raises(services.NotAllowed):
        services.review_assessment(assessment, reviewer=contact, by=contact)


def _partnership():  # type: ignore[no-untyped-def]
    from schoolzorg.organisations.tests.factories import PartnershipFactory

    return PartnershipFactory()


def test_teacher_cannot_start_an_assessment(member):
    pupil = PupilFactory(current_group="6")
    teacher = member(Role.TEACHER, pupil.current_school, group="6")
    with pytest.raises(services.NotAllowed):
        services.start_assessment(pupil, "severity", by=teacher)


def test_safety_answers_are_kept_as_checkboxes_with_notes(member):
    pupil = PupilFactory()
    smw_school = pupil.current_school
    ib = member(Role.SUPPORT_COORDINATOR, smw_school)
    assessment = services.start_assessment(pupil, "child_safety", by=ib)
    services.save_answers(assessment, SAFETY_ANSWERS, by=ib)
    assessment.refresh_from_db()
    assert assessment.answers["signal_fear"] == {
        "value": True,
        "note": "Wil na school niet naar huis.",
    }


def test_summary_partial_renders_judgement_and_chosen_statements(member):
    from django.template.loader import render_to_string

    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    assessment = completed_severity(pupil, ib)
    html = render_to_string("assessments/_summary.html", {"assessment": assessment})
    assert "Ernstige zorgen: toeleiding naar het wijkteam nodig." in html
    assert "Belasting weegt zwaarder dan draagkracht." in html
    assert "Zware belasting." in html and "geen gelicentieerde versie" in html


def test_finished_means_reviewed_where_review_is_required(member):
    from schoolzorg.assessments.models import Assessment

    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    colleague = member(
        Role.SCHOOL_SOCIAL_WORKER, _social_work_provider(), school=pupil.current_school
    )
    severity = completed_severity(pupil, ib)
    safety = completed_safety(pupil, ib)
    services.start_assessment(pupil, "severity", by=ib)
    assert list(Assessment.objects.finished()) == [severity]
    services.review_assessment(safety, reviewer=colleague, by=colleague)
    assert set(Assessment.objects.finished()) == {severity, safety}


def _social_work_provider():  # type: ignore[no-untyped-def]
    from schoolzorg.organisations.tests.factories import SocialWorkProviderFactory

    return SocialWorkProviderFactory()
