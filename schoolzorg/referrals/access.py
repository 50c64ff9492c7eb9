"""Who sees which referral, and the relationship that lets the receiving team see the pupil.

In words (also in docs/permissions.md once the lead merges it):

- School side: people in a case role at the referring school (support coordinator, school social
  worker, partnership contact) see the school's referrals in every state, drafts included. The
  partnership contact is not a side of the referral: where it is and since when, not the
  document (`policies.sees_content`).
- The named school social worker keeps seeing the referral and the pupil until the neighbourhood
  team has confirmed first contact with the family, even when their school membership changes.
- Receiving team: every worker, contact person and team leader of the team the referral was sent
  to sees the referral document from its first submission on (never a draft that was not sent).
  A team that did not receive a referral sees nothing of it.
- Pupil file through a referral: from `acknowledged` (a named worker took it) up to and including
  `accepted`, the named worker, the team leaders and the team's contact person for that school
  see the pupil's file, while a consent or legal basis to share with the team is in force
  (`sharing.share_basis_q`). Afterwards the team works in its own system.
- Ground for sharing ended (consent withdrawn or expired, legal basis ended): the team no longer
  opens the pupil's file, the document or the child-safety sections through the referral; it
  still sees the referral's progress (state, deadlines, escalations, timeline), as the service
  desk does (`policies.sees_content`).
- Service desk coordinators of the municipality see referrals that reached escalation level 4.
- Child-safety sections (LIRIK, reporting code): besides the school's own rule, only the named
  worker, from `acknowledged` up to and including `accepted`. Other team members, the contact
  person, the leader and the service desk see that the section exists, not its content.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from schoolzorg.accounts.roles import CASE_ROLES, Role
from schoolzorg.audit.services import Basis
from schoolzorg.pupils.access import (
    Relationship,
    access_basis,
    active_memberships,
    register_relationship,
)
from schoolzorg.referrals.sharing import share_basis_q
from schoolzorg.referrals.workflow import SOCIAL_WORKER_STATES, TEAM_FILE_STATES

TEAM_ROLES = frozenset(
    {Role.NEIGHBOURHOOD_TEAM_WORKER, Role.NEIGHBOURHOOD_TEAM_CONTACT, Role.TEAM_LEADER}
)


def team_membership(user: Any, referral: Any) -> Any | None:
    """The user's membership of the receiving team through which they see the referral, for
    the read log's role: the team leader, the team's contact person for the referral's school,
    a worker; a contact person for another school only when that is all they hold in the team
    (it still makes them one of the team). Never a contact-person role for another school when
    they hold a better one: the log, and the parents' overview, would name them the contact
    person of this school."""

    def rank(m: Any) -> int:
        if m.role == Role.TEAM_LEADER:
            return 0
        if m.role == Role.NEIGHBOURHOOD_TEAM_CONTACT and m.school_id == referral.school_id:
            return 1
        return 2 if m.role == Role.NEIGHBOURHOOD_TEAM_WORKER else 3

    held = [
        m
        for m in active_memberships(user)
        if m.role in TEAM_ROLES and m.organisation_id == referral.team_id
    ]
    return min(held, key=rank, default=None)


def team_ids(user: Any) -> set[int]:
    return {m.organisation_id for m in active_memberships(user) if m.role in TEAM_ROLES}


def leader_team_ids(user: Any) -> set[int]:
    return {m.organisation_id for m in active_memberships(user) if m.role == Role.TEAM_LEADER}


def contact_pairs(user: Any) -> set[tuple[int, int]]:
    """(team, school) for which the user is the team's contact person."""
    return {
        (m.organisation_id, m.school_id)
        for m in active_memberships(user)
        if m.role == Role.NEIGHBOURHOOD_TEAM_CONTACT and m.school_id
    }


def school_ids(user: Any) -> set[int]:
    found = {m.served_school_id for m in active_memberships(user) if m.role in CASE_ROLES}
    return {s for s in found if s is not None}


def desk_municipality_ids(user: Any) -> set[int]:
    found = {
        m.organisation.municipality_id
        for m in active_memberships(user)
        if m.role == Role.SERVICE_DESK_COORDINATOR
    }
    return {m for m in found if m is not None}


def referral_visibility_q(user: Any) -> Q | None:
    """A filter over Referral for what the user may see; None when nothing."""
    if not getattr(user, "is_authenticated", False):
        return None
    from schoolzorg.referrals.models import Escalation, for_team_q

    parts: list[Q] = []
    if schools := school_ids(user):
        parts.append(Q(school_id__in=schools))
    parts.append(Q(social_worker_id=user.pk, state__in=SOCIAL_WORKER_STATES))
    if teams := team_ids(user):
        parts.append(for_team_q(teams))
    if desks := desk_municipality_ids(user):
        parts.append(
            Q(
                pk__in=Escalation.objects.filter(
                    level=4, referral__school__municipality_id__in=desks
                ).values("referral_id")
            )
        )
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def _file_referrals_q(user: Any) -> Q | None:
    """Referrals through which the user sees the pupil's file."""
    q = Q(social_worker_id=user.pk, state__in=SOCIAL_WORKER_STATES)
    team_q = Q(assignee_id=user.pk)
    if leaders := leader_team_ids(user):
        team_q |= Q(team_id__in=leaders)
    for team_id, school_id in contact_pairs(user):
        team_q |= Q(team_id=team_id, school_id=school_id)
    return q | (Q(state__in=TEAM_FILE_STATES) & team_q & share_basis_q())


def _pupil_q(user: Any) -> Q | None:
    from schoolzorg.referrals.models import Referral

    inner = _file_referrals_q(user)
    if inner is None:
        return None
    return Q(pk__in=Referral.objects.filter(inner).values("pupil_id"))


def _pupil_basis(user: Any, pupil: Any) -> Basis | None:
    from schoolzorg.referrals.models import Referral

    inner = _file_referrals_q(user)
    if inner is None:
        return None
    referral = (
        Referral.objects.filter(inner, pupil_id=pupil.pk)
        .select_related("team", "school")
        .order_by("-pk")
        .first()
    )
    if referral is None:
        return None
    if referral.social_worker_id == user.pk:
        role: str = Role.SCHOOL_SOCIAL_WORKER
        org_id: int | None = referral.school_id
        label = referral.school.name
    else:
        membership = team_membership(user, referral)
        role = membership.role if membership else Role.NEIGHBOURHOOD_TEAM_WORKER
        org_id, label = referral.team_id, referral.team.name if referral.team else ""
    return Basis("referral", role, org_id, label, str(referral.pk))


def _named_worker_sees_safety(user: Any, pupil: Any) -> bool:
    """The worker named on an acknowledged (up to accepted) referral reads its safety sections,
    while the pupil may be shared with the team."""
    from schoolzorg.referrals.models import Referral

    return (
        Referral.objects.filter(pupil_id=pupil.pk, assignee_id=user.pk, state__in=TEAM_FILE_STATES)
        .filter(share_basis_q())
        .exists()
    )


def school_person_role(referral: Any) -> str:
    """The case role in which the school's person named on the referral (`social_worker`: who
    started it) works at the referring school: the school social worker, or the support
    coordinator (an IB-er starts referrals too, and is named the same way); "" when they hold
    none there. A role held today comes before an ended one (the page still names someone who
    left), the latest first."""
    from django.utils import timezone

    from schoolzorg.accounts.models import Membership

    if referral.social_worker_id is None:
        return ""
    school_id = referral.school_id
    found = (
        Membership.objects.filter(user_id=referral.social_worker_id, role__in=CASE_ROLES)
        .filter(Q(organisation_id=school_id) | Q(school_id=school_id))
        .order_by("-valid_from", "-pk")
        .values_list("role", "valid_from", "valid_until")
    )
    today = timezone.localdate()
    held = [(start <= today and (end is None or end >= today), role) for role, start, end in found]
    return next((role for now, role in held if now), next((role for _, role in held), ""))


def register() -> None:
    from schoolzorg.pupils import access

    register_relationship(Relationship("referral", _pupil_q, _pupil_basis))
    register_child_safety = getattr(access, "register_child_safety", None)
    if register_child_safety is not None:
        register_child_safety("referral_named_worker", _named_worker_sees_safety)


def list_basis(user: Any, referral: Any) -> Basis:
    """Why the user sees this row of a referral list, without a query: the case role at the
    referring school, the membership of the receiving team, the named school social worker,
    the service desk; a list row reads `school_id`, `team_id`, `social_worker_id`, `school.name`."""
    ref = str(referral.pk)
    memberships = active_memberships(user)
    for m in memberships:
        if m.role in CASE_ROLES and m.served_school_id == referral.school_id:
            return Basis("referral", m.role, m.organisation_id, m.organisation.name, ref)
    if (team := team_membership(user, referral)) is not None:
        return Basis("referral", team.role, team.organisation_id, team.organisation.name, ref)
    if referral.social_worker_id == user.pk:
        school = referral.school
        return Basis("referral", Role.SCHOOL_SOCIAL_WORKER, school.pk, school.name, ref)
    for m in memberships:
        if m.role == Role.SERVICE_DESK_COORDINATOR:
            return Basis("escalation", m.role, m.organisation_id, m.organisation.name, ref)
    first = memberships[0] if memberships else None
    if first is None:
        return Basis("referral", ref=ref)
    return Basis("referral", first.role, first.organisation_id, first.organisation.name, ref)


def referral_basis(user: Any, referral: Any) -> Basis:
    """Why the user sees this referral, for the read log: the pupil's full file if the user has
    it, else the membership of the receiving team, else the service desk's escalation."""
    found = access_basis(user, referral.pupil)
    if found is not None and found[1]:
        return found[0]
    if (team := team_membership(user, referral)) is not None:
        return Basis(
            "referral", team.role, team.organisation_id, team.organisation.name, str(referral.pk)
        )
    for m in active_memberships(user):
        if m.role == Role.SERVICE_DESK_COORDINATOR:
            return Basis(
                "escalation", m.role, m.organisation_id, m.organisation.name, str(referral.pk)
            )
    return Basis("referral", ref=str(referral.pk))
