"""The "Zorgteams" menu item for everyone who works at or serves a school."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from schoolzorg.lib import navigation
from schoolzorg.pupils.access import active_memberships


def _nav(request: HttpRequest) -> navigation.NavItem | None:
    if any(m.served_school_id for m in active_memberships(request.user)):
        return navigation.NavItem("Zorgteams", reverse("careteams:list"), order=40)
    return None


navigation.register("careteams", _nav)
