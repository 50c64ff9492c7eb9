from __future__ import annotations

import datetime as dt

import pytest

from schoolzorg.calendars.tests.factories import (
    PublicHolidayFactory,
    SchoolClosureFactory,
    SchoolHolidayFactory,
)
from schoolzorg.calendars.workingdays import add_school_days, is_school_day, school_days_between

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


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError):
        is_school_day(FRIDAY, region="oost")
