"""Which schools a user may look at: the ones their memberships work at or oversee."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from schoolzorg.organisations.models import School, SchoolQuerySet


def schools_visible_to(user: Any) -> SchoolQuerySet:
    """Schools of the user's active memberships (own school, served school, board, municipality)."""
    from schoolzorg.pupils.access import active_memberships

    if not getattr(user, "is_authenticated", False):
        return School.objects.none()
    q = Q(pk__in=[])
    for m in active_memberships(user):
        kind = m.organisation.kind
        if kind == "school":
            q |= Q(pk=m.organisation_id)
        elif m.school_id:
            q |= Q(pk=m.school_id)
        elif kind == "school_board":
            q |= Q(board_id=m.organisation_id)
        elif kind == "municipality":
            q |= Q(municipality_id=m.organisation_id)
        elif kind == "partnership":
            q |= Q(partnership_id=m.organisation_id)
    return School.objects.filter(q)
