"""A small world for referral tests: a town, a district with its team, a school, people, a pupil."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.organisations.models import ServiceDesk
from schoolzorg.organisations.tests.factories import (
    DistrictFactory,
    MunicipalityFactory,
    NeighbourhoodTeamFactory,
    SchoolFactory,
    SocialWorkProviderFactory,
)
from schoolzorg.pupils.tests.factories import PupilFactory
from schoolzorg.referrals import services
from schoolzorg.referrals.models import Referral, ReportingCodeStatus, Urgency

_counter = {"n": 0}

COMPLETE_DOCUMENT: dict[str, Any] = {
    "help_question": "We willen dat het thuis rustiger wordt.",
    "strengths": "Moeder zoekt zelf hulp; goede band met de juf.",
    "concerns": "Veel ruzie thuis, kind slaapt slecht.",
    "already_tried": "- Drie gesprekken met het SMW",
    "severity_summary": "Draaglast hoger dan draagkracht op opvoeding.",
    "child_safety_summary": "Geen acute onveiligheid.",
    "reporting_code_status": ReportingCodeStatus.NOT_APPLICABLE,
    "consent_scope": "Hulpvraag, zorgen en plan; geen schoolresultaten.",
    "urgency": Urgency.NORMAL,
    "proposed_handover": "Gesprek op school met moeder, SMW en wijkteam.",
}


def person(org: Any, role: str, *, school: Any = None, name: str = "") -> User:
    _counter["n"] += 1
    n = _counter["n"]
    user = User.objects.create_user(
        email=f"{role}-{n}@ref.example", password="x" * 12, full_name=name or f"{role} {n}"
    )
    Membership.objects.create(
        user=user,
        organisation=org,
        role=role,
        school=school,
        valid_from=dt.date(2020, 1, 1),
    )
    return user


@dataclass
class World:
    town: Any
    district: Any
    team: Any
    other_team: Any
    school: Any
    pupil: Any
    smw: User
    coordinator: User
    worker: User
    worker2: User
    contact: User
    leader: User
    other_worker: User
    desk_user: User
    extra: dict[str, Any] = field(default_factory=dict)


def make_world(*, consent: bool = True) -> World:
    town = MunicipalityFactory(name="Waterstede")
    district = DistrictFactory(municipality=town, name="Oost")
    other_district = DistrictFactory(municipality=town, name="West")
    team = NeighbourhoodTeamFactory(municipality=town, name="Wijkteam Oost", districts=[district])
    other_team = NeighbourhoodTeamFactory(
        municipality=town, name="Wijkteam West", districts=[other_district]
    )
    school = SchoolFactory(municipality=town, district=district, holiday_region="midden")
    pupil = PupilFactory(
        current_school=school,
        home_postcode="3503AB",
        home_district=district,
        home_municipality=town,
        home_precision="pc6",
    )
    provider = SocialWorkProviderFactory(municipality=town)
    desk = ServiceDesk.objects.create(kind="service_desk", name="Servicepunt", municipality=town)
    world = World(
        town=town,
        district=district,
        team=team,
        other_team=other_team,
        school=school,
        pupil=pupil,
        smw=person(provider, Role.SCHOOL_SOCIAL_WORKER, school=school, name="Sanne SMW"),
        coordinator=person(school, Role.SUPPORT_COORDINATOR, name="Ilse IB"),
        worker=person(team, Role.NEIGHBOURHOOD_TEAM_WORKER, name="Wim Wijkteam"),
        worker2=person(team, Role.NEIGHBOURHOOD_TEAM_WORKER, name="Wendy Wijkteam"),
        contact=person(team, Role.NEIGHBOURHOOD_TEAM_CONTACT, school=school, name="Carla Contact"),
        leader=person(team, Role.TEAM_LEADER, name="Tom Teamleider"),
        other_worker=person(other_team, Role.NEIGHBOURHOOD_TEAM_WORKER, name="Olaf Ander"),
        desk_user=person(desk, Role.SERVICE_DESK_COORDINATOR, name="Jamila Servicepunt"),
    )
    if consent:
        give_consent(world)
        give_handover_consent(world)
    return world


def give_consent(
    world: World, *, recipient: Any = None, on: dt.date | None = None, pupil: Any = None
) -> Consent:
    return Consent.objects.create(
        pupil=pupil or world.pupil,
        purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
        recipient=recipient or world.team,
        is_complete=True,
        # The parents and the pupil: enough whatever age a test gives the pupil.
        given_by_pupil=True,
        given_on=on or dt.date(2020, 1, 1),
        recorded_by=world.smw,
    )


def give_handover_consent(
    world: World, *, recipient: Any = None, on: dt.date | None = None, pupil: Any = None
) -> Consent:
    """A consent for the warm handover with the world's team (planning it needs one)."""
    return Consent.objects.create(
        pupil=pupil or world.pupil,
        purpose=Purpose.WARM_HANDOVER,
        recipient=recipient or world.team,
        is_complete=True,
        given_by_pupil=True,
        given_on=on or dt.date(2020, 1, 1),
        recorded_by=world.smw,
    )


def school_day_from(world: World, day: dt.date) -> dt.date:
    """`day` when the world's school is open then, else its next school day (a handover date)."""
    from schoolzorg.calendars.workingdays import add_school_days, is_school_day

    region, school_id = world.school.effective_holiday_region, world.school.pk
    if is_school_day(day, region=region, school_id=school_id):
        return day
    return add_school_days(day, 1, region=region, school_id=school_id)


def school_day_before(world: World, day: dt.date) -> dt.date:
    """`day` when the world's school is open then, else its last school day before it."""
    from schoolzorg.calendars.workingdays import add_school_days, is_school_day

    region, school_id = world.school.effective_holiday_region, world.school.pk
    if is_school_day(day, region=region, school_id=school_id):
        return day
    return add_school_days(day, -1, region=region, school_id=school_id)


def another_pupil(world: World) -> Any:
    """A second child at the world's school, living in the same district, with consent: a team
    gets one referral per child at a time (ADR 0401), so tests of many referrals use many."""
    pupil = PupilFactory(
        current_school=world.school,
        home_postcode="3503AB",
        home_district=world.district,
        home_municipality=world.town,
        home_precision="pc6",
    )
    give_consent(world, pupil=pupil)
    give_handover_consent(world, pupil=pupil)
    return pupil


def draft(world: World, *, complete: bool = True, pupil: Any = None) -> Referral:
    referral = services.create_referral(pupil or world.pupil, by=world.smw)
    if complete:
        services.save_draft(referral, COMPLETE_DOCUMENT, by=world.smw)
    return referral


def submitted(world: World, *, today: dt.date | None = None, pupil: Any = None) -> Referral:
    referral = draft(world, pupil=pupil)
    services.submit_referral(referral, by=world.smw, today=today)
    return referral
