"""Menu items with counts, the "Mijn werk" panels and the section on the pupil page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from schoolzorg.calendars import workingdays
from schoolzorg.lib import homepanels, navigation
from schoolzorg.lib.homepanels import Panel
from schoolzorg.lib.urls import url_for
from schoolzorg.pupils import sections
from schoolzorg.pupils.access import prepared_for_user
from schoolzorg.referrals.access import desk_municipality_ids, school_ids, team_ids
from schoolzorg.referrals.deadlines import days_between
from schoolzorg.referrals.models import (
    Escalation,
    EscalationLevel,
    Referral,
    ReferralQuerySet,
    for_team_q,
    is_open_q,
    outgoing_q,
    team_overdue_q,
)
from schoolzorg.referrals.workflow import (
    DUE_FIELD_BY_STEP,
    OPEN_STATES,
    STEP_BY_STATE,
    DayCount,
    State,
    Step,
    urgency_norm,
)

DESK_PANEL_LIMIT = 10
# The unit of "te laat" on the desk, by what the referral's deadlines count (plural: + "en").
LATE_UNITS: dict[str, str] = {
    DayCount.SCHOOL: "schooldag",
    DayCount.WORKING: "werkdag",
    DayCount.CALENDAR: "dag",
}
# The columns the desk's rows use (never the document: a row needs no text, and the child-safety
# sections are encrypted).
DESK_FIELDS = (
    "pupil_id",
    "school_id",
    "team_id",
    "state",
    "urgency",
    "submitted_on",
    *DUE_FIELD_BY_STEP.values(),
    "school__name",
    "school__holiday_region",
    "school__municipality__holiday_region",
    "team__name",
)


def _team_nav(request: HttpRequest) -> navigation.NavItem | None:
    teams = team_ids(request.user)
    if not teams:
        return None
    count = Referral.objects.for_team(teams).filter(state=State.SUBMITTED).count()
    return navigation.NavItem(
        "Toeleidingen", reverse("referrals:inbox"), order=30, count=count, count_label="nieuw"
    )


def _school_nav(request: HttpRequest) -> navigation.NavItem | None:
    if team_ids(request.user):
        return None
    schools = school_ids(request.user)
    if not schools:
        return None
    count = (
        Referral.objects.visible_to(request.user)
        .filter(outgoing_q("concepten", schools, timezone.localdate()))
        .count()
    )
    return navigation.NavItem(
        "Toeleidingen",
        reverse("referrals:outgoing"),
        order=30,
        count=count,
        count_label="concepten of teruggestuurd",
    )


# --- The municipality's service desk: the top rung of the escalation ladder -------------------


def desk_referrals(user: Any) -> ReferralQuerySet | None:
    """The referrals that reached the service desk: of its municipalities, escalated to level 4.

    The same rule as `access.referral_visibility_q` gives the desk, applied on top of it, so a
    user with another role as well (a school, a team) sees only the escalated ones here, and
    nobody sees more than `visible_to` allows. Open ones first, the longest waiting first; with
    the day level 4 was first reached (`level_4_on`). None when the user is no desk coordinator.
    """
    desks = desk_municipality_ids(user)
    if not desks:
        return None
    top = Escalation.objects.filter(level=EscalationLevel.MUNICIPALITY)
    return (
        Referral.objects.visible_to(user)
        .filter(
            pk__in=top.filter(referral__school__municipality_id__in=desks).values("referral_id")
        )
        .annotate(
            is_done=Case(
                When(is_open_q(), then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            level_4_on=Subquery(
                top.filter(referral_id=OuterRef("pk"))
                .values("referral_id")
                .annotate(first=Min("raised_on"))
                .values("first")[:1]
            ),
        )
        .order_by("is_done", "submitted_on", "pk")
    )


@dataclass(frozen=True, slots=True)
class DeskRow:
    """One escalated referral as the service desk reads it: where it is stuck and how long."""

    url: str
    pk: int
    school: str
    team: str
    state: str
    is_open: bool
    step: str  # the step that waits, "" when the referral no longer runs
    due_on: dt.date | None
    days_late: int  # days past the step's due date, counted as its deadline; 0 when on time
    late_unit: str  # "schooldag", "werkdag" or "dag": what `days_late` counts (the urgency's)
    level_4_on: dt.date | None


def desk_rows(referrals: Iterable[Referral], today: dt.date) -> list[DeskRow]:
    """Rows for the desk's panel and list; lateness counted as the deadline was: in school days
    of the school's region, or as the referral's urgency says (`workflow.URGENCY_NORMS`)."""
    found = list(referrals)
    workingdays.prefetch_schools({r.school_id for r in found})
    referral_url = url_for("referrals:detail")
    rows = []
    for r in found:
        step = STEP_BY_STATE.get(r.state)
        due = r.current_due_on
        counts = urgency_norm(r.urgency).counts
        late = 0
        if due is not None and due < today:
            late = days_between(due, today, counts=counts, school=r.school)
        rows.append(
            DeskRow(
                url=referral_url(r.pk),
                pk=r.pk,
                school=r.school.name,
                team=(r.team.name if r.team else "") or "nog niet gekozen",
                state=str(r.get_state_display()),
                is_open=r.state in OPEN_STATES,
                step=str(Step(step).label) if step else "",
                due_on=due,
                days_late=max(late, 0),
                late_unit=LATE_UNITS[counts],
                level_4_on=getattr(r, "level_4_on", None),
            )
        )
    return rows


def _desk_nav(request: HttpRequest) -> navigation.NavItem | None:
    # A team or school member reaches their own list under the same label; the desk's list is
    # the same address (`referrals:inbox` shows it to whoever has no team).
    if team_ids(request.user) or school_ids(request.user):
        return None
    referrals = desk_referrals(request.user)
    if referrals is None:
        return None
    count = referrals.filter(is_open_q()).order_by().count()
    return navigation.NavItem(
        "Toeleidingen", reverse("referrals:inbox"), order=30, count=count, count_label="open"
    )


def _desk_work(request: HttpRequest) -> Panel | None:
    referrals = desk_referrals(request.user)
    if referrals is None:
        return None
    today = timezone.localdate()
    shown = desk_rows(
        referrals.select_related("school__municipality", "team").only(*DESK_FIELDS)[
            :DESK_PANEL_LIMIT
        ],
        today,
    )
    open_count = referrals.filter(is_open_q()).order_by().count()
    return Panel(
        "Escalaties bij het servicepunt",
        "referrals/_panel_desk.html",
        {"rows": shown, "open_count": open_count, "limit": DESK_PANEL_LIMIT},
        order=25,
    )


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
        counts["overdue"] = for_team_q(teams) & is_open_q() & team_overdue_q(today)
    if schools:
        # Each count links to the outgoing list's view of the same name, which filters alike.
        counts["to_finish"] = outgoing_q("concepten", schools, today)
        counts["waiting"] = outgoing_q("lopend", schools, today)
        counts["school_overdue"] = outgoing_q("te-laat", schools, today)
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


def _openable_referrals(user: Any, pks: set[int]) -> set[int]:
    from schoolzorg.referrals.models import Referral

    found = Referral.objects.visible_to(user).filter(pk__in=pks)
    return set(found.values_list("pk", flat=True))


def register() -> None:
    from schoolzorg.lib import targets

    targets.register("referrals:detail", _openable_referrals)
    navigation.register("referrals_team", _team_nav)
    navigation.register("referrals_school", _school_nav)
    navigation.register("referrals_desk", _desk_nav)
    homepanels.register("referrals", _my_work)
    homepanels.register("referrals_desk", _desk_work)
    sections.register("referrals", _pupil_section)
