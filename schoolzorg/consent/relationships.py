"""The care-team relationship: outside professionals at the school see only consented pupils.

A youth health nurse or neighbourhood-team worker who works at a school (`Membership.school`)
sees a pupil of that school only while a complete consent to discuss the pupil in the care team
is in force today that names no receiving organisation or the organisation they work for there:
a consent for "Wijkteam X" opens the file to Wijkteam X, not to the youth health service.
Registered into `schoolzorg.pupils.access` from `ConsentConfig.ready()`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from schoolzorg.accounts.roles import CASE_ROLES, Role
from schoolzorg.audit.services import Basis
from schoolzorg.consent.models import CARE_TEAM_KINDS, Consent, LegalBasis, Purpose
from schoolzorg.organisations.models import OrganisationKind
from schoolzorg.pupils.access import Relationship, active_memberships

CARE_TEAM_ROLES = frozenset({Role.YOUTH_HEALTH_NURSE, Role.NEIGHBOURHOOD_TEAM_WORKER})


def _care_team_memberships(user: Any) -> list[Any]:
    return [m for m in active_memberships(user) if m.role in CARE_TEAM_ROLES and m.school_id]


def care_team_consent_q(organisation_ids: Iterable[int]) -> Q:
    """Pupils with a complete consent to discuss them in the care team in force today that
    names no organisation or one of these (SQL).

    The one condition of the care-team relationship; other rules that need the same consent
    (a person named around the child: `named_cover_q`) use this, so the rule has one definition.
    """
    consented = Consent.objects.valid_for(OuterRef("pk"), Purpose.DISCUSS_IN_CARE_TEAM)
    return Q(Exists(consented.for_recipients(organisation_ids)))


def care_team_sharing_q(organisation_ids: Iterable[int]) -> Q:
    """Pupils whose file may be shared in the care team today with these organisations' people.

    A complete `discuss_in_care_team` consent in force (`care_team_consent_q`), or a legal basis
    in force for that purpose, either naming no organisation or one of these.
    """
    ids = sorted(set(organisation_ids))
    covered = LegalBasis.objects.covering(OuterRef("pk"), Purpose.DISCUSS_IN_CARE_TEAM, ids)
    return care_team_consent_q(ids) | Q(Exists(covered))


def named_cover_q(user: Any) -> Q | None:
    """The pupils whose file a person named around the child may open (a `Q` over `Pupil`): the
    coordinator (regisseur) of a case, the owner of an action in a plan. The one rule.

    Being named is a role around the child, but sharing still needs a ground. The person must
    hold an active membership, and either

    - work at the pupil's current school: a membership of the school itself, or a case role
      serving it (school social worker, partnership contact), or
    - work for an organisation of the care-team kind (`CARE_TEAM_KINDS`, the kinds a consent
      for the care team can name: a neighbourhood team, the youth health service, a
      partnership, a social-work provider) while the pupil has a complete consent to be
      discussed in the care team in force today, or a legal basis in force for that purpose,
      naming none or one of those organisations (`care_team_sharing_q`). A municipality, a
      school board or a service desk is not in the care team and opens nothing this way.

    A school's own people count only at their own school: a coordinator whose role there ended,
    still named and now a teacher at another school, opens nothing through a consent "for the
    care team". Reads in Python only the user's memberships (the access key); the rest is SQL,
    so a withdrawn or expired consent ends it on the next request.
    """
    memberships = active_memberships(user)
    if not memberships:
        return None
    schools = {
        m.organisation_id for m in memberships if m.organisation.kind == OrganisationKind.SCHOOL
    } | {m.school_id for m in memberships if m.role in CASE_ROLES and m.school_id}
    outside = {m.organisation_id for m in memberships if m.organisation.kind in CARE_TEAM_KINDS}
    cover = care_team_sharing_q(outside) if outside else None
    at_school = Q(current_school_id__in=sorted(schools)) if schools else None
    if cover is not None and at_school is not None:
        return cover | at_school
    return cover if cover is not None else at_school


def may_be_named(user: Any, pupil: Any) -> bool:
    """Whether this person may be named coordinator of a case about the pupil, or owner of a
    goal or action in the pupil's plan: they could open the file through it (`named_cover_q`)."""
    from schoolzorg.pupils.models import Pupil

    cover = named_cover_q(user)
    return cover is not None and Pupil.objects.filter(pk=pupil.pk).filter(cover).exists()


def named_among(people: list[Any], pupil: Any) -> list[Any]:
    """Of these people, those who may be named around the pupil (`may_be_named`), in the same
    order: the lists offer no one the forms would refuse."""
    return named_among_each(people, [pupil])[pupil.pk]


def named_among_each(people: list[Any], pupils: Iterable[Any]) -> dict[int, list[Any]]:
    """Per pupil (by id), `named_among(people, pupil)`; two queries however many people and
    pupils.

    First the people's active memberships: who works at or serves each pupil's school, and for
    which care-team organisations. Then one row per pupil that answers `care_team_sharing_q` for
    each distinct set of such organisations among the others (say a neighbourhood-team worker
    and the nurse at the school).
    """
    from django.db.models import BooleanField, ExpressionWrapper

    from schoolzorg.accounts.models import Membership
    from schoolzorg.pupils.models import Pupil

    pupils = list(pupils)
    if not people or not pupils:
        return {p.pk: [] for p in pupils}
    outside: dict[int, set[int]] = defaultdict(set)  # care-team organisations (`named_cover_q`)
    works_at: dict[int, set[int]] = defaultdict(set)  # the schools each person works at
    rows = Membership.objects.active().filter(user__in=[u.pk for u in people])
    for user_id, organisation_id, kind, role, school_id in rows.values_list(
        "user_id", "organisation_id", "organisation__kind", "role", "school_id"
    ):
        if kind == OrganisationKind.SCHOOL:
            works_at[user_id].add(organisation_id)
        elif kind in CARE_TEAM_KINDS:
            outside[user_id].add(organisation_id)
        if role in CASE_ROLES and school_id:
            works_at[user_id].add(school_id)

    def at_school(user: Any, pupil: Any) -> bool:
        return pupil.current_school_id in works_at.get(user.pk, ())

    grounds = sorted(
        {frozenset(outside[u.pk]) for p in pupils for u in people if not at_school(u, p)}
        - {frozenset()},
        key=sorted,
    )
    covered: dict[tuple[int, frozenset[int]], bool] = {}
    if grounds:
        answers = Pupil.objects.filter(pk__in=[p.pk for p in pupils]).values_list(
            "pk",
            *(
                ExpressionWrapper(care_team_sharing_q(ids), output_field=BooleanField())
                for ids in grounds
            ),
        )
        covered = {
            (pk, ids): bool(answer)
            for pk, *row in answers
            for ids, answer in zip(grounds, row, strict=True)
        }
    return {
        p.pk: [
            u
            for u in people
            if at_school(u, p) or covered.get((p.pk, frozenset(outside.get(u.pk, ()))), False)
        ]
        for p in pupils
    }


def care_team_q(user: Any) -> Q | None:
    organisations_at: dict[int, set[int]] = defaultdict(set)
    for m in _care_team_memberships(user):
        organisations_at[m.school_id].add(m.organisation_id)
    if not organisations_at:
        return None
    q = Q()
    for school_id, organisation_ids in sorted(organisations_at.items()):
        q |= Q(current_school_id=school_id) & care_team_consent_q(organisation_ids)
    return q


def care_team_basis(user: Any, pupil: Any) -> Basis | None:
    memberships = [
        m for m in _care_team_memberships(user) if m.school_id == pupil.current_school_id
    ]
    if not memberships:
        return None
    consent = (
        Consent.objects.valid_for(pupil, Purpose.DISCUSS_IN_CARE_TEAM)
        .for_recipients({m.organisation_id for m in memberships})
        .order_by("-given_on", "-pk")
        .first()
    )
    if consent is None:
        return None
    # The membership the consent names, so the read log says in which organisation it was read.
    m = next((m for m in memberships if m.organisation_id == consent.recipient_id), memberships[0])
    return Basis(
        "care_team_consent", m.role, m.organisation_id, m.organisation.name, str(consent.pk)
    )


CARE_TEAM = Relationship("care_team_consent", care_team_q, care_team_basis)
