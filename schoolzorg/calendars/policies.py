"""Who may change the school calendar."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.models import Membership
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.models import School, SchoolQuerySet

CLOSURE_ROLES = (Role.SUPPORT_COORDINATOR, Role.SCHOOL_DIRECTOR)


def can_review_holidays(user: Any) -> bool:
    """A functional administrator, in any organisation, with a membership in force today.

    School holidays are national data: one review serves every municipality.
    """
    from schoolzorg.pupils.access import active_memberships

    if not getattr(user, "is_authenticated", False):
        return False
    # The memberships every page reads once anyway: no query of its own (the menu asks on
    # every page).
    return any(m.role == Role.FUNCTIONAL_ADMIN for m in active_memberships(user))


def schools_with_closures_for(user: Any) -> SchoolQuerySet:
    """Schools whose study days the user manages: support coordinator or director at that school."""
    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    school_ids = (
        Membership.objects.active()
        .filter(user=user, role__in=CLOSURE_ROLES, organisation__kind="school")
        .values("organisation_id")
    )
    return School.objects.filter(pk__in=school_ids)


def can_manage_closures(user: Any, school: School) -> bool:
    """The user is support coordinator or director at this school, in force today."""
    return schools_with_closures_for(user).filter(pk=school.pk).exists()
