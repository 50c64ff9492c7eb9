"""Who may do what with consents and legal bases."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from schoolzorg.accounts.roles import CASE_ROLES, Role
from schoolzorg.consent.models import RECEIVING_KINDS
from schoolzorg.organisations.models import Organisation, OrganisationKind
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


def can_complete_consent(user: Any, consent: Any) -> bool:
    """Add a missing party's agreement: the people who may record a consent for the pupil."""
    return can_record_consent(user, consent.pupil)


LEGAL_BASIS_ROLES = frozenset({Role.SUPPORT_COORDINATOR, Role.SCHOOL_SOCIAL_WORKER})


def can_record_legal_basis(user: Any, pupil: Any) -> bool:
    """Only the support coordinator or the school social worker of the pupil's current school."""
    return _case_role_at_school(user, pupil, LEGAL_BASIS_ROLES)


# Every kind that can receive under some purpose (`models.RECEIVING_KINDS`): the forms offer
# only organisations of these kinds.
RECEIVING = frozenset().union(*RECEIVING_KINDS.values())

# Organisations that work in a municipality for its families (not a school's partnership).
LOCAL_SERVICES = (
    OrganisationKind.NEIGHBOURHOOD_TEAM,
    OrganisationKind.SOCIAL_WORK_PROVIDER,
    OrganisationKind.YOUTH_HEALTH_SERVICE,
)


def recipients_for(pupil: Any) -> Any:
    """Organisations that may receive this pupil's data: those of the care team around the pupil.

    The school's partnership, the local services of the school's and the home's municipality,
    and every organisation whose people serve the school; each of a kind that can receive under
    some purpose (`RECEIVING`), so never the municipality, the school board or the service desk.
    Not every organisation in the country: nationally that list held 1,246.
    """
    from schoolzorg.accounts.models import Membership

    school = pupil.current_school
    municipalities = {pupil.home_municipality_id, school.municipality_id if school else None}
    municipalities.discard(None)
    around = Q(kind__in=LOCAL_SERVICES, municipality_id__in=municipalities)
    if school is not None:
        serving = Membership.objects.active().filter(school_id=school.pk).values("organisation_id")
        if school.partnership_id:
            around |= Q(pk=school.partnership_id)
        around |= Q(pk__in=serving)
    return Organisation.objects.filter(kind__in=sorted(RECEIVING)).filter(around).order_by("name")
