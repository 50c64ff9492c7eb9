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
    assert route.reason == "Woonwijk Oost (volgens de postcode van het woonadres) → Wijkteam Oost"
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
    assert route.reason == (
        "De postcode van het woonadres staat niet in de postcodetabel. Kies zelf het wijkteam."
    )


def test_the_reason_names_no_full_postcode_at_most_its_area() -> None:
    """The reason is stored on the referral and its timeline, which the team keeps after the
    ground for sharing ended and the service desk reads: a full postcode is part of the home
    address, the pupil's file (tester W1)."""
    world = make_world()
    assert "3503" not in route_for(world.pupil, world.school).reason
    world.pupil.home_district = None
    reason = route_for(world.pupil, world.school).reason
    assert "niet bekend (volgens de postcode van het woonadres)" in reason
    assert "3503" not in reason
    world.pupil.home_postcode, world.pupil.home_precision = "3503", "pc4"
    assert "(afgeleid uit postcodegebied 3503)" in route_for(world.pupil, world.school).reason


def test_the_migration_takes_the_full_postcode_out_of_stored_routes() -> None:
    from importlib import import_module

    from django.apps import apps

    from schoolzorg.referrals.models import Referral, ReferralEvent

    migration = import_module("schoolzorg.referrals.migrations.0008_route_without_postcode")
    world = make_world()
    referral = draft(world)
    old = "Woonwijk Oost (op postcode 3503 AB) → Wijkteam Oost"
    Referral.objects.filter(pk=referral.pk).update(routing_note=old)
    created = referral.events.get(kind="created")
    ReferralEvent.objects.filter(pk=created.pk).update(text=f"Concept gemaakt. Route: {old}")
    unknown = ReferralEvent.objects.create(
        referral=referral,
        kind="rerouted",
        text="Wijkteam opnieuw bepaald: Postcode 9999 ZZ is niet bekend. Kies zelf het "
        "wijkteam. Eerst ging ze naar Wijkteam Oost.",
    )
    own_words = ReferralEvent.objects.create(
        referral=referral, kind="team_chosen", text="Reden: (op postcode 3503 AB) zelf"
    )
    pc4 = "Woonwijk Oost (afgeleid uit postcodegebied 3503) → Wijkteam Oost"
    other = draft(world)
    Referral.objects.filter(pk=other.pk).update(routing_note=pc4)

    migration.strip_postcodes(apps, None)

    new = "Woonwijk Oost (volgens de postcode van het woonadres) → Wijkteam Oost"
    assert Referral.objects.get(pk=referral.pk).routing_note == new
    assert ReferralEvent.objects.get(pk=created.pk).text == f"Concept gemaakt. Route: {new}"
    assert ReferralEvent.objects.get(pk=unknown.pk).text == (
        "Wijkteam opnieuw bepaald: De postcode van het woonadres staat niet in de "
        "postcodetabel. Kies zelf het wijkteam. Eerst ging ze naar Wijkteam Oost."
    )
    assert ReferralEvent.objects.get(pk=own_words.pk).text == "Reden: (op postcode 3503 AB) zelf"
    assert Referral.objects.get(pk=other.pk).routing_note == pc4


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
