"""The pupil page's "Bewaartermijn" section, the "Mijn werk" panel of open requests and the
register in the menu."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from schoolzorg.audit.parents import register_note as register_parents_note
from schoolzorg.audit.policies import is_privacy_officer
from schoolzorg.lib import homepanels, navigation
from schoolzorg.lib.homepanels import Panel
from schoolzorg.lib.prepared import prepared
from schoolzorg.pupils import sections
from schoolzorg.retention import policies, services
from schoolzorg.retention.models import DestructionRequest, RequestState, RetentionPeriod
from schoolzorg.retention.periods import YOUTH_CARE_RULE, rule_for


def who_may_ask(pupil: Any) -> str:
    """Who may ask for early destruction at the child's age today, in words for the staff."""
    age = pupil.age_on(timezone.localdate())
    if age >= services.AGE_OF_OWN_DECISION:
        return (
            f"De leerling is {age} jaar en beslist dit zelf: alleen de leerling mag vragen het "
            "dossier eerder te vernietigen, de ouders niet meer."
        )
    if age >= services.MIN_AGE_TO_ASK:
        return (
            f"De leerling is {age} jaar: de ouders met gezag en de leerling zelf mogen vragen het "
            "dossier eerder te vernietigen. Vanaf 16 jaar beslist de leerling alleen."
        )
    return (
        f"De leerling is {age} jaar: de ouders met gezag mogen vragen het dossier eerder te "
        "vernietigen. Vanaf 12 jaar mag de leerling dat ook zelf."
    )


# Read on every pupil page a request handler opens: compiled once (ADR 0504).
@prepared
def _period(organisation_id: int) -> QuerySet[RetentionPeriod]:
    return RetentionPeriod.objects.filter(organisation_id=organisation_id)


@prepared
def _open_requests(pupil_id: int, organisation_id: int) -> QuerySet[DestructionRequest]:
    return (
        DestructionRequest.objects.filter(
            pupil_id=pupil_id, organisation_id=organisation_id, state=RequestState.OPEN
        )
        .select_related("recorded_by")
        .order_by("received_on", "pk")
    )


def retention_section(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    """How long the user's organisation keeps this file, who may ask for early destruction,
    the organisation's open requests about the child (or where to record one). Only for those
    who answer such requests; reads the organisation's own period and its open requests (two
    queries) and nothing for anyone else."""
    if not full or not policies.handled_organisations(request.user):
        return None
    holder = policies.file_holder_for(request.user, pupil)
    if holder is None:
        return None
    rule = rule_for(holder.kind)
    if rule is None:
        return None
    period = _period.first(organisation_id=holder.pk)
    years = period.years if period is not None else rule.default_years
    open_requests = _open_requests(pupil_id=pupil.pk, organisation_id=holder.pk)
    return Panel(
        "Bewaartermijn",
        "retention/_section.html",
        {
            "pupil": pupil,
            "holder": holder,
            "years": years,
            "starts": rule.starts,
            "url": reverse("retention:new_request", args=[pupil.pk]),
            "who_may_ask": who_may_ask(pupil),
            "open_requests": open_requests,
        },
        order=97,
    )


def _register_menu(request: HttpRequest) -> navigation.NavItem | None:
    if is_privacy_officer(request.user):
        return navigation.NavItem("Vernietigingsregister", reverse("retention:register"), order=86)
    return None


PANEL_LIMIT = 10


def _open_requests_panel(request: HttpRequest) -> Panel | None:
    """For those who answer requests: how many wait for a decision, with a link to each. Names
    no child (as the referral panels): a line says when it came in and whose file it is about."""
    organisations = policies.handled_organisations(request.user)
    if not organisations:
        return None
    from schoolzorg.pupils.models import Pupil
    from schoolzorg.retention.models import DestructionRequest, RequestState

    waiting = DestructionRequest.objects.filter(
        organisation_id__in=[o.pk for o in organisations],
        state=RequestState.OPEN,
        # Only requests the user can open: the pupil's full file must be visible to them.
        pupil__in=Pupil.objects.visible_to(request.user, full_only=True),
    )
    rows = list(
        waiting.select_related("organisation").order_by("received_on", "pk")[: PANEL_LIMIT + 1]
    )
    if not rows:
        return None
    count = len(rows) if len(rows) <= PANEL_LIMIT else waiting.count()
    return Panel(
        "Verzoeken tot vernietiging",
        "retention/_panel_requests.html",
        {"rows": rows[:PANEL_LIMIT], "count": count},
        order=80,
    )


sections.register("retention", retention_section)
navigation.register("retention_register", _register_menu)
homepanels.register("retention_requests", _open_requests_panel)


def _years_of(organisation_ids: list[int]) -> dict[int, int]:
    from schoolzorg.retention.models import RetentionPeriod

    return dict(
        RetentionPeriod.objects.filter(organisation_id__in=organisation_ids).values_list(
            "organisation_id", "years"
        )
    )


def parents_note(pupil: Any) -> tuple[str, str] | None:
    """For the parents' overview: how long the school (and a neighbourhood team that received a
    referral) keeps the file, with their own periods, and who may ask for early destruction at
    the child's age today."""
    school = pupil.current_school
    if school is None:
        return None
    rule = rule_for(school.kind)
    if rule is None:
        return None
    from schoolzorg.referrals.models import Referral

    teams = list(
        Referral.objects.filter(pupil=pupil, submitted_at__isnull=False, team__isnull=False)
        .values_list("team_id", "team__name")
        .order_by("team__name")
        .distinct()
    )
    own = _years_of([school.pk, *(pk for pk, _ in teams)])
    name = pupil.first_name
    parts = [
        f"{school.name} bewaart het dossier van {name} tot {own.get(school.pk, rule.default_years)} "
        f"jaar nadat {name} van school is gegaan. Daarna wordt het vanzelf vernietigd."
    ]
    for team_id, team_name in teams:
        years = own.get(team_id, YOUTH_CARE_RULE.default_years)
        parts.append(
            f"{team_name} heeft ook een dossier over {name}. Het wijkteam bewaart dat tot {years} "
            "jaar nadat de hulp is gestopt (de Jeugdwet vraagt minstens 20 jaar)."
        )
    where = "de intern begeleider" + (" of het wijkteam" if teams else "")
    age = pupil.age_on(timezone.localdate())
    if age >= services.AGE_OF_OWN_DECISION:
        parts.append(
            f"{name} is 16 jaar of ouder en beslist dit zelf. Alleen {name} mag vragen het "
            f"dossier eerder te vernietigen, niet de ouders. {name} vraagt het aan {where}."
        )
    elif age >= services.MIN_AGE_TO_ASK:
        parts.append(
            f"U mag vragen het dossier eerder te vernietigen, en {name} mag dat ook zelf vragen. "
            f"Vanaf 16 jaar beslist {name} dit alleen. Vraag het aan {where}."
        )
    else:
        parts.append(
            "U mag vragen het dossier eerder te vernietigen. Vanaf 12 jaar mag "
            f"{name} dat ook zelf vragen. Vraag het aan {where}."
        )
    parts.append("U hoort binnen een maand wat er met het verzoek gebeurt.")
    return ("Hoe lang bewaren we het dossier?", " ".join(parts))


register_parents_note(parents_note)
