"""The "Overleggen" menu item (with this week's meetings) and the "Mijn werk" panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from schoolzorg.accounts.roles import CASE_ROLES
from schoolzorg.lib import homepanels, navigation, targets
from schoolzorg.meetings.models import CareMeeting
from schoolzorg.pupils.access import active_memberships, prepared_for_user

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
    return navigation.NavItem(
        "Overleggen", reverse("meetings:list"), order=30, count=count, count_label="deze week"
    )


@prepared_for_user
def _upcoming(user: Any, today: dt.date, until: dt.date) -> QuerySet[CareMeeting]:
    return (
        CareMeeting.objects.visible_to(user)
        .upcoming(today)
        .filter(scheduled_on__lte=until)
        .select_related("care_team__school")[:PANEL_LIMIT]
    )


def _panel(request: HttpRequest) -> homepanels.Panel | None:
    if not _may_have_meetings(request):
        return None
    today = timezone.localdate()
    meetings = _upcoming(
        user=request.user, today=today, until=today + dt.timedelta(days=PANEL_DAYS)
    )
    if not meetings:
        return None
    return homepanels.Panel(
        "Komende zorgoverleggen", "meetings/_panel.html", {"meetings": meetings}, order=20
    )


def _openable_meetings(user: Any, pks: set[int]) -> set[int]:
    found = CareMeeting.objects.visible_to(user).filter(pk__in=pks)
    return set(found.values_list("pk", flat=True))


navigation.register("meetings", _nav)
homepanels.register("meetings", _panel)
targets.register("meetings:detail", _openable_meetings)
