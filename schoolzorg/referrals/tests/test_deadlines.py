"""Deadlines across public holidays, school holidays and the turn of the year, on the real calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from schoolzorg.calendars.services import import_public_holidays, import_school_holidays
from schoolzorg.calendars.workingdays import clear_cache
from schoolzorg.referrals import services
from schoolzorg.referrals.deadlines import due_dates, level_dates
from schoolzorg.referrals.models import ServiceNorm, Urgency
from schoolzorg.referrals.services import run_escalations
from schoolzorg.referrals.tests.factories import draft, make_world, submitted

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


# Monday in the summer holiday of the middle region (19 July - 31 August 2025).
SUMMER_MONDAY = dt.date(2025, 7, 28)


def test_a_normal_referral_sent_in_the_summer_holiday_waits_for_the_school(
    real_calendar: None,
) -> None:
    dues = due_dates(_school("midden"), SUMMER_MONDAY, ServiceNorm(), Urgency.NORMAL)
    assert dues["acknowledge_due_on"] == dt.date(2025, 9, 2)


def test_a_direct_referral_counts_every_day_and_is_acknowledged_the_next(
    real_calendar: None,
) -> None:
    school = _school("midden")
    dues = due_dates(school, SUMMER_MONDAY, ServiceNorm(), Urgency.URGENT)
    assert dues == {
        "acknowledge_due_on": dt.date(2025, 7, 29),
        "plan_due_on": dt.date(2025, 7, 30),
        "handover_due_on": dt.date(2025, 7, 31),
        "first_contact_due_on": dt.date(2025, 8, 2),
    }
    assert level_dates(school, dt.date(2025, 7, 29), ServiceNorm(), Urgency.URGENT) == {
        1: dt.date(2025, 7, 30),
        2: dt.date(2025, 7, 30),
        3: dt.date(2025, 7, 31),
        4: dt.date(2025, 8, 1),
    }


def test_a_soon_referral_keeps_the_handover_within_a_week_in_the_holiday(
    real_calendar: None,
) -> None:
    dues = due_dates(_school("midden"), SUMMER_MONDAY, ServiceNorm(), Urgency.SOON)
    assert dues["acknowledge_due_on"] == dt.date(2025, 7, 29)
    assert dues["handover_due_on"] == dt.date(2025, 8, 4)  # five working days


def test_a_shorter_norm_of_the_municipality_stays_for_an_urgent_referral() -> None:
    norm = ServiceNorm(
        hold_handover_days=2,
        level_1_after_days=0,
        level_2_after_days=1,
        level_3_after_days=1,
        level_4_after_days=1,
    )
    assert norm.days_for("hold_handover", Urgency.SOON) == 2
    assert norm.days_for("plan_handover", Urgency.SOON) == 3
    assert norm.level_after_days(Urgency.URGENT) == {1: 0, 2: 1, 3: 1, 4: 1}


def test_a_direct_referral_in_the_summer_holiday_escalates_the_day_after_its_deadline(
    real_calendar: None,
) -> None:
    world = make_world()
    referral = draft(world)
    services.save_draft(referral, {"urgency": Urgency.URGENT}, by=world.smw)
    services.submit_referral(referral, by=world.smw, today=SUMMER_MONDAY)
    assert referral.acknowledge_due_on == dt.date(2025, 7, 29)
    assert run_escalations(dt.date(2025, 7, 29)) == 0
    assert run_escalations(dt.date(2025, 7, 30)) == 2  # the reminder and the contact person
    assert run_escalations(dt.date(2025, 8, 1)) == 2  # the team leader and the municipality
