"""The assessments section of the pupil page.

Child-safety and reporting-code assessments are not listed here: those who may see them get one
line, "Er is een veiligheidsinschatting", with a link; everyone else sees nothing of them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from schoolzorg.assessments import policies
from schoolzorg.assessments.models import (
    SENSITIVE_CODES,
    Assessment,
    AssessmentStatus,
    InstrumentCode,
)
from schoolzorg.lib import homepanels
from schoolzorg.lib.homepanels import Panel
from schoolzorg.lib.prepared import prepared
from schoolzorg.pupils import sections
from schoolzorg.pupils.access import prepared_for_user
from schoolzorg.pupils.reads import log_named


@prepared
def _assessments(pupil_id: int) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(pupil_id=pupil_id)
        .not_sensitive()
        .select_related("definition", "completed_by", "created_by")
    )


@prepared
def _first_sensitive(pupil_id: int) -> QuerySet[Assessment]:
    return Assessment.objects.filter(pupil_id=pupil_id).sensitive().only("pk")[:1]


def pupil_section(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    if not full:
        return None
    user = request.user
    rows = _assessments(pupil_id=pupil.pk)
    may_see_safety = policies.can_see_child_safety(user, pupil)
    has_safety = may_see_safety and bool(_first_sensitive(pupil_id=pupil.pk))
    startable = [
        (code.value, code.label)
        for code in InstrumentCode
        if code not in SENSITIVE_CODES or may_see_safety
    ]
    return Panel(
        "Instrumenten",
        "assessments/_pupil_section.html",
        {
            "pupil": pupil,
            "assessments": rows,
            "has_safety": has_safety,
            "may_see_safety": may_see_safety,
            "startable": startable,
        },
        order=40,
    )


def _for_my_work(user: Any) -> Any:
    return Assessment.objects.visible_to(user, include_sensitive=True).select_related(
        "definition", "pupil", "completed_by"
    )


@prepared_for_user
def _my_drafts(user: Any) -> QuerySet[Assessment]:
    return _for_my_work(user).drafts().filter(created_by_id=user.pk).order_by("-updated_at")[:10]


@prepared_for_user
def _safety_to_review(user: Any) -> QuerySet[Assessment]:
    """Completed child-safety assessments someone else made, for a second look."""
    return (
        _for_my_work(user)
        .filter(status=AssessmentStatus.COMPLETED, is_child_safety=True)
        .exclude(completed_by_id=user.pk)
        .exclude(created_by_id=user.pk)
        .order_by("completed_at")[:10]
    )


def my_work_panel(request: HttpRequest) -> Panel | None:
    """The "Mijn werk" panel: own drafts, and safety assessments waiting for the user's review."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    drafts = _my_drafts(user=user)
    to_review = [a for a in _safety_to_review(user=user) if a.awaits_review]
    if not drafts and not to_review:
        return None
    log_named(
        request,
        ((a.pupil, a) for a in [*to_review, *drafts]),
        detail="mijn werk: instrumenten",
    )
    return Panel(
        "Instrumenten",
        "assessments/_panel_mine.html",
        {"drafts": drafts, "to_review": to_review},
        order=45,
    )


def register_all() -> None:
    sections.register("assessments", pupil_section)
    homepanels.register("assessments", my_work_panel)
