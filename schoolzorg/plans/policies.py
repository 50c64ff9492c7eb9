"""Who may do what with an integral plan. Reading is `IntegralPlan.objects.visible_to(user)`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from schoolzorg.accounts.roles import CASE_ROLES
from schoolzorg.cases.models import Case
from schoolzorg.cases.policies import case_role_school_ids
from schoolzorg.consent.relationships import care_team_sharing_q
from schoolzorg.organisations.models import OrganisationKind
from schoolzorg.pupils.access import active_memberships
from schoolzorg.pupils.models import Pupil


def owner_cover_q(user: Any) -> Q | None:
    """The pupils whose file a goal or action owner may open (a `Q` over `Pupil`); the one rule.

    Owning something in a child's plan is a role around the child, but sharing still needs a
    ground. The owner must hold an active membership, and either

    - work at the pupil's current school: a membership of the school itself, or a case role
      serving it (school social worker, partnership contact), or
    - the pupil has a complete consent to be discussed in the care team in force today, or a
      legal basis in force for that purpose naming none or one of the owner's organisations
      (`consent.relationships.care_team_sharing_q`).

    Reads in Python only the user's memberships (the access key); the rest is SQL, so a
    withdrawn or expired consent ends it on the next request.
    """
    memberships = active_memberships(user)
    if not memberships:
        return None
    schools = {
        m.organisation_id for m in memberships if m.organisation.kind == OrganisationKind.SCHOOL
    } | {m.school_id for m in memberships if m.role in CASE_ROLES and m.school_id}
    cover = care_team_sharing_q({m.organisation_id for m in memberships})
    return cover | Q(current_school_id__in=sorted(schools)) if schools else cover


def may_own(user: Any, pupil: Any) -> bool:
    """Whether this person may be made owner of a goal or action in the pupil's plan: they
    could open the file through it (`owner_cover_q`)."""
    cover = owner_cover_q(user)
    return cover is not None and Pupil.objects.filter(pk=pupil.pk).filter(cover).exists()


def owners_among(people: list[Any], pupil: Any) -> list[Any]:
    """Of these people, those who may own a goal or action in the pupil's plan (`may_own`), in
    the same order: the lists offer no one the forms would refuse. People of the pupil's own
    school, or serving it in a case role, are found in one query; only the others (say a
    neighbourhood-team worker at the school) are checked for a consent or legal basis."""
    from schoolzorg.accounts.models import Membership

    school = pupil.current_school_id
    at_school = (
        set(
            Membership.objects.active()
            .filter(user__in=[u.pk for u in people])
            .filter(Q(organisation_id=school) | Q(school_id=school, role__in=CASE_ROLES))
            .values_list("user_id", flat=True)
        )
        if school
        else set()
    )
    return [u for u in people if u.pk in at_school or may_own(u, pupil)]


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
