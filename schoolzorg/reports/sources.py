"""Where the roll-ups read from: one function per measure, each a few grouped queries.

Apps that are still being built (cases, meetings, referrals) are read only when their models
exist, so the figures grow as the apps land without the page changing. Each function returns
`{(group_id, month): count}` over the window of months; months are first days.

Two kinds of measure. A flow (help requests, consents given) counts what happened in a month.
A stock (pupils, pupils with consent, pupils with an open case) counts who was there on one day
of the month, its `stock_day`: the last day, or today for the month that is still running (a
day in the future would count consents that may yet be withdrawn as expired, and enrolments that
have not started). A stock takes `today` as well as the months.
A pupil counts at the school of the enrolment history on the day that matters (`Enrolment.
objects.on`), not at today's school: a move does not rewrite a school's past months. Cases and
referrals carry their own school.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import Case, Count, DateField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncMonth

Key = tuple[int, dt.date]
Counts = dict[Key, int]


def month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def stock_day(month: dt.date, today: dt.date) -> dt.date:
    """The day a stock is counted for a month: its last day, or today while the month runs."""
    return min(month_end(month), today)


def window(today: dt.date, months: int) -> list[dt.date]:
    """The `months` first-days up to and including today's month, oldest first."""
    out: list[dt.date] = []
    year, month = today.year, today.month
    for _ in range(months):
        out.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def model(label: str) -> Any | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def has_field(m: Any, path: str) -> bool:
    """Whether a `__` path resolves on a model (used to follow apps that are still changing)."""
    current = m
    for part in path.split("__"):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    return True


def _field(m: Any, path: str) -> Any:
    current, field = m, None
    for part in path.split("__"):
        field = current._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            current = field.related_model
    return field


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def monthly_counts(
    qs: Any, *, group: str, when: str, months: list[dt.date], distinct: str | None = None
) -> Counts:
    """Count rows (or distinct values) per group and month of a date or datetime field."""
    start, end = months[0], month_end(months[-1])
    is_date = _field(qs.model, when).get_internal_type() == "DateField"
    bounds = (
        Q(**{f"{when}__gte": start, f"{when}__lte": end})
        if is_date
        else Q(**{f"{when}__date__gte": start, f"{when}__date__lte": end})
    )
    rows = (
        qs.filter(bounds)
        .annotate(_m=TruncMonth(when))
        .values(group, "_m")
        .annotate(_n=Count(distinct, distinct=True) if distinct else Count("pk"))
    )
    # Rows without a group are dropped here, not in SQL: a group that is a subquery (the
    # consent's school on the day) would be looked up twice per row.
    return {(r[group], _as_date(r["_m"])): r["_n"] for r in rows if r[group] is not None}


def first_counts(candidates: Iterable[tuple[str, dict[str, Any]]], months: list[dt.date]) -> Counts:
    """The first candidate (model label + monthly_counts arguments) whose fields exist."""
    for label, spec in candidates:
        m = model(label)
        if m is None:
            continue
        filters = spec.get("filter", {})
        paths = [spec["group"], spec["when"], *(k.split("__")[0] for k in filters)]
        if not all(has_field(m, p.replace("__date", "")) for p in paths):
            continue
        try:
            return monthly_counts(
                m._default_manager.filter(**filters),
                group=spec["group"],
                when=spec["when"],
                months=months,
                distinct=spec.get("distinct"),
            )
        except FieldError:
            continue
    return {}


# --- pupils and consent (exist from the start) --------------------------------------------------


def pupils_enrolled(months: list[dt.date], today: dt.date) -> Counts:
    """Pupils enrolled at each school on each month's stock day, from the enrolment history.

    Two grouped queries: starts and ends bucketed by the first month whose stock day they
    reach (everything before the window in the first month), then a running sum per school.
    An enrolment ends after its `ended_on`, so one that ends on a month's last day still counts
    for that month and leaves in the next.
    """
    from schoolzorg.pupils.models import Enrolment

    start, last = months[0], stock_day(months[-1], today)
    delta: dict[Key, int] = defaultdict(int)
    started = (
        Enrolment.objects.filter(started_on__lte=last)
        .annotate(_m=Greatest(TruncMonth("started_on"), start, output_field=DateField()))
        .values("school_id", "_m")
        .annotate(_n=Count("pk"))
    )
    for r in started:
        delta[(r["school_id"], _as_date(r["_m"]))] += r["_n"]
    # Gone from the first stock day after `ended_on`: the next month for a month's last day.
    month_after_end = Case(
        *(
            When(ended_on=month_end(month), then=Value(nxt))
            for month, nxt in itertools.pairwise(months)
        ),
        default=Greatest(TruncMonth("ended_on"), start, output_field=DateField()),
        output_field=DateField(),
    )
    ended = (
        Enrolment.objects.filter(ended_on__isnull=False, ended_on__lt=last)
        .annotate(_m=month_after_end)
        .values("school_id", "_m")
        .annotate(_n=Count("pk"))
    )
    for r in ended:
        delta[(r["school_id"], _as_date(r["_m"]))] -= r["_n"]
    out: Counts = {}
    for school_id in {k[0] for k in delta}:
        running = 0
        for month in months:
            running += delta.get((school_id, month), 0)
            if running:
                out[(school_id, month)] = running
    return out


def pupils_with_consent(months: list[dt.date], today: dt.date) -> Counts:
    """Distinct pupils per school with a complete consent for the care team in force on the
    month's stock day, at the school they were enrolled at on that day (like the pupils).

    The enrolments of that day, semi-joined with the pupils who have such a consent: on the
    national data as fast as grouping the consents by the current school was, and faster than
    looking up each consent's enrolment.
    """
    from schoolzorg.consent.models import Consent, Purpose
    from schoolzorg.pupils.models import Enrolment

    out: Counts = {}
    for month in months:
        day = stock_day(month, today)
        consented = Consent.objects.in_force(day).filter(purpose=Purpose.DISCUSS_IN_CARE_TEAM)
        rows = (
            Enrolment.objects.on(day)
            .filter(pupil_id__in=consented.values("pupil_id"))
            .values("school_id")
            .annotate(_n=Count("pupil_id", distinct=True))
        )
        for r in rows:
            out[(r["school_id"], month)] = r["_n"]
    return out


def _school_on(day: OuterRef) -> Subquery:
    """The school of the outer query's pupil on the outer query's day (the latest enrolment
    when a move makes two meet on one day)."""
    from schoolzorg.pupils.models import Enrolment

    return Subquery(
        Enrolment.objects.filter(pupil_id=OuterRef("pupil_id"))
        .on(day)
        .order_by("-started_on", "-pk")
        .values("school_id")[:1]
    )


def school_on_given_day() -> Any:
    """The school a consent counts for: where the pupil was enrolled on `given_on`.

    A consent from before the pupil's first enrolment here (a form signed before the school
    imported its pupils) counts for the school the pupil was enrolled at next; one from after
    the pupil left every school, for the last one. Three lookups on the pupil's few enrolments,
    the later ones only when the earlier find nothing.
    """
    from schoolzorg.pupils.models import Enrolment

    pupil, day = OuterRef("pupil_id"), OuterRef("given_on")
    of_pupil = Enrolment.objects.filter(pupil_id=pupil)
    later = of_pupil.filter(started_on__gt=day).order_by("started_on", "pk").values("school_id")
    earlier = of_pupil.filter(ended_on__lt=day).order_by("-ended_on", "-pk").values("school_id")
    return Coalesce(_school_on(day), Subquery(later[:1]), Subquery(earlier[:1]))


def consents_given(months: list[dt.date]) -> Counts:
    """Consents recorded per month, at the school the pupil was at when it was given."""
    from schoolzorg.consent.models import Consent

    return monthly_counts(
        Consent.objects.annotate(_school=school_on_given_day()),
        group="_school",
        when="given_on",
        months=months,
    )


# --- cases, meetings, referrals (read when their models exist) -----------------------------------


CASES_OPENED: list[tuple[str, dict[str, Any]]] = [
    ("cases.Case", {"group": "school_id", "when": "opened_at"}),
    ("cases.Case", {"group": "school_id", "when": "opened_on"}),
]


def help_requests(months: list[dt.date]) -> Counts:
    """Every request for help: a new case, or an anonymous consultation without a name.

    A consultation later turned into a case (`Case.from_consultation`) is one request, counted
    once: in the month of the consultation, not again when the case is opened.
    """
    out: Counts = dict(
        first_counts(
            [
                (
                    "cases.Case",
                    {
                        "group": "school_id",
                        "when": "opened_at",
                        "filter": {"from_consultation__isnull": True},
                    },
                ),
                *CASES_OPENED,  # a Case without `from_consultation`: every case
            ],
            months,
        )
    )
    consultations = first_counts(
        [("cases.AnonymousConsultation", {"group": "school_id", "when": "held_on"})], months
    )
    for key, n in consultations.items():
        out[key] = out.get(key, 0) + n
    return out


def cases_opened(months: list[dt.date]) -> Counts:
    return first_counts(CASES_OPENED, months)


def meetings_held(months: list[dt.date]) -> Counts:
    """Care meetings that took place (held, or closed with minutes), by the team's school."""
    return first_counts(
        [
            (
                "meetings.CareMeeting",
                {
                    "group": "care_team__school_id",
                    "when": "scheduled_on",
                    "filter": {"state__in": ["held", "closed"]},
                },
            ),
        ],
        months,
    )


def referrals_submitted_by_school(months: list[dt.date]) -> Counts:
    return first_counts(
        [
            ("referrals.Referral", {"group": "school_id", "when": "submitted_on"}),
            ("referrals.Referral", {"group": "school_id", "when": "submitted_at"}),
        ],
        months,
    )


def referrals_received_by_team(months: list[dt.date]) -> Counts:
    return first_counts(
        [
            ("referrals.Referral", {"group": "team_id", "when": "submitted_on"}),
            ("referrals.Referral", {"group": "team_id", "when": "submitted_at"}),
        ],
        months,
    )
