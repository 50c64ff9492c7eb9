"""The demo seed gives every role a login and real content, and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
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


def assert_parents_have_fitting_and_different_names() -> None:
    """No pupil has two guardians of the same name; a mother's first name is a woman's, a
    father's a man's (the consent overview once read "Stefan Soekhai, Stefan Soekhai")."""
    from schoolzorg.demo.names import FATHER_FIRST, MOTHER_FIRST
    from schoolzorg.pupils.models import GuardianLink

    names: dict[int, list[str]] = {}
    links = GuardianLink.objects.values_list("pupil_id", "relation", "guardian__full_name")
    assert links.exists()
    for pupil_id, relation, full_name in links:
        names.setdefault(pupil_id, []).append(full_name)
        first = full_name.split(" ", 1)[0]
        assert first in {"moeder": MOTHER_FIRST, "vader": FATHER_FIRST}[relation], full_name
    assert all(len(set(given)) == len(given) for given in names.values())


def test_the_demo_gives_no_pupil_two_parents_of_one_name_and_names_fit_the_relation():
    call_command("seed", "--scale", "demo", stdout=StringIO())
    assert_parents_have_fitting_and_different_names()


def test_the_demo_seed_refuses_a_database_outside_the_demo(settings):
    """Tester T6: `seed` (and `sample-pdfs`, which seeds first) wrote 65 accounts with the
    README's password into a production database."""
    from django.core.management.base import CommandError

    from schoolzorg.accounts.models import User

    settings.DEMO_MODE = False
    for command in (("seed", "--scale", "demo"), ("sample_pdfs", "--out", "/tmp/sz-never")):
        with pytest.raises(CommandError, match="Demodata alleen in de demo"):
            call_command(*command, stdout=StringIO())
    assert not User.objects.exists()
    call_command("seed", "--scale", "demo", "--meetdatabase", stdout=StringIO())
    assert User.objects.filter(email="ib1@school.example").exists()


def test_the_demo_case_timelines_carry_the_days_of_the_story():
    """Tester V7: a case's status lines were dated at seed time, after the contacts and the plan
    lines they come before. Each line now has the day of its step, between the day the case
    was opened and today."""
    from django.utils import timezone

    from schoolzorg.cases.models import Case, EventKind

    call_command("seed", "--scale", "demo", stdout=StringIO())
    now = timezone.now()
    cases = Case.objects.prefetch_related("events")
    assert cases.count() >= 50
    for case in cases:
        events = list(case.events.all())
        opened = timezone.localdate(case.opened_at)
        assert all(opened <= timezone.localdate(e.at) and e.at <= now for e in events), case.pk
        # Raised, taken up the day after, closed when the case says: not on the seed's day.
        days = {opened, opened + dt.timedelta(days=1)}
        for event in (e for e in events if e.kind == EventKind.STATUS):
            assert timezone.localdate(event.at) in days or event.at == case.closed_at, case.pk
