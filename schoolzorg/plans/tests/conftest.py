from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import SchoolFactory, SocialWorkProviderFactory
from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian


@dataclass
class Team:
    school: Any
    pupil: Any
    guardian: Any
    ib: Any
    smw: Any
    provider: Any
    teacher: Any
    outsider: Any


@pytest.fixture
def team(member: Any) -> Team:
    school = SchoolFactory(name="De Regenboog")
    pupil = PupilFactory(first_name="Sam", last_name="Jansen", current_school=school)
    guardian = add_guardian(pupil, full_name="Moeder Jansen")
    provider = SocialWorkProviderFactory()
    return Team(
        school=school,
        pupil=pupil,
        guardian=guardian,
        ib=member(Role.SUPPORT_COORDINATOR, school),
        smw=member(Role.SCHOOL_SOCIAL_WORKER, provider, school=school),
        provider=provider,
        teacher=member(Role.TEACHER, school, group="6"),
        outsider=member(Role.SUPPORT_COORDINATOR, SchoolFactory()),
    )
