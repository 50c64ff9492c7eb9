"""Dates as list rows print them, without Django's general date formatter.

`date_format` parses its format string on every call (~11 µs); a list of 50 rows spent half a
millisecond on it. These give the same text as `date_format(d, "j-n-Y")` and
`date_format(d, "D j b Y")` in the active language (a test compares them). Month names are
lower case, as Dutch writes them (Django's "M" capitalises them: "ma 1 Jan"), and the year is
always there: a deadline or a planned date can fall in the next year.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR


def numeric(day: dt.date) -> str:
    """3-12-2026"""
    return f"{day.day}-{day.month}-{day.year}"


def weekday_short(day: dt.date) -> str:
    """do 3 dec 2026"""
    return f"{WEEKDAYS_ABBR[day.weekday()]} {day.day} {MONTHS_3[day.month]} {day.year}"


def numeric_time(moment: dt.datetime) -> str:
    """3-12-2026 14:05, in local time"""
    local = timezone.localtime(moment)
    return f"{local.day}-{local.month}-{local.year} {local.hour:02}:{local.minute:02}"
