"""Deadlines across public holidays, school holidays and the turn of the year, on the real calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from schoolzorg.calendars.services import import_public_holidays, import_school_holidays
from schoolzorg.calendars.workingdays import clear_cache
from schoolzorg.referrals.deadlines import due_dates, level_dates
from schoolzorg.referrals.models import ServiceNorm
from schoolzorg.referrals.services import run_escalations
from schoolzorg.referrals.tests.factories import make_world, submitted

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "data" / "registries" / "vakanties"


@pytest.fixture
def real_calendar() -> None:
    import_public_holidays(DATA / "nl-feestdagen.csv")
    import_school_holidays(DATA / "nl-schoolvakanties.csv")
    clear_cache()


def _school(region: str) -> object:
    from schoolzorg.organisations.tests.factories import SchoolFactory

    return SchoolFactory(holiday_region=region)


@pytest.mark.parametrize(
    ("region", "submitted_on", "acknowledge_due_on"),
    [
        # Autumn holiday of 2024 in the middle region: 26 Oct - 3 Nov.
        ("midden", dt.date(2024, 10, 25), dt.date(2024, 11, 5)),
        # The south had its autumn holiday a week earlier: the same Friday counts normally.
        ("zuid", dt.date(2024, 10, 25), dt.date(2024, 10, 29)),
        # Christmas holiday and New Year: sent on the last Friday of 2024.
        ("midden", dt.date(2024, 12, 20), dt.date(2025, 1, 7)),
        # Whit Monday 2025 (9 June) is a public holiday.
        ("midden", dt.date(2025, 6, 6), dt.date(2025, 6, 11)),
        # Ascension Day 2025 (29 May).
        ("noord", dt.date(2025, 5, 28), dt.date(2025, 6, 2)),
    ],
)
def test_acknowledge_deadline_skips_holidays(
    real_calendar: None, region: str, submitted_on: dt.date, acknowledge_due_on: dt.date
) -> None:
    dues = due_dates(_school(region), submitted_on, ServiceNorm())
    assert dues["acknowledge_due_on"] == acknowledge_due_on


def test_first_contact_deadline_runs_over_the_christmas_holiday(real_calendar: None) -> None:
    dues = due_dates(_school("midden"), dt.date(2024, 12, 16), ServiceNorm())
    # 16 Dec + 15 school days: 17-20 Dec (4), then 6 Jan on: 6-10 (9), 13-17 (14), 20 Jan (15).
    assert dues["first_contact_due_on"] == dt.date(2025, 1, 20)


def test_escalation_levels_are_school_days_after_the_due_date(real_calendar: None) -> None:
    levels = level_dates(_school("midden"), dt.date(2024, 12, 20), ServiceNorm())
    assert levels == {
        1: dt.date(2025, 1, 6),
        2: dt.date(2025, 1, 8),
        3: dt.date(2025, 1, 10),
        4: dt.date(2025, 1, 17),
    }


def test_no_escalation_during_the_holiday_even_when_calendar_days_pass(real_calendar: None) -> None:
    world = make_world()
    referral = submitted(world, today=dt.date(2024, 12, 18))  # due Fri 20 Dec
    assert referral.acknowledge_due_on == dt.date(2024, 12, 20)
    assert run_escalations(dt.date(2025, 1, 3)) == 0
    assert run_escalations(dt.date(2025, 1, 6)) == 1


def test_municipality_norm_overrides_the_default(real_calendar: None) -> None:
    world = make_world()
    ServiceNorm.objects.create(municipality=world.town, acknowledge_days=5)
    referral = submitted(world, today=dt.date(2025, 3, 3))
    assert referral.acknowledge_due_on == dt.date(2025, 3, 10)
