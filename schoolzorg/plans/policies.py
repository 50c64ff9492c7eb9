"""Who may do what with an integral plan. Reading is `IntegralPlan.objects.visible_to(user)`.

Who may own a goal or action follows the rule for everyone named around a child
(`consent.relationships.named_cover_q`, `may_be_named`, `named_among`), the same as a case's
coordinator."""

from __future__ import annotations

from typing import Any

from schoolzorg.cases.models import Case
from schoolzorg.cases.policies import case_role_school_ids
from schoolzorg.pupils.models import Pupil


def visible_parts(user: Any, plan: Any) -> list[Any]:
    """The parts of a plan about children whose full file the user may see."""
    return list(
        plan.parts.filter(pupil__in=Pupil.objects.visible_to(user, full_only=True))
        .select_related("pupil", "pupil__current_school")
        .order_by("pupil__date_of_birth", "pk")
    )


def can_start_plan(user: Any, pupil: Any) -> bool:
    """Start a plan (or add a child to the family plan):

    - a case role at the child's school, or
    - coordinator (regisseur) of an open case about the child.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if pupil.current_school_id in case_role_school_ids(user):
        return True
    return Case.objects.open().filter(pupil=pupil, coordinator=user).exists()


def can_edit_plan(user: Any, plan: Any, parts: list[Any] | None = None) -> bool:
    """Change the plan's text, goals, actions, reviews and agreement:

    - the plan's coordinator, or
    - a case role at the school of a child in the plan the user can see, or
    - coordinator of an open case about such a child.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if plan.coordinator_id == user.pk:
        return True
    parts = parts if parts is not None else visible_parts(user, plan)
    schools = case_role_school_ids(user)
    if any(p.pupil.current_school_id in schools for p in parts):
        return True
    return (
        Case.objects.open()
        .filter(coordinator=user, pupil_id__in=[p.pupil_id for p in parts])
        .exists()
    )


def can_update_action(user: Any, action: Any, plan: Any) -> bool:
    """Mark an action done or under way: its owner, or anyone who may edit the plan."""
    return action.owner_id == getattr(user, "pk", None) or can_edit_plan(user, plan)
