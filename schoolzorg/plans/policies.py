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


def locked_out(plan: Any, actions: list[Any]) -> tuple[bool, set[int]]:
    """Who named in the plan can no longer open their part of it (the child changed school, a
    consent ended): whether the plan's coordinator can open no child's part, and the ids of the
    open `actions` whose owner can no longer open that child's file.

    Nobody is told by the system when a relationship ends; the plan page says so, so that whoever
    may edit the plan (the new school) sees who must take over. One visibility query per
    person named, a handful per plan.
    """
    from schoolzorg.plans.models import OPEN_ACTION_STATUSES

    pupil_of_part = dict(plan.parts.values_list("pk", "pupil_id"))
    pupil_ids = list(pupil_of_part.values())
    people = {a.owner_id: a.owner for a in actions if a.owner_id}
    if plan.coordinator_id:
        people[plan.coordinator_id] = plan.coordinator
    opens: dict[int, set[int]] = {}
    for pk, person in people.items():
        if not person.is_active:
            opens[pk] = set()
            continue
        opens[pk] = set(
            Pupil.objects.visible_to(person, full_only=True)
            .filter(pk__in=pupil_ids)
            .values_list("pk", flat=True)
        )
    coordinator_out = bool(plan.coordinator_id) and not opens[plan.coordinator_id]
    owners_out = {
        a.pk
        for a in actions
        if a.owner_id
        and a.status in OPEN_ACTION_STATUSES
        and pupil_of_part.get(a.part_id) not in opens[a.owner_id]
    }
    return coordinator_out, owners_out
