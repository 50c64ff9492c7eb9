"""Who may do what with retention: answer requests for early destruction, read the register."""

from __future__ import annotations

from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.audit.services import Basis
from schoolzorg.pupils.access import active_memberships

# Who answers a request for the file of their organisation: the school's support coordinator
# for the school file, the team leader for the neighbourhood team's file, a school social worker
# of the provider for the social-work provider's file.
HANDLER_ROLES = {
    "school": Role.SUPPORT_COORDINATOR,
    "neighbourhood_team": Role.TEAM_LEADER,
    "social_work_provider": Role.SCHOOL_SOCIAL_WORKER,
}
# A break-the-glass grant opens a file in an emergency; it is no ground to decide about
# destroying one (`pupils.access.access_basis(..., without=...)`).
NOT_FOR_DECIDING = frozenset({"break_the_glass"})


def handled_organisations(user: Any) -> list[Any]:
    """The organisations whose requests the user answers, each once (a school social worker has
    a membership per school they serve, all at one provider); no query beyond the memberships."""
    found: dict[int, Any] = {}
    for m in active_memberships(user):
        if HANDLER_ROLES.get(m.organisation.kind) == m.role:
            found.setdefault(m.organisation_id, m.organisation)
    return list(found.values())


def holds_file(organisation: Any, pupil: Any) -> bool:
    """The organisation keeps a file about the pupil that a request can be about:

    - a school: the pupil goes there now;
    - a neighbourhood team: it received a referral for the pupil;
    - a social-work provider: one of its school social workers registered a contact on one of
      the pupil's cases."""
    from schoolzorg.cases.models import SocialWorkContact
    from schoolzorg.referrals.models import Referral

    if organisation.kind == "school":
        return bool(organisation.pk == pupil.current_school_id)
    if organisation.kind == "neighbourhood_team":
        return Referral.objects.filter(
            pupil=pupil, team_id=organisation.pk, submitted_at__isnull=False
        ).exists()
    if organisation.kind == "social_work_provider":
        return SocialWorkContact.objects.filter(
            case__pupil=pupil, provider_id=organisation.pk
        ).exists()
    return False


def file_holders_for(user: Any, pupil: Any) -> list[Any]:
    """Every organisation whose file about the pupil the user answers requests for (most users
    answer for one organisation at most; someone with two handler roles gets both)."""
    return [o for o in handled_organisations(user) if holds_file(o, pupil)]


def file_holder_for(user: Any, pupil: Any, organisation_id: int | None = None) -> Any:
    """The organisation whose file about the pupil the user answers requests for, or None: the
    first that holds one, or the one with `organisation_id` when given.

    - support coordinator of the pupil's current school: the school's file;
    - team leader of a neighbourhood team that received a referral for the pupil: the team's;
    - school social worker of a provider with a contact on one of the pupil's cases: the
      provider's.
    The user must also see the pupil's full file (checked by the view)."""
    for organisation in handled_organisations(user):
        if organisation_id is not None and organisation.pk != organisation_id:
            continue
        if holds_file(organisation, pupil):
            return organisation
    return None


def can_handle(user: Any, destruction_request: Any) -> bool:
    """The user answers requests for the organisation the request is about."""
    return any(o.pk == destruction_request.organisation_id for o in handled_organisations(user))


DECIDING = "destruction_request"  # the read-log basis of deciding a request (below)


def still_to_decide(user: Any, destruction_request: Any) -> bool:
    """An open request whose file is still there (its organisation holds a record about the
    pupil), which this user answers although they no longer see the pupil: a school the child
    left keeps its file for two years, a neighbourhood team for twenty, and a parent's request
    must not wait for nobody. A school's support coordinator and a team's leader answer for
    the whole organisation (`can_handle`); a school social worker only for the provider's
    contacts at a school they serve (as while the child was there), not at every school of a
    large provider."""
    from schoolzorg.cases.models import SocialWorkContact
    from schoolzorg.retention import files
    from schoolzorg.retention.models import RequestState

    pupil, organisation = destruction_request.pupil, destruction_request.organisation
    if destruction_request.state != RequestState.OPEN or pupil is None:
        return False
    if not can_handle(user, destruction_request):
        return False
    if organisation.kind == "social_work_provider":
        served = {
            m.served_school_id
            for m in active_memberships(user)
            if m.organisation_id == organisation.pk and m.role == Role.SCHOOL_SOCIAL_WORKER
        }
        return SocialWorkContact.objects.filter(
            case__pupil=pupil, provider_id=organisation.pk, case__school_id__in=served
        ).exists()
    return bool(files.read_file(pupil).held_by(organisation.pk))


def deciding_basis(destruction_request: Any) -> Basis:
    """The read-log basis for reading the request's pupil to decide it (`still_to_decide`)."""
    organisation = destruction_request.organisation
    return Basis(
        DECIDING,
        HANDLER_ROLES.get(organisation.kind, ""),
        organisation.pk,
        organisation.name,
        str(destruction_request.pk),
    )


def open_requests_to_decide(user: Any) -> Any:
    """The open requests this user answers and can open (the "Mijn werk" panel): every open
    request of the schools and teams they answer for (a request whose file went has lapsed),
    and of a provider those about a pupil they see or with its contacts at a school they serve
    (`still_to_decide`)."""
    from django.db.models import Q

    from schoolzorg.cases.models import SocialWorkContact
    from schoolzorg.pupils.models import Pupil
    from schoolzorg.retention.models import DestructionRequest, RequestState

    organisations = handled_organisations(user)
    providers = [o.pk for o in organisations if o.kind == "social_work_provider"]
    served = {
        m.served_school_id
        for m in active_memberships(user)
        if m.organisation_id in providers and m.role == Role.SCHOOL_SOCIAL_WORKER
    }
    at_served_schools = SocialWorkContact.objects.filter(
        provider_id__in=providers, case__school_id__in=served
    ).values("case__pupil_id")
    return DestructionRequest.objects.filter(
        organisation_id__in=[o.pk for o in organisations], state=RequestState.OPEN
    ).filter(
        ~Q(organisation_id__in=providers)
        | Q(pupil__in=Pupil.objects.visible_to(user, full_only=True))
        | Q(pupil_id__in=at_served_schools)
    )
