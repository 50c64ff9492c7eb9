"""Prepared reads: SQL compiled once, parameters bound per call, the same rows as the ORM."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from schoolzorg.lib.prepared import NotPreparable, prepared
from schoolzorg.pupils.models import Enrolment, Pupil
from schoolzorg.pupils.tests.factories import FamilyFactory, PupilFactory

pytestmark = pytest.mark.django_db


@prepared
def _siblings(family_id: int, pupil_id: int) -> QuerySet[Pupil]:
    return (
        Pupil.objects.filter(family_id=family_id)
        .exclude(pk=pupil_id)
        .select_related("current_school")
        .order_by("first_name")
    )


@prepared
def _born_since(since: dt.date, last_name: str, include_unknown_school: bool) -> QuerySet[Pupil]:
    school = Q(current_school__isnull=False) | Q(current_school__isnull=include_unknown_school)
    return Pupil.objects.filter(school, date_of_birth__gte=since, last_name=last_name).order_by(
        "pk"
    )


@prepared
def _created_before(moment: dt.datetime) -> QuerySet[Pupil]:
    return Pupil.objects.filter(created_at__lt=moment).order_by("pk")


def test_the_same_rows_as_the_orm_with_related_objects_for_other_values() -> None:
    family, other = FamilyFactory(), FamilyFactory()
    a = PupilFactory(family=family, first_name="Anna")
    b = PupilFactory(family=family, first_name="Bram")
    c = PupilFactory(family=family, first_name="Cor")
    d = PupilFactory(family=other, first_name="Dirk")
    e = PupilFactory(family=other, first_name="Eva")

    assert _siblings(family_id=family.pk, pupil_id=a.pk) == [b, c]
    assert _siblings(family_id=family.pk, pupil_id=c.pk) == [a, b]
    with CaptureQueriesContext(connection) as queries:
        rows = _siblings(family_id=other.pk, pupil_id=d.pk)
        assert rows[0].current_school.name == e.current_school.name  # no extra query
    assert rows == [e]
    assert len(queries) == 1
    assert str(other.pk) not in queries[0]["sql"].split("WHERE")[0]


def test_dates_strings_and_shape_arguments() -> None:
    old = PupilFactory(last_name="Jansen", date_of_birth=dt.date(2015, 3, 1))
    young = PupilFactory(last_name="Jansen", date_of_birth=dt.date(2018, 5, 1))
    PupilFactory(last_name="Visser", date_of_birth=dt.date(2018, 5, 1))

    since_2016 = _born_since(
        since=dt.date(2016, 1, 1), last_name="Jansen", include_unknown_school=False
    )
    assert since_2016 == [young]
    everyone = _born_since(
        since=dt.date(2010, 1, 1), last_name="Jansen", include_unknown_school=True
    )
    assert everyone == [old, young]
    assert (
        _born_since(since=dt.date(2010, 1, 1), last_name="Bakker", include_unknown_school=True)
        == []
    )
    assert len(_born_since._compiled) == 2  # one SQL per shape, not per value


def test_datetimes_are_bound_as_the_backend_expects() -> None:
    pupil = PupilFactory()
    later = timezone.now() + dt.timedelta(minutes=1)
    assert _created_before(moment=later) == [pupil]
    assert _created_before(moment=pupil.created_at - dt.timedelta(seconds=1)) == []


def test_first_gives_one_row_or_none() -> None:
    pupil = PupilFactory()
    only = prepared(lambda pk: Pupil.objects.filter(pk=pk)[:1])
    assert only.first(pk=pupil.pk) == pupil
    assert only.first(pk=pupil.pk + 1000) is None


def test_prefetch_related_still_runs() -> None:
    pupil = PupilFactory()
    assert Enrolment.objects.filter(pupil=pupil).exists()
    read = prepared(lambda pk: Pupil.objects.filter(pk=pk).prefetch_related("enrolments"))
    [found] = read(pk=pupil.pk)
    with CaptureQueriesContext(connection) as queries:
        assert [e.school_id for e in found.enrolments.all()] == [pupil.current_school_id]
    assert len(queries) == 0


def test_values_and_values_list() -> None:
    pupil = PupilFactory(first_name="Noor")
    names = prepared(lambda pk: Pupil.objects.filter(pk=pk).values_list("first_name", flat=True))
    assert names(pk=pupil.pk) == ["Noor"]
    rows = prepared(lambda pk: Pupil.objects.filter(pk=pk).values("pk", "first_name"))
    assert rows(pk=pupil.pk) == [{"pk": pupil.pk, "first_name": "Noor"}]


def test_a_parameter_that_is_transformed_is_refused() -> None:
    PupilFactory(first_name="Sanne")
    search = prepared(lambda text: Pupil.objects.filter(first_name__icontains=text))
    with pytest.raises(NotPreparable, match="text"):
        search(text="san")


def test_a_parameter_written_into_the_sql_is_refused() -> None:
    PupilFactory()
    limited = prepared(lambda n: Pupil.objects.order_by("pk")[:n])
    with pytest.raises(NotPreparable):
        limited(n=3)


def test_a_builder_that_branches_on_a_value_is_caught_when_verifying() -> None:
    pupil = PupilFactory()

    def build(pk: int) -> QuerySet[Pupil]:
        if pk > 0:
            return Pupil.objects.filter(pk=pk)
        return Pupil.objects.filter(pk=pk, first_name="")  # the stand-in is negative

    read = prepared(build)
    with override_settings(SCHOOLZORG_VERIFY_PREPARED=True), pytest.raises(NotPreparable):
        read(pk=pupil.pk)
    with override_settings(SCHOOLZORG_VERIFY_PREPARED=False):
        assert read(pk=pupil.pk) == []  # unchecked it runs the SQL it compiled first: wrong rows


def test_an_id_beyond_any_column_takes_the_ordinary_path() -> None:
    pupil = PupilFactory()
    read = prepared(lambda pk: Pupil.objects.filter(pk=pk))
    assert read(pk=pupil.pk) == [pupil]
    assert read(pk=10**30) == []  # Django answers "no rows"; bound directly it would fail
    assert read(pk=-(10**30)) == []


def test_the_number_of_shapes_kept_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("schoolzorg.lib.prepared.MAX_SHAPES", 3)
    pupil = PupilFactory()
    read = prepared(shape=("tag",))(lambda pk, tag: Pupil.objects.filter(pk=pk))
    for tag in range(10):
        assert read(pk=pupil.pk, tag=tag) == [pupil]
    assert len(read._compiled) == 3


def test_a_json_lookup_verifies_on_every_backend() -> None:
    from schoolzorg.assessments.models import Assessment

    pupil = PupilFactory()
    finished = prepared(lambda pupil_id: Assessment.objects.finished().filter(pupil_id=pupil_id))
    with override_settings(SCHOOLZORG_VERIFY_PREPARED=True):
        assert finished(pupil_id=pupil.pk) == []  # psycopg wraps the JSON value: compared by value
        assert finished(pupil_id=pupil.pk + 1) == []


def test_a_shape_that_selects_nothing_sends_no_query() -> None:
    PupilFactory()
    read = prepared(
        lambda pks, school_id: Pupil.objects.filter(pk__in=pks, current_school_id=school_id)
    )
    with CaptureQueriesContext(connection) as queries:
        assert read(pks=(), school_id=1) == []
    assert len(queries) == 0
