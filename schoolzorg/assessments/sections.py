"""The assessments section of the pupil page.

Child-safety and reporting-code assessments are not listed here: those who may see them get one
line, "Er is een veiligheidsinschatting", with a link; everyone else sees nothing of them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from schoolzorg.assessments import policies
from schoolzorg.assessments.models import SENSITIVE_CODES, Assessment, InstrumentCode
from schoolzorg.lib.homepanels import Panel
from schoolzorg.pupils import sections


def pupil_section(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    if not full:
        return None
    user = request.user
    rows = list(
        Assessment.objects.filter(pupil=pupil)
        .not_sensitive()
        .select_related("definition", "completed_by", "created_by")
    )
    may_see_safety = policies.can_see_child_safety(user, pupil)
    has_safety = may_see_safety and Assessment.objects.filter(pupil=pupil).sensitive().exists()
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


def register_all() -> None:
    sections.register("assessments", pupil_section)
