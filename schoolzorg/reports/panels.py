"""The "Cijfers" menu item, for municipal analysts only."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from schoolzorg.lib.navigation import NavItem
from schoolzorg.reports.access import analyst_municipalities


def figures_nav(request: HttpRequest) -> NavItem | None:
    if analyst_municipalities(request.user):
        return NavItem("Cijfers", reverse("reports:index"), order=70)
    return None
