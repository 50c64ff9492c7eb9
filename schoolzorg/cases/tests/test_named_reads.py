"""Pages that name children in passing log each one: "Mijn werk" and the convert page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import weekday
from schoolzorg.accounts.roles import Role
from schoolzorg.assessments import services as assessment_services
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.cases import services
from schoolzorg.cases.models import Case
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.organisations.tests.factories import NeighbourhoodTeamFactory
from schoolzorg.plans import services as plan_services
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _consent(pupil, by):
    Consent.objects.create(
        pupil=pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        is_complete=True,
        given_on=dt.date(2020, 1, 1),
        recorded_by=by,
    )


def _child_with_work(team, worker, n: int):
    """A pupil of the school with an open case the IB-er coordinates, a plan action and a goal
    review for the neighbourhood-team worker (with consent), and the IB-er's draft instrument."""
    pupil = PupilFactory(
        first_name=f"Kind{n}", last_name=f"Achternaam{n}", current_school=team.school
    )
    _consent(pupil, team.ib)
    services.register_concern(
        pupil, category="absence", description="Komt laat.", by=team.ib, coordinator=team.ib
    )
    part = plan_services.start_plan(pupil, by=team.ib)
    soon = weekday(timezone.localdate() + dt.timedelta(days=5))
    plan_services.add_action(
        part,
        description="Huisbezoek",
        domain="neighbourhood_team",
        owner=worker,
        due_on=soon,
        by=team.ib,
    )
    plan_services.add_goal(
        part,
        description="Gaat met plezier naar school",
        criterion="4 van de 5 dagen op tijd",
        owner=worker,
        target_on=timezone.localdate() + dt.timedelta(days=60),
        review_on=soon,
        by=team.ib,
    )
    assessment_services.start_assessment(pupil, "severity", by=team.ib)
    return pupil


@pytest.fixture
def worker(team, member):
    return member(Role.NEIGHBOURHOOD_TEAM_WORKER, NeighbourhoodTeamFactory(), school=team.school)


def _home_entries(user):
    return AccessLogEntry.objects.filter(user_id=user.pk, detail__startswith="mijn werk")


def test_every_pupil_mijn_werk_names_is_logged_with_its_basis(team, worker, client_for):
    pupil = _child_with_work(team, worker, 1)
    page = client_for(team.ib).get("/").content.decode()
    assert "Kind1 Achternaam1" in page
    found = {(e.detail, e.pupil_id, e.basis, e.role) for e in _home_entries(team.ib)}
    assert found == {
        ("mijn werk: casussen", pupil.pk, "membership", Role.SUPPORT_COORDINATOR),
        # The IB-er started the plan, so coordinates it: its reviews are theirs to see to.
        ("mijn werk: evaluaties", pupil.pk, "membership", Role.SUPPORT_COORDINATOR),
        ("mijn werk: instrumenten", pupil.pk, "membership", Role.SUPPORT_COORDINATOR),
    }
    page = client_for(worker).get("/").content.decode()
    assert "Huisbezoek" in page and "Gaat met plezier" in page
    entries = list(_home_entries(worker))
    assert {e.detail for e in entries} == {"mijn werk: acties", "mijn werk: evaluaties"}
    for entry in entries:
        assert entry.pupil_id == pupil.pk
        assert entry.basis == "care_team_consent"
        assert entry.role == Role.NEIGHBOURHOOD_TEAM_WORKER
        assert entry.organisation_id == worker.memberships.get().organisation_id


@pytest.mark.parametrize("who", ["ib", "worker"])
def test_mijn_werk_reads_as_many_queries_for_one_pupil_as_for_three(team, worker, client_for, who):
    user = team.ib if who == "ib" else worker
    _child_with_work(team, worker, 1)
    client = client_for(user)
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for n in (2, 3):
        _child_with_work(team, worker, n)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/")
    assert response.status_code == 200
    assert "Kind3" in response.content.decode()
    last = _home_entries(user).order_by("-at", "-id")[:1].get().at
    assert _home_entries(user).filter(at=last).values("pupil_id").distinct().count() == 3
    assert len(three) == len(one)


def _consultation(team):
    return services.record_consultation(
        school=team.school,
        category="absence",
        summary="Kind komt vaak te laat.",
        held_on=timezone.localdate(),
        participants="IB",
        by=team.ib,
    )


def test_the_convert_page_lists_and_logs_only_the_pupils_a_search_finds(team, client_for):
    consult = _consultation(team)
    _consent(team.pupil, team.ib)  # Sam Jansen
    other = PupilFactory(first_name="Lotte", last_name="de Vries", current_school=team.school)
    _consent(other, team.ib)
    client = client_for(team.ib)
    url = f"/casussen/consulten/{consult.pk}/omzetten/"

    page = client.get(url).content.decode()
    assert "Jansen" not in page and "de Vries" not in page
    assert not AccessLogEntry.objects.filter(user_id=team.ib.pk).exists()

    page = client.get(url, {"zoek": "lotte"}).content.decode()
    assert "Lotte de Vries" in page and "Jansen" not in page
    (entry,) = AccessLogEntry.objects.filter(user_id=team.ib.pk)
    assert (entry.pupil_id, entry.action, entry.detail) == (
        other.pk,
        "search",
        "consult omzetten: zoekresultaat",
    )
    assert (entry.basis, entry.role) == ("membership", Role.SUPPORT_COORDINATOR)

    response = client.post(url, {"zoek": "lotte", "pupil": other.pk, "urgency": "normal"})
    assert response.status_code == 302
    assert Case.objects.get().pupil == other


def test_the_convert_page_finds_no_pupil_without_consent(team, client_for):
    consult = _consultation(team)
    client = client_for(team.ib)
    url = f"/casussen/consulten/{consult.pk}/omzetten/"
    page = client.get(url, {"zoek": "sam"}).content.decode()
    assert "Jansen" not in page
    assert "Geen leerling gevonden met deze naam en geldige toestemming" in page
    response = client.post(url, {"zoek": "sam", "pupil": team.pupil.pk, "urgency": "normal"})
    assert response.status_code == 400
    assert "Kies een leerling uit de zoekresultaten" in response.content.decode()
    assert not Case.objects.exists()
