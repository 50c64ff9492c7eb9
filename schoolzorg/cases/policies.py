"""Who may do what with cases. Reading is `Case.objects.visible_to(user)`; these are the actions."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import CASE_ROLES, Role
from schoolzorg.audit.services import Basis
from schoolzorg.pupils.access import access_basis, active_memberships


def case_role_school_ids(user: Any) -> set[int]:
    """Schools where the user holds a case role today (IB-er, SMW, schoolcontactpersoon)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = {m.served_school_id for m in active_memberships(user) if m.role in CASE_ROLES}
    ids.discard(None)
    return {i for i in ids if i is not None}


def custodian_school_ids(user: Any) -> set[int]:
    """Schools whose support coordinator the user is today: the custodian of the school's own
    case files, also of pupils who left the school (read only, while the file is kept)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = {
        m.served_school_id for m in active_memberships(user) if m.role == Role.SUPPORT_COORDINATOR
    }
    return {i for i in ids if i is not None}


def has_left_school(case: Any) -> bool:
    """The case's pupil no longer goes to the case's school: the school keeps the file as it
    was (read only for its support coordinator); nobody adds to it or changes it."""
    return bool(case.pupil.current_school_id != case.school_id)


def custodian_basis(user: Any, case: Any) -> Basis | None:
    """The read-log basis of the case's school's support coordinator reading the school's own
    file about a pupil who left ("school_file"); None for anyone else."""
    return custodian_basis_at(user, case.school_id)


def custodian_basis_at(user: Any, school_id: int) -> Basis | None:
    """The "school_file" basis of the school's support coordinator for the school's own file
    about a pupil who left (a case, an item of the school's care meeting); None for anyone
    else."""
    for m in active_memberships(user):
        if m.role == Role.SUPPORT_COORDINATOR and m.served_school_id == school_id:
            return Basis("school_file", m.role, m.organisation_id, m.organisation.name, str(m.pk))
    return None


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
    - being the case's coordinator;

    never once the pupil left the case's school (`has_left_school`: the file is kept read only).
    """
    if not getattr(user, "is_authenticated", False) or has_left_school(case):
        return False
    return case.school_id in case_role_school_ids(user) or case.coordinator_id == user.pk


def can_add_note(user: Any, case: Any) -> bool:
    """Add a note: whoever may manage the case, and the person who raised it (not once the
    pupil left the case's school)."""
    if has_left_school(case):
        return False
    return can_manage_case(user, case) or case.raised_by_id == getattr(user, "pk", None)


def can_record_contact(user: Any, case: Any) -> bool:
    """Record a school social work contact: a school social worker serving the case's school,
    while the pupil goes there."""
    return not has_left_school(case) and is_school_social_worker_at(user, case.school_id)


def can_record_consultation(user: Any, school_id: int) -> bool:
    """Record or convert an anonymous consultation: a case role at that school."""
    return school_id in case_role_school_ids(user)
