"""Who may do what with retention: answer requests for early destruction, read the register."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.pupils.access import active_memberships

# Who answers a request for the file of their organisation: the school's support coordinator
# for the school file, the team leader for the neighbourhood team's file.
HANDLER_ROLES = {"school": Role.SUPPORT_COORDINATOR, "neighbourhood_team": Role.TEAM_LEADER}


def handled_organisations(user: Any) -> list[Any]:
    """The organisations whose requests the user answers (no query beyond the memberships)."""
    return [
        m.organisation
        for m in active_memberships(user)
        if HANDLER_ROLES.get(m.organisation.kind) == m.role
    ]


def file_holder_for(user: Any, pupil: Any) -> Any:
    """The organisation whose file about the pupil the user answers requests for, or None.

    - support coordinator of the pupil's current school: the school's file;
    - team leader of a neighbourhood team that received a referral for the pupil: the team's.
    The user must also see the pupil's full file (checked by the view)."""
    from schoolzorg.referrals.models import Referral

    for organisation in handled_organisations(user):
        if organisation.kind == "school" and organisation.pk == pupil.current_school_id:
            return organisation
        if (
            organisation.kind == "neighbourhood_team"
            and Referral.objects.filter(
                pupil=pupil, team_id=organisation.pk, submitted_at__isnull=False
            ).exists()
        ):
            return organisation
    return None


def can_handle(user: Any, destruction_request: Any) -> bool:
    """The user answers requests for the organisation the request is about."""
    return any(o.pk == destruction_request.organisation_id for o in handled_organisations(user))
