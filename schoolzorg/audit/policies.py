"""Who may read the read log, review break-the-glass and sign off the weekly report.

The oversight pages sit above `pupils` (they need roles and pupil access); the log machinery
itself (models, services, sealing) imports no domain app. See docs/permissions.md.

Deny by default: a privacy officer oversees only their own municipality (`oversight_scope`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from schoolzorg.accounts.roles import Role
from schoolzorg.pupils.access import access_basis, active_memberships


def _officer_memberships(user: Any) -> list[Any]:
    """Active privacy-officer memberships held at a municipality.

    Only a municipality's privacy officer oversees the read log; a privacy-officer membership at
    any other kind of organisation opens nothing (no scope is defined for it yet).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        m
        for m in active_memberships(user)
        if m.role == Role.PRIVACY_OFFICER and m.organisation.kind == "municipality"
    ]


def oversight_scope(user: Any) -> list[int]:
    """The ids of the municipalities this user oversees as privacy officer (may be empty)."""
    return sorted({m.organisation_id for m in _officer_memberships(user)})


def is_privacy_officer(user: Any) -> bool:
    """An active privacy-officer membership at a municipality, i.e. a non-empty scope."""
    return bool(_officer_memberships(user))


def privacy_membership(user: Any, municipality_id: int | None = None) -> Any:
    """The membership in whose name the log is read: the one at `municipality_id` if given,
    else the first municipality (by id)."""
    found = sorted(_officer_memberships(user), key=lambda m: (m.organisation_id, m.pk))
    if municipality_id is not None:
        found = [m for m in found if m.organisation_id == municipality_id]
    return found[0] if found else None


# --- What is in scope -----------------------------------------------------------------------
# An organisation is in a municipality's scope when it is the municipality itself or lies in it
# (`Organisation.municipality_id`). Read-log entries and break-the-glass grants are in scope by
# the organisation the reader acted for (`organisation_id`, kept at the time of reading).


def scope_organisations(municipality_ids: Iterable[int]) -> QuerySet[Any, Any]:
    """A subquery of the ids of every organisation in these municipalities."""
    from schoolzorg.organisations.models import Organisation

    ids = list(municipality_ids)
    return Organisation.objects.filter(Q(pk__in=ids) | Q(municipality_id__in=ids)).values("pk")


def _scope_pupils(municipality_ids: list[int]) -> QuerySet[Any, Any]:
    """A subquery of the pupils now at a school in these municipalities."""
    from schoolzorg.pupils.models import Pupil

    return Pupil.objects.filter(current_school__municipality_id__in=municipality_ids).values("pk")


def scoped_entries(municipality_ids: Iterable[int]) -> QuerySet[Any, Any]:
    """Read-log entries written by someone acting for an organisation in scope, or about a pupil
    of a school in scope (so reads by regional organisations without a municipality, such as a
    partnership or a school board, are overseen where the child goes to school)."""
    from schoolzorg.audit.models import AccessLogEntry

    ids = list(municipality_ids)
    return AccessLogEntry.objects.filter(
        Q(organisation_id__in=scope_organisations(ids)) | Q(pupil_id__in=_scope_pupils(ids))
    )


def scoped_users(municipality_ids: Iterable[int]) -> QuerySet[Any, Any]:
    """Users who hold or held a membership (any period) at an organisation in scope, or one that
    serves a school in scope (a partnership contact, a social worker)."""
    from schoolzorg.accounts.models import Membership

    orgs = scope_organisations(municipality_ids)
    members = Membership.objects.filter(Q(organisation_id__in=orgs) | Q(school_id__in=orgs)).values(
        "user_id"
    )
    return get_user_model().objects.filter(pk__in=members)


def scoped_grants(municipality_ids: Iterable[int]) -> QuerySet[Any, Any]:
    """Break-the-glass grants used for an organisation in scope."""
    from schoolzorg.audit.models import BreakGlassGrant

    return BreakGlassGrant.objects.filter(organisation_id__in=scope_organisations(municipality_ids))


def scoped_changes(municipality_ids: Iterable[int], *, limit: int) -> list[Any]:
    """Change history of memberships at organisations in scope and of those organisations (and
    the municipality's districts), newest first, in one query."""
    from django.apps import apps

    from schoolzorg.accounts.models import Membership
    from schoolzorg.audit.history import CORE_MODELS, entries_for

    ids = list(municipality_ids)
    orgs = scope_organisations(ids)
    objects: dict[str, Any] = {
        "accounts.Membership": Membership.objects.filter(organisation_id__in=orgs)
    }
    for label in CORE_MODELS:
        if not label.startswith("organisations."):
            continue
        model = apps.get_model(label)
        if label == "organisations.District":
            objects[label] = model._default_manager.filter(municipality_id__in=ids)
        else:
            objects[label] = model._default_manager.filter(pk__in=orgs)
    return entries_for(objects, limit=limit)


def can_read_user_log(user: Any) -> bool:
    """Only the privacy officer reads the log per user (and that reading is logged)."""
    return is_privacy_officer(user)


def can_review_break_glass(user: Any) -> bool:
    """Only the privacy officer reviews break-the-glass grants."""
    return is_privacy_officer(user)


def can_sign_off_week(user: Any) -> bool:
    """Only the privacy officer signs off the weekly anomaly report."""
    return is_privacy_officer(user)


def can_see_who_looked(user: Any, pupil: Any) -> bool:
    """ "Wie keek er naar dit kind": the support coordinator of the pupil's current school, who
    also sees the full file."""
    found = access_basis(user, pupil)
    if found is None or not found[1]:
        return False
    return any(
        m.role == Role.SUPPORT_COORDINATOR and m.organisation_id == pupil.current_school_id
        for m in active_memberships(user)
    )


def can_see_pupil_history(user: Any, pupil: Any) -> bool:
    """Change history of a pupil's records: the same people as "wie keek"."""
    return can_see_who_looked(user, pupil)


def break_glass_membership(user: Any) -> Any:
    """The membership in whose name break-the-glass is used (first pupil-facing role)."""
    from schoolzorg.pupils.access import BREAK_GLASS_ROLES

    return next((m for m in active_memberships(user) if m.role in BREAK_GLASS_ROLES), None)
