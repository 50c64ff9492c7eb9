"""An account's page in the admin in plain words (tester Q5): the password as a sentence, no
Django groups for a functional administrator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def _in(organisation, email: str, role: str = Role.MUNICIPAL_ANALYST) -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user(email=email, password="x" * 16, full_name=email)
    Membership.objects.create(
        user=user, organisation=organisation, role=role, valid_from=dt.date(2020, 1, 1)
    )
    return user


def test_the_password_is_a_plain_sentence_with_the_reset_button(client_for) -> None:  # type: ignore[no-untyped-def]
    here = MunicipalityFactory()
    admin_user = _in(here, "beheer@hier.example", Role.FUNCTIONAL_ADMIN)
    admin_user.is_staff = True
    admin_user.save()
    person = _in(here, "p@hier.example")
    page = client_for(admin_user).get(f"/beheer/accounts/user/{person.pk}/change/")
    html = page.content.decode()
    assert "Het wachtwoord is veilig opgeslagen" in html
    assert 'href="../password/">Wachtwoord opnieuw instellen</a>' in html
    for technical in ("argon2", "salt", "hash", "algoritme", "Ruwe wachtwoorden"):
        assert technical not in html, technical


def test_a_functional_administrator_sees_no_django_groups(client_for) -> None:  # type: ignore[no-untyped-def]
    here = MunicipalityFactory()
    admin_user = _in(here, "beheer@hier.example", Role.FUNCTIONAL_ADMIN)
    admin_user.is_staff = True
    admin_user.save()
    person = _in(here, "p@hier.example")
    person.groups.add(Group.objects.create(name="Kalenderbeheer"))
    html = client_for(admin_user).get(f"/beheer/accounts/user/{person.pk}/change/").content.decode()
    assert "Groepen" not in html and "Kalenderbeheer" not in html


def test_a_superuser_sees_the_groups_explained(client_for) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser(email="root@test.example", password="x" * 16)
    person = _in(MunicipalityFactory(), "p@hier.example")
    html = client_for(root).get(f"/beheer/accounts/user/{person.pk}/change/").content.decode()
    assert "ze geven alleen rechten hier in het beheer" in html
    assert "Gebruikers krijgen alle rechten" not in html
