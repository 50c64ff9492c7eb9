from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schoolzorg.calendars.tests.factories import (
    PublicHolidayFactory,
    SchoolClosureFactory,
    SchoolHolidayFactory,
)
from schoolzorg.calendars.workingdays import (
    add_school_days,
    closed_because,
    is_school_day,
    school_days_between,
    school_days_left,
)

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2024, 10, 25)


def test_zero_days_returns_start_unchanged_even_on_a_weekend() -> None:
    saturday = dt.date(2024, 10, 26)
    assert add_school_days(saturday, 0, region="midden") == saturday


def test_one_day_after_friday_skips_the_weekend() -> None:
    assert add_school_days(dt.date(2024, 10, 4), 1, region="midden") == dt.date(2024, 10, 7)


def test_approved_holiday_of_the_region_is_skipped() -> None:
    SchoolHolidayFactory()
    assert add_school_days(FRIDAY, 1, region="midden") == dt.date(2024, 11, 4)
    assert add_school_days(FRIDAY, 1, region="noord") == dt.date(2024, 10, 28)


def test_pending_holiday_does_not_count() -> None:
    SchoolHolidayFactory(status="pending")
    assert add_school_days(FRIDAY, 1, region="midden") == dt.date(2024, 10, 28)


def test_empty_region_skips_only_weekends_and_public_holidays() -> None:
    SchoolHolidayFactory()
    PublicHolidayFactory(date=dt.date(2024, 10, 28), name="Testdag")
    assert add_school_days(FRIDAY, 1, region="") == dt.date(2024, 10, 29)


def test_school_closure_is_skipped_only_for_that_school() -> None:
    closure = SchoolClosureFactory(date=dt.date(2024, 10, 7))
    monday = dt.date(2024, 10, 7)
    assert not is_school_day(monday, region="midden", school_id=closure.school_id)
    assert is_school_day(monday, region="midden")


def test_between_counts_school_days_after_start_up_to_end() -> None:
    SchoolHolidayFactory()
    assert school_days_between(FRIDAY, dt.date(2024, 11, 8), region="midden") == 5
    assert school_days_between(dt.date(2024, 11, 8), FRIDAY, region="midden") == -5


def test_closed_because_names_every_reason_and_agrees_with_is_school_day() -> None:
    from schoolzorg.calendars.models import PublicHolidayRule

    SchoolHolidayFactory(
        name="Kerstvakantie", start_on=dt.date(2026, 12, 19), end_on=dt.date(2027, 1, 3)
    )
    PublicHolidayFactory(date=dt.date(2026, 12, 25), name="Eerste kerstdag")
    PublicHolidayFactory(date=dt.date(2027, 3, 26), name="Goede vrijdag", is_school_day_off=False)
    closure = SchoolClosureFactory(date=dt.date(2027, 1, 6), reason="Studiedag")
    school = closure.school
    expected = {
        dt.date(2026, 12, 25): ["Eerste kerstdag", "Kerstvakantie"],
        dt.date(2026, 12, 26): ["weekend", "Kerstvakantie"],
        dt.date(2026, 12, 18): [],
        dt.date(2027, 1, 4): [],
        dt.date(2027, 1, 6): ["Studiedag"],
        dt.date(2027, 1, 9): ["weekend"],
        dt.date(2027, 3, 26): [],
    }
    for day, reasons in expected.items():
        found = closed_because(day, region="midden", school_id=school.pk)
        assert found == reasons, day
        assert (not found) == is_school_day(day, region="midden", school_id=school.pk), day
    # Another region has no Kerstvakantie here; another school no study day; a rule counts.
    assert closed_because(dt.date(2026, 12, 24), region="noord") == []
    assert closed_because(dt.date(2027, 1, 6), region="midden") == []
    PublicHolidayRule.objects.create(name="Goede vrijdag", is_school_day_off=True)
    assert closed_because(dt.date(2027, 3, 26), region="") == ["Goede vrijdag"]


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError):
        is_school_day(FRIDAY, region="oost")


# --- Rules for public holidays that are not always a day off ----------------------------------

GOOD_FRIDAY = dt.date(2025, 4, 18)


def test_optional_public_holiday_follows_global_then_municipal_rule() -> None:
    from schoolzorg.calendars.models import PublicHolidayRule

    PublicHolidayFactory(date=GOOD_FRIDAY, name="Goede vrijdag", is_school_day_off=False)
    school = SchoolClosureFactory(date=dt.date(2025, 1, 6)).school
    assert is_school_day(GOOD_FRIDAY, region="midden", school_id=school.pk)
    PublicHolidayRule.objects.create(name="Goede vrijdag", is_school_day_off=True)
    assert not is_school_day(GOOD_FRIDAY, region="midden", school_id=school.pk)
    assert not is_school_day(GOOD_FRIDAY, region="")
    PublicHolidayRule.objects.create(
        name="Goede vrijdag", municipality=school.municipality, is_school_day_off=False
    )
    assert is_school_day(GOOD_FRIDAY, region="midden", school_id=school.pk)
    assert not is_school_day(GOOD_FRIDAY, region="midden")


# --- Cache ----------------------------------------------------------------------------------


def test_many_deadlines_cost_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any,
) -> None:
    SchoolHolidayFactory()
    closure = SchoolClosureFactory()
    with django_assert_max_num_queries(6):
        for n in range(200):
            add_school_days(FRIDAY + dt.timedelta(days=n), 10, region="midden")
            add_school_days(
                FRIDAY + dt.timedelta(days=n), 10, region="midden", school_id=closure.school_id
            )


def test_a_change_made_elsewhere_is_seen_after_the_recheck(monkeypatch: Any) -> None:
    from schoolzorg.calendars import workingdays
    from schoolzorg.calendars.models import CalendarVersion, SchoolHoliday

    holiday = SchoolHolidayFactory()
    assert not is_school_day(dt.date(2024, 10, 28), region="midden")
    # Another process rejects the holiday: no signal here, only the version moves.
    SchoolHoliday.objects.filter(pk=holiday.pk).update(status="rejected")
    CalendarVersion.objects.filter(pk=1).update(number=999)
    assert not is_school_day(dt.date(2024, 10, 28), region="midden")  # still within recheck
    monkeypatch.setattr(workingdays._store, "checked_at", 0.0)
    assert is_school_day(dt.date(2024, 10, 28), region="midden")


# --- Today ----------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 10, 24, 10, 0, tzinfo=dt.UTC), tick=False)
def test_days_left_counts_from_today() -> None:
    SchoolHolidayFactory()
    due = add_school_days(dt.date(2024, 10, 24), 3, region="midden")
    assert due == dt.date(2024, 11, 5)
    assert school_days_left(due, region="midden") == 3
    with time_machine.travel(dt.datetime(2024, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        assert school_days_left(due, region="midden") == 1
    with time_machine.travel(dt.datetime(2024, 11, 7, 10, 0, tzinfo=dt.UTC), tick=False):
        assert school_days_left(due, region="midden") == -2


# --- Properties -----------------------------------------------------------------------------


@pytest.fixture
def calendar_with_holidays() -> int:
    SchoolHolidayFactory()
    SchoolHolidayFactory(
        name="Kerstvakantie", start_on=dt.date(2024, 12, 21), end_on=dt.date(2025, 1, 5)
    )
    PublicHolidayFactory(date=dt.date(2025, 4, 21), name="Tweede paasdag")
    return int(SchoolClosureFactory(date=dt.date(2024, 11, 13)).school_id)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=dt.date(2024, 8, 1), max_value=dt.date(2025, 7, 31)),
    n=st.integers(min_value=0, max_value=120),
    use_school=st.booleans(),
    region=st.sampled_from(["midden", "noord", ""]),
)
def test_counting_back_what_was_added_gives_the_same_number(
    calendar_with_holidays: int, start: dt.date, n: int, use_school: bool, region: str
) -> None:
    school_id = calendar_with_holidays if use_school else None
    end = add_school_days(start, n, region=region, school_id=school_id)
    assert school_days_between(start, end, region=region, school_id=school_id) == n
    assert n == 0 or is_school_day(end, region=region, school_id=school_id)
    back = add_school_days(end, -n, region=region, school_id=school_id)
    assert back <= start


def test_prefetched_schools_cost_no_query_per_school(django_assert_num_queries: Any) -> None:
    from schoolzorg.calendars.workingdays import days_off, prefetch_schools

    closures = [SchoolClosureFactory() for _ in range(5)]
    days_off("midden")  # version, region and public holidays loaded once
    with django_assert_num_queries(2):
        prefetch_schools(c.school_id for c in closures)
    with django_assert_num_queries(0):
        for c in closures:
            assert not is_school_day(c.date, region="midden", school_id=c.school_id)


def test_a_holiday_to_the_end_of_the_calendar_costs_no_day_per_day() -> None:
    import tracemalloc

    SchoolHolidayFactory(start_on=dt.date(2027, 2, 13), end_on=dt.date(9999, 12, 31))
    tracemalloc.start()
    try:
        assert add_school_days(dt.date(2027, 2, 1), 3, region="midden") == dt.date(2027, 2, 4)
        with pytest.raises(ValueError, match="Geen schooldag"):
            add_school_days(dt.date(2027, 2, 10), 5, region="midden")
        assert school_days_between(dt.date(2027, 2, 8), dt.date(9999, 12, 31), region="midden") == 4
        assert not is_school_day(dt.date(5000, 3, 1), region="midden")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # a set of every day to the year 9999 took hundreds of MB


def test_overlapping_and_adjoining_holidays_count_as_one() -> None:
    SchoolHolidayFactory(start_on=dt.date(2024, 10, 26), end_on=dt.date(2024, 10, 30))
    SchoolHolidayFactory(start_on=dt.date(2024, 10, 28), end_on=dt.date(2024, 10, 31))
    SchoolHolidayFactory(start_on=dt.date(2024, 11, 1), end_on=dt.date(2024, 11, 3))
    assert add_school_days(FRIDAY, 1, region="midden") == dt.date(2024, 11, 4)
    assert add_school_days(dt.date(2024, 11, 4), -1, region="midden") == FRIDAY
    assert school_days_between(FRIDAY, dt.date(2024, 11, 4), region="midden") == 1
