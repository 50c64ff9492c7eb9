"""The functional administrator's part of the Django admin: their own organisations only."""

from __future__ import annotations

import datetime as dt

import pytest

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _person(email: str, organisation, role: str, **kw) -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user(email=email, password="x" * 16, full_name=email)
    Membership.objects.create(
        user=user, organisation=organisation, role=role, valid_from=dt.date(2020, 1, 1), **kw
    )
    return user


@pytest.fixture
def town(client_for):  # type: ignore[no-untyped-def]
    here, elsewhere = MunicipalityFactory(name="Hierstad"), MunicipalityFactory(name="Elders")
    school, far_school = SchoolFactory(municipality=here), SchoolFactory(municipality=elsewhere)
    admin_user = _person("beheer@hier.example", here, Role.FUNCTIONAL_ADMIN)
    admin_user.is_staff = True
    admin_user.save()
    return {
        "school": school,
        "far_school": far_school,
        "ib": _person("ib@hier.example", school, Role.SUPPORT_COORDINATOR),
        "far_ib": _person("ib@elders.example", far_school, Role.SUPPORT_COORDINATOR),
        "client": client_for(admin_user),
    }


def test_the_admin_shows_a_functional_administrator_accounts_and_organisations(town) -> None:  # type: ignore[no-untyped-def]
    page = town["client"].get("/beheer/").content.decode()
    assert "/beheer/accounts/user/" in page and "/beheer/accounts/membership/" in page
    assert "/beheer/organisations/school/" in page
    assert "geen rechten" not in page
    assert "/beheer/auditlog/" not in page and "/beheer/axes/" not in page


def test_only_people_of_their_own_organisations_are_listed_and_opened(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    listed = client.get("/beheer/accounts/user/").content.decode()
    assert "ib@hier.example" in listed and "ib@elders.example" not in listed
    assert client.get(f"/beheer/accounts/user/{town['ib'].pk}/change/").status_code == 200
    far = client.get(f"/beheer/accounts/user/{town['far_ib'].pk}/change/")
    assert far.status_code == 302  # Django: "does not exist", back to the index
    memberships = client.get("/beheer/accounts/membership/").content.decode()
    assert "ib@hier.example" in memberships and "ib@elders.example" not in memberships


def test_a_membership_can_be_added_at_their_own_school_only(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    newcomer = User.objects.create_user(email="nieuw@hier.example", password="x" * 16)
    form = {
        "user": newcomer.pk,
        "role": Role.TEACHER,
        "group": "5",
        "valid_from": "2026-01-01",
    }
    refused = client.post(
        "/beheer/accounts/membership/add/", {**form, "organisation": town["far_school"].pk}
    )
    assert refused.status_code == 200  # the form again, with an error
    assert not Membership.objects.filter(user=newcomer).exists()
    done = client.post(
        "/beheer/accounts/membership/add/", {**form, "organisation": town["school"].pk}
    )
    assert done.status_code == 302
    assert Membership.objects.get(user=newcomer).organisation_id == town["school"].pk


def test_nobody_is_made_staff_and_nothing_is_deleted(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    ib = town["ib"]
    page = client.get(f"/beheer/accounts/user/{ib.pk}/change/").content.decode()
    assert 'name="is_staff"' not in page
    membership = ib.memberships.get()
    assert client.post(f"/beheer/accounts/membership/{membership.pk}/delete/", {"post": "yes"})
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.get(f"/beheer/accounts/user/{ib.pk}/delete/").status_code == 403


def test_organisations_can_be_looked_up_but_only_their_own_changed(town) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    own = client.get(f"/beheer/organisations/school/{town['school'].pk}/change/")
    far = client.get(f"/beheer/organisations/school/{town['far_school'].pk}/change/")
    assert own.status_code == far.status_code == 200
    assert 'name="name"' in own.content.decode()
    assert 'name="name"' not in far.content.decode()  # shown read-only
    assert client.get("/beheer/organisations/school/add/").status_code == 403


def test_without_the_role_the_admin_holds_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    school = SchoolFactory()
    ib = _person("ib@school.example", school, Role.SUPPORT_COORDINATOR)
    ib.is_staff = True
    ib.save()
    client = client_for(ib)
    assert "geen rechten" in client.get("/beheer/").content.decode()
    assert client.get("/beheer/accounts/user/").status_code == 403


def test_a_new_account_gets_its_first_role_on_its_own_page(town, client_for) -> None:  # type: ignore[no-untyped-def]
    client = town["client"]
    response = client.post(
        "/beheer/accounts/user/add/",
        {
            "email": "leerkracht@hier.example",
            "full_name": "Nieuwe Leerkracht",
            "password1": "Een-lang-wachtwoord-2026",
            "password2": "Een-lang-wachtwoord-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="leerkracht@hier.example")
    page = client.get(f"/beheer/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="memberships-TOTAL_FORMS"' in page  # the roles can be edited here
    form = {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-role": Role.TEACHER,
        "memberships-0-group": "4",
        "memberships-0-valid_from": "2026-08-01",
    }
    far = {**form, "memberships-0-organisation": town["far_school"].pk}
    assert client.post(f"/beheer/accounts/user/{user.pk}/change/", far).status_code == 200
    assert not user.memberships.exists()
    own = {**form, "memberships-0-organisation": town["school"].pk}
    assert client.post(f"/beheer/accounts/user/{user.pk}/change/", own).status_code == 302
    assert user.memberships.get().organisation_id == town["school"].pk
    # Now the account belongs to this municipality: another's administrator no longer sees it.
    far_admin = _person(
        "beheer@elders.example", town["far_school"].municipality, Role.FUNCTIONAL_ADMIN
    )
    far_admin.is_staff = True
    far_admin.save()
    listed = client_for(far_admin).get("/beheer/accounts/user/").content.decode()
    assert "ib@elders.example" in listed and "leerkracht@hier.example" not in listed
