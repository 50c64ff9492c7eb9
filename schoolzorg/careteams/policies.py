"""Who may do what with a care team."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.careteams.models import CareTeam
from schoolzorg.pupils.access import active_memberships

_MANAGER_ROLES = frozenset({Role.SUPPORT_COORDINATOR, Role.SCHOOL_DIRECTOR})


def can_manage(user: Any, team: CareTeam) -> bool:
    """Change members, hours and presence times.

    The school's support coordinator (IB-er / zorgcoördinator) or director, with an active
    membership at that school.
    """
    return any(
        m.role in _MANAGER_ROLES and m.organisation_id == team.school_id
        for m in active_memberships(user)
    )
