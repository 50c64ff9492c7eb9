"""Who may do what with a referral they can already see."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.pupils.access import active_memberships
from schoolzorg.referrals.access import contact_pairs, leader_team_ids, school_ids, team_ids
from schoolzorg.referrals.sharing import has_share_basis
from schoolzorg.referrals.workflow import (
    ASSIGNED_STATES,
    EDITABLE_STATES,
    OPEN_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    Side,
)

SCHOOL_WRITER_ROLES = frozenset({Role.SCHOOL_SOCIAL_WORKER, Role.SUPPORT_COORDINATOR})


def _writes_for_school(membership: Any, school_id: int) -> bool:
    """The membership makes its holder one of the school's side of its referrals."""
    return membership.role in SCHOOL_WRITER_ROLES and membership.served_school_id == school_id


def is_school_side(user: Any, referral: Any) -> bool:
    """A support coordinator or school social worker at the referring school, or the named SMW."""
    if referral.social_worker_id == user.pk:
        return True
    return any(_writes_for_school(m, referral.school_id) for m in active_memberships(user))


def school_side(referral: Any) -> list[Any]:
    """The people `is_school_side` says yes to, for the messages to the school: the person
    named on the referral, then every support coordinator and school social worker of the
    referring school today; each once, active accounts only."""
    from django.db.models import Q
    from django.utils import timezone

    from schoolzorg.accounts.models import Membership

    school_id = referral.school_id
    found = (
        Membership.objects.active(timezone.localdate())
        .filter(role__in=SCHOOL_WRITER_ROLES)
        .filter(Q(organisation_id=school_id) | Q(school_id=school_id))
        .select_related("user", "organisation")
        .order_by("pk")
    )
    people = [referral.social_worker] if referral.social_worker_id else []
    people += [m.user for m in found if _writes_for_school(m, school_id)]
    unique = {u.pk: u for u in people if u is not None and u.is_active}
    return list(unique.values())


def is_team_side(user: Any, referral: Any) -> bool:
    """A worker, contact person or leader of the team the referral was sent to."""
    return (
        referral.team_id is not None
        and referral.team_id in team_ids(user)
        and (referral.submitted_at is not None)
    )


def sees_content(user: Any, referral: Any) -> bool:
    """The document and the feedback between school and team are for those two sides. The
    service desk chases a stalled referral: it sees where it is stuck and since when (state,
    deadlines, escalations, timeline), not what the family shared with the team. The team sees
    them while the referral is under way and a consent or legal basis to share with it is in
    force; once the referral ended (declined, withdrawn, closed) or that ground ended, it keeps
    what the service desk has (ADR 0401, "Ground for sharing"; the help goes on in the team's
    own youth-care file, as the pupil's file closes for it at the end)."""
    if is_school_side(user, referral):
        return True
    return (
        is_team_side(user, referral)
        and referral.state not in TERMINAL_STATES
        and has_share_basis(referral)
    )


def is_partnership_contact(user: Any, referral: Any) -> bool:
    """The partnership contact serving the referring school: a case role there, so they see
    the school's referrals (`access.referral_visibility_q`) and the pupil's file. Unless named
    on one (they started it: `is_school_side`), they are neither side of it: they see where it
    is and since when, not what it says."""
    return any(
        m.role == Role.PARTNERSHIP_CONTACT and m.served_school_id == referral.school_id
        for m in active_memberships(user)
    )


# Timeline lines that quote what the school or the team wrote (why it was sent back, declined,
# withdrawn or sent to another team): for those who do not see the document (the service desk,
# the partnership contact, the team once the referral ended) only what happened.
WITHOUT_CONTENT = {
    "return_incomplete": "Teruggestuurd als onvolledig",
    "decline": "Afgewezen, geen passende hulp",
    "withdraw": "Ingetrokken",
    "team_chosen": "Ander wijkteam gekozen",
}


# The line of an escalation by hand (one made by a person; the sweep's are by nobody) quotes the
# school's note: for those who do not see the document, only that the school escalated. The
# "Escalaties" table beside it gives them the rung and the reason (`escalation_note`).
ESCALATED_BY_HAND = "Geëscaleerd door de school"


def timeline_text(event: Any, shows_content: bool) -> str:
    """A timeline line as this reader may see it (`sees_content`)."""
    if shows_content:
        return str(event.text)
    if event.kind == "escalated" and event.by_id is not None:
        return ESCALATED_BY_HAND
    return WITHOUT_CONTENT.get(event.kind, event.text)


def escalation_note(escalation: Any, shows_content: bool) -> str:
    """An escalation's note as this reader may see it (`sees_content`): what the school wrote
    when it escalated by hand is about the family as often as about the team (ADR 0401, "The
    end of a referral"); the sweep's note only names the deadline that passed."""
    return str(escalation.note) if shows_content or not escalation.is_manual else ""


def can_reassign(user: Any, referral: Any) -> bool:
    """The team leader, or the team's contact person for the school, while a named worker holds
    the open referral: they are the rungs of the ladder that hear when that worker stalls."""
    return referral.state in ASSIGNED_STATES and (
        referral.team_id in leader_team_ids(user)
        or (referral.team_id, referral.school_id) in contact_pairs(user)
    )


def can_edit(user: Any, referral: Any) -> bool:
    """School side, while the referral is a draft or was returned as incomplete."""
    return referral.state in EDITABLE_STATES and is_school_side(user, referral)


def can_choose_team(user: Any, referral: Any) -> bool:
    """Same as editing: the receiving team is part of the draft."""
    return can_edit(user, referral)


def can_move(user: Any, referral: Any, move: str) -> bool:
    """The move is allowed from the current state and the user is on the side that makes it."""
    spec = TRANSITIONS.get(move)
    if spec is None or referral.state not in spec.sources:
        return False
    if spec.side == Side.SCHOOL:
        return is_school_side(user, referral)
    return is_team_side(user, referral)


def can_escalate(user: Any, referral: Any) -> bool:
    """School side, while the team has the referral and it is still open."""
    return referral.state in OPEN_STATES and is_school_side(user, referral)


def can_see_child_safety(user: Any, referral: Any) -> bool:
    """The privacy rule for safety material where present; else school side and the named worker."""
    from schoolzorg.pupils import access

    rule = getattr(access, "can_see_child_safety", None)
    if rule is not None:
        return bool(rule(user, referral.pupil))
    return (
        is_school_side(user, referral)
        or referral.assignee_id == user.pk
        or (referral.school_id in school_ids(user))
    )
