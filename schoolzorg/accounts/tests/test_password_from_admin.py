"""A password an administrator set is one they know: its owner chooses their own before
anything else (`User.password_from_admin`, `RequireSecondFactorMiddleware`)."""

from __future__ import annotations

import datetime as dt

import pytest

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

SET_BY_ADMIN = "Door-beheer-gezet-2026"
OWN = "Mijn-eigen-wachtwoord-2027"


@pytest.fixture
def functional_admin():  # type: ignore[no-untyped-def]
    user = User.objects.create_user(
        email="beheer@hier.example", password="x" * 16, full_name="Beheer", is_staff=True
    )
    Membership.objects.create(
        user=user,
        organisation=MunicipalityFactory(),
        role=Role.FUNCTIONAL_ADMIN,
        valid_from=dt.date(2020, 1, 1),
    )
    return user


def _admin_sets_password(client, person: User) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        f"/beheer/accounts/user/{person.pk}/password/",
        {"set_usable_password": "true", "password1": SET_BY_ADMIN, "password2": SET_BY_ADMIN},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_password_set_in_the_admin_must_be_replaced_first(  # type: ignore[no-untyped-def]
    functional_admin, member, client_for
) -> None:
    person = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    assert client_for(person).get("/").status_code == 200  # own password: no detour
    # The functional administrator of the school's municipality manages the account.
    Membership.objects.filter(user=functional_admin).update(
        organisation=person.memberships.get().organisation.municipality
    )
    _admin_sets_password(client_for(functional_admin), person)
    person.refresh_from_db()
    assert person.password_from_admin and person.check_password(SET_BY_ADMIN)

    client = client_for(person)
    for path in ("/", "/casussen/", "/meldingen/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/account/", path
    api = client.get("/api/v1/leerlingen/?naam=a")
    assert api.status_code == 403 and "eigen wachtwoord" in api.json()["title"]
    page = client.get("/account/")
    assert page.status_code == 200
    assert "Kies eerst een eigen wachtwoord." in page.content.decode()

    same = client.post(
        "/account/",
        {
            "action": "wachtwoord",
            "old_password": SET_BY_ADMIN,
            "new_password1": SET_BY_ADMIN,
            "new_password2": SET_BY_ADMIN,
        },
    )
    assert same.status_code == 400
    assert "Kies een ander wachtwoord dan uw huidige." in same.content.decode()

    done = client.post(
        "/account/",
        {
            "action": "wachtwoord",
            "old_password": SET_BY_ADMIN,
            "new_password1": OWN,
            "new_password2": OWN,
        },
    )
    assert done.status_code == 302 and done["Location"] == "/"
    person.refresh_from_db()
    assert not person.password_from_admin and person.check_password(OWN)
    assert client.get("/").status_code == 200
    assert "Kies eerst een eigen wachtwoord." not in client.get("/account/").content.decode()


def test_an_account_made_in_the_admin_chooses_its_own_password_too(client_for) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser(email="root@test.example", password="x" * 16)
    response = client_for(root).post(
        "/beheer/accounts/user/add/",
        {
            "email": "nieuw@hier.example",
            "full_name": "Nieuwe Collega",
            "usable_password": "true",
            "password1": SET_BY_ADMIN,
            "password2": SET_BY_ADMIN,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(email="nieuw@hier.example").password_from_admin


def test_signing_in_with_the_own_password_is_not_detoured(member, client_for) -> None:  # type: ignore[no-untyped-def]
    person = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    assert not person.password_from_admin
    assert client_for(person).get("/account/").status_code == 200
