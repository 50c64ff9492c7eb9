"""What plans contribute to lower layers: a pupil relationship, panels, the pupil section."""

from __future__ import annotations

import datetime as dt
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
from schoolzorg.pupils.reads import log_named


def _action_owner_q(user: Any) -> Q | None:
    from schoolzorg.consent.relationships import named_cover_q
    from schoolzorg.plans.models import Action

    if not getattr(user, "is_authenticated", False):
        return None
    cover = named_cover_q(user)
    if cover is None:
        return None
    return Q(pk__in=Action.objects.open().filter(owner=user).values("part__pupil_id")) & cover


def _action_owner_basis(user: Any, pupil: Any) -> Basis | None:
    from schoolzorg.consent.relationships import named_cover_q
    from schoolzorg.plans.models import Action
    from schoolzorg.pupils.models import Pupil

    if not getattr(user, "is_authenticated", False):
        return None
    cover = named_cover_q(user)
    if cover is None:
        return None
    action = (
        Action.objects.open()
        .filter(owner=user, part__pupil=pupil, part__pupil__in=Pupil.objects.filter(cover))
        .only("pk", "part_id")
        .first()
    )
    if action is None:
        return None
    ref = str(action.part_id)
    found = personal_basis(user, "plan", ref, school_id=pupil.current_school_id)
    if found is not None:
        return found
    school = pupil.current_school
    return Basis("plan", "actiehouder", pupil.current_school_id, school.name if school else "", ref)


# Owning an open action in a child's plan gives access to that child's full file, while the
# owner works at the child's school or sharing is covered by consent or a legal basis
# (`consent.relationships.named_cover_q`, the rule for a case's coordinator too).
register_relationship(Relationship("plan", _action_owner_q, _action_owner_basis))


# --- "Mijn werk" and the pupil page ----------------------------------------------------------

DUE_SOON_DAYS = 14


@prepared_for_user
def _actions_due(user: Any, until: dt.date) -> Any:
    from schoolzorg.plans.models import Action

    return (
        Action.objects.visible_to(user)
        .open()
        .owned_by(user)
        .filter(due_on__lte=until)
        .select_related("part__pupil")
        .order_by("due_on")[:15]
    )


def _panel_actions(request: Any) -> Any:
    from django.utils import timezone

    from schoolzorg.lib.homepanels import Panel

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    today = timezone.localdate()
    actions = _actions_due(user=user, until=today + dt.timedelta(days=DUE_SOON_DAYS))
    if not actions:
        return None
    log_named(request, ((a.part.pupil, a) for a in actions), detail="mijn werk: acties")
    return Panel(
        "Mijn acties", "plans/_panel_actions.html", {"actions": actions, "today": today}, order=30
    )


@prepared_for_user
def _reviews_due(user: Any, until: dt.date) -> Any:
    from schoolzorg.plans.models import Goal

    return (
        Goal.objects.visible_to(user)
        .review_due(until)
        .filter(Q(owner=user) | Q(part__plan__coordinator=user))
        .select_related("part__pupil")
        .order_by("review_on")[:15]
    )


def _panel_reviews(request: Any) -> Any:
    from django.utils import timezone

    from schoolzorg.lib.homepanels import Panel

    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    today = timezone.localdate()
    goals = _reviews_due(user=user, until=today + dt.timedelta(days=DUE_SOON_DAYS))
    if not goals:
        return None
    log_named(request, ((g.part.pupil, g) for g in goals), detail="mijn werk: evaluaties")
    return Panel(
        "Evaluaties", "plans/_panel_reviews.html", {"goals": goals, "today": today}, order=35
    )


@prepared
def _plan_part(pupil_id: int) -> Any:
    from schoolzorg.plans.models import PlanPart

    return (
        PlanPart.objects.filter(pupil_id=pupil_id)
        .select_related("plan", "plan__coordinator")
        .order_by("pk")[:1]
    )


@prepared
def _agreements(plan_id: int) -> Any:
    from schoolzorg.plans.models import PlanAgreement

    return PlanAgreement.objects.filter(plan_id=plan_id).select_related("guardian")


@prepared
def _goals(part_id: int) -> Any:
    from schoolzorg.plans.models import Goal

    return Goal.objects.filter(part_id=part_id).select_related("owner")


@prepared
def _open_actions(part_id: int) -> Any:
    from schoolzorg.plans.models import Action

    return Action.objects.filter(part_id=part_id).open().select_related("owner")


def _section_plan(request: Any, pupil: Any, basis: Any, full: bool) -> Any:
    from django.utils import timezone

    from schoolzorg.lib.homepanels import Panel
    from schoolzorg.plans.policies import can_start_plan

    if not full:
        return None
    part = _plan_part.first(pupil_id=pupil.pk)
    context: dict[str, Any] = {"pupil": pupil, "part": part, "today": timezone.localdate()}
    if part is None:
        context["can_start"] = can_start_plan(request.user, pupil)
    else:
        from schoolzorg.plans.models import latest_of_each

        context["agreements"] = latest_of_each(_agreements(plan_id=part.plan_id), part.plan.version)
        context["goals"] = goals = _goals(part_id=part.pk)
        # Reached and stopped goals stay listed with their status, but are no longer running.
        context["open_goals"] = sum(g.is_open for g in goals)
        context["open_actions"] = _open_actions(part_id=part.pk)
    return Panel("Integraal plan", "plans/_section_pupil.html", context, order=30)


def _openable_plans(user: Any, pks: set[int]) -> set[int]:
    from schoolzorg.plans.models import IntegralPlan

    found = IntegralPlan.objects.visible_to(user).filter(pk__in=pks)
    return set(found.values_list("pk", flat=True))


def _register_ui() -> None:
    from schoolzorg.lib import homepanels, targets
    from schoolzorg.pupils import sections

    targets.register("plans:detail", _openable_plans)
    homepanels.register("plan_actions", _panel_actions)
    homepanels.register("plan_reviews", _panel_reviews)
    sections.register("plan", _section_plan)


_register_ui()
