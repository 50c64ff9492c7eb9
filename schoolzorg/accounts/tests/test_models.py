"""Memberships: the period a role is in force, and ending it at once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.organisations.tests.factories import MunicipalityFactory, SchoolFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)
NOON = dt.datetime(2026, 12, 3, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def _started_today(school):  # type: ignore[no-untyped-def]
    user = User.objects.create_user(email="nieuw@hier.example", password="x" * 16)
    return Membership.objects.create(
        user=user, organisation=school, role=Role.TEACHER, group="5", valid_from=TODAY
    )


def test_a_role_that_began_today_is_ended_at_once_with_yesterday() -> None:
    with time_machine.travel(NOON, tick=False):
        membership = _started_today(SchoolFactory())
        membership.valid_until = TODAY - dt.timedelta(days=1)
        membership.full_clean()
        membership.save()
        assert not Membership.objects.active().filter(pk=membership.pk).exists()
        assert not Membership.objects.active(TODAY - dt.timedelta(days=1)).exists()


def test_the_database_refuses_an_end_before_the_day_before_the_start() -> None:
    membership = _started_today(SchoolFactory())
    Membership.objects.filter(pk=membership.pk).update(valid_until=TODAY - dt.timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(valid_until=TODAY - dt.timedelta(days=2))


def test_an_end_too_early_gets_a_dutch_message_on_its_field() -> None:
    membership = _started_today(SchoolFactory())
    membership.valid_until = TODAY - dt.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        membership.full_clean()
    assert refused.value.message_dict == {
        "valid_until": [
            "Deze datum ligt vóór 2-12-2026, de dag vóór de begindatum. Vul 2-12-2026 of "
            "later in. Met 2-12-2026 geldt de rol nooit."
        ]
    }
    # The constraint's own message, should it ever be reached, is Dutch as well.
    with pytest.raises(ValidationError) as constraint:
        membership.validate_constraints()
    assert "Beperking" not in str(constraint.value)
    assert "Vul gisteren in om de rol meteen te beëindigen." in str(constraint.value)


def test_the_admin_ends_a_role_that_began_today_and_says_how(client_for) -> None:  # type: ignore[no-untyped-def]
    here = MunicipalityFactory()
    school = SchoolFactory(municipality=here)
    admin_user = User.objects.create_user(email="beheer@hier.example", password="x" * 16)
    Membership.objects.create(
        user=admin_user,
        organisation=here,
        role=Role.FUNCTIONAL_ADMIN,
        valid_from=dt.date(2020, 1, 1),
    )
    admin_user.is_staff = True
    admin_user.save()
    with time_machine.travel(NOON, tick=False):
        membership = _started_today(school)
        client = client_for(admin_user)
        url = f"/beheer/accounts/membership/{membership.pk}/change/"
        page = client.get(url).content.decode()
        assert "Vul gisteren in om de rol meteen te beëindigen." in page
        form = {
            "user": membership.user_id,
            "organisation": school.pk,
            "role": Role.TEACHER,
            "group": "5",
            "valid_from": "3-12-2026",
        }
        refused = client.post(url, {**form, "valid_until": "1-12-2026"})
        text = refused.content.decode()
        assert refused.status_code == 200
        assert "Beperking" not in text and "Vul 2-12-2026 of later in." in text
        done = client.post(url, {**form, "valid_until": "2-12-2026"})
        assert done.status_code == 302
        membership.refresh_from_db()
        assert membership.valid_until == dt.date(2026, 12, 2)
        assert not Membership.objects.active().filter(pk=membership.pk).exists()
