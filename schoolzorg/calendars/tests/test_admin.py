"""Feestdag rules in the admin (ADR 0004): a functional administrator of a municipality manages
the rules for their own municipality; rules for all municipalities are a superuser's (tester O3)."""

from __future__ import annotations

import datetime as dt

import pytest

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.calendars.models import PublicHolidayRule
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolBoardFactory

pytestmark = pytest.mark.django_db

RULES = "/beheer/calendars/publicholidayrule/"


def _administrator(organisation, email: str = "beheer@hier.example") -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user(email=email, password="x" * 16, full_name=email, is_staff=True)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=Role.FUNCTIONAL_ADMIN,
        valid_from=dt.date(2020, 1, 1),
    )
    return user


@pytest.fixture
def town(client_for):  # type: ignore[no-untyped-def]
    here = MunicipalityFactory(name="Hierstad", cbs_code="GM9001")
    elsewhere = MunicipalityFactory(name="Elders", cbs_code="GM9002")
    return {
        "here": here,
        "elsewhere": elsewhere,
        "client": client_for(_administrator(here)),
        "nationwide": PublicHolidayRule.objects.create(
            name="Bevrijdingsdag", is_school_day_off=False
        ),
        "far": PublicHolidayRule.objects.create(
            name="Goede vrijdag", municipality=elsewhere, is_school_day_off=True
        ),
    }


def test_a_municipalitys_administrator_makes_goede_vrijdag_a_day_off_for_its_schools(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    assert f'href="{RULES}"' in client.get("/beheer/").content.decode()
    assert client.get(f"{RULES}add/").status_code == 200
    response = client.post(
        f"{RULES}add/",
        {"name": "Goede vrijdag", "municipality": town["here"].pk, "is_school_day_off": "on"},
    )
    assert response.status_code == 302
    rule = PublicHolidayRule.objects.get(municipality=town["here"])
    assert rule.is_school_day_off
    assert (
        client.post(
            f"{RULES}{rule.pk}/change/", {"name": "Goede vrijdag", "municipality": town["here"].pk}
        ).status_code
        == 302
    )
    rule.refresh_from_db()
    assert not rule.is_school_day_off


def test_they_see_the_nationwide_rules_but_change_only_their_own(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    listed = client.get(RULES).content.decode()
    assert "Bevrijdingsdag" in listed and "Elders" not in listed
    nationwide = town["nationwide"]
    assert client.get(f"{RULES}{nationwide.pk}/change/").status_code == 200  # read-only
    client.post(
        f"{RULES}{nationwide.pk}/change/", {"name": "Bevrijdingsdag", "is_school_day_off": "on"}
    )
    nationwide.refresh_from_db()
    assert not nationwide.is_school_day_off
    assert client.get(f"{RULES}{town['far'].pk}/change/").status_code == 302  # not found
    assert client.post(f"{RULES}{nationwide.pk}/delete/", {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("where", ["nationwide", "elsewhere"])
def test_a_rule_for_all_or_another_municipality_is_refused(town, where) -> None:  # type: ignore[no-untyped-def]
    data = {"name": "Goede vrijdag", "is_school_day_off": "on"}
    if where == "elsewhere":
        data["municipality"] = town["elsewhere"].pk
    response = town["client"].post(f"{RULES}add/", data)
    assert response.status_code == 200
    assert 'id="id_municipality_error"' in response.content.decode()
    assert PublicHolidayRule.objects.count() == 2


def test_an_administrator_of_no_municipality_has_no_rules(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(_administrator(SchoolBoardFactory(), "bestuur@hier.example"))
    assert f'href="{RULES}"' not in client.get("/beheer/").content.decode()
    assert client.get(RULES).status_code == 403
    assert client.get(f"{RULES}add/").status_code == 403


def test_a_superuser_sets_a_rule_for_all_municipalities(client_for) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser(email="root@test.example", password="x" * 16)
    response = client_for(root).post(
        f"{RULES}add/", {"name": "Goede vrijdag", "is_school_day_off": "on"}
    )
    assert response.status_code == 302
    assert PublicHolidayRule.objects.get(municipality__isnull=True).is_school_day_off
