from __future__ import annotations

import pytest

from schoolzorg.organisations.tests.factories import (
    DistrictFactory,
    MunicipalityFactory,
    NeighbourhoodTeamFactory,
)
from schoolzorg.referrals import services
from schoolzorg.referrals.routing import route_for
from schoolzorg.referrals.tests.factories import draft, make_world

pytestmark = pytest.mark.django_db


def test_pupil_in_town_goes_to_the_team_of_the_home_district_with_the_reason() -> None:
    world = make_world()
    route = route_for(world.pupil, world.school)
    assert route.team == world.team
    assert route.reason == "Woonwijk Oost (op postcode 3503 AB) → Wijkteam Oost"
    assert route.warning == ""


def test_pupil_outside_the_municipality_goes_to_the_team_there_with_a_warning() -> None:
    world = make_world()
    elsewhere = MunicipalityFactory(name="Buurdorp")
    district = DistrictFactory(municipality=elsewhere, name="Centrum")
    team = NeighbourhoodTeamFactory(
        municipality=elsewhere, name="Wijkteam Buurdorp", districts=[district]
    )
    world.pupil.home_municipality = elsewhere
    world.pupil.home_district = district
    route = route_for(world.pupil, world.school)
    assert route.team == team
    assert "Buurdorp" in route.warning and "niet in de gemeente van de school" in route.warning


def test_outside_the_municipality_without_a_known_team_requires_a_manual_choice() -> None:
    world = make_world()
    world.pupil.home_municipality = MunicipalityFactory(name="Nergensdorp")
    world.pupil.home_district = None
    route = route_for(world.pupil, world.school)
    assert route.needs_manual_choice
    assert "geen wijkteam bekend in de gemeente Nergensdorp" in route.reason
    assert route.warning == (
        "Let op: deze leerling woont in de gemeente Nergensdorp, niet in de gemeente van de school."
    )


def test_unknown_postcode_requires_a_manual_choice() -> None:
    world = make_world()
    world.pupil.home_district = None
    world.pupil.home_municipality = None
    world.pupil.home_postcode = "9999ZZ"
    world.pupil.home_precision = ""
    route = route_for(world.pupil, world.school)
    assert route.team is None
    assert route.reason == "Postcode 9999 ZZ is niet bekend. Kies zelf het wijkteam."


def test_without_a_team_the_referral_cannot_be_submitted() -> None:
    world = make_world()
    world.pupil.home_district = None
    world.pupil.home_municipality = None
    world.pupil.save()
    referral = draft(world)
    assert referral.team is None
    with pytest.raises(services.ReferralError) as exc:
        services.submit_referral(referral, by=world.smw)
    assert "Kies het wijkteam dat de toeleiding krijgt." in exc.value.messages


def test_override_needs_a_reason_and_is_logged_on_the_timeline() -> None:
    world = make_world()
    referral = draft(world)
    with pytest.raises(services.ReferralError) as exc:
        services.choose_team(referral, world.other_team, reason="  ", by=world.smw)
    assert exc.value.messages == ["Schrijf op waarom u een ander wijkteam kiest."]
    services.choose_team(
        referral, world.other_team, reason="Gezin verhuist volgende week", by=world.smw
    )
    referral.refresh_from_db()
    assert referral.team == world.other_team and referral.is_routing_overridden
    assert referral.events.filter(kind="team_chosen", text__contains="verhuist").exists()


def test_a_returned_referral_sent_elsewhere_is_no_teams_until_it_is_sent_again() -> None:
    from schoolzorg.referrals.models import Referral
    from schoolzorg.referrals.tests.factories import give_consent, submitted

    world = make_world()
    referral = submitted(world)
    services.return_incomplete(referral, by=world.worker, reasons="De hulpvraag ontbreekt.")
    assert Referral.objects.visible_to(world.worker).filter(pk=referral.pk).exists()

    services.choose_team(referral, world.other_team, reason="Het gezin is verhuisd", by=world.smw)
    # The old team returned it, the new one never received it (and has no consent yet).
    assert not Referral.objects.visible_to(world.worker).filter(pk=referral.pk).exists()
    assert not Referral.objects.visible_to(world.other_worker).filter(pk=referral.pk).exists()
    assert Referral.objects.visible_to(world.smw).filter(pk=referral.pk).exists()

    give_consent(world, recipient=world.other_team)
    services.submit_referral(referral, by=world.smw)
    assert Referral.objects.visible_to(world.other_worker).filter(pk=referral.pk).exists()
    assert not Referral.objects.visible_to(world.worker).filter(pk=referral.pk).exists()
