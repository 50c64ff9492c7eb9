"""Which schools a user may look at: the ones their memberships work at or oversee."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from schoolzorg.organisations.models import Organisation, School, SchoolQuerySet


def _schools_of(m: Any) -> Q | None:
    """The schools one membership shows (own school, served school, board, municipality,
    partnership); None when it shows none (a neighbourhood team, the service desk)."""
    kind = m.organisation.kind
    if kind == "school":
        return Q(pk=m.organisation_id)
    if m.school_id:
        return Q(pk=m.school_id)
    if kind == "school_board":
        return Q(board_id=m.organisation_id)
    if kind == "municipality":
        return Q(municipality_id=m.organisation_id)
    if kind == "partnership":
        return Q(partnership_id=m.organisation_id)
    return None


def schools_visible_to(user: Any) -> SchoolQuerySet:
    """Schools of the user's active memberships (own school, served school, board, municipality)."""
    from schoolzorg.pupils.access import active_memberships

    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    q = Q(pk__in=[])
    for m in active_memberships(user):
        if (found := _schools_of(m)) is not None:
            q |= found
    return School.objects.filter(q)


def sees_schools(user: Any) -> bool:
    """Whether any of the user's memberships shows schools (without a query: for the menu)."""
    from schoolzorg.pupils.access import active_memberships

    return any(_schools_of(m) is not None for m in active_memberships(user))


# What an organisation answers for beyond itself: a municipality for every organisation in it, a
# school board for its schools; any other kind only for itself. The privacy officer's oversight
# (audit.policies) and the functional administrator's part of the admin (accounts.adminscope)
# use it.
ANSWERS_FOR: dict[str, str] = {
    "municipality": "municipality_id",
    "school_board": "as_school__board_id",
}


def any_of(lookups: Iterable[tuple[str, int]]) -> Q | None:
    """`<lookup>__in=[ids]` per distinct lookup of these (lookup, id) pairs, joined with OR;
    None for none."""
    by_lookup: dict[str, list[int]] = {}
    for lookup, pk in lookups:
        by_lookup.setdefault(lookup, []).append(pk)
    q: Q | None = None
    for lookup, ids in sorted(by_lookup.items()):
        part = Q(**{f"{lookup}__in": ids})
        q = part if q is None else q | part
    return q


def organisations_answered_for(owners: Iterable[tuple[int, str]]) -> QuerySet[Any, Any]:
    """A lazy subquery of the ids of these organisations (id, kind) and all they answer for."""
    owners = list(owners)
    q = Q(pk__in=[pk for pk, _kind in owners])
    more = any_of((ANSWERS_FOR[kind], pk) for pk, kind in owners if kind in ANSWERS_FOR)
    return Organisation.objects.filter(q | more if more is not None else q).values("pk")
