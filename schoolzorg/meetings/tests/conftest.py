from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from schoolzorg.accounts.roles import Role
from schoolzorg.careteams.models import TeamRole
from schoolzorg.careteams.tests.factories import CareTeamFactory, add_member
from schoolzorg.meetings.tests.factories import CareMeetingFactory, give_consent
from schoolzorg.organisations.tests.factories import SchoolFactory, YouthHealthServiceFactory
from schoolzorg.pupils.tests.factories import PupilFactory


@dataclass
class Setting:
    school: Any
    team: Any
    meeting: Any
    ib: Any
    nurse: Any
    pupil: Any
    outsider: Any


@pytest.fixture
def setting(member: Any) -> Setting:
    school = SchoolFactory(name="De Regenboog")
    team = CareTeamFactory(school=school)
    ib = member(Role.SUPPORT_COORDINATOR, school)
    nurse = member(Role.YOUTH_HEALTH_NURSE, YouthHealthServiceFactory(), school=school)
    add_member(team, ib, TeamRole.SUPPORT_COORDINATOR, hours="8")
    add_member(team, nurse, TeamRole.YOUTH_HEALTH_NURSE, hours="2")
    meeting = CareMeetingFactory(care_team=team)
    pupil = PupilFactory(first_name="Sam", last_name="Jansen", current_school=school)
    give_consent(pupil, ib)
    outsider = member(Role.SUPPORT_COORDINATOR, SchoolFactory(name="Andere school"))
    return Setting(school, team, meeting, ib, nurse, pupil, outsider)
