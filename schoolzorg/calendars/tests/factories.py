from __future__ import annotations

import datetime as dt

import factory

from schoolzorg.calendars import models
from schoolzorg.organisations.tests.factories import SchoolFactory


class PublicHolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PublicHoliday
        django_get_or_create = ("date",)

    date = dt.date(2024, 12, 25)
    name = "Eerste kerstdag"
    is_school_day_off = True


class SchoolHolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SchoolHoliday

    region = "midden"
    source_region = "MI"
    name = "Herfstvakantie"
    start_on = dt.date(2024, 10, 26)
    end_on = dt.date(2024, 11, 3)
    school_year = factory.LazyAttribute(lambda o: models.school_year_of(o.start_on))
    status = models.HolidayStatus.APPROVED


class SchoolClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SchoolClosure

    school = factory.SubFactory(SchoolFactory)
    date = dt.date(2024, 11, 6)
    reason = "Studiedag"
