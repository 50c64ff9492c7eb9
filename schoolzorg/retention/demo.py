"""Demo retention: pupils who left a demo school three summers ago, whose school files the
sweep has destroyed (the register's first lines, naming nobody), and one open request for early
destruction at the first school (the coordinator's "Mijn werk" and the pupil's page)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.cases.models import Case, Category, Outcome
from schoolzorg.cases.workflow import CaseStatus
from schoolzorg.demo.names import FIRST_NAMES, LAST_NAMES, last_name
from schoolzorg.organisations.models import Organisation
from schoolzorg.pupils.models import Enrolment, Family, Pupil
from schoolzorg.retention import services
from schoolzorg.retention.models import Requester

FORMER_PUPILS_PER_SCHOOL = 2


def seed_demo(ctx: Any) -> None:
    rng, today = ctx.rng, ctx.today
    left_on = dt.date(today.year - 3, 7, 10)  # the summer three years ago: past the 2 years
    for school in ctx.schools[:2]:
        coordinator = ctx.staff[school.pk][Role.SUPPORT_COORDINATOR][0]
        for _ in range(FORMER_PUPILS_PER_SCHOOL):
            surname = last_name(rng.choice(LAST_NAMES))
            pupil = Pupil.objects.create(
                first_name=rng.choice(FIRST_NAMES),
                last_name=surname,
                date_of_birth=dt.date(left_on.year - 12, rng.randint(1, 12), rng.randint(1, 28)),
                family=Family.objects.create(name=surname),
            )
            Enrolment.objects.create(
                pupil=pupil,
                school=school,
                group="8",
                started_on=dt.date(left_on.year - 8, 8, 20),
                ended_on=left_on,
            )
            opened = timezone.make_aware(dt.datetime(left_on.year - 1, 10, 1, 10))
            Case.objects.create(
                pupil=pupil,
                school=school,
                category=rng.choice(list(Category.values)),
                description="Had moeite met de overstap naar groep 8.",
                raised_by=coordinator,
                raised_by_label="intern begeleider",
                coordinator=coordinator,
                status=CaseStatus.CLOSED,
                outcome=Outcome.MOVED,
                opened_at=opened,
                closed_at=opened + dt.timedelta(days=120),
            )
    services.destroy_expired(today)

    # One open request, from the parents of a pupil with a case at the first school.
    school = ctx.schools[0]
    case = Case.objects.filter(school=school, pupil__current_school=school).order_by("pk").first()
    if case is None:
        return
    services.record_request(
        case.pupil,
        Organisation.objects.get(pk=school.pk),
        requester=Requester.GUARDIAN,
        received_on=today - dt.timedelta(days=2),
        note="Moeder belde: ze wil dat het dossier van school nu al wordt vernietigd.",
        by=ctx.staff[school.pk][Role.SUPPORT_COORDINATOR][0],
        form_token=uuid.uuid4(),
    )
