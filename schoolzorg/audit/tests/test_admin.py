"""The Django admin (`/beheer/`) holds no child data: what it shows is not access-checked or logged."""

from __future__ import annotations

import pytest
from django.contrib import admin

from schoolzorg.accounts.models import User
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = pytest.mark.django_db

# Organisations, accounts, calendars and the technical tables of the libraries. Registering
# another model in the admin is a privacy decision: add it here only if it holds no child data.
ALLOWED = {
    "auth.Group",
    "otp_totp.TOTPDevice",
    "otp_static.StaticDevice",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "django_tasks_database.DBTaskResult",
    "organisations.Organisation",
    "organisations.Municipality",
    "organisations.School",
    "organisations.District",
    "organisations.NeighbourhoodTeam",
    "organisations.SchoolBoard",
    "organisations.Partnership",
    "organisations.SocialWorkProvider",
    "organisations.YouthHealthService",
    "organisations.ServiceDesk",
    "accounts.User",
    "accounts.Membership",
    "calendars.PublicHoliday",
    "calendars.PublicHolidayRule",
    "calendars.SchoolHoliday",
    "calendars.ImportBatch",
    "calendars.SchoolClosure",
    # An organisation's retention periods: numbers of years, no child data.
    "retention.RetentionPeriod",
}


def test_the_admin_registers_only_models_without_child_data() -> None:
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - ALLOWED == set()
    assert "auditlog.LogEntry" not in registered  # django-auditlog registers it by itself


def test_a_superuser_cannot_read_a_pupils_change_history_in_the_admin(client_for) -> None:
    pupil = PupilFactory(first_name="Geheim", last_name="Kind")
    pupil.last_name = "Kind-Verhuisd"
    pupil.save()  # a change in the history, names in plain text
    root = User.objects.create_superuser(email="root@example.org", password="x" * 16)
    client = client_for(root)
    assert client.get("/beheer/").status_code == 200
    assert client.get("/beheer/auditlog/logentry/").status_code == 404
    assert "Geheim" not in client.get("/beheer/").content.decode()


def test_every_app_in_the_admin_has_a_dutch_heading(client_for) -> None:  # type: ignore[no-untyped-def]
    from schoolzorg.accounts.models import User

    root = User.objects.create_superuser(email="root@test.example", password="x" * 16)
    page = client_for(root).get("/beheer/").content.decode()
    for english in (
        "Organisations",
        "Accounts",
        "Otp_Totp",
        "Otp_Static",
        "Axes",
        "Tasks Database",
    ):
        assert f">{english}<" not in page, english
    assert ">Organisaties<" in page and ">Gebruikers en rollen<" in page
