"""Who may do what with consents and legal bases."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import CASE_ROLES, Role
from schoolzorg.pupils.access import access_basis, active_memberships


def _case_role_at_school(user: Any, pupil: Any, roles: frozenset[str]) -> bool:
    return any(
        m.role in roles and m.served_school_id == pupil.current_school_id
        for m in active_memberships(user)
    )


def can_view_consents(user: Any, pupil: Any) -> bool:
    """Anyone who sees the pupil's full file sees the consent ledger (it decides what they see)."""
    found = access_basis(user, pupil)
    return found is not None and found[1]


def can_record_consent(user: Any, pupil: Any) -> bool:
    """A case role at the pupil's current school (support coordinator, SMW, partnership contact)."""
    return _case_role_at_school(user, pupil, CASE_ROLES)


def can_withdraw_consent(user: Any, consent: Any) -> bool:
    """The same people who may record a consent for the pupil."""
    return can_record_consent(user, consent.pupil)


LEGAL_BASIS_ROLES = frozenset({Role.SUPPORT_COORDINATOR, Role.SCHOOL_SOCIAL_WORKER})


def can_record_legal_basis(user: Any, pupil: Any) -> bool:
    """Only the support coordinator or the school social worker of the pupil's current school."""
    return _case_role_at_school(user, pupil, LEGAL_BASIS_ROLES)
