"""Who may change what about a pupil they can already see."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.pupils.access import active_memberships


def can_record_move(user: Any, pupil: Any) -> bool:
    """The support coordinator (IB-er) of the pupil's current school: the school keeps the
    pupil's details (the address comes from the parents through the pupil administration),
    and the home address decides which neighbourhood team a referral goes to."""
    school_id = pupil.current_school_id
    return school_id is not None and any(
        m.role == Role.SUPPORT_COORDINATOR and m.served_school_id == school_id
        for m in active_memberships(user)
    )
