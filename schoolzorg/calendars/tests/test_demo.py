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
