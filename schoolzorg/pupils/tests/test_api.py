from __future__ import annotations

import pytest
from django.test import Client

from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.organisations.tests.factories import SchoolFactory
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db


def test_api_detail_returns_pupil_and_logs_the_read(member, client_for):
    pupil = PupilFactory(first_name="Api")
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    response = client_for(ib).get(f"/api/v1/leerlingen/{pupil.pk}/")
    assert response.status_code == 200
    assert response.json()["first_name"] == "Api" and response.json()["full"] is True
    assert AccessLogEntry.objects.filter(pupil_id=pupil.pk, action="view").count() == 1


def test_api_outsider_gets_problem_json_404(member, client_for):
    pupil = PupilFactory()
    outsider = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    response = client_for(outsider).get(f"/api/v1/leerlingen/{pupil.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert not AccessLogEntry.objects.exists()


def test_api_search_requires_a_name_and_returns_only_visible_pupils(member, client_for):
    mine = PupilFactory(last_name="Apizoek")
    PupilFactory(last_name="Apizoek")
    ib = member(Role.SUPPORT_COORDINATOR, mine.current_school)
    client = client_for(ib)
    bad = client.get("/api/v1/leerlingen/")
    assert bad.status_code == 400 and bad.json()["invalid-params"][0]["name"] == "naam"
    found = client.get("/api/v1/leerlingen/", {"naam": "apizoek"}).json()["results"]
    assert [p["id"] for p in found] == [mine.pk]


def test_api_search_refuses_a_nul_character_with_problem_json(member, client_for):
    pupil = PupilFactory()
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    response = client_for(ib).get("/api/v1/leerlingen/", {"naam": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid-params"][0]["name"] == "naam"


def test_api_refuses_anonymous_and_unverified_users(member):
    pupil = PupilFactory()
    assert Client().get(f"/api/v1/leerlingen/{pupil.pk}/").status_code == 401
    ib = member(Role.SUPPORT_COORDINATOR, pupil.current_school)
    half = Client()
    half.force_login(ib)  # password only, no second factor
    assert half.get(f"/api/v1/leerlingen/{pupil.pk}/").status_code == 401
