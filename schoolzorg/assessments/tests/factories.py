"""Assessments for tests, made through the services so they follow the same rules."""

from __future__ import annotations

from typing import Any

from schoolzorg.assessments import services
from schoolzorg.assessments.models import Assessment, InstrumentDefinition

SEVERITY_ANSWERS: dict[str, Any] = {
    "child_development": {"value": "some", "note": "Rekenen loopt achter."},
    "child_wellbeing": {"value": "clear"},
    "child_health": {"value": "none"},
    "care_daily": {"value": "some"},
    "care_safety_home": {"value": "some"},
    "parenting_skills": {"value": "some"},
    "family_circumstances": {"value": "clear", "note": "Schulden en een verhuizing."},
    "family_network": {"value": "weak"},
    "burden": {"value": "high"},
    "coping": {"value": "low"},
}

SAFETY_ANSWERS: dict[str, Any] = {
    "signal_fear": {"value": True, "note": "Wil na school niet naar huis."},
    "risk_stress": {"value": True},
    "protect_parent": {"value": True, "note": "Moeder zoekt zelf hulp."},
    "sources": {"value": "Eigen waarneming en gesprek met moeder."},
}


def completed_severity(pupil: Any, by: Any, *, judgement: str = "neighbourhood_team") -> Assessment:
    assessment = services.start_assessment(pupil, "severity", by=by)
    services.save_answers(assessment, SEVERITY_ANSWERS, by=by)
    return services.complete_assessment(
        assessment,
        judgement=judgement,
        rationale="Belasting weegt zwaarder dan draagkracht.",
        by=by,
    )


def completed_safety(pupil: Any, by: Any) -> Assessment:
    assessment = services.start_assessment(pupil, "child_safety", by=by)
    services.save_answers(assessment, SAFETY_ANSWERS, by=by)
    return services.complete_assessment(
        assessment,
        judgement={"current_safety": "unclear", "future_safety": "unsafe"},
        rationale={
            "current_safety": "Geen acuut gevaar gezien.",
            "future_safety": "Zonder hulp loopt de spanning op.",
        },
        by=by,
    )


def shipped(code: str) -> InstrumentDefinition:
    found = InstrumentDefinition.objects.shipped().for_code(code).order_by("-loaded_at").first()
    assert found is not None
    return found
