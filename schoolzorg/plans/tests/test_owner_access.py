"""An owner from outside the school sees the child only with consent or a legal basis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import weekday
from schoolzorg.accounts.roles import Role
from schoolzorg.consent.models import LegalBasisKind, Purpose
from schoolzorg.consent.services import record_consent, record_legal_basis, withdraw_consent
from schoolzorg.organisations.tests.factories import NeighbourhoodTeamFactory
from schoolzorg.plans import services
from schoolzorg.plans.models import Action, Goal
from schoolzorg.pupils.access import access_basis
from schoolzorg.pupils.models import Pupil

pytestmark = pytest.mark.django_db


@pytest.fixture
def part(team):
    return services.start_plan(team.pupil, by=team.ib)


@pytest.fixture
def worker(team, member):
    """A neighbourhood-team worker who works at the school: in the owner list of the plan."""
    return member(Role.NEIGHBOURHOOD_TEAM_WORKER, NeighbourhoodTeamFactory(), school=team.school)


def _give_action(part, owner, by):
    return services.add_action(
        part,
        description="Kennismaking",
        domain="neighbourhood_team",
        owner=owner,
        due_on=weekday(timezone.localdate() + dt.timedelta(days=7)),
        by=by,
    )


def _consent(team, **extra):
    return record_consent(
        team.pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=timezone.localdate(),
        guardians=[team.guardian],
        evidence_note="mondeling",
        by=team.ib,
        **extra,
    )


def _sees(user, pupil) -> bool:
    listed = Pupil.objects.visible_to(user).filter(pk=pupil.pk).exists()
    one = access_basis(user, pupil) is not None
    assert listed == one
    return one


def test_outside_owner_without_consent_does_not_see_the_child(team, part, worker, client_for):
    _give_action(part, worker, team.ib)
    assert not _sees(worker, team.pupil)
    assert client_for(worker).get(f"/leerlingen/{team.pupil.pk}/").status_code == 404


def test_outside_owner_sees_the_child_while_the_consent_holds(team, part, worker, client_for):
    _give_action(part, worker, team.ib)
    consent = _consent(team)
    assert _sees(worker, team.pupil)
    assert client_for(worker).get(f"/leerlingen/{team.pupil.pk}/").status_code == 200
    withdraw_consent(consent, by=team.ib, on=timezone.localdate(), reason="ouder wil het niet")
    assert not _sees(worker, team.pupil)
    assert client_for(worker).get(f"/leerlingen/{team.pupil.pk}/").status_code == 404


def test_outside_owner_without_school_membership_needs_consent_too(team, part, member):
    elsewhere = member(Role.NEIGHBOURHOOD_TEAM_WORKER, NeighbourhoodTeamFactory())
    _give_action(part, elsewhere, team.ib)
    assert not _sees(elsewhere, team.pupil)
    _consent(team)
    assert _sees(elsewhere, team.pupil)
    assert access_basis(elsewhere, team.pupil)[0].kind == "plan"  # type: ignore[index]


def test_an_expired_consent_ends_the_owner_access(team, part, worker):
    _give_action(part, worker, team.ib)
    _consent(team)
    assert _sees(worker, team.pupil)
    from schoolzorg.consent.models import Consent

    Consent.objects.update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    Consent.objects.update(given_on=timezone.localdate() - dt.timedelta(days=10))
    assert not _sees(worker, team.pupil)


def test_a_legal_basis_for_the_care_team_covers_the_owner(team, part, worker):
    _give_action(part, worker, team.ib)
    other_team = NeighbourhoodTeamFactory()
    basis = record_legal_basis(
        team.pupil,
        kind=LegalBasisKind.PUBLIC_TASK,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        recipient=other_team,
        reason="Het kind is in gevaar en de ouders zijn niet bereikbaar.",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + dt.timedelta(days=30),
        by=team.ib,
    )
    assert not _sees(worker, team.pupil)  # names another organisation
    worker_team = worker.memberships.get().organisation
    type(basis).objects.filter(pk=basis.pk).update(recipient=worker_team)
    assert _sees(worker, team.pupil)
    type(basis).objects.filter(pk=basis.pk).update(
        valid_from=timezone.localdate() - dt.timedelta(days=9),
        valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    assert not _sees(worker, team.pupil)


def test_school_staff_owner_sees_the_child_without_consent(team, part, member):
    other_teacher = member(Role.TEACHER, team.school, group="8")
    assert not _sees(other_teacher, team.pupil)
    _give_action(part, other_teacher, team.ib)
    assert _sees(other_teacher, team.pupil)
    assert access_basis(other_teacher, team.pupil)[1]  # type: ignore[index]


def _action_form(part, owner):
    a = f"action-{part.pk}-"
    return {
        a + "description": "Kennismaking met het gezin",
        a + "domain": "neighbourhood_team",
        a + "owner": owner.pk,
        a + "due_on": weekday(timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    }


def _goal_form(part, owner):
    p = f"goal-{part.pk}-"
    return {
        p + "description": "Sam gaat met plezier naar school",
        p + "criterion": "4 van de 5 dagen op tijd",
        p + "owner": owner.pk,
        p + "target_on": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        p + "review_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }


def test_forms_refuse_an_outside_owner_without_consent(team, part, worker, client_for):
    client = client_for(team.ib)
    page = client.get(f"/plannen/{part.plan_id}/").content.decode()
    assert worker.full_name not in page  # the owner lists do not offer them
    assert team.smw.full_name in page  # school staff are offered
    for url, data, model in [
        (f"/plannen/deel/{part.pk}/actie/", _action_form(part, worker), Action),
        (f"/plannen/deel/{part.pk}/doel/", _goal_form(part, worker), Goal),
    ]:
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 400, url
        assert "kan geen eigenaar zijn: alleen wie de gegevens van Sam mag zien" in page
        assert "Sam gaat met plezier" in page or "Kennismaking met het gezin" in page
        assert not model.objects.exists()
    _consent(team)
    assert worker.full_name in client.get(f"/plannen/{part.plan_id}/").content.decode()
    for url, data in [
        (f"/plannen/deel/{part.pk}/actie/", _action_form(part, worker)),
        (f"/plannen/deel/{part.pk}/doel/", _goal_form(part, worker)),
    ]:
        assert client.post(url, data).status_code == 302, url
    assert Action.objects.get().owner == worker and Goal.objects.get().owner == worker


def test_forms_accept_school_staff_as_owner_without_consent(team, part, client_for):
    client = client_for(team.ib)
    response = client.post(f"/plannen/deel/{part.pk}/actie/", _action_form(part, team.smw))
    assert response.status_code == 302
    assert Action.objects.get().owner == team.smw
