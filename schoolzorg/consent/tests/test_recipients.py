"""A care-team consent that names a receiving organisation opens the file to that one only."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import weekday
from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.careteams.models import TeamRole
from schoolzorg.careteams.tests.factories import CareTeamFactory, add_member
from schoolzorg.consent.models import Purpose
from schoolzorg.consent.relationships import may_be_named, named_among
from schoolzorg.consent.services import record_consent, withdraw_consent
from schoolzorg.meetings.services import FieldRefused, add_decision, place_on_agenda
from schoolzorg.meetings.tests.factories import CareMeetingFactory
from schoolzorg.organisations.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodTeamFactory,
    SchoolFactory,
    ServiceDeskFactory,
    YouthHealthServiceFactory,
)
from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian

pytestmark = pytest.mark.django_db


@dataclass
class Team:
    school: Any
    neighbourhood_team: Any
    ib: Any
    nurse: Any
    worker: Any
    pupil: Any
    guardian: Any


@pytest.fixture
def team(member: Any) -> Team:
    school = SchoolFactory(name="De Wilg")
    wijk = NeighbourhoodTeamFactory(name="Wijkteam Noord")
    ib = member(Role.SUPPORT_COORDINATOR, school)
    nurse = member(Role.YOUTH_HEALTH_NURSE, YouthHealthServiceFactory(), school=school)
    worker = member(Role.NEIGHBOURHOOD_TEAM_WORKER, wijk, school=school)
    pupil = PupilFactory(first_name="Lotte", last_name="Bakker", current_school=school)
    guardian = add_guardian(pupil, full_name="Moeder Bakker")
    return Team(school, wijk, ib, nurse, worker, pupil, guardian)


def _consent(team: Team, *, recipient: Any = None, days_ago: int = 10) -> Any:
    return record_consent(
        team.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        recipient=recipient,
        given_on=timezone.localdate() - dt.timedelta(days=days_ago),
        guardians=[team.guardian],
        evidence_note="Mondeling in het oudergesprek",
        by=team.ib,
    )


def _owner_options(response: Any, item: Any) -> list[str]:
    """The names the decision form of this agenda item offers as owner."""
    select = re.search(
        rf'<select[^>]*name="d{item.pk}-owner".*?</select>', response.content.decode(), re.S
    )
    assert select is not None
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def _sees(client_for: Any, user: Any, pupil: Any) -> tuple[int, int]:
    client = client_for(user)
    page = client.get(f"/leerlingen/{pupil.pk}/").status_code
    api = client.get(f"/api/v1/leerlingen/{pupil.pk}/").status_code
    return page, api


def test_consent_for_the_neighbourhood_team_does_not_open_the_file_to_the_nurse(
    team: Team, client_for: Any
) -> None:
    _consent(team, recipient=team.neighbourhood_team)
    assert _sees(client_for, team.nurse, team.pupil) == (404, 404)
    assert not Pupil.objects.visible_to(team.nurse).filter(pk=team.pupil.pk).exists()
    assert _sees(client_for, team.worker, team.pupil) == (200, 200)
    read = AccessLogEntry.objects.filter(user_id=team.worker.pk, pupil_id=team.pupil.pk).first()
    assert read is not None and read.basis == "care_team_consent"
    assert read.organisation_id == team.neighbourhood_team.pk


def test_consent_naming_no_organisation_opens_the_file_to_the_whole_care_team(
    team: Team, client_for: Any
) -> None:
    _consent(team)
    assert _sees(client_for, team.nurse, team.pupil) == (200, 200)
    assert _sees(client_for, team.worker, team.pupil) == (200, 200)


def test_withdrawing_the_general_consent_leaves_only_the_named_team(
    team: Team, client_for: Any
) -> None:
    general = _consent(team, days_ago=20)
    _consent(team, recipient=team.neighbourhood_team)
    assert _sees(client_for, team.nurse, team.pupil) == (200, 200)
    withdraw_consent(general, by=team.ib, on=timezone.localdate(), reason="Ouders willen minder")
    assert _sees(client_for, team.nurse, team.pupil) == (404, 404)
    assert _sees(client_for, team.worker, team.pupil) == (200, 200)


def test_plan_owner_cover_follows_the_organisation_the_consent_names(team: Team) -> None:
    _consent(team, recipient=team.neighbourhood_team)
    assert may_be_named(team.worker, team.pupil)
    assert not may_be_named(team.nurse, team.pupil)


def test_a_named_coordinator_whose_school_role_ended_is_not_covered_by_a_care_team_consent(
    team: Team, member: Any, client_for: Any
) -> None:
    """A school's own people count only at their own school: a former IB-er, still named
    coordinator and now a teacher at another school, opens nothing through a consent for the
    care team (tester finding)."""
    from schoolzorg.cases.tests.factories import CaseFactory

    _consent(team)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    former = member(Role.SUPPORT_COORDINATOR, team.school, valid_until=yesterday)
    member(Role.TEACHER, SchoolFactory(name="Het Kompas"), group="5", user=former)
    case = CaseFactory(pupil=team.pupil, raised_by=team.ib, coordinator=former)

    assert not may_be_named(former, team.pupil)
    assert named_among([former, team.nurse], team.pupil) == [team.nurse]
    assert _sees(client_for, former, team.pupil) == (404, 404)
    assert client_for(former).get(f"/casussen/{case.pk}/").status_code == 404
    # The nurse serves the school's care team: the same consent covers her.
    assert may_be_named(team.nurse, team.pupil)


def test_a_care_team_consent_does_not_cover_someone_outside_the_care_team(
    team: Team, member: Any
) -> None:
    """Only the kinds of organisation a care-team consent can name are covered by it
    (`CARE_TEAM_KINDS`, the recipients' rule too): not a municipality's analyst, not the service
    desk, whatever role they are given."""
    _consent(team)
    analyst = member(Role.MUNICIPAL_ANALYST, MunicipalityFactory())
    desk = member(Role.SERVICE_DESK_COORDINATOR, ServiceDeskFactory())
    assert not may_be_named(analyst, team.pupil) and not may_be_named(desk, team.pupil)
    assert named_among([analyst, desk, team.nurse], team.pupil) == [team.nurse]


def test_named_among_agrees_with_may_be_named_in_two_queries_however_many_people(
    team: Team, member: Any
) -> None:
    _consent(team, recipient=team.neighbourhood_team)
    others = [
        member(Role.NEIGHBOURHOOD_TEAM_WORKER, team.neighbourhood_team, school=team.school)
        for _ in range(3)
    ] + [member(Role.YOUTH_HEALTH_NURSE, YouthHealthServiceFactory(), school=team.school)]
    teacher = member(Role.TEACHER, team.school, group="6")
    people = [team.ib, team.nurse, team.worker, teacher, *others]

    with CaptureQueriesContext(connection) as few:
        named_among(people[:3], team.pupil)
    with CaptureQueriesContext(connection) as many:
        chosen = named_among(people, team.pupil)

    assert chosen == [u for u in people if may_be_named(u, team.pupil)]
    assert chosen == [team.ib, team.worker, teacher, *others[:3]]
    assert len(few) == len(many) == 2


def test_meeting_item_with_a_consent_for_one_team_is_discussed_only_with_those_it_names(
    team: Team, client_for: Any
) -> None:
    care_team = CareTeamFactory(school=team.school)
    for user, role in (
        (team.ib, TeamRole.SUPPORT_COORDINATOR),
        (team.nurse, TeamRole.YOUTH_HEALTH_NURSE),
        (team.worker, TeamRole.NEIGHBOURHOOD_TEAM_WORKER),
    ):
        add_member(care_team, user, role, hours="2")
    meeting = CareMeetingFactory(care_team=care_team)
    _consent(team, recipient=team.neighbourhood_team)
    # The consent allows discussing the child in the care team: it may go on the agenda.
    item = place_on_agenda(meeting, pupil=team.pupil, question="Wat helpt thuis?", by=team.ib)

    coordinator = client_for(team.ib).get(f"/overleggen/{meeting.pk}/").content.decode()
    assert "Lotte Bakker" in coordinator
    assert "Toestemming alleen voor: Wijkteam Noord" in coordinator
    nurse = client_for(team.nurse).get(f"/overleggen/{meeting.pk}/").content.decode()
    assert "Lotte" not in nurse
    assert "(punt 1). Bij dat punt bent u niet aan tafel." in nurse

    # On the meeting's day, nobody of another organisation can be given an action in the
    # child's plan from the table.
    meeting.scheduled_on = timezone.localdate()
    meeting.save(update_fields=["scheduled_on"])
    item.refresh_from_db()
    offered = _owner_options(client_for(team.ib).get(f"/overleggen/{meeting.pk}/"), item)
    assert team.worker.full_name in offered and team.ib.full_name in offered
    assert team.nurse.full_name not in offered
    with pytest.raises(FieldRefused) as refused:
        add_decision(
            item,
            text="Huisbezoek",
            domain="neighbourhood_team",
            owner=team.nurse,
            due_on=weekday(meeting.scheduled_on + dt.timedelta(days=14)),
            by=team.ib,
            form_token=uuid.uuid4(),
        )
    assert refused.value.field == "owner"
    decision, created = add_decision(
        item,
        text="Huisbezoek",
        domain="neighbourhood_team",
        owner=team.worker,
        due_on=weekday(meeting.scheduled_on + dt.timedelta(days=14)),
        by=team.ib,
        form_token=uuid.uuid4(),
    )
    assert created and decision.owner == team.worker
