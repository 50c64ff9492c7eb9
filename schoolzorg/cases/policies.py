"""Who may do what with cases. Reading is `Case.objects.visible_to(user)`; these are the actions."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import CASE_ROLES, Role
from schoolzorg.pupils.access import access_basis, active_memberships


def case_role_school_ids(user: Any) -> set[int]:
    """Schools where the user holds a case role today (IB-er, SMW, schoolcontactpersoon)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = {m.served_school_id for m in active_memberships(user) if m.role in CASE_ROLES}
    ids.discard(None)
    return {i for i in ids if i is not None}


def social_work_memberships(user: Any) -> list[Any]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [m for m in active_memberships(user) if m.role == Role.SCHOOL_SOCIAL_WORKER]


def is_school_social_worker_at(user: Any, school_id: int) -> bool:
    return any(m.served_school_id == school_id for m in social_work_memberships(user))


def can_register_concern(user: Any, pupil: Any) -> bool:
    """A concern may be raised by:

    - anyone with a case role at the pupil's current school (IB-er, SMW, schoolcontactpersoon);
    - a teacher who can see the pupil (their own group).
    """
    if pupil.current_school_id is None or access_basis(user, pupil) is None:
        return False
    if pupil.current_school_id in case_role_school_ids(user):
        return True
    return any(
        m.role == Role.TEACHER
        and m.organisation_id == pupil.current_school_id
        and m.group == pupil.current_group
        for m in active_memberships(user)
    )


def can_manage_case(user: Any, case: Any) -> bool:
    """Change status, name the coordinator, record contacts and upload documents:

    - a case role at the case's school, or
    - being the case's coordinator.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return case.school_id in case_role_school_ids(user) or case.coordinator_id == user.pk


def can_add_note(user: Any, case: Any) -> bool:
    """Add a note: whoever may manage the case, and the person who raised it."""
    return can_manage_case(user, case) or case.raised_by_id == getattr(user, "pk", None)


def can_record_contact(user: Any, case: Any) -> bool:
    """Record a school social work contact: a school social worker serving the case's school."""
    return is_school_social_worker_at(user, case.school_id)


def can_record_consultation(user: Any, school_id: int) -> bool:
    """Record or convert an anonymous consultation: a case role at that school."""
    return school_id in case_role_school_ids(user)
