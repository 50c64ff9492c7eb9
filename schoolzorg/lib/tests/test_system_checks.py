"""Django's system checks stay quiet: their warnings are English and printed by every command."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core import checks
from django.db import models


def test_no_date_or_time_field_has_a_fixed_default() -> None:
    """A fixed default within ten seconds of the clock gives fields.W161; use a function."""
    fixed = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField | models.TimeField)
        and field.has_default()
        and field.default is not None
        and not callable(field.default)
    ]
    assert fixed == []


@pytest.mark.django_db
def test_no_warning_at_half_past_one() -> None:
    """The care meetings' usual start, 13:30, as the clock (UTC, as Django compares) passes it."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 13, 29, 55, tzinfo=dt.UTC), tick=False):
        found = [m for m in checks.run_checks(tags=[checks.Tags.models]) if m.id == "fields.W161"]
    assert found == []


def test_deploy_check_warns_when_the_web_role_owns_the_read_log(monkeypatch: Any) -> None:
    # T5: on PostgreSQL the owner of the read log can switch off its append-only trigger.
    from schoolzorg.lib import checks as our_checks

    monkeypatch.setattr(our_checks, "owns_read_log", lambda: True)
    found = our_checks.web_role_does_not_own_read_log(None)
    assert [m.id for m in found] == ["schoolzorg.W001"]
    monkeypatch.setattr(our_checks, "owns_read_log", lambda: False)
    assert our_checks.web_role_does_not_own_read_log(None) == []


@pytest.mark.django_db
def test_the_read_log_owner_is_asked_of_postgresql_only() -> None:
    from django.db import connection

    from schoolzorg.lib.checks import owns_read_log

    # The test database's role owns every table it migrated; SQLite has no roles.
    assert owns_read_log() is (connection.vendor == "postgresql")
