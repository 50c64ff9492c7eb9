"""Menu items with counts, the "Mijn werk" panel and the section on the pupil page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from schoolzorg.lib import homepanels, navigation
from schoolzorg.lib.homepanels import Panel
from schoolzorg.pupils import sections
from schoolzorg.pupils.access import prepared_for_user
from schoolzorg.referrals.access import school_ids, team_ids
from schoolzorg.referrals.models import Referral, for_team_q, is_open_q, overdue_q
from schoolzorg.referrals.workflow import State


def _team_nav(request: HttpRequest) -> navigation.NavItem | None:
    teams = team_ids(request.user)
    if not teams:
        return None
    count = Referral.objects.for_team(teams).filter(state=State.SUBMITTED).count()
    return navigation.NavItem("Toeleidingen", reverse("referrals:inbox"), order=30, count=count)


def _school_nav(request: HttpRequest) -> navigation.NavItem | None:
    if team_ids(request.user):
        return None
    schools = school_ids(request.user)
    if not schools:
        return None
    count = (
        Referral.objects.visible_to(request.user)
        .filter(state__in=[State.DRAFT, State.RETURNED])
        .count()
    )
    return navigation.NavItem("Toeleidingen", reverse("referrals:outgoing"), order=30, count=count)


def _my_work(request: HttpRequest) -> Panel | None:
    user = request.user
    teams = team_ids(user)
    schools = school_ids(user)
    if not teams and not schools:
        return None
    today = timezone.localdate()
    counts: dict[str, Q] = {}
    if teams:
        counts["new"] = for_team_q(teams) & Q(state=State.SUBMITTED)
        counts["mine"] = is_open_q() & Q(assignee_id=user.pk)
        counts["overdue"] = for_team_q(teams) & is_open_q() & overdue_q(today)
    if schools:
        counts["to_finish"] = Q(state__in=[State.DRAFT, State.RETURNED])
        counts["waiting"] = is_open_q() & Q(school_id__in=schools)
        counts["school_overdue"] = counts["waiting"] & overdue_q(today)
    # One query for all the counts: each filter over the visible referrals costs a compile.
    found = Referral.objects.visible_to(user).aggregate(
        **{name: Count("pk", filter=q) for name, q in counts.items()}
    )
    return Panel(
        "Toeleidingen", "referrals/_panel_my_work.html", {"today": today, **found}, order=30
    )


@prepared_for_user
def _of_pupil(user: Any, pupil_id: int) -> QuerySet[Referral]:
    return (
        Referral.objects.visible_to(user)
        .filter(pupil_id=pupil_id)
        .select_related("team")
        .order_by("-created_at")[:10]
    )


def _pupil_section(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    if not full:
        return None
    referrals = _of_pupil(user=request.user, pupil_id=pupil.pk)
    can_start = bool(school_ids(request.user)) and pupil.current_school_id in school_ids(
        request.user
    )
    if not referrals and not can_start:
        return None
    return Panel(
        "Toeleiding naar het wijkteam",
        "referrals/_section_pupil.html",
        {"referrals": referrals, "pupil": pupil, "can_start": can_start},
        order=60,
    )


def register() -> None:
    navigation.register("referrals_team", _team_nav)
    navigation.register("referrals_school", _school_nav)
    homepanels.register("referrals", _my_work)
    sections.register("referrals", _pupil_section)
