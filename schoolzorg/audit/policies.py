"""Who may read the read log, review break-the-glass and sign off the weekly report.

The oversight pages sit above `pupils` (they need roles and pupil access); the log machinery
itself (models, services, sealing) imports no domain app. See docs/permissions.md.
"""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.pupils.access import access_basis, active_memberships


def is_privacy_officer(user: Any) -> bool:
    """An active privacy-officer membership."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.role == Role.PRIVACY_OFFICER for m in active_memberships(user))


def privacy_membership(user: Any) -> Any:
    return next((m for m in active_memberships(user) if m.role == Role.PRIVACY_OFFICER), None)


def can_read_user_log(user: Any) -> bool:
    """Only the privacy officer reads the log per user (and that reading is logged)."""
    return is_privacy_officer(user)


def can_review_break_glass(user: Any) -> bool:
    """Only the privacy officer reviews break-the-glass grants."""
    return is_privacy_officer(user)


def can_sign_off_week(user: Any) -> bool:
    """Only the privacy officer signs off the weekly anomaly report."""
    return is_privacy_officer(user)


def can_see_who_looked(user: Any, pupil: Any) -> bool:
    """ "Wie keek er naar dit kind": the support coordinator of the pupil's current school, who
    also sees the full file."""
    found = access_basis(user, pupil)
    if found is None or not found[1]:
        return False
    return any(
        m.role == Role.SUPPORT_COORDINATOR and m.organisation_id == pupil.current_school_id
        for m in active_memberships(user)
    )


def can_see_pupil_history(user: Any, pupil: Any) -> bool:
    """Change history of a pupil's records: the same people as "wie keek"."""
    return can_see_who_looked(user, pupil)


def break_glass_membership(user: Any) -> Any:
    """The membership in whose name break-the-glass is used (first pupil-facing role)."""
    from schoolzorg.pupils.access import BREAK_GLASS_ROLES

    return next((m for m in active_memberships(user) if m.role in BREAK_GLASS_ROLES), None)
