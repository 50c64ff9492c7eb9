"""The team leader or the team's contact person hands a stalled referral to another worker."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from schoolzorg.accounts.models import Notification
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import NeighbourhoodTeamFactory
from schoolzorg.referrals import services
from schoolzorg.referrals.models import Referral
from schoolzorg.referrals.tests.factories import (
    World,
    another_pupil,
    make_world,
    person,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def _acknowledged(world: World, pupil: Any = None) -> Referral:
    referral = submitted(world, pupil=pupil)
    services.acknowledge_referral(referral, by=world.worker)
    return Referral.objects.get(pk=referral.pk)


def _post(client: Any, referral: Referral, worker: Any, **seen: Any) -> Any:
    return client.post(
        reverse("referrals:reassign", args=[referral.pk]),
        {
            "reassign-worker": worker.pk,
            "reassign-seen_state": seen.get("state", referral.state),
            "reassign-seen_round": seen.get("round", referral.round),
            "reassign-seen_worker": seen.get("named", referral.assignee_id or 0),
        },
    )


@pytest.mark.parametrize("who", ["leader", "contact"])
def test_the_leader_or_contact_hands_the_referral_to_a_colleague(world, client_for, who):
    referral = _acknowledged(world)
    client = client_for(getattr(world, who))
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Behandelaar wijzigen" in page
    response = _post(client, referral, world.worker2)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.assignee_id == world.worker2.pk
    assert referral.events.filter(kind="reassign", text__contains="Wendy Wijkteam").exists()
    assert Notification.objects.filter(user=world.worker2, url__contains=str(referral.pk)).exists()


def test_only_the_ladder_hands_it_on_and_only_once_it_has_a_worker(world, client_for):
    fresh = submitted(world)
    leader = client_for(world.leader)
    assert _post(leader, fresh, world.worker2).status_code == 404  # nobody named yet
    referral = _acknowledged(world, pupil=another_pupil(world))
    for user in (world.worker, world.smw, world.desk_user):
        assert _post(client_for(user), referral, world.worker2).status_code == 404
        page = client_for(user).get(reverse("referrals:detail", args=[referral.pk]))
        assert "Behandelaar wijzigen" not in page.content.decode()
    referral.refresh_from_db()
    assert referral.assignee_id == world.worker.pk


def test_a_worker_of_another_team_or_the_same_worker_is_refused_in_dutch(world, client_for):
    referral = _acknowledged(world)
    stranger = person(NeighbourhoodTeamFactory(), Role.NEIGHBOURHOOD_TEAM_WORKER, name="Els Elders")
    leader = client_for(world.leader)
    refused = _post(leader, referral, stranger)
    assert refused.status_code == 400
    assert "Kies een behandelaar uit de lijst." in refused.content.decode()
    same = _post(leader, referral, world.worker)
    assert same.status_code == 400 and "is al de behandelaar" in same.content.decode()
    referral.refresh_from_db()
    assert referral.assignee_id == world.worker.pk


def test_a_screen_from_before_a_colleagues_step_changes_nothing(world, client_for):
    referral = _acknowledged(world)
    seen = {"state": referral.state, "round": referral.round}
    Referral.objects.filter(pk=referral.pk).update(state="handover_planned")
    response = _post(client_for(world.leader), referral, world.worker2, **seen)
    assert response.status_code == 409
    referral.refresh_from_db()
    assert referral.assignee_id == world.worker.pk


def test_a_screen_that_named_the_worker_a_colleague_replaced_saves_nothing(world, client_for):
    """Both open the page naming Wim; the leader hands it to Wendy; the contact person, on the
    old screen, picks the leader: 409, and Wendy stays the worker."""
    referral = _acknowledged(world)
    page = client_for(world.contact).get(reverse("referrals:detail", args=[referral.pk]))
    assert f'name="reassign-seen_worker" value="{world.worker.pk}"' in page.content.decode()
    assert _post(client_for(world.leader), referral, world.worker2).status_code == 302
    response = _post(client_for(world.contact), referral, world.leader, named=world.worker.pk)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft deze toeleiding net gewijzigd; de behandelaar is nu Wendy" in body
    # The page as it is now: the form names Wendy, the contact person's choice is kept.
    assert f'name="reassign-seen_worker" value="{world.worker2.pk}"' in body
    assert f'<option value="{world.leader.pk}" selected>' in body
    referral.refresh_from_db()
    assert referral.assignee_id == world.worker2.pk
    assert referral.events.filter(kind="reassign").count() == 1
    assert not Notification.objects.filter(user=world.leader).exists()


def test_the_same_hand_over_sent_twice_says_it_was_done(world, client_for):
    referral = _acknowledged(world)
    leader = client_for(world.leader)
    assert _post(leader, referral, world.worker2).status_code == 302
    again = _post(leader, referral, world.worker2)
    assert again.status_code == 302
    page = leader.get(again.url).content.decode()
    assert "Dit was al gedaan." in page and "Iemand anders" not in page
    assert referral.events.filter(kind="reassign").count() == 1
    assert (
        Notification.objects.filter(user=world.worker2, url__contains=str(referral.pk)).count() == 1
    )


def test_ones_own_earlier_hand_over_is_not_called_someone_elses(world, client_for):
    """The leader handed it to Wendy, went back and picked Carla on the old screen."""
    referral = _acknowledged(world)
    leader = client_for(world.leader)
    assert _post(leader, referral, world.worker2).status_code == 302
    response = _post(leader, referral, world.contact, named=world.worker.pk)
    assert response.status_code == 409
    body = response.content.decode()
    assert "U heeft de behandelaar intussen zelf gewijzigd; de behandelaar is nu Wendy" in body
    assert "Iemand anders" not in body
    referral.refresh_from_db()
    assert referral.assignee_id == world.worker2.pk
