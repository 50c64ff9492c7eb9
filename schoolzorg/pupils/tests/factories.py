from __future__ import annotations

import datetime as dt

import factory
from faker import Faker

from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils import models

_DUTCH = Faker("nl_NL")


def _plain_last_name() -> str:
    """A Dutch last name without an apostrophe ('s Gravensande, van 't Houteveen): tests find
    the pupil's name on a page as plain text, where the page escapes the apostrophe; escaping
    names has tests of its own (plans, referrals). Drawn at random, such a name failed
    unrelated tests now and then."""
    while "'" in (name := _DUTCH.last_name()):
        pass
    return name


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Family

    name = factory.LazyFunction(_plain_last_name)


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Guardian

    family = factory.SubFactory(FamilyFactory)
    full_name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"ouder{n}@gezin.example")


class PupilFactory(factory.django.DjangoModelFactory):
    """A pupil enrolled at a school (current_school set, with its enrolment row)."""

    class Meta:
        model = models.Pupil
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.LazyFunction(_plain_last_name)
    date_of_birth = dt.date(2016, 5, 17)
    family = factory.SubFactory(FamilyFactory)
    current_school = factory.SubFactory(SchoolFactory)
    current_group = "6"

    @factory.post_generation
    def enrolment(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and self.current_school_id:
            models.Enrolment.objects.create(
                pupil=self,
                school=self.current_school,
                group=self.current_group,
                started_on=dt.date(2022, 8, 1),
            )


def add_guardian(
    pupil: models.Pupil, *, has_authority: bool = True, relation: str = "ouder", **kwargs: object
) -> models.Guardian:
    guardian = GuardianFactory(family=pupil.family, **kwargs)
    models.GuardianLink.objects.create(
        pupil=pupil, guardian=guardian, has_authority=has_authority, relation=relation
    )
    return guardian
