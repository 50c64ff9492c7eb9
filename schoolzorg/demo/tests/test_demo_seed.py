"""The demo seed gives every role a login and real content, and a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from schoolzorg.accounts.models import Membership
from schoolzorg.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if not m._meta.label.startswith(("sessions.", "axes.", "django_tasks_db."))
    }


def test_demo_seed_has_every_role_prints_logins_and_a_second_run_changes_nothing():
    call_command("seed", "--scale", "demo", stdout=StringIO())
    first = _row_counts()
    assert first["pupils.Pupil"] == 600
    assert first["organisations.School"] == 12
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    # Files of pupils who left three summers ago went in the sweep: the register has lines.
    assert first["retention.DestructionRecord"] == 8
    assert first["retention.DestructionRequest"] == 1
    out = StringIO()
    call_command("seed", "--scale", "demo", stdout=out)
    assert "niets veranderd" in out.getvalue()
    assert _row_counts() == first

    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for role in Role:
        assert role.label in text
    assert "123456" in text
