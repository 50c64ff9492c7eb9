"""What cases contribute to lower layers: a pupil relationship, menu items, panels, sections."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from schoolzorg.audit.services import Basis
from schoolzorg.lib.prepared import prepared
from schoolzorg.pupils.access import (
    Relationship,
    personal_basis,
    prepared_for_user,
    register_relationship,
)


def _coordinator_q(user: Any) -> Q | None:
    from schoolzorg.cases.models import Case
    from schoolzorg.consent.relationships import named_cover_q

    if not getattr(user, "is_authenticated", False):
        return None
    cover = named_cover_q(user)
    if cover is None:
        return None
    # Only a case of the pupil's current school: a case of a school the pupil left opens
    # nothing of the pupil's file now (a case follows its school).
    cases = Case.objects.open().at_current_school().filter(coordinator=user)
    return Q(pk__in=cases.values("pupil_id")) & cover


def _coordinator_basis(user: Any, pupil: Any) -> Basis | None:
    from schoolzorg.cases.models import Case
    from schoolzorg.consent.relationships import named_cover_q
    from schoolzorg.pupils.models import Pupil

    if not getattr(user, "is_authenticated", False):
        return None
    cover = named_cover_q(user)
    if cover is None:
        return None
    case = (
        Case.objects.open()
        .at_current_school()
        .filter(coordinator=user, pupil=pupil, pupil__in=Pupil.objects.filter(cover))
        .select_related("school")
        .only("pk", "school_id", "school__name")
        .first()
    )
    if case is None:
        return None
    return coordinator_basis(user, case)


def coordinator_basis(user: Any, case: Any) -> Basis:
    """The coordinator's basis: their membership at (or serving) the case's school, else their
    first membership; without any, the case's school as the organisation (`case.school` is read)."""
    found = personal_basis(user, "case", str(case.pk), school_id=case.school_id)
    return found or Basis("case", "regisseur", case.school_id, case.school.name, str(case.pk))


# Being named coordinator (regisseur) of an open case gives access to that pupil's full file,
# while the coordinator works at the child's school or sharing is covered by consent or a legal
# basis: the rule for everyone named around a child (`consent.relationships.named_cover_q`).
register_relationship(Relationship("case", _coordinator_q, _coordinator_basis))


# --- Menu, "Mijn werk" and the pupil page ---------------------------------------------------


def _nav_cases(request: Any) -> Any:
    from django.urls import reverse

    from schoolzorg.cases.models import Case
    from schoolzorg.cases.policies import case_role_school_ids
    from schoolzorg.lib.navigation import NavItem

    schools = case_role_school_ids(request.user)
    if schools:
        # Only new concerns are counted (the list itself shows every open case), so the badge
        # says "nieuw", as "Mijn werk" does.
        count = Case.objects.filter(school_id__in=schools, status="new").count()
        return NavItem(
            "Casussen", reverse("cases:list"), order=20, count=count, count_label="nieuw"
        )
    if Case.objects.open().filter(coordinator=request.user).exists():
        return NavItem("Casussen", reverse("cases:list"), order=20)
    return None


def _nav_social_work(request: Any) -> Any:
    from django.urls import reverse

    from schoolzorg.cases.models import Case
    from schoolzorg.cases.policies import social_work_memberships
    from schoolzorg.cases.views import _export_providers
    from schoolzorg.lib.navigation import NavItem

    if social_work_memberships(request.user):
        count = Case.objects.caseload_of(request.user).count()
        return NavItem(
            "Mijn dossiers", reverse("cases:caseload"), order=25, count=count, count_label="open"
        )
    if _export_providers(request.user):
        return NavItem("Uren SMW", reverse("cases:hours"), order=70)
    return None


@prepared_for_user
def _my_open_cases(user: Any) -> Any:
    from schoolzorg.cases.models import Case

    return (
        Case.objects.visible_to(user)
        .open()
        .at_current_school()
        .filter(Q(coordinator=user) | Q(social_worker=user) | Q(raised_by=user))
        .select_related("pupil", "school")
        .order_by("-opened_at")[:10]
    )


def _panel_my_cases(request: Any) -> Any:
    from schoolzorg.cases.models import Case
    from schoolzorg.lib.homepanels import Panel

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    cases = _my_open_cases(user=user)
    from schoolzorg.cases.policies import case_role_school_ids
    from schoolzorg.pupils.reads import log_named

    # The panel names each pupil: one read-log entry each, in a fixed number of queries.
    log_named(request, ((c.pupil, c) for c in cases), detail="mijn werk: casussen")

    new_count = 0
    schools = case_role_school_ids(user)
    if schools:
        new_count = Case.objects.filter(school_id__in=schools, status="new").count()
    if not cases and not new_count:
        return None
    return Panel(
        "Mijn casussen",
        "cases/_panel_my_cases.html",
        {"cases": cases, "new_count": new_count, "school_count": len(schools)},
        order=20,
    )


@prepared
def _cases_of_pupil(pupil_id: int, school_id: int) -> Any:
    """The cases of the pupil's current school; a previous school's cases stay that school's."""
    from schoolzorg.cases.models import Case

    return (
        Case.objects.filter(pupil_id=pupil_id, school_id=school_id)
        .select_related("coordinator")
        .order_by("-opened_at")
    )


def _section_cases(request: Any, pupil: Any, basis: Any, full: bool) -> Any:
    from schoolzorg.cases.models import Case
    from schoolzorg.cases.policies import can_register_concern
    from schoolzorg.lib.homepanels import Panel

    can_register = can_register_concern(request.user, pupil)
    if not full and not can_register:
        return None
    # Who sees the full file sees all of this pupil's cases at the pupil's current school; the
    # page has just checked that. A case of a school the pupil left is not part of it.
    cases: Any
    if full and pupil.current_school_id is None:
        cases = []
    elif full:
        cases = _cases_of_pupil(pupil_id=pupil.pk, school_id=pupil.current_school_id)
    else:
        cases = list(
            Case.objects.visible_to(request.user)
            .for_pupil(pupil)
            .select_related("coordinator")
            .order_by("-opened_at")
        )
    return Panel(
        "Casussen",
        "cases/_section_pupil.html",
        {"cases": cases, "pupil": pupil, "can_register": can_register},
        order=20,
    )


def _openable_cases(user: Any, pks: set[int]) -> set[int]:
    from schoolzorg.cases.models import Case

    return set(Case.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def _register_ui() -> None:
    from schoolzorg.lib import homepanels, navigation, targets
    from schoolzorg.pupils import sections

    targets.register("cases:detail", _openable_cases)
    navigation.register("cases", _nav_cases)
    navigation.register("social_work", _nav_social_work)
    homepanels.register("my_cases", _panel_my_cases)
    sections.register("cases", _section_cases)


_register_ui()
