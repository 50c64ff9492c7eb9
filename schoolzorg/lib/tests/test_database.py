"""PostgreSQL runs with server-side parameters and prepared statements (ADR 0503)."""

from __future__ import annotations

import pytest
from django.db import connection

from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.tests.factories import PupilFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"),
]


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_query_run_twice_is_prepared_once_and_reused() -> None:
    first, second = PupilFactory(), PupilFactory()

    def load(pk: int) -> Pupil:
        return Pupil.objects.select_related("current_school", "family").get(pk=pk)

    assert load(first.pk) == first
    before = [s for s in _prepared() if '"pupils_pupil"' in s and "pupils_family" in s]
    assert load(second.pk) == second  # the same SQL with another id: prepared now
    after = [s for s in _prepared() if '"pupils_pupil"' in s and "pupils_family" in s]
    assert len(after) == len(before) + 1
    assert "$1" in after[-1]  # the id travels as a parameter, not inside the SQL
    assert load(first.pk) == first  # and the prepared statement answers again
    assert len([s for s in _prepared() if s == after[-1]]) == 1
