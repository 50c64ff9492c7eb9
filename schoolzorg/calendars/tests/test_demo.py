from __future__ import annotations

import datetime as dt
import random

import pytest

from schoolzorg.calendars.demo import seed_demo
from schoolzorg.calendars.models import SchoolClosure, SchoolHoliday
from schoolzorg.calendars.workingdays import is_school_day
from schoolzorg.demo.context import SeedContext
from schoolzorg.organisations.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_demo_has_real_holidays_and_a_study_day_on_a_school_day() -> None:
    school = SchoolFactory()
    ctx = SeedContext(rng=random.Random(1), today=dt.date(2025, 2, 20), schools=[school])
    seed_demo(ctx)
    assert SchoolHoliday.objects.approved().count() == 160
    assert SchoolHoliday.objects.pending().count() == 2
    closure = SchoolClosure.objects.get(school=school)
    # 6 March 2025: two weeks on, past the spring holiday of the middle region.
    assert closure.date == dt.date(2025, 3, 6)
    assert not is_school_day(closure.date, region="midden", school_id=school.pk)


def test_real_calendar_loads_once_and_sets_municipality_regions() -> None:
    from schoolzorg.calendars.demo import load_real_calendar
    from schoolzorg.organisations.tests.factories import MunicipalityFactory

    rotterdam = MunicipalityFactory(name="Rotterdam", holiday_region="")
    first = load_real_calendar()
    assert "162 schoolvakanties nieuw, 2 te controleren" in first
    rotterdam.refresh_from_db()
    assert rotterdam.holiday_region == "midden"
    assert "0 feestdagen en 0 schoolvakanties nieuw" in load_real_calendar()
