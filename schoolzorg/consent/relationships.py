"""The care-team relationship: outside professionals at the school see only consented pupils.

A youth health nurse or neighbourhood-team worker who works at a school (`Membership.school`)
sees a pupil of that school only while a complete consent to discuss the pupil in the care team
is in force today. Registered into `schoolzorg.pupils.access` from `ConsentConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from schoolzorg.accounts.roles import Role
from schoolzorg.audit.services import Basis
from schoolzorg.consent.models import Consent, LegalBasis, Purpose
from schoolzorg.pupils.access import Relationship, active_memberships

CARE_TEAM_ROLES = frozenset({Role.YOUTH_HEALTH_NURSE, Role.NEIGHBOURHOOD_TEAM_WORKER})


def _care_team_memberships(user: Any) -> list[Any]:
    return [m for m in active_memberships(user) if m.role in CARE_TEAM_ROLES and m.school_id]


def care_team_consent_q() -> Q:
    """Pupils with a complete consent to discuss them in the care team in force today (SQL).

    The one condition of the care-team relationship; other rules that need the same consent
    (an outside action owner in a plan) use this, so the rule has one definition.
    """
    consented = Consent.objects.valid_for(OuterRef("pk"), Purpose.DISCUSS_IN_CARE_TEAM)
    return Q(Exists(consented))


def care_team_sharing_q(organisation_ids: Iterable[int]) -> Q:
    """Pupils whose file may be shared in the care team today with these organisations' people.

    A complete `discuss_in_care_team` consent in force (`care_team_consent_q`), or a legal basis
    in force for that purpose that names no organisation or one of these.
    """
    covered = LegalBasis.objects.covering(
        OuterRef("pk"), Purpose.DISCUSS_IN_CARE_TEAM, sorted(set(organisation_ids))
    )
    return care_team_consent_q() | Q(Exists(covered))


def care_team_q(user: Any) -> Q | None:
    schools = {m.school_id for m in _care_team_memberships(user)}
    if not schools:
        return None
    return Q(current_school_id__in=schools) & care_team_consent_q()


def care_team_basis(user: Any, pupil: Any) -> Basis | None:
    memberships = [
        m for m in _care_team_memberships(user) if m.school_id == pupil.current_school_id
    ]
    if not memberships:
        return None
    consent = (
        Consent.objects.valid_for(pupil, Purpose.DISCUSS_IN_CARE_TEAM).order_by("-given_on").first()
    )
    if consent is None:
        return None
    m = memberships[0]
    return Basis(
        "care_team_consent", m.role, m.organisation_id, m.organisation.name, str(consent.pk)
    )


CARE_TEAM = Relationship("care_team_consent", care_team_q, care_team_basis)
