"""A form sent twice makes one record, and a text has a length (tester U: U1, U6, U9)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schoolzorg.lib import formtokens
from schoolzorg.referrals import services
from schoolzorg.referrals.forms import REASON_MAX, SECTION_MAX
from schoolzorg.referrals.models import Referral
from schoolzorg.referrals.tests.factories import World, draft, make_world
from schoolzorg.referrals.workflow import State

pytestmark = pytest.mark.django_db

Clients = Callable[[Any], Client]


@pytest.fixture
def world() -> World:
    return make_world()


# --- U1: "Concept maken" sent twice -------------------------------------------------------------


def test_starting_a_referral_sent_twice_makes_one_draft_with_the_usual_success(
    world: World, client_for: Clients
) -> None:
    """A double click or the back button sends the start page's token again: the second send
    finds the draft of the first and says what the first said, not "loopt al"."""
    client = client_for(world.smw)
    url = reverse("referrals:start", args=[world.pupil.pk])
    page = client.get(url)
    token = page.context["form"]["form_token"].value()
    assert f'type="hidden" name="form_token" value="{token}"' in page.content.decode()
    first = client.post(url, {"form_token": token})
    second = client.post(url, {"form_token": token}, follow=True)
    referral = Referral.objects.get()
    edit = reverse("referrals:edit", args=[referral.pk])
    assert first.url == edit and second.redirect_chain == [(edit, 302)]
    body = second.content.decode()
    assert "Het concept is gemaakt." in body and "loopt al een toeleiding" not in body
    assert referral.events.filter(kind="created").count() == 1
    # Another start page (a new token) still leads to the draft that is there.
    fresh = client.get(url, follow=True)
    assert fresh.redirect_chain == [(edit, 302)]
    assert Referral.objects.count() == 1


def test_a_start_form_with_a_mangled_token_makes_nothing(world: World, client_for: Clients) -> None:
    url = reverse("referrals:start", args=[world.pupil.pk])
    response = client_for(world.smw).post(url, {"form_token": "geen-token"})
    assert response.status_code == 400
    assert formtokens.INVALID in response.content.decode()
    assert not Referral.objects.exists()


def test_a_start_token_is_the_senders_and_the_pupils_own(world: World) -> None:
    token = uuid.uuid4()
    first = services.create_referral(world.pupil, by=world.smw, form_token=token)
    assert services.create_referral(world.pupil, by=world.smw, form_token=token) == first
    with pytest.raises(services.ReferralError, match="al eens verstuurd"):
        services.create_referral(world.pupil, by=world.coordinator, form_token=token)
    assert Referral.objects.count() == 1


def test_a_start_form_that_lost_the_race_returns_the_first_draft(world: World) -> None:
    """Two sends at the same moment both pass the look-up: the unique token lets one insert
    through and the other finds that draft."""
    token = uuid.uuid4()
    first = services.create_referral(world.pupil, by=world.smw, form_token=token)
    found, new = formtokens.create_once(
        Referral,
        token,
        error=services.ReferralError,
        same={"pupil_id": world.pupil.pk, "created_by_id": world.smw.pk},
        pupil=world.pupil,
        school=world.school,
        created_by=world.smw,
    )
    assert (found, new) == (first, False)
    assert Referral.objects.count() == 1


# --- U9: the same wijkteam chosen twice ---------------------------------------------------------


def test_choosing_the_team_chosen_already_writes_no_second_line(
    world: World, client_for: Clients
) -> None:
    referral = draft(world)
    client = client_for(world.smw)
    url = reverse("referrals:choose_team", args=[referral.pk])
    data = {"team": world.other_team.pk, "reason": "Dubbelklik teamkeuze"}
    data.update(seen_state="draft", seen_round=0)
    client.post(url, data)
    second = client.post(url, data, follow=True)
    body = second.content.decode()
    assert f"De toeleiding ging al naar {world.other_team.name}. Er is niets veranderd." in body
    assert referral.events.filter(kind="team_chosen").count() == 1
    referral.refresh_from_db()
    assert referral.team == world.other_team and referral.override_reason == "Dubbelklik teamkeuze"


def test_the_routed_team_chosen_by_hand_or_again_after_a_move_is_a_choice(world: World) -> None:
    """Not a change only when the team was chosen by hand already and nothing moved since: the
    routed team chosen by hand fixes it, and the same team after a move is chosen knowing it."""
    referral = draft(world)
    services.choose_team(referral, world.team, reason="Gezin kent dit team", by=world.smw)
    with pytest.raises(services.DoneAlready):
        services.choose_team(referral, world.team, reason="Gezin kent dit team", by=world.smw)
    Referral.objects.filter(pk=referral.pk).update(pupil_moved_on=timezone.localdate())
    services.choose_team(referral, world.team, reason="Blijft hetzelfde team", by=world.smw)
    assert referral.events.filter(kind="team_chosen").count() == 2
    referral.refresh_from_db()
    assert referral.pupil_moved_on is None


# --- U6: the document's texts have a length -----------------------------------------------------


def _screen(referral: Referral) -> dict[str, str]:
    stored = Referral.objects.get(pk=referral.pk)
    return {
        f"base_{name}": services.fingerprint(getattr(stored, name))
        for name in services.DOCUMENT_FIELDS
    }


def test_a_section_longer_than_the_limit_is_refused_at_the_field(
    world: World, client_for: Clients
) -> None:
    referral = draft(world, complete=False)
    client = client_for(world.smw)
    url = reverse("referrals:edit", args=[referral.pk])
    page = client.get(url).content.decode()
    assert f'maxlength="{SECTION_MAX}"' in page
    too_long = "Sterk punt." * 1000
    data = {**_screen(referral), "seen_state": "draft", "strengths": too_long}
    response = client.post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        f"Deze tekst is te lang. Schrijf hooguit {SECTION_MAX} tekens (nu {len(too_long)})." in body
    )
    assert 'id="id_strengths_error"' in body
    referral.refresh_from_db()
    assert referral.strengths == ""
    fits = "x" * SECTION_MAX
    assert client.post(url, {**data, "strengths": fits}).status_code == 302
    referral.refresh_from_db()
    assert referral.strengths == fits


@pytest.mark.parametrize("name", sorted(services.DOCUMENT_FIELDS))
def test_the_autosave_refuses_a_section_that_is_too_long(
    world: World, client_for: Clients, name: str
) -> None:
    referral = draft(world, complete=False)
    field = Referral._meta.get_field(name)
    if field.get_internal_type() != "TextField":
        return  # a choice or an assessment's number
    response = client_for(world.smw).post(
        reverse("referrals:autosave", args=[referral.pk]),
        {**_screen(referral), name: "x" * (SECTION_MAX + 1)},
    )
    body = response.content.decode()
    label = str(field.verbose_name)
    assert f"Niet opgeslagen: {label[0].upper()}{label[1:]}: Deze tekst is te lang." in body
    referral.refresh_from_db()
    assert len(getattr(referral, name)) <= SECTION_MAX


def test_a_reason_longer_than_the_limit_is_refused_at_the_field(
    world: World, client_for: Clients
) -> None:
    referral = draft(world)
    response = client_for(world.smw).post(
        reverse("referrals:move", args=[referral.pk, "withdraw"]),
        {
            "withdraw-seen_state": "draft",
            "withdraw-seen_round": "0",
            "withdraw-reason": "x" * (REASON_MAX + 1),
        },
    )
    assert response.status_code == 400
    assert f"Schrijf hooguit {REASON_MAX} tekens" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == State.DRAFT
