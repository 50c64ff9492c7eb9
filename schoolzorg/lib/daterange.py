"""Sensible bounds for the dates people type, checked by the forms with the message at the field.

A date field takes any day from 1-1-0001 to 31-12-9999. A slip of the year (2099 for 2029, 0001)
then keeps a consent valid for decades, puts an action out of every overdue list, or files a
meeting in another century. The bounds are in one place so that every form means the same by
"too far ahead".
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from schoolzorg.lib.dates import numeric

# Plans, goals, actions and decisions: a plan looks a school year or two ahead, never decades.
PLAN_YEARS_AHEAD = 5
# What is recorded afterwards (a due date already passed, an agreement, a meeting) goes back a
# school year at most; older records belong to an earlier plan or meeting.
DAYS_BACK = 400
# Meetings are planned for this and the next school year (the rhythm plans ~400 days ahead).
MEETING_DAYS_AHEAD = 400
# A care team is set up per school year, for this and the next one: a member joins, leaves or
# changes hours within a school year back or ahead.
TEAM_DAYS_AHEAD = 400
# A school's study days are in the plan of this and the next school year.
CLOSURE_DAYS_AHEAD = 400
# A consent is asked again at least every few years (the child's age changes who must agree).
CONSENT_YEARS_VALID = 5


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def out_of_range(
    day: dt.date | None,
    *,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
    too_early: str = "",
    too_late: str = "",
) -> str:
    """The plain-Dutch reason `day` lies outside [earliest, latest], or "" when it is inside."""
    if day is None:
        return ""
    if earliest is not None and day < earliest:
        return too_early or f"Deze datum ligt te ver terug. Kies {numeric(earliest)} of later."
    if latest is not None and day > latest:
        return too_late or f"Deze datum ligt te ver vooruit. Kies uiterlijk {numeric(latest)}."
    return ""


def check_field(
    form: forms.BaseForm,
    name: str,
    *,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
    too_early: str = "",
    too_late: str = "",
) -> None:
    """Put the reason at the field when its cleaned date is out of range (from `clean()`).

    A field that was already refused (empty, not a date) keeps its own message.
    """
    if name in form.errors:
        return
    reason = out_of_range(
        form.cleaned_data.get(name),
        earliest=earliest,
        latest=latest,
        too_early=too_early,
        too_late=too_late,
    )
    if reason:
        form.add_error(name, reason)


IN_THE_FUTURE = "Deze datum ligt in de toekomst."


def check_past_day(form: forms.BaseForm, name: str) -> None:
    """`check_field` for a day something happened: today or at most `DAYS_BACK` days ago."""
    today = timezone.localdate()
    check_field(
        form,
        name,
        earliest=today - dt.timedelta(days=DAYS_BACK),
        latest=today,
        too_late=IN_THE_FUTURE,
    )
