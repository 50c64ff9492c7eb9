"""Every read-log entry of the case list names the role and organisation it was read in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.cases.tests.factories import CaseFactory
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.plans import services as plan_services
from schoolzorg.pupils.tests.factories import PupilFactory
from schoolzorg.referrals.models import Referral
from schoolzorg.referrals.tests.factories import make_world, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(member):
    world = make_world()
    world.extra["teacher"] = member(Role.TEACHER, world.school, group="6")
    world.pupil.current_group = "6"
    world.pupil.save()
    referral = submitted(world)
    Referral.objects.filter(pk=referral.pk).update(state="acknowledged", assignee=world.worker)
    # A case about the referred pupil, raised by the teacher.
    CaseFactory(pupil=world.pupil, raised_by=world.extra["teacher"])
    # A case the second team worker coordinates, and one where they own an open plan action.
    coordinated = PupilFactory(current_school=world.school)
    CaseFactory(pupil=coordinated, coordinator=world.worker2, raised_by=world.coordinator)
    acted = PupilFactory(current_school=world.school)
    CaseFactory(pupil=acted, raised_by=world.coordinator)
    # The parents agreed to the care team: a coordinator or owner from the team may open the file.
    for pupil in (coordinated, acted):
        Consent.objects.create(
            pupil=pupil,
            purpose=Purpose.DISCUSS_IN_CARE_TEAM,
            is_complete=True,
            given_on=dt.date(2020, 1, 1),
            recorded_by=world.coordinator,
        )
    part = plan_services.start_plan(acted, by=world.coordinator)
    plan_services.add_action(
        part,
        description="Huisbezoek",
        domain="neighbourhood_team",
        owner=world.worker2,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=7)),
        by=world.coordinator,
    )
    return world


@pytest.mark.parametrize(
    "who,shown",
    [("leader", 1), ("worker", 1), ("worker2", 2), ("teacher", 1), ("coordinator", 3)],
)
def test_every_case_list_entry_has_a_role_and_an_organisation(world, client_for, who, shown):
    user = world.extra["teacher"] if who == "teacher" else getattr(world, who)
    response = client_for(user).get("/casussen/")
    assert response.status_code == 200
    entries = list(AccessLogEntry.objects.filter(detail="casuslijst", user_id=user.pk))
    assert len(entries) == shown
    for entry in entries:
        assert entry.role, entry.basis
        assert entry.organisation_id is not None, entry.basis
        assert entry.organisation_label, entry.basis


def test_coordinator_is_logged_in_their_team(world, client_for):
    client_for(world.worker2).get("/casussen/")
    entries = AccessLogEntry.objects.filter(detail="casuslijst", user_id=world.worker2.pk)
    assert {(e.role, e.organisation_id) for e in entries} == {
        (Role.NEIGHBOURHOOD_TEAM_WORKER, world.team.pk)
    }


def test_referral_inbox_entry_names_the_receiving_team(client_for):
    """A worker in two teams is logged in the team the referral was sent to, not the first."""
    from schoolzorg.accounts.models import Membership

    world = make_world()
    submitted(world)
    user = world.other_worker  # member of the other team first
    Membership.objects.create(
        user=user,
        organisation=world.team,
        role=Role.NEIGHBOURHOOD_TEAM_WORKER,
        valid_from=dt.date(2020, 1, 1),
    )
    assert client_for(user).get("/toeleidingen/").status_code == 200
    entries = list(AccessLogEntry.objects.filter(user_id=user.pk, pupil_id=world.pupil.pk))
    assert entries
    assert {(e.role, e.organisation_id) for e in entries} == {
        (Role.NEIGHBOURHOOD_TEAM_WORKER, world.team.pk)
    }


def _timeline_with_meeting_links(world, n):
    from schoolzorg.cases import services as case_services
    from schoolzorg.cases.models import Case, EventKind
    from schoolzorg.meetings.models import CareMeeting
    from schoolzorg.meetings.tests.factories import CareMeetingFactory

    case = Case.objects.get(pupil=world.pupil)
    for _ in range(n):
        later = CareMeeting.objects.count() + 7
        meeting = CareMeetingFactory(
            care_team__school=world.school,
            scheduled_on=timezone.localdate() + dt.timedelta(days=later),
        )
        case_services.add_case_event(
            case,
            kind=EventKind.MEETING_DECISION,
            text="Besluit in het zorgoverleg.",
            by=world.coordinator,
            url=f"/overleggen/{meeting.pk}/",
        )
    return case


def test_timeline_links_only_to_meetings_the_reader_may_open(world, client_for):
    case = _timeline_with_meeting_links(world, 1)
    (event,) = case.events.filter(kind="meeting_decision")
    leader = client_for(world.leader)
    assert leader.get(event.url).status_code == 404
    page = leader.get(f"/casussen/{case.pk}/").content.decode()
    assert "Besluit in het zorgoverleg." in page
    assert f'href="{event.url}"' not in page
    ib_page = client_for(world.coordinator).get(f"/casussen/{case.pk}/").content.decode()
    assert f'href="{event.url}"' in ib_page


def test_timeline_links_keep_the_query_count_fixed(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = _timeline_with_meeting_links(world, 1)
    client = client_for(world.coordinator)
    client.get(f"/casussen/{case.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/casussen/{case.pk}/")
    _timeline_with_meeting_links(world, 9)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(f"/casussen/{case.pk}/")
    assert response.content.decode().count('">Bekijken</a>') == 10
    assert len(one) == len(ten)


def test_the_leaders_list_reads_as_many_queries_for_one_referred_pupil_as_for_three(
    world, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schoolzorg.referrals.tests.factories import another_pupil

    client = client_for(world.leader)
    client.get("/casussen/")
    with CaptureQueriesContext(connection) as one:
        client.get("/casussen/")
    for _ in range(2):
        pupil = another_pupil(world)
        referral = submitted(world, pupil=pupil)
        Referral.objects.filter(pk=referral.pk).update(state="acknowledged")
        CaseFactory(pupil=pupil, raised_by=world.coordinator)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/casussen/")
    shown = AccessLogEntry.objects.filter(detail="casuslijst", user_id=world.leader.pk)
    assert response.status_code == 200 and shown.count() == 1 + 1 + 3
    assert len(three) == len(one)
