from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from schoolzorg.cases import models
from schoolzorg.pupils.tests.factories import PupilFactory


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Case

    pupil = factory.SubFactory(PupilFactory)
    school = factory.LazyAttribute(lambda o: o.pupil.current_school)
    category = models.Category.BEHAVIOUR
    description = "Is vaak boos in de klas en slaapt slecht."
    raised_by: Any = None
    urgency = models.Urgency.NORMAL


def contact(
    case: models.Case, worker: Any, provider: Any, **kwargs: Any
) -> models.SocialWorkContact:
    values: dict[str, Any] = {
        "case": case,
        "school": case.school,
        "worker": worker,
        "provider": provider,
        "contact_on": dt.date.today() - dt.timedelta(days=3),
        "form": models.ContactForm.TALK_PUPIL,
        "with_whom": "leerling",
        "minutes": 45,
    }
    values.update(kwargs)
    return models.SocialWorkContact.objects.create(**values)
