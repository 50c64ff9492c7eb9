"""Who must consent follows the pupil's age on the day of sharing, not on the consent's date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import DateField, Exists, OuterRef, Value
from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.careteams.models import TeamRole
from schoolzorg.careteams.tests.factories import CareTeamFactory, add_member
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.consent.rules import age_on, born_by
from schoolzorg.consent.services import ConsentError, complete_consent, record_consent
from schoolzorg.lib.daterange import add_years
from schoolzorg.meetings.models import AgendaItem
from schoolzorg.meetings.services import NoConsent, place_on_agenda
from schoolzorg.meetings.tests.factories import CareMeetingFactory
from schoolzorg.organisations.tests.factories import SchoolFactory, YouthHealthServiceFactory
from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.tests.factories import PupilFactory, add_guardian
from schoolzorg.referrals.services import has_share_basis
from schoolzorg.referrals.tests.factories import draft, make_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@dataclass
class Child:
    pupil: Any
    guardian: Any
    ib: Any
    nurse: Any
    birthday: dt.date  # the birthday that changed who must agree


def _child(member: Any, *, turns: int, on: dt.date) -> Child:
    """A pupil who turns `turns` on the day `on`, with a guardian, a coordinator and a nurse."""
    school = SchoolFactory(name="De Linde")
    ib = member(Role.SUPPORT_COORDINATOR, school)
    nurse = member(Role.YOUTH_HEALTH_NURSE, YouthHealthServiceFactory(), school=school)
    pupil = PupilFactory(
        first_name="Sem",
        last_name="Visser",
        current_school=school,
        date_of_birth=add_years(on, -turns),
    )
    guardian = add_guardian(pupil, full_name="Vader Visser")
    return Child(pupil, guardian, ib, nurse, on)


def _parents_consent(child: Child, given_on: dt.date, *, pupil_too: bool = False) -> Consent:
    return record_consent(
        child.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=given_on,
        guardians=[child.guardian],
        given_by_pupil=pupil_too,
        evidence_note="Formulier getekend",
        by=child.ib,
    )


def _valid(pupil: Any, day: dt.date) -> bool:
    return Consent.objects.valid_for(pupil, Purpose.DISCUSS_IN_CARE_TEAM, on=day).exists()


def test_parents_consent_for_a_child_of_11_is_not_enough_from_the_12th_birthday(
    member: Any, client_for: Any
) -> None:
    child = _child(member, turns=12, on=TODAY - dt.timedelta(days=5))
    consent = _parents_consent(child, TODAY - dt.timedelta(days=60))
    assert consent.is_complete  # complete for a child of 11, on the day it was given
    assert _valid(child.pupil, child.birthday - dt.timedelta(days=1))
    assert not _valid(child.pupil, child.birthday)
    assert not _valid(child.pupil, TODAY)
    assert consent.status == "niet meer genoeg"
    # The care-team relationship asks the same question for today.
    assert client_for(child.nurse).get(f"/leerlingen/{child.pupil.pk}/").status_code == 404
    page = client_for(child.ib).get(f"/leerlingen/{child.pupil.pk}/").content.decode()
    assert "niet meer genoeg" in page
    assert "Sem is nu 12; ook Sem zelf moet instemmen." in page
    assert f"/toestemming/{consent.pk}/aanvullen/" in page
    form = client_for(child.ib).get(f"/toestemming/leerling/{child.pupil.pk}/nieuw/")
    assert (
        "De leeftijd telt ook op elke dag dat de gegevens gedeeld worden." in form.content.decode()
    )


def test_parents_consent_for_a_child_of_11_is_not_enough_from_16(member: Any) -> None:
    child = _child(member, turns=16, on=TODAY - dt.timedelta(days=5))
    consent = Consent.objects.create(  # given long ago, when the child was 10
        pupil=child.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=add_years(TODAY, -6),
        is_complete=True,
        recorded_by=child.ib,
    )
    assert not _valid(child.pupil, TODAY)
    assert consent.shortfall == "Sem is nu 16 en beslist nu zelf; Sem moet zelf instemmen."


def test_consent_of_pupil_and_parents_at_15_stays_enough_from_16(member: Any) -> None:
    child = _child(member, turns=16, on=TODAY - dt.timedelta(days=5))
    consent = _parents_consent(child, TODAY - dt.timedelta(days=60), pupil_too=True)
    assert consent.is_complete and _valid(child.pupil, TODAY)
    assert consent.status == "geldig"


def test_adding_the_pupils_agreement_mends_the_consent_from_that_day(
    member: Any, client_for: Any
) -> None:
    child = _child(member, turns=12, on=TODAY - dt.timedelta(days=5))
    consent = _parents_consent(child, TODAY - dt.timedelta(days=60))
    client = client_for(child.ib)
    url = f"/toestemming/{consent.pk}/aanvullen/"
    page = client.get(url).content.decode()
    assert "niet meer genoeg: Sem is nu 12; ook Sem zelf moet instemmen." in page
    agreed_on = TODAY - dt.timedelta(days=2)
    response = client.post(url, {"given_by_pupil": "on", "given_on": agreed_on.isoformat()})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.status == "geldig"
    # The consent was in force until the birthday and again from the pupil's agreement; the
    # days between stay without a basis, and the day it was given does not move.
    assert consent.given_on == TODAY - dt.timedelta(days=60)
    assert _valid(child.pupil, child.birthday - dt.timedelta(days=1))
    assert not _valid(child.pupil, agreed_on - dt.timedelta(days=1))
    assert _valid(child.pupil, agreed_on) and _valid(child.pupil, TODAY)
    assert client_for(child.nurse).get(f"/leerlingen/{child.pupil.pk}/").status_code == 200


def test_only_the_pupils_agreement_mends_a_consent_the_pupil_outgrew(member: Any) -> None:
    child = _child(member, turns=12, on=TODAY - dt.timedelta(days=5))
    second = add_guardian(child.pupil, full_name="Moeder Visser")
    consent = record_consent(
        child.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=TODAY - dt.timedelta(days=60),
        guardians=[child.guardian, second],
        evidence_note="Formulier getekend",
        by=child.ib,
    )
    with pytest.raises(ConsentError, match="Vink aan dat Sem toestemming gaf"):
        complete_consent(consent, by=child.ib, on=TODAY, guardians=[second])
    assert consent.status == "niet meer genoeg"


def test_meeting_on_or_after_the_12th_birthday_needs_the_pupils_agreement(member: Any) -> None:
    child = _child(member, turns=12, on=TODAY + dt.timedelta(days=10))
    _parents_consent(child, TODAY - dt.timedelta(days=30))
    team = CareTeamFactory(school=child.pupil.current_school)
    add_member(team, child.ib, TeamRole.SUPPORT_COORDINATOR)
    on_birthday = CareMeetingFactory(care_team=team, scheduled_on=child.birthday)
    with pytest.raises(NoConsent):
        place_on_agenda(on_birthday, pupil=child.pupil, question="Hoe gaat het?", by=child.ib)
    before = CareMeetingFactory(care_team=team, scheduled_on=child.birthday - dt.timedelta(days=1))
    item = place_on_agenda(before, pupil=child.pupil, question="Hoe gaat het?", by=child.ib)
    assert AgendaItem.objects.filter(pk=item.pk).discussable().exists()
    # Moved past the birthday, the item has no basis any more (the meeting day's age counts).
    before.scheduled_on = child.birthday + dt.timedelta(days=7)
    before.save(update_fields=["scheduled_on"])
    assert not AgendaItem.objects.filter(pk=item.pk).discussable().exists()


def test_referral_share_basis_follows_the_age_on_the_day_it_is_sent() -> None:
    world = make_world(consent=False)
    referral = draft(world)
    birthday = TODAY - dt.timedelta(days=3)
    Pupil.objects.filter(pk=world.pupil.pk).update(date_of_birth=add_years(birthday, -12))
    Consent.objects.create(  # the parents agreed when the child was 11
        pupil=world.pupil,
        purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
        recipient=world.team,
        given_on=birthday - dt.timedelta(days=40),
        is_complete=True,
        recorded_by=world.smw,
    )
    assert has_share_basis(referral, birthday - dt.timedelta(days=1))
    assert not has_share_basis(referral, TODAY)


BORN_AND_DAYS = [
    (dt.date(2012, 2, 29), dt.date(2024, 2, 28)),
    (dt.date(2012, 2, 29), dt.date(2024, 2, 29)),
    (dt.date(2012, 2, 29), dt.date(2024, 3, 1)),
    (dt.date(2012, 3, 1), dt.date(2024, 2, 29)),
    (dt.date(2012, 12, 31), dt.date(2024, 12, 30)),
    (dt.date(2012, 12, 31), dt.date(2024, 12, 31)),
    (dt.date(2013, 1, 1), dt.date(2024, 12, 31)),
    (dt.date(2011, 6, 15), dt.date(2024, 6, 14)),
    (dt.date(2011, 6, 15), dt.date(2023, 6, 15)),
]


@pytest.mark.parametrize(("born", "day"), BORN_AND_DAYS)
def test_the_sql_age_rule_is_the_python_rule_for_a_date_and_for_a_column(
    member: Any, born: dt.date, day: dt.date
) -> None:
    ib = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    pupil = PupilFactory(date_of_birth=born)
    Consent.objects.create(
        pupil=pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=born,
        is_complete=True,
        recorded_by=ib,
    )
    under_12 = age_on(born, day) < 12
    assert (born > born_by(day, 12)) is under_12
    assert _valid(pupil, day) is under_12
    # A day from the outer query, as a meeting's day is.
    with_day = Pupil.objects.filter(pk=pupil.pk).annotate(day=Value(day, DateField()))
    found = with_day.annotate(
        ok=Exists(Consent.objects.in_force(OuterRef("day")).filter(pupil_id=OuterRef("pk")))
    ).get()
    assert found.ok is under_12
