"""Where a user lands when the step they just took ended their access to the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.accounts import notifications
from schoolzorg.accounts.roles import Role
from schoolzorg.consent.models import Purpose
from schoolzorg.consent.services import record_consent
from schoolzorg.organisations.tests.factories import NeighbourhoodTeamFactory
from schoolzorg.plans import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned_action(team, member):
    worker = member(Role.NEIGHBOURHOOD_TEAM_WORKER, NeighbourhoodTeamFactory())
    # The parents agreed to the care team: a worker from outside the school may own an action.
    record_consent(
        team.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=timezone.localdate(),
        guardians=[team.guardian],
        evidence_note="mondeling",
        by=team.ib,
    )
    part = services.start_plan(team.pupil, by=team.ib)
    action = services.add_action(
        part,
        description="Huisbezoek",
        domain="neighbourhood_team",
        owner=worker,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=7)),
        by=team.ib,
    )
    return worker, part, action


def test_owner_marking_their_only_action_done_lands_on_my_work(owned_action, client_for):
    worker, part, action = owned_action
    client = client_for(worker)
    assert client.get(f"/plannen/{part.plan_id}/").status_code == 200
    response = client.post(
        f"/plannen/actie/{action.pk}/status/", {"expected": "planned", "to": "done"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.status_code == 200
    assert "De actie staat nu op &#x27;gedaan&#x27;." in response.content.decode()


def test_an_editor_still_returns_to_the_plan(owned_action, client_for, team):
    _worker, part, action = owned_action
    response = client_for(team.ib).post(
        f"/plannen/actie/{action.pk}/status/", {"expected": "planned", "to": "done"}
    )
    assert response["Location"] == f"/plannen/{part.plan_id}/#deel-{part.pk}"


def test_a_notification_whose_page_closed_lands_on_the_list(owned_action, client_for):
    worker, part, action = owned_action
    (note,) = notifications.notify([worker], text="Nieuwe actie", url=f"/plannen/{part.plan_id}/")
    services.set_action_status(action, to="done", by=worker)
    response = client_for(worker).get(f"/meldingen/{note.pk}/", follow=True)
    assert response.redirect_chain == [("/meldingen/", 302)]
    assert "U kunt dit niet meer openen." in response.content.decode()
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_notification_still_open_goes_to_its_page(owned_action, client_for):
    worker, part, _action = owned_action
    (note,) = notifications.notify([worker], text="Nieuwe actie", url=f"/plannen/{part.plan_id}/")
    response = client_for(worker).get(f"/meldingen/{note.pk}/")
    assert response["Location"] == f"/plannen/{part.plan_id}/"
