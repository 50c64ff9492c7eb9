"""Who sees the figures: municipal analysts, for their own municipality only. Nobody else."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from schoolzorg.accounts.roles import Role
from schoolzorg.pupils.access import active_memberships


def analyst_municipalities(user: Any) -> list[tuple[int, str]]:
    """(id, name) of the municipalities where the user is an active analyst."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = {
        m.organisation_id: m.organisation.name
        for m in active_memberships(user)
        if m.role == Role.MUNICIPAL_ANALYST and m.organisation.kind == "municipality"
    }
    return sorted(found.items(), key=lambda item: item[1])


def chosen_municipality(request: HttpRequest) -> tuple[int, str, list[tuple[int, str]]]:
    """The municipality asked for (`?gemeente=`) or the first; 404 for everyone else."""
    options = analyst_municipalities(request.user)
    if not options:
        raise Http404
    wanted = request.GET.get("gemeente", "")
    if not wanted:
        return (*options[0], options)
    for pk, name in options:
        if str(pk) == wanted:
            return pk, name, options
    raise Http404
