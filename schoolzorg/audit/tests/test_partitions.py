"""The read log is partitioned by month on PostgreSQL; the sweep keeps partitions ahead of time."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone

from schoolzorg.audit.models import AccessLogEntry
from schoolzorg.audit.partitions import (
    DEFAULT_PARTITION,
    add_months,
    ensure_partitions,
    is_partitioned,
    month_start,
    partition_name,
    partitions,
)
from schoolzorg.audit.sealing import seal_all, verify_chain
from schoolzorg.audit.services import Basis, record_access

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist only on PostgreSQL"
)
THIS_MONTH = month_start(timezone.now().astimezone(dt.UTC).date())


def _entry(at: dt.datetime | None = None, detail: str = "") -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        at=at or timezone.now(), user_label="Test", action="view", pupil_id=7, detail=detail
    )


def _where(entry_id: int) -> str:
    with connection.cursor() as c:
        c.execute(
            "SELECT tableoid::regclass::text FROM audit_accesslogentry WHERE id = %s", [entry_id]
        )
        row = c.fetchone()
    assert row is not None
    return str(row[0])


def _far_future() -> dt.datetime:
    # Past the three months the migration and the sweep create: no monthly partition yet.
    month = add_months(THIS_MONTH, 8)
    return dt.datetime(month.year, month.month, 15, 12, tzinfo=dt.UTC)


def test_month_arithmetic_and_names() -> None:
    assert add_months(dt.date(2026, 11, 1), 3) == dt.date(2027, 2, 1)
    assert add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert partition_name(dt.date(2027, 2, 1)) == "audit_accesslogentry_2027_02"


def test_on_sqlite_there_is_nothing_to_do() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    assert ensure_partitions() == [] and partitions() == []


def test_partition_sweep_is_registered_daily_and_runs() -> None:
    from schoolzorg.audit.tasks import ensure_access_log_partitions
    from schoolzorg.lib.periodic import sweeps

    sweep = next(s for s in sweeps() if s.name == "access-log-partitions")
    assert sweep.every_seconds == 24 * 60 * 60
    assert ensure_access_log_partitions.call() == []  # the migration made them already


def test_record_access_returns_an_id_and_sealing_still_verifies() -> None:
    basis = Basis("membership", "support_coordinator", 1, "School", "7")
    entries = [record_access(None, action="view", pupil_id=i, basis=basis) for i in (1, 2)]
    assert all(e.pk for e in entries) and entries[0].pk < entries[1].pk
    assert AccessLogEntry.objects.get(pk=entries[1].pk).pupil_id == 2
    assert seal_all(now=timezone.now() + dt.timedelta(hours=1)) == 1
    assert verify_chain().ok


@postgres_only
def test_the_table_is_partitioned_with_this_month_and_the_next_ones() -> None:
    with connection.cursor() as c:
        c.execute(
            "SELECT partstrat FROM pg_partitioned_table "
            "WHERE partrelid = 'audit_accesslogentry'::regclass"
        )
        assert c.fetchone() == ("r",)
        c.execute(
            "SELECT array_agg(a.attname ORDER BY a.attname) FROM pg_constraint k "
            "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey) "
            "WHERE k.conrelid = 'audit_accesslogentry'::regclass AND k.contype = 'p'"
        )
        assert c.fetchone() == (["at", "id"],)
    names = partitions()
    for ahead in range(4):
        assert partition_name(add_months(THIS_MONTH, ahead)) in names
    assert names[-1] == DEFAULT_PARTITION
    assert ensure_partitions() == []  # idempotent


@postgres_only
def test_indexes_and_trigger_reach_every_partition() -> None:
    ensure_partitions()
    with connection.cursor() as c:
        c.execute(
            "SELECT c.relname, "
            "(SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid), "
            "(SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid "
            " AND t.tgname = 'audit_accesslogentry_no_change') "
            "FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid "
            "WHERE h.inhparent = 'audit_accesslogentry'::regclass"
        )
        rows = c.fetchall()
        c.execute("SELECT count(*) FROM pg_index WHERE indrelid = 'audit_accesslogentry'::regclass")
        (on_parent,) = c.fetchone()
    # Primary key, `at`, `pupil_id`, (user_id, at), (pupil_id, at, id): declared on the parent.
    assert on_parent == 5
    assert rows and all(indexes == on_parent and triggers == 1 for _, indexes, triggers in rows), (
        rows
    )


@postgres_only
def test_entries_land_in_their_month_and_ids_keep_increasing() -> None:
    now = _entry()
    later = _entry(timezone.now() + dt.timedelta(days=40))
    assert _where(now.pk) == partition_name(THIS_MONTH)
    assert _where(later.pk) == partition_name(month_start((later.at).date()))
    assert later.pk > now.pk


@postgres_only
def test_far_future_entry_waits_in_the_default_partition_and_is_moved_into_its_month() -> None:
    far = _far_future()
    target = partition_name(month_start(far.date()))
    entries = [_entry(detail="nu"), _entry(far, "ver weg"), _entry(far, "ook ver weg")]
    assert _where(entries[1].pk) == DEFAULT_PARTITION
    assert seal_all(now=far + dt.timedelta(hours=1)) == 1
    before = [e.canonical() for e in AccessLogEntry.objects.order_by("id")]

    created = ensure_partitions(months_ahead=9)
    assert target in created
    assert _where(entries[1].pk) == target and _where(entries[2].pk) == target
    assert [e.canonical() for e in AccessLogEntry.objects.order_by("id")] == before
    assert verify_chain().ok  # same ids, same values: the seal still holds
    # The default partition is attached again and still carries the trigger.
    assert partitions()[-1] == DEFAULT_PARTITION
    stray = _entry(far + dt.timedelta(days=800))
    assert _where(stray.pk) == DEFAULT_PARTITION
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute("DELETE FROM audit_accesslogentry_default WHERE id = %s", [stray.pk])


@postgres_only
@pytest.mark.parametrize(
    "statement", ["UPDATE {} SET detail = 'x' WHERE id = %s", "DELETE FROM {} WHERE id = %s"]
)
def test_the_trigger_refuses_changes_on_a_partition_itself(statement: str) -> None:
    entry = _entry()
    for table in ("audit_accesslogentry", partition_name(THIS_MONTH)):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(statement.format(table), [entry.pk])
    assert AccessLogEntry.objects.get(pk=entry.pk).detail == ""


@postgres_only
def test_a_busy_log_is_left_for_the_next_run(caplog: pytest.LogCaptureFixture) -> None:
    month = dt.date(2191, 1, 1)
    reader = connections.create_connection(DEFAULT_DB_ALIAS)  # e.g. a long verify-access-log
    try:
        reader.set_autocommit(False)
        with reader.cursor() as c:
            c.execute("LOCK TABLE audit_accesslogentry IN ACCESS SHARE MODE")
        assert ensure_partitions(months_ahead=0, today=month, lock_timeout="200ms") == []
    finally:
        reader.rollback()
        reader.close()
    assert "busy" in caplog.text
    assert partition_name(month) not in partitions()
    _entry()  # the log takes entries as before


# --- Real transactions (threads with their own connections, the migration itself) -------------


@postgres_only
def test_the_migration_keeps_rows_ids_and_seals_both_ways(transactional_db: None) -> None:
    old_month = add_months(THIS_MONTH, -14)
    entries = [
        _entry(dt.datetime(old_month.year, old_month.month, 3, tzinfo=dt.UTC), "oud"),
        _entry(detail="nu"),
        _entry(_far_future(), "ver weg"),
    ]
    assert seal_all(now=_far_future() + dt.timedelta(hours=1)) == 1

    def snapshot() -> list[str]:
        return [e.canonical() for e in AccessLogEntry.objects.order_by("id")]

    before = snapshot()
    try:
        call_command("migrate", "audit", "0003", verbosity=0)
        assert not is_partitioned()
        assert snapshot() == before and verify_chain().ok
        call_command("migrate", "audit", verbosity=0)
        assert is_partitioned()
        assert snapshot() == before and verify_chain().ok
        assert _where(entries[0].pk) == partition_name(old_month)
        assert _where(entries[2].pk) == DEFAULT_PARTITION
        assert _entry().pk > entries[-1].pk  # the identity continues
    finally:
        call_command("migrate", "audit", verbosity=0)
        ensure_partitions()


# --- Two sweeps at once (real transactions, so each thread has its own connection) ------------

FAR = dt.date(2190, 1, 1)  # months nobody else uses; dropped again afterwards


@pytest.fixture
def far_partitions(transactional_db: None) -> Iterator[list[str]]:
    names = [partition_name(add_months(FAR, n)) for n in range(3)]
    yield names
    with connection.cursor() as c:
        for name in names:
            c.execute(f'DROP TABLE IF EXISTS "{name}"')


@postgres_only
def test_two_sweeps_at_once_create_each_month_once_and_move_rows_once(
    far_partitions: list[str],
) -> None:
    waiting = _entry(dt.datetime(FAR.year, FAR.month, 2, tzinfo=dt.UTC), "wacht")
    assert _where(waiting.pk) == DEFAULT_PARTITION
    barrier = threading.Barrier(2)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            results.append(ensure_partitions(months_ahead=2, today=FAR, lock_timeout="30s"))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(results[0] + results[1]) == far_partitions
    assert _where(waiting.pk) == far_partitions[0]
    assert AccessLogEntry.objects.filter(detail="wacht").count() == 1
