"""One role, one row: the same membership for some of the same days is refused (tester O2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from schoolzorg.accounts.models import DUPLICATE_MEMBERSHIP, Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 1)


@pytest.fixture
def town(client_for):  # type: ignore[no-untyped-def]
    here = MunicipalityFactory(name="Hierstad")
    admin_user = User.objects.create_user(
        email="beheer@hier.example", password="x" * 16, full_name="Beheer", is_staff=True
    )
    Membership.objects.create(
        user=admin_user, organisation=here, role=Role.FUNCTIONAL_ADMIN, valid_from=START
    )
    person = User.objects.create_user(email="p@hier.example", password="x" * 16, full_name="P")
    return {"here": here, "person": person, "client": client_for(admin_user)}


def _analyst(town, **kw) -> Membership:  # type: ignore[no-untyped-def]
    values = {
        "user": town["person"],
        "organisation": town["here"],
        "role": Role.MUNICIPAL_ANALYST,
        "valid_from": START,
        **kw,
    }
    return Membership(**values)


def _row(i: int, town) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        f"memberships-{i}-organisation": str(town["here"].pk),
        f"memberships-{i}-role": Role.MUNICIPAL_ANALYST,
        f"memberships-{i}-valid_from": "05-12-2026",
    }


def test_the_same_role_for_an_overlapping_period_is_refused(town) -> None:  # type: ignore[no-untyped-def]
    _analyst(town, valid_until=dt.date(2026, 12, 31)).save()
    for later in (
        _analyst(town),
        _analyst(town, valid_from=dt.date(2026, 12, 31)),
        _analyst(town, valid_from=dt.date(2025, 1, 1), valid_until=START),
    ):
        with pytest.raises(ValidationError, match="deze rol al"):
            later.full_clean()


def test_another_period_school_group_or_a_role_never_in_force_is_no_duplicate(town) -> None:  # type: ignore[no-untyped-def]
    _analyst(town, valid_until=dt.date(2026, 12, 31)).save()
    _analyst(town, valid_from=dt.date(2027, 1, 1)).full_clean()
    _analyst(town, valid_from=dt.date(2026, 6, 1), valid_until=dt.date(2026, 5, 31)).full_clean()
    school = SchoolFactory(municipality=town["here"])
    worker = dict(role=Role.TEACHER, organisation=school, group="6")
    _analyst(town, **worker).save()
    _analyst(town, **{**worker, "group": "7"}).full_clean()


def test_existing_duplicates_may_stay_and_be_ended(town) -> None:  # type: ignore[no-untyped-def]
    first = _analyst(town)
    first.save()
    second = _analyst(town)
    second.save()  # from before the check
    second.valid_until = dt.date(2026, 3, 1)
    second.full_clean()  # ending one of two is what the administrator should do
    first.full_clean()


def test_the_admin_refuses_adding_a_role_the_person_already_has(town) -> None:  # type: ignore[no-untyped-def]
    _analyst(town).save()
    response = town["client"].post(
        "/beheer/accounts/membership/add/",
        {
            "user": town["person"].pk,
            "organisation": town["here"].pk,
            "role": Role.MUNICIPAL_ANALYST,
            "valid_from": "05-12-2026",
        },
    )
    assert response.status_code == 200
    assert DUPLICATE_MEMBERSHIP in response.content.decode()
    assert Membership.objects.filter(user=town["person"]).count() == 1


def test_the_admin_refuses_two_equal_rows_in_a_new_accounts_form(town) -> None:  # type: ignore[no-untyped-def]
    response = town["client"].post(
        "/beheer/accounts/user/add/",
        {
            "email": "twee@hier.example",
            "full_name": "Twee Keer",
            "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "0",
            **_row(0, town),
            **_row(1, town),
        },
    )
    assert response.status_code == 200
    assert DUPLICATE_MEMBERSHIP in response.content.decode()
    assert not User.objects.filter(email="twee@hier.example").exists()


def test_the_admin_refuses_a_new_row_equal_to_a_stored_one_on_the_account(town) -> None:  # type: ignore[no-untyped-def]
    stored = _analyst(town, valid_from=dt.date(2026, 12, 5))
    stored.save()
    person = town["person"]
    response = town["client"].post(
        f"/beheer/accounts/user/{person.pk}/change/",
        {
            "email": person.email,
            "full_name": person.full_name,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(stored.pk),
            "memberships-0-user": str(person.pk),
            **_row(0, town),
            **_row(1, town),
        },
    )
    assert response.status_code == 200
    assert DUPLICATE_MEMBERSHIP in response.content.decode()
    assert Membership.objects.filter(user=person).count() == 1
