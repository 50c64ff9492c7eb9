from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from schoolzorg.careteams.tests.factories import CareTeamFactory
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.meetings import models


class CareMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CareMeeting

    care_team = factory.SubFactory(CareTeamFactory)
    scheduled_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    start_time = dt.time(13, 30)
    end_time = dt.time(15, 0)
    location = "Kamer van de IB-er"


def give_consent(
    pupil: Any,
    by: Any,
    *,
    given_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    withdrawn_on: dt.date | None = None,
) -> Consent:
    """A complete consent to discuss the pupil in the care team."""
    return Consent.objects.create(
        pupil=pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=given_on or timezone.localdate() - dt.timedelta(days=30),
        valid_until=valid_until,
        withdrawn_on=withdrawn_on,
        is_complete=True,
        recorded_by=by,
    )
