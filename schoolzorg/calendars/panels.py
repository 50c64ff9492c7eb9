"""The calendar's menu item and "Mijn werk" panel: administrators see how many holidays wait
for their review."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from schoolzorg.calendars import policies
from schoolzorg.calendars.models import SchoolHoliday
from schoolzorg.lib.homepanels import Panel
from schoolzorg.lib.navigation import NavItem


def calendar_nav(request: HttpRequest) -> NavItem | None:
    if policies.can_review_holidays(request.user):
        return NavItem(
            "Kalender",
            reverse("calendars:index"),
            order=80,
            count=SchoolHoliday.objects.pending().count(),
            count_label="te beoordelen",
        )
    if policies.schools_with_closures_for(request.user).exists():
        return NavItem("Kalender", reverse("calendars:index"), order=80)
    return None


def holiday_work(request: HttpRequest) -> Panel | None:
    """The "Mijn werk" panel of a functional administrator: holidays waiting for review."""
    if not policies.can_review_holidays(request.user):
        return None
    pending = SchoolHoliday.objects.pending().count()
    return Panel("Schoolvakanties", "calendars/_panel_work.html", {"pending": pending}, order=60)
