"""The pupil page's "Bewaartermijn" section and the register in the menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from schoolzorg.audit.parents import register_note as register_parents_note
from schoolzorg.audit.policies import is_privacy_officer
from schoolzorg.lib import navigation
from schoolzorg.lib.homepanels import Panel
from schoolzorg.pupils import sections
from schoolzorg.retention import policies
from schoolzorg.retention.periods import rule_for


def retention_section(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    """How long the user's organisation keeps this file, and where to record a request for
    early destruction. Only for those who answer such requests; reads the organisation's own
    period (one query) and nothing for anyone else."""
    if not full or not policies.handled_organisations(request.user):
        return None
    holder = policies.file_holder_for(request.user, pupil)
    if holder is None:
        return None
    rule = rule_for(holder.kind)
    if rule is None:
        return None
    from schoolzorg.retention.models import RetentionPeriod

    own = RetentionPeriod.objects.filter(organisation_id=holder.pk).values_list("years", flat=True)
    years = next(iter(own), rule.default_years)
    return Panel(
        "Bewaartermijn",
        "retention/_section.html",
        {
            "pupil": pupil,
            "holder": holder,
            "years": years,
            "starts": rule.starts,
            "url": reverse("retention:new_request", args=[pupil.pk]),
        },
        order=97,
    )


def _register_menu(request: HttpRequest) -> navigation.NavItem | None:
    if is_privacy_officer(request.user):
        return navigation.NavItem("Vernietigingsregister", reverse("retention:register"), order=86)
    return None


sections.register("retention", retention_section)
navigation.register("retention_register", _register_menu)


def parents_note(pupil: Any) -> tuple[str, str] | None:
    """For the parents' overview: how long the school keeps the file, and how to ask for
    early destruction."""
    school = pupil.current_school
    if school is None:
        return None
    rule = rule_for(school.kind)
    if rule is None:
        return None
    from schoolzorg.retention.models import RetentionPeriod

    own = RetentionPeriod.objects.filter(organisation_id=school.pk).values_list("years", flat=True)
    years = next(iter(own), rule.default_years)
    name = pupil.first_name
    return (
        "Hoe lang bewaren we het dossier?",
        f"{school.name} bewaart het dossier van {name} tot {years} jaar nadat {name} van school "
        "is gegaan. Daarna wordt het vanzelf vernietigd. Heeft het wijkteam ook een dossier? "
        "Dat bewaart het wijkteam volgens de Jeugdwet 20 jaar. U mag vragen het dossier eerder "
        f"te vernietigen. Vanaf 12 jaar mag {name} dat ook zelf vragen. Vraag het aan de intern "
        "begeleider; u hoort binnen een maand wat er met uw verzoek gebeurt.",
    )


register_parents_note(parents_note)
