"""A pupil moves while a referral is under way (ADR 0401, "A move"; tester R1).

A draft follows the home district: it is routed again at the move, and again when it is sent;
a page drawn before the move refuses the send (409). A referral the team has keeps its team:
the school side and the team's people hear which district and team the pupil now lives in,
without the child's name, and the referral's page says so.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from schoolzorg.accounts.models import Notification
from schoolzorg.organisations.models import PostcodeArea
from schoolzorg.pupils.services import move_pupil
from schoolzorg.referrals import services
from schoolzorg.referrals.models import Referral, ReferralEvent
from schoolzorg.referrals.tests.factories import (
    COMPLETE_DOCUMENT,
    World,
    draft,
    give_consent,
    make_world,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    world = make_world()
    west = world.other_team.districts.get()
    PostcodeArea.objects.create(postcode="3503AB", district=world.district, municipality=world.town)
    PostcodeArea.objects.create(postcode="3504CD", district=west, municipality=world.town)
    PostcodeArea.objects.create(postcode="3503EF", district=world.district, municipality=world.town)
    return world


def _move_west(world: World) -> list[str]:
    from schoolzorg.pupils.services import _move

    return _move(
        world.pupil, "3504CD", house_number="7", on=timezone.localdate(), by=world.coordinator
    ).told


def test_a_draft_is_routed_again_to_the_team_of_the_new_home_district(world: World) -> None:
    referral = draft(world)
    assert referral.team == world.team
    told = _move_west(world)
    referral.refresh_from_db()
    assert referral.team == world.other_team
    assert (
        referral.routing_note
        == "Woonwijk West (volgens de postcode van het woonadres) → Wijkteam West"
    )
    assert told == [f"Het concept van toeleiding {referral.pk} gaat nu naar Wijkteam West."]
    line = ReferralEvent.objects.get(referral=referral, kind="rerouted")
    assert line.text.endswith("Eerst ging ze naar Wijkteam Oost.")
    # The SMW who writes it hears of it; the one who recorded the move does not.
    note = Notification.objects.get(user=world.smw)
    assert "wijk West in Waterstede" in note.text and "Wijkteam West" in note.text
    assert world.pupil.first_name not in note.text
    assert not Notification.objects.filter(user=world.coordinator).exists()


def test_a_team_chosen_by_hand_stays_and_the_school_is_asked_to_check_it(
    world: World, client_for: Any
) -> None:
    referral = draft(world)
    services.choose_team(referral, world.team, reason="Gezin kent dit team al", by=world.smw)
    _move_west(world)
    referral.refresh_from_db()
    assert (referral.team, referral.pupil_moved_on) == (world.team, timezone.localdate())
    page = client_for(world.smw).get(f"/toeleidingen/{referral.pk}/bewerken/").content.decode()
    assert "verhuisd naar wijk West in Waterstede. Daar werkt Wijkteam West." in page
    assert "Klopt die keuze nog?" in page


def test_a_draft_sent_from_a_page_drawn_before_the_move_is_refused(
    world: World, client_for: Any
) -> None:
    referral = draft(world)
    give_consent(world, recipient=world.other_team)
    client = client_for(world.smw)
    page = client.get(f"/toeleidingen/{referral.pk}/bewerken/")
    assert f'name="seen_team" value="{world.team.pk}"' in page.content.decode()
    _move_west(world)
    sent = {
        **{name: str(value) for name, value in COMPLETE_DOCUMENT.items()},
        **{f"base_{name}": services.fingerprint(v) for name, v in COMPLETE_DOCUMENT.items()},
        "seen_state": "draft",
        "seen_round": "0",
        "seen_team": str(world.team.pk),
        "action": "submit",
    }
    refused = client.post(f"/toeleidingen/{referral.pk}/bewerken/", sent)
    assert refused.status_code == 409
    assert "het wijkteam is veranderd nadat u de pagina opende" in refused.content.decode()
    referral.refresh_from_db()
    assert referral.state == "draft"
    sent["seen_team"] = str(world.other_team.pk)
    assert client.post(f"/toeleidingen/{referral.pk}/bewerken/", sent).status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.team) == ("submitted", world.other_team)


def test_a_route_that_changed_without_the_move_hook_is_shown_and_applied_on_send(
    world: World, client_for: Any
) -> None:
    """The home area changed another way (a postcode table imported again): the draft's page
    says where it will go, and sending takes the route as it is then."""
    referral = draft(world)
    give_consent(world, recipient=world.other_team)
    world.pupil.home_district = world.other_team.districts.get()
    world.pupil.save(update_fields=["home_district"])
    page = client_for(world.smw).get(f"/toeleidingen/{referral.pk}/bewerken/").content.decode()
    assert 'id="route-veranderd"' in page
    assert (
        "De toeleiding ging eerst naar Wijkteam Oost; bij versturen gaat ze naar Wijkteam West."
        in page
    )
    referral = Referral.objects.select_related("pupil", "school", "team").get(pk=referral.pk)
    services.submit_referral(referral, by=world.smw)
    referral.refresh_from_db()
    assert referral.team == world.other_team
    assert ReferralEvent.objects.filter(referral=referral, kind="rerouted").exists()


def test_a_sent_referral_keeps_its_team_and_both_sides_are_told_where_the_pupil_lives(
    world: World, client_for: Any
) -> None:
    referral = submitted(world)
    services.acknowledge_referral(referral, by=world.worker)
    Notification.objects.all().delete()
    told = _move_west(world)
    referral.refresh_from_db()
    assert (referral.team, referral.pupil_moved_on) == (world.team, timezone.localdate())
    assert told == [
        f"Toeleiding {referral.pk} loopt bij Wijkteam Oost. Daar werkt Wijkteam West. De school "
        "en het wijkteam hebben daarvan bericht gekregen."
    ]
    notes = {n.user_id: n.text for n in Notification.objects.all()}
    assert set(notes) == {world.smw.pk, world.worker.pk, world.contact.pk}
    for text in notes.values():
        assert "wijk West in Waterstede" in text and "Wijkteam West" in text
        assert world.pupil.first_name not in text and world.pupil.last_name not in text
    assert "niet uw wijkteam" in notes[world.worker.pk]
    assert ReferralEvent.objects.filter(referral=referral, kind="pupil_moved").exists()

    team_page = client_for(world.worker).get(f"/toeleidingen/{referral.pk}/").content.decode()
    assert 'id="verhuisd"' in team_page
    assert "woont de leerling in wijk West in Waterstede. Daar werkt Wijkteam West" in team_page
    assert "Stuur de toeleiding dan terug naar de school" in team_page
    school_page = client_for(world.smw).get(f"/toeleidingen/{referral.pk}/").content.decode()
    assert "Het wijkteam heeft hiervan bericht gekregen." in school_page


def test_a_move_within_the_team_s_area_tells_nobody(world: World) -> None:
    referral = submitted(world)
    Notification.objects.all().delete()
    move_pupil(world.pupil, "3503EF", on=timezone.localdate(), by=world.coordinator)
    referral.refresh_from_db()
    assert referral.pupil_moved_on is None
    assert not Notification.objects.exists()
