"""Mijn werk for someone without a role in force: why there is nothing to show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from schoolzorg.accounts.models import User
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_someone_whose_role_ended_hears_it_ended_not_that_they_have_none_yet(member, client_for):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    user = member(
        Role.SUPPORT_COORDINATOR,
        SchoolFactory(),
        valid_from=yesterday - dt.timedelta(days=30),
        valid_until=yesterday,
    )
    page = client_for(user).get("/").content.decode()
    assert "Uw rol in een organisatie is beëindigd." in page
    assert "nog geen rol" not in page


def test_a_new_account_hears_it_has_no_role_yet(client_for):
    user = User.objects.create_user("nieuw@school.example", "x" * 16, full_name="Nieuw")
    page = client_for(user).get("/").content.decode()
    assert "U hebt nog geen rol in een organisatie." in page and "beëindigd" not in page
