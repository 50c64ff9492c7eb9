from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from schoolzorg.careteams import models
from schoolzorg.organisations.tests.factories import SchoolFactory


class CareTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CareTeam
        django_get_or_create = ("school", "school_year")

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyFunction(lambda: models.school_year_of(timezone.localdate()))


def add_member(
    team: models.CareTeam,
    user: Any,
    role: str,
    hours: str = "4",
    joined_on: dt.date = dt.date(2020, 1, 1),
) -> models.CareTeamMember:
    return models.CareTeamMember.objects.create(
        team=team, user=user, role=role, hours_per_week=Decimal(hours), joined_on=joined_on
    )
