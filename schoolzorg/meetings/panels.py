"""The "Overleggen" menu item (with this week's meetings) and the "Mijn werk" panel."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from schoolzorg.accounts.roles import CASE_ROLES
from schoolzorg.lib import homepanels, navigation
from schoolzorg.meetings.models import CareMeeting
from schoolzorg.pupils.access import active_memberships

PANEL_DAYS = 31
PANEL_LIMIT = 5


def _may_have_meetings(request: HttpRequest) -> bool:
    # Cheap first check without a query: case roles at a school or people working at a school.
    return any(m.role in CASE_ROLES or m.served_school_id for m in active_memberships(request.user))


def _nav(request: HttpRequest) -> navigation.NavItem | None:
    if not _may_have_meetings(request):
        return None
    today = timezone.localdate()
    week_end = today + dt.timedelta(days=6 - today.weekday())
    count = (
        CareMeeting.objects.visible_to(request.user)
        .upcoming(today)
        .filter(scheduled_on__lte=week_end)
        .count()
    )
    return navigation.NavItem("Overleggen", reverse("meetings:list"), order=30, count=count)


def _panel(request: HttpRequest) -> homepanels.Panel | None:
    if not _may_have_meetings(request):
        return None
    today = timezone.localdate()
    meetings = list(
        CareMeeting.objects.visible_to(request.user)
        .upcoming(today)
        .filter(scheduled_on__lte=today + dt.timedelta(days=PANEL_DAYS))
        .select_related("care_team__school")[:PANEL_LIMIT]
    )
    if not meetings:
        return None
    return homepanels.Panel(
        "Komende zorgoverleggen", "meetings/_panel.html", {"meetings": meetings}, order=20
    )


navigation.register("meetings", _nav)
homepanels.register("meetings", _panel)
