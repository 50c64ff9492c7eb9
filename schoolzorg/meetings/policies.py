"""Who may do what with care meetings. Seeing a meeting at all is `CareMeeting.objects.visible_to`."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import CASE_ROLES
from schoolzorg.careteams.models import CareTeam, CareTeamMember
from schoolzorg.pupils.access import active_memberships


def _case_role_at(user: Any, school_id: int) -> bool:
    return any(
        m.role in CASE_ROLES and m.served_school_id == school_id for m in active_memberships(user)
    )


def _in_team(user: Any, team: CareTeam) -> bool:
    return CareTeamMember.objects.in_force().filter(team=team, user=user).exists()


def can_prepare(user: Any, team: CareTeam) -> bool:
    """Set the rhythm, plan meetings and build the agenda.

    A case role at the school: the support coordinator, the school social worker or the
    partnership contact serving it.
    """
    return _case_role_at(user, team.school_id)


def can_take_minutes(user: Any, team: CareTeam) -> bool:
    """Record attendance, guests, minutes and decisions, and move the meeting along.

    A case role at the school, or a member of the care team whose role there is in force
    (`CareTeamMemberQuerySet.in_force`).
    """
    return _case_role_at(user, team.school_id) or _in_team(user, team)
