"""The "Cijfers" menu item and the pointer on "Mijn werk", for municipal analysts only."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from schoolzorg.lib.homepanels import Panel
from schoolzorg.lib.navigation import NavItem
from schoolzorg.reports.access import analyst_municipalities


def figures_nav(request: HttpRequest) -> NavItem | None:
    if analyst_municipalities(request.user):
        return NavItem("Cijfers", reverse("reports:index"), order=70)
    return None


def figures_panel(request: HttpRequest) -> Panel | None:
    """Where the analyst's work is: the figures of each municipality they are analyst for."""
    municipalities = analyst_municipalities(request.user)
    if not municipalities:
        return None
    return Panel("Cijfers", "reports/_panel.html", {"municipalities": municipalities}, order=30)
