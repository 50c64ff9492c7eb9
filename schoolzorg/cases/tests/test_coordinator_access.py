"""A coordinator from outside the school opens the child's file only with consent or a legal
basis: the rule for everyone named around a child (`consent.relationships.named_cover_q`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.cases import services
from schoolzorg.cases.models import Case
from schoolzorg.consent.models import LegalBasisKind, Purpose
from schoolzorg.consent.services import record_consent, record_legal_basis, withdraw_consent
from schoolzorg.organisations.tests.factories import (
    NeighbourhoodTeamFactory,
    YouthHealthServiceFactory,
)
from schoolzorg.pupils.access import access_basis
from schoolzorg.pupils.models import Pupil

pytestmark = pytest.mark.django_db

REFUSED = "Deze persoon kan geen regisseur zijn: alleen wie de gegevens van Sam mag zien"


@pytest.fixture
def nurse(team, member):
    """The school's youth health nurse: works at the school, but for the JGZ."""
    return member(Role.YOUTH_HEALTH_NURSE, YouthHealthServiceFactory(), school=team.school)


def _consent(team):
    return record_consent(
        team.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=timezone.localdate(),
        guardians=[team.guardian],
        evidence_note="mondeling",
        by=team.ib,
    )


def _sees(user, pupil) -> bool:
    listed = Pupil.objects.visible_to(user).filter(pk=pupil.pk).exists()
    one = access_basis(user, pupil) is not None
    assert listed == one
    return one


def _case(team, coordinator):
    return services.register_concern(
        team.pupil,
        category="absence",
        description="Komt vaak te laat.",
        by=team.ib,
        coordinator=coordinator,
    )


def _concern(coordinator):
    return {
        "category": "behaviour",
        "description": "Huilt vaak in de pauze.",
        "urgency": "normal",
        "coordinator": coordinator.pk,
    }


def test_an_outside_coordinator_without_consent_does_not_see_the_child(team, nurse, client_for):
    case = _case(team, nurse)
    assert not _sees(nurse, team.pupil)
    client = client_for(nurse)
    assert client.get(f"/leerlingen/{team.pupil.pk}/").status_code == 404
    assert client.get(f"/casussen/{case.pk}/").status_code == 404
    assert not Case.objects.visible_to(nurse).exists()


def test_an_outside_coordinator_sees_the_child_while_the_consent_holds(team, nurse, client_for):
    case = _case(team, nurse)
    consent = _consent(team)
    assert _sees(nurse, team.pupil)
    client = client_for(nurse)
    assert client.get(f"/casussen/{case.pk}/").status_code == 200
    withdraw_consent(consent, by=team.ib, on=timezone.localdate(), reason="ouder wil het niet")
    assert not _sees(nurse, team.pupil)
    assert client.get(f"/casussen/{case.pk}/").status_code == 404
    assert client.get(f"/leerlingen/{team.pupil.pk}/").status_code == 404


def test_a_coordinator_at_no_school_needs_consent_too(team, member):
    elsewhere = member(Role.NEIGHBOURHOOD_TEAM_WORKER, NeighbourhoodTeamFactory())
    _case(team, elsewhere)
    assert not _sees(elsewhere, team.pupil)
    _consent(team)
    assert _sees(elsewhere, team.pupil)
    assert access_basis(elsewhere, team.pupil)[0].kind == "case"  # type: ignore[index]


def test_a_legal_basis_for_the_care_team_covers_the_coordinator(team, member):
    worker_team = NeighbourhoodTeamFactory()
    worker = member(Role.NEIGHBOURHOOD_TEAM_WORKER, worker_team)
    _case(team, worker)
    basis = record_legal_basis(
        team.pupil,
        kind=LegalBasisKind.PUBLIC_TASK,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        recipient=NeighbourhoodTeamFactory(),
        reason="Het kind is in gevaar en de ouders zijn niet bereikbaar.",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        by=team.ib,
    )
    assert not _sees(worker, team.pupil)  # names another organisation
    type(basis).objects.filter(pk=basis.pk).update(recipient=worker_team)
    assert _sees(worker, team.pupil)
    type(basis).objects.filter(pk=basis.pk).update(
        valid_from=timezone.localdate() - dt.timedelta(days=9),
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    assert not _sees(worker, team.pupil)


def test_school_staff_coordinator_sees_the_child_without_consent(team, member):
    other_teacher = member(Role.TEACHER, team.school, group="8")
    assert not _sees(other_teacher, team.pupil)
    _case(team, other_teacher)
    assert _sees(other_teacher, team.pupil)
    assert access_basis(other_teacher, team.pupil)[1]  # type: ignore[index]


def test_the_concern_form_offers_and_accepts_an_outside_coordinator_only_with_consent(
    team, nurse, client_for
):
    client = client_for(team.ib)
    url = f"/casussen/melden/{team.pupil.pk}/"
    page = client.get(url).content.decode()
    assert nurse.full_name not in page  # not offered
    assert team.smw.full_name in page  # school staff are
    response = client.post(url, _concern(nurse))
    page = response.content.decode()
    assert response.status_code == 400
    assert REFUSED in page
    assert "Huilt vaak in de pauze." in page  # what was written stays
    assert not Case.objects.exists()
    _consent(team)
    assert nurse.full_name in client.get(url).content.decode()
    assert client.post(url, _concern(nurse)).status_code == 302
    assert Case.objects.get().coordinator == nurse


def test_the_coordinator_form_refuses_an_outside_coordinator_without_consent(
    team, nurse, client_for
):
    case = _case(team, None)
    client = client_for(team.ib)
    assert nurse.full_name not in client.get(f"/casussen/{case.pk}/").content.decode()
    response = client.post(f"/casussen/{case.pk}/regisseur/", {"coordinator": nurse.pk})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    case.refresh_from_db()
    assert case.coordinator is None
    _consent(team)
    assert nurse.full_name in client.get(f"/casussen/{case.pk}/").content.decode()
    assert (
        client.post(f"/casussen/{case.pk}/regisseur/", {"coordinator": nurse.pk}).status_code == 302
    )
    case.refresh_from_db()
    assert case.coordinator == nurse


def test_the_coordinator_form_accepts_school_staff_without_consent(team, client_for):
    case = _case(team, None)
    response = client_for(team.ib).post(
        f"/casussen/{case.pk}/regisseur/", {"coordinator": team.smw.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.coordinator == team.smw
