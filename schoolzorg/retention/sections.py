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
from schoolzorg.retention.periods import SOCIAL_WORK_RULE, YOUTH_CARE_RULE, rule_for


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
    """How long each organisation the user answers for keeps this file, who may ask for early
    destruction, each one's open requests about the child (or where to record one). Only for
    those who answer such requests; per file it reads the organisation's own period and its open
    requests (two queries; a team or provider also whether it holds a file) and nothing for
    anyone else."""
    if not full or not policies.handled_organisations(request.user):
        return None
    if getattr(basis, "kind", "") in policies.NOT_FOR_DECIDING:
        return None
    holders = policies.file_holders_for(request.user, pupil)
    several = len(holders) > 1
    url = reverse("retention:new_request", args=[pupil.pk])
    held = []
    for holder in holders:
        rule = rule_for(holder.kind)
        if rule is None:
            continue
        period = _period.first(organisation_id=holder.pk)
        held.append(
            {
                "holder": holder,
                "years": period.years if period is not None else rule.default_years,
                "starts": rule.starts,
                # Someone who answers for two files says which one the request is about.
                "url": f"{url}?dossier={holder.pk}" if several else url,
                "open_requests": _open_requests(pupil_id=pupil.pk, organisation_id=holder.pk),
            }
        )
    if not held:
        return None
    return Panel(
        "Bewaartermijn",
        "retention/_section.html",
        {"pupil": pupil, "files": held, "who_may_ask": who_may_ask(pupil)},
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
    # Also about a pupil they no longer see (the child left the school), as long as they
    # decide it (`policies.still_to_decide`).
    waiting = policies.open_requests_to_decide(request.user)
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


def _or(words: list[str]) -> str:
    """Words joined with "of": a; a of b; a, b of c."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} of {words[-1]}"


def parents_note(pupil: Any) -> tuple[str, str] | None:
    """For the parents' overview: how long the school (and a neighbourhood team that received a
    referral, and a social-work provider whose school social worker had contact about the child)
    keeps the file, with their own periods, and who may ask for early destruction at the child's
    age today."""
    school = pupil.current_school
    if school is None:
        return None
    rule = rule_for(school.kind)
    if rule is None:
        return None
    from schoolzorg.cases.models import SocialWorkContact
    from schoolzorg.referrals.models import Referral

    teams = list(
        Referral.objects.filter(pupil=pupil, submitted_at__isnull=False, team__isnull=False)
        .values_list("team_id", "team__name")
        .order_by("team__name")
        .distinct()
    )
    providers = list(
        SocialWorkContact.objects.filter(case__pupil=pupil)
        .values_list("provider_id", "provider__name")
        .order_by("provider__name")
        .distinct()
    )
    own = _years_of([school.pk, *(pk for pk, _ in teams), *(pk for pk, _ in providers)])
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
    for provider_id, provider_name in providers:
        years = own.get(provider_id, SOCIAL_WORK_RULE.default_years)
        parts.append(
            f"{provider_name} heeft ook een dossier over {name}: de contacten met de "
            f"schoolmaatschappelijk werker. Het schoolmaatschappelijk werk bewaart dat tot {years} "
            "jaar na het laatste contact (de Jeugdwet vraagt minstens 20 jaar)."
        )
    askers = ["de intern begeleider"]
    if teams:
        askers.append("het wijkteam")
    if providers:
        askers.append("de schoolmaatschappelijk werker")
    where = _or(askers)
    # With more than one file, say who decides about which.
    each = " Elke organisatie besluit zelf over haar eigen dossier." if len(askers) > 1 else ""
    age = pupil.age_on(timezone.localdate())
    if age >= services.AGE_OF_OWN_DECISION:
        parts.append(
            f"{name} is 16 jaar of ouder en beslist dit zelf. Alleen {name} mag vragen het "
            f"dossier eerder te vernietigen, niet de ouders. {name} vraagt het aan {where}.{each}"
        )
    elif age >= services.MIN_AGE_TO_ASK:
        parts.append(
            f"U mag vragen het dossier eerder te vernietigen, en {name} mag dat ook zelf vragen. "
            f"Vanaf 16 jaar beslist {name} dit alleen. Vraag het aan {where}.{each}"
        )
    else:
        parts.append(
            "U mag vragen het dossier eerder te vernietigen. Vanaf 12 jaar mag "
            f"{name} dat ook zelf vragen. Vraag het aan {where}.{each}"
        )
    parts.append("U hoort binnen een maand wat er met het verzoek gebeurt.")
    return ("Hoe lang bewaren we het dossier?", " ".join(parts))


register_parents_note(parents_note)
