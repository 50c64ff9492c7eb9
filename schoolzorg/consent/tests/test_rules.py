from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schoolzorg.consent.rules import age_on, parties_for

BORN = dt.date(2010, 6, 15)
GUARDIANS = {1, 2}


def test_under_twelve_all_guardians_with_authority_decide_and_the_pupil_does_not() -> None:
    parties = parties_for(BORN, dt.date(2022, 6, 14), GUARDIANS)  # day before 12th birthday
    assert (parties.age, parties.pupil, parties.guardian_ids) == (11, False, frozenset(GUARDIANS))
    assert not parties.is_complete(pupil_agreed=True, guardian_ids={1})
    assert parties.is_complete(pupil_agreed=False, guardian_ids={1, 2})


def test_on_twelfth_birthday_pupil_and_guardians_must_agree() -> None:
    parties = parties_for(BORN, dt.date(2022, 6, 15), GUARDIANS)
    assert (parties.age, parties.pupil, parties.guardians_required) == (12, True, True)
    assert not parties.is_complete(pupil_agreed=False, guardian_ids={1, 2})
    assert not parties.is_complete(pupil_agreed=True, guardian_ids={1})
    assert parties.is_complete(pupil_agreed=True, guardian_ids={1, 2})


def test_day_before_sixteenth_birthday_guardians_still_needed() -> None:
    parties = parties_for(BORN, dt.date(2026, 6, 14), GUARDIANS)
    assert parties.age == 15 and parties.guardians_required
    assert not parties.is_complete(pupil_agreed=True, guardian_ids=set())


def test_on_sixteenth_birthday_the_pupil_alone_decides() -> None:
    parties = parties_for(BORN, dt.date(2026, 6, 15), GUARDIANS)
    assert (parties.age, parties.pupil, parties.guardians_required) == (16, True, False)
    assert parties.is_complete(pupil_agreed=True, guardian_ids=set())
    assert not parties.is_complete(pupil_agreed=False, guardian_ids={1, 2})


def test_leap_day_child_turns_twelve_on_first_of_march_in_a_common_year() -> None:
    born = dt.date(2012, 2, 29)
    assert parties_for(born, dt.date(2024, 2, 28), GUARDIANS).age == 11
    assert parties_for(born, dt.date(2024, 2, 29), GUARDIANS).age == 12  # leap year: own day
    assert age_on(born, dt.date(2023, 2, 28)) == 10
    assert age_on(born, dt.date(2023, 3, 1)) == 11


def test_leap_day_child_turns_sixteen_on_first_of_march() -> None:
    born = dt.date(2008, 2, 29)
    assert parties_for(born, dt.date(2024, 2, 28), GUARDIANS).guardians_required
    assert parties_for(born, dt.date(2024, 2, 29), GUARDIANS).guardians_required is False
    born = dt.date(2004, 2, 29)
    assert parties_for(born, dt.date(2020, 2, 29), GUARDIANS).age == 16
    born = dt.date(2012, 2, 29)
    assert parties_for(born, dt.date(2028, 2, 28), GUARDIANS).age == 15
    assert parties_for(born, dt.date(2027, 3, 1), GUARDIANS).age == 15


def test_under_sixteen_without_any_guardian_with_authority_is_never_complete() -> None:
    parties = parties_for(BORN, dt.date(2020, 1, 1), set())
    assert not parties.is_complete(pupil_agreed=True, guardian_ids=set())
    assert "geen ouder met gezag" in parties.missing(pupil_agreed=True, guardian_ids=set())[0]


def test_missing_names_the_guardians_who_did_not_agree() -> None:
    parties = parties_for(BORN, dt.date(2020, 1, 1), GUARDIANS)
    missing = parties.missing(pupil_agreed=False, guardian_ids={1}, names={2: "Vader Jansen"})
    assert missing == ["Vader Jansen"]


@given(
    born=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2020, 12, 31)),
    days=st.integers(min_value=0, max_value=365 * 20),
)
def test_age_never_decreases_and_rules_follow_age(born: dt.date, days: int) -> None:
    day = born + dt.timedelta(days=days)
    age = age_on(born, day)
    assert age >= 0 and age_on(born, day + dt.timedelta(days=1)) >= age
    parties = parties_for(born, day, GUARDIANS)
    assert parties.pupil == (age >= 12)
    assert parties.guardians_required == (age < 16)


@pytest.mark.parametrize(
    ("on", "age"),
    [(dt.date(2022, 6, 14), 11), (dt.date(2022, 6, 15), 12), (dt.date(2026, 6, 15), 16)],
)
def test_age_on_birthdays(on: dt.date, age: int) -> None:
    assert age_on(BORN, on) == age
