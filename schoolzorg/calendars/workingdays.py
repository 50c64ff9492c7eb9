"""Counting school working days: weekends, school holidays, public holidays and study days skipped.

A school working day is a weekday that is not in an approved school holiday of the region, not a
public holiday that is a school day off (see `PublicHolidayRule`), and not one of the school's own
closure days. With an empty region only weekends and public holidays count as days off: a
deadline for an organisation outside school life still skips Christmas.

The days off per region and per school are loaded with a few queries and kept in this process:
single days (public holidays, closures) as a set, school holidays as merged periods (`DaysOff`),
so a holiday of any length costs one entry, and counting jumps over it instead of walking it.
Every change to the calendar raises `CalendarVersion`; each process looks at that counter at most
every `RECHECK_SECONDS` and drops its copy when it moved. A change in this process drops the copy
at once. So a list of a hundred referrals computes its deadlines without a query per row.

`days=0` returns `start` unchanged, even when `start` is not a school day: "within 0 days" means
"today". Negative `days` count back.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F

from schoolzorg.organisations.models import HolidayRegion

RECHECK_SECONDS = 2.0
# No real calendar has a year of days off; a longer search means the data is broken.
_MAX_STEPS = 366 * 2

_REGIONS = frozenset(HolidayRegion.values)


Span = tuple[dt.date, dt.date]


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Periods (first, last day) sorted, with overlapping and adjoining ones joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if end < start:
            continue
        if merged and (start - merged[-1][1]).days <= 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


@dataclass(frozen=True)
class DaysOff:
    """A calendar's days off: single days and periods. `day in days_off` as for a set."""

    days: frozenset[dt.date] = frozenset()
    spans: tuple[Span, ...] = ()
    _starts: tuple[dt.date, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(start for start, _end in self.spans))

    def span_of(self, day: dt.date) -> Span | None:
        """The period that holds `day`, if any."""
        i = bisect.bisect_right(self._starts, day) - 1
        if i >= 0 and self.spans[i][1] >= day:
            return self.spans[i]
        return None

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return day in self.days or self.span_of(day) is not None

    def __or__(self, other: DaysOff) -> DaysOff:
        return DaysOff(self.days | other.days, merge_spans((*self.spans, *other.spans)))


@dataclass
class _Store:
    version: int | None = None
    checked_at: float = 0.0
    region_days: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    # date -> (name, is_school_day_off as imported)
    public: dict[dt.date, tuple[str, bool]] | None = None
    # (name, municipality id or None) -> is_school_day_off
    rules: dict[tuple[str, int | None], bool] | None = None
    # school id -> (municipality id, closure days)
    schools: dict[int, tuple[int | None, frozenset[dt.date]]] = field(default_factory=dict)
    combined: dict[tuple[str, int | None], DaysOff] = field(default_factory=dict)


_store = _Store()
_lock = threading.Lock()
_suspended = threading.local()


def clear_cache() -> None:
    """Forget every loaded calendar in this process."""
    global _store
    with _lock:
        _store = _Store()


def bump_version() -> None:
    """Tell every process the calendar changed; this one forgets its copy at once."""
    from schoolzorg.calendars.models import CalendarVersion

    if getattr(_suspended, "depth", 0):
        _suspended.dirty = True
        return
    if not CalendarVersion.objects.filter(pk=1).update(number=F("number") + 1):
        CalendarVersion.objects.get_or_create(pk=1, defaults={"number": 1})
    clear_cache()
    # Whatever was loaded inside the transaction may be rolled back: forget it again at commit.
    transaction.on_commit(clear_cache)


@contextmanager
def many_changes() -> Iterator[None]:
    """Raise the version once for a run of changes (an import) instead of once per row."""
    _suspended.depth = getattr(_suspended, "depth", 0) + 1
    try:
        yield
    finally:
        _suspended.depth -= 1
        if not _suspended.depth and getattr(_suspended, "dirty", False):
            _suspended.dirty = False
            bump_version()


def _current() -> _Store:
    from schoolzorg.calendars.models import CalendarVersion

    global _store
    store = _store
    now = time.monotonic()
    if now - store.checked_at < RECHECK_SECONDS and store.version is not None:
        return store
    version = CalendarVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    with _lock:
        if _store.version != version:
            _store = _Store(version=version)
        _store.checked_at = now
        return _store


def _region_days(store: _Store, region: str) -> tuple[Span, ...]:
    from schoolzorg.calendars.models import SchoolHoliday

    if region not in store.region_days:
        store.region_days[region] = merge_spans(
            SchoolHoliday.objects.approved().for_region(region).values_list("start_on", "end_on")
        )
    return store.region_days[region]


def _public(
    store: _Store,
) -> tuple[dict[dt.date, tuple[str, bool]], dict[tuple[str, int | None], bool]]:
    from schoolzorg.calendars.models import PublicHoliday, PublicHolidayRule

    if store.public is None or store.rules is None:
        store.public = {
            day: (name, off)
            for day, name, off in PublicHoliday.objects.values_list(
                "date", "name", "is_school_day_off"
            )
        }
        store.rules = {
            (name, municipality_id): off
            for name, municipality_id, off in PublicHolidayRule.objects.values_list(
                "name", "municipality_id", "is_school_day_off"
            )
        }
    return store.public, store.rules


def _school(store: _Store, school_id: int) -> tuple[int | None, frozenset[dt.date]]:
    from schoolzorg.calendars.models import SchoolClosure
    from schoolzorg.organisations.models import School

    if school_id not in store.schools:
        municipality_id = (
            School.objects.filter(pk=school_id).values_list("municipality_id", flat=True).first()
        )
        closures = frozenset(
            SchoolClosure.objects.filter(school_id=school_id).values_list("date", flat=True)
        )
        store.schools[school_id] = (municipality_id, closures)
    return store.schools[school_id]


def prefetch_schools(school_ids: Iterable[int]) -> None:
    """Load the closure days of many schools in two queries, before a list counts deadlines."""
    from schoolzorg.calendars.models import SchoolClosure
    from schoolzorg.organisations.models import School

    store = _current()
    wanted = {pk for pk in school_ids if pk is not None and pk not in store.schools}
    if not wanted:
        return
    closures: dict[int, set[dt.date]] = {pk: set() for pk in wanted}
    for school_id, day in SchoolClosure.objects.filter(school_id__in=wanted).values_list(
        "school_id", "date"
    ):
        closures[school_id].add(day)
    for pk, municipality_id in School.objects.filter(pk__in=wanted).values_list(
        "pk", "municipality_id"
    ):
        store.schools[pk] = (municipality_id, frozenset(closures[pk]))


def public_holiday_is_day_off(
    name: str,
    imported: bool,
    municipality_id: int | None,
    rules: dict[tuple[str, int | None], bool],
) -> bool:
    """A municipality's rule, else the global rule, else the flag the holiday was imported with."""
    if municipality_id is not None and (name, municipality_id) in rules:
        return rules[(name, municipality_id)]
    if (name, None) in rules:
        return rules[(name, None)]
    return imported


def days_off(region: str, school_id: int | None = None) -> DaysOff:
    """Every weekday-independent day off for a region (and school): holidays, feestdagen, closures."""
    if region and region not in _REGIONS:
        raise ValueError(f"Onbekende vakantieregio: {region!r}")
    store = _current()
    key = (region, school_id)
    found = store.combined.get(key)
    if found is not None:
        return found
    municipality_id: int | None = None
    closures: frozenset[dt.date] = frozenset()
    if school_id is not None:
        municipality_id, closures = _school(store, school_id)
    public, rules = _public(store)
    off = {
        day
        for day, (name, imported) in public.items()
        if public_holiday_is_day_off(name, imported, municipality_id, rules)
    }
    result = DaysOff(frozenset(off | closures), _region_days(store, region) if region else ())
    store.combined[key] = result
    return result


def is_school_day(day: dt.date, *, region: str, school_id: int | None = None) -> bool:
    """Whether the school (or, without one, any school in the region) is open on `day`."""
    return day.weekday() < 5 and day not in days_off(region, school_id)


def closed_because(day: dt.date, *, region: str, school_id: int | None = None) -> list[str]:
    """Why the school is closed on `day`, as names a person knows; empty on a school day.

    In the order weekend, public holiday, school holiday, the school's own day off: "weekend",
    "Eerste kerstdag", "Kerstvakantie", "Studiedag". For a message that refuses a date, so it
    may cost a query or two; it agrees with `is_school_day` (a test holds it to that).
    """
    from schoolzorg.calendars.models import SchoolClosure, SchoolHoliday

    off = days_off(region, school_id)  # checks the region, loads what is cached
    reasons: list[str] = []
    if day.weekday() >= 5:
        reasons.append("weekend")
    store = _current()
    public, rules = _public(store)
    municipality_id = _school(store, school_id)[0] if school_id is not None else None
    holiday = public.get(day)
    if holiday is not None and public_holiday_is_day_off(*holiday, municipality_id, rules):
        reasons.append(holiday[0])
    if region and off.span_of(day) is not None:
        reasons.extend(
            SchoolHoliday.objects.approved()
            .for_region(region)
            .filter(start_on__lte=day, end_on__gte=day)
            .order_by("start_on")
            .values_list("name", flat=True)
        )
    if school_id is not None and day in _school(store, school_id)[1]:
        reasons.extend(
            SchoolClosure.objects.filter(school_id=school_id, date=day).values_list(
                "reason", flat=True
            )
        )
    return list(dict.fromkeys(reasons))


NO_SCHOOL_DAY = "Geen schooldag gevonden binnen twee jaar; controleer de kalender."


@dataclass(frozen=True)
class ClosedWords:
    """How a refusal of a closed day speaks: "Op <dag> {closed} (…). Kies een {pick}. De eerste
    {first} daarna is <dag>." """

    closed: str
    pick: str
    first: str


# A day the school is closed (a meeting, a handover at school, an action of the school).
SCHOOL_CLOSED = ClosedWords("is de school dicht", "schooldag", "schooldag")
# A day nobody works (weekend, public holiday): the neighbourhood team works in the school
# holidays, so only those count for its work (an empty region, no school).
NOT_A_WORKING_DAY = ClosedWords("is het geen werkdag", "werkdag", "werkdag")


def closed_day_refusal(
    day: dt.date, *, region: str, school_id: int | None = None, words: ClosedWords
) -> str:
    """Why `day` cannot be chosen ("" when it can), with the first open day after it named.

    The one sentence every date field refuses a closed day with: planning and moving a care
    meeting, a warm handover, the due day of a plan action or a meeting decision. The region
    and school say which calendar (an empty region: weekends and public holidays only).
    """
    from django.utils.formats import date_format

    reasons = closed_because(day, region=region, school_id=school_id)
    if not reasons:
        return ""
    text = (
        f"Op {date_format(day, 'l j F Y')} {words.closed} ({', '.join(reasons)}). "
        f"Kies een {words.pick}."
    )
    try:
        after = add_school_days(day, 1, region=region, school_id=school_id)
    except ValueError:
        return text
    return f"{text} De eerste {words.first} daarna is {date_format(after, 'l j F Y')}."


def school_closed_refusal(school: Any, day: dt.date) -> str:
    """Why the school is closed on `day`, with its first school day after it; "" when open."""
    return closed_day_refusal(
        day, region=school.effective_holiday_region, school_id=school.pk, words=SCHOOL_CLOSED
    )


def working_day_refusal(day: dt.date) -> str:
    """Why `day` is no working day (weekend, public holiday), with the next one; "" when it is."""
    return closed_day_refusal(day, region="", words=NOT_A_WORKING_DAY)


def add_school_days(
    start: dt.date, days: int, *, region: str, school_id: int | None = None
) -> dt.date:
    """The date `days` school working days after `start` (start itself not counted)."""
    off = days_off(region, school_id)
    forward = days >= 0
    remaining = abs(days)
    day = start
    last_open = start  # a school day, or where the search began
    try:
        while remaining:
            day += dt.timedelta(days=1 if forward else -1)
            span = off.span_of(day)
            if span is not None:  # a holiday: go to its edge in one step
                day = span[1] if forward else span[0]
            elif day.weekday() < 5 and day not in off.days:
                remaining -= 1
                last_open = day
            if abs((day - last_open).days) > _MAX_STEPS:
                raise ValueError(NO_SCHOOL_DAY)
    except OverflowError as exc:  # a holiday up to the end of the calendar
        raise ValueError(NO_SCHOOL_DAY) from exc
    return day


def school_days_left(
    due_on: dt.date,
    *,
    region: str,
    school_id: int | None = None,
    today: dt.date | None = None,
) -> int:
    """School days from today until `due_on`; 0 on the day itself, negative when overdue."""
    from django.utils import timezone

    return school_days_between(
        today or timezone.localdate(), due_on, region=region, school_id=school_id
    )


def school_days_between(
    start: dt.date, end: dt.date, *, region: str, school_id: int | None = None
) -> int:
    """School working days after `start` up to and including `end`; negative when end < start."""
    if end < start:
        return -school_days_between(end, start, region=region, school_id=school_id)
    off = days_off(region, school_id)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        span = off.span_of(day)
        if span is not None:  # a holiday counts no day: jump to its last day
            day = min(span[1], end)
        elif day.weekday() < 5 and day not in off.days:
            count += 1
    return count
