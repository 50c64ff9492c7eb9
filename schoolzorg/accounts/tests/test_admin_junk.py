"""The admin answers a junk address or junk initial values like a missing object, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.lib.adminfields import JunkInputGuard
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 20


def _superuser() -> User:
    return User.objects.create_superuser(email="root@test.example", password="x" * 16)


def _functional_admin() -> User:
    user = User.objects.create_user(
        email="beheer@test.example", password="x" * 16, full_name="Beheer", is_staff=True
    )
    Membership.objects.create(
        user=user,
        organisation=MunicipalityFactory(),
        role=Role.FUNCTIONAL_ADMIN,
        valid_from=dt.date(2020, 1, 1),
    )
    return user


def _admin_urls() -> list[str]:
    return sorted(
        f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    )


@pytest.mark.parametrize("who", [_superuser, _functional_admin])
def test_a_huge_id_in_any_admin_address_is_a_missing_object(who, client_for) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_for(who())
    client.raise_request_exception = False
    failed = [
        (url, response.status_code)
        for base in _admin_urls()
        for action in ("change", "delete", "history")
        if (response := client.get(url := f"{base}{HUGE}/{action}/")).status_code
        not in (302, 403, 404)
    ]
    assert failed == []


def test_junk_initial_values_on_any_add_page_leave_the_field_empty(client_for) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_for(_superuser())
    client.raise_request_exception = False
    failed = []
    for model in admin.site._registry:
        base = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/add/"
        for field in model._meta.get_fields():
            if not (field.is_relation and (field.concrete or field.many_to_many)):
                continue
            for junk in ("abc", HUGE, "1,abc"):
                response = client.get(base, {field.name: junk})
                if response.status_code >= 500:
                    failed.append((base, field.name, junk))
    assert failed == []


def test_every_admin_of_ours_has_the_guard() -> None:
    ours = [
        a for a in admin.site._registry.values() if type(a).__module__.startswith("schoolzorg.")
    ]
    assert ours and all(isinstance(a, JunkInputGuard) for a in ours)


def test_a_membership_add_page_with_junk_shows_empty_fields_and_keeps_good_ones(client_for) -> None:  # type: ignore[no-untyped-def]
    school = SchoolFactory()
    client: Client = client_for(_superuser())
    for junk in ("?school=abc", "?user=abc", "?organisation=abc", f"?school={HUGE}"):
        response = client.get(f"/beheer/accounts/membership/add/{junk}")
        assert response.status_code == 200, junk
    page = client.get(f"/beheer/accounts/membership/add/?school={school.pk}").content.decode()
    assert f'<option value="{school.pk}" selected>' in page


def test_a_teams_districts_keep_only_valid_ids(client_for) -> None:  # type: ignore[no-untyped-def]
    from schoolzorg.organisations.admin import NeighbourhoodTeamAdmin
    from schoolzorg.organisations.models import NeighbourhoodTeam

    request = RequestFactory().get("/", {"districts": f"7,abc,{HUGE}", "name": "Team"})
    request.user = _superuser()
    initial = NeighbourhoodTeamAdmin(NeighbourhoodTeam, admin.site).get_changeform_initial_data(
        request
    )
    assert initial == {"districts": ["7"], "name": "Team"}


@pytest.mark.parametrize("junk", ["abc", "1.5", HUGE])
@pytest.mark.parametrize("who", [_superuser, _functional_admin])
def test_a_junk_organisation_or_school_on_a_sent_membership_form_is_a_field_error(
    who, junk, client_for
) -> None:  # type: ignore[no-untyped-def]
    admin_user = who()
    person = User.objects.create_user(email="p@test.example", password="x" * 16, full_name="P")
    client: Client = client_for(admin_user)
    for field in ("organisation", "school"):
        data = {
            "user": person.pk,
            "organisation": Membership.objects.get(user=admin_user).organisation_id
            if admin_user.memberships.exists()
            else MunicipalityFactory().pk,
            "role": Role.MUNICIPAL_ANALYST,
            "valid_from": "05-12-2026",
            field: junk,
        }
        response = client.post("/beheer/accounts/membership/add/", data)
        assert response.status_code == 200, (field, junk)
        assert "Selecteer een geldige keuze" in response.content.decode(), (field, junk)
    assert not Membership.objects.filter(user=person).exists()


@pytest.mark.parametrize("junk", ["abc", "1.5", HUGE])
def test_a_junk_organisation_in_a_new_accounts_membership_row_is_a_field_error(
    junk, client_for
) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_for(_functional_admin())
    response = client.post(
        "/beheer/accounts/user/add/",
        {
            "email": "nieuw@test.example",
            "full_name": "Nieuw",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-organisation": junk,
            "memberships-0-role": Role.MUNICIPAL_ANALYST,
            "memberships-0-valid_from": "05-12-2026",
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not User.objects.filter(email="nieuw@test.example").exists()
