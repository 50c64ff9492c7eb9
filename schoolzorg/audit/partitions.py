"""Monthly partitions of the read log on PostgreSQL (docs/decisions/0502-read-log-integrity.md).

Migration `audit/0004_partition_access_log` turns `audit_accesslogentry` into a table partitioned
by range of `at`, with one partition per calendar month (UTC bounds), named
`audit_accesslogentry_YYYY_MM`, and a DEFAULT partition `audit_accesslogentry_default` so that an
insert never fails for want of a partition. `ensure_partitions()` (the daily sweep
"access-log-partitions", and the migration) creates the missing months ahead of time.

When the DEFAULT partition already holds rows of a month that is being created (the sweep did not
run for months, or an entry carries a far-future timestamp), PostgreSQL refuses to create the
partition. Those rows are then moved in one transaction that holds an ACCESS EXCLUSIVE lock on
the log, so no other session sees the log in between:

1. detach the DEFAULT partition (a detached partition loses the cloned append-only trigger);
2. create the month's partition;
3. copy the month's rows from the detached table into the log (they land in the new partition,
   with the same id and values, so the hash chain is unchanged);
4. delete those rows from the detached table;
5. attach it again as the DEFAULT partition (the trigger and indexes are attached again).

If anything fails the transaction rolls back and nothing has changed. This is the only place
where rows of the log are deleted, and only after their identical copy exists. All of this is
DDL and needs the role that owns the table (see the decision record); SQLite has no partitions
and every function here is a no-op there.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

log = logging.getLogger(__name__)

TABLE = "audit_accesslogentry"
DEFAULT_PARTITION = f"{TABLE}_default"
MONTHS_AHEAD = 3
# How long the sweep waits for the table lock before giving up until its next run. Creating a
# partition needs an ACCESS EXCLUSIVE lock on the log; while the sweep waits for it, new inserts
# queue behind it, so it must not wait long behind a slow reader (e.g. verify-access-log).
LOCK_TIMEOUT = "2s"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_{month.year:04d}_{month.month:02d}"


def _bound(month: dt.date) -> str:
    # Built from a date, never from user input; UTC so the bounds do not depend on the session.
    return f"'{month.year:04d}-{month.month:02d}-01 00:00:00+00'"


def is_partitioned(using: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s))",
            [TABLE],
        )
        row = cur.fetchone()
    return bool(row and row[0])


def partitions(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Names of the log's partitions (monthly ones in order, then the DEFAULT partition)."""
    if not is_partitioned(using):
        return []
    with connections[using].cursor() as cur:
        cur.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname = %s, c.relname",
            [TABLE, DEFAULT_PARTITION],
        )
        return [name for (name,) in cur.fetchall()]


def _exists(cur: CursorWrapper, name: str) -> bool:
    cur.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_inherits "
        "WHERE inhparent = to_regclass(%s) AND inhrelid = to_regclass(%s))",
        [TABLE, name],
    )
    row = cur.fetchone()
    return bool(row and row[0])


def ensure_partitions(
    months_ahead: int = MONTHS_AHEAD,
    *,
    start: dt.date | None = None,
    today: dt.date | None = None,
    using: str = DEFAULT_DB_ALIAS,
    lock_timeout: str | None = LOCK_TIMEOUT,
) -> list[str]:
    """Create the missing monthly partitions from `start` (default: this month) up to
    `months_ahead` months after this month; return the names of the partitions created.

    Idempotent and safe to run twice at once: each month is created in its own transaction that
    first takes the table lock and then checks again whether the partition exists. Rows of that
    month in the DEFAULT partition are moved into it (see the module docstring). A month whose
    lock cannot be had within `lock_timeout` is left for the next run (logged); the DEFAULT
    partition keeps every insert working meanwhile.
    """
    if not is_partitioned(using):
        return []
    this_month = month_start(today or timezone.now().astimezone(dt.UTC).date())
    month = month_start(start) if start is not None else this_month
    last = add_months(this_month, months_ahead)
    created: list[str] = []
    while month <= last:
        name = partition_name(month)
        try:
            if _create_month(connections[using], month, lock_timeout):
                created.append(name)
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != "55P03":  # lock_not_available
                raise
            log.warning("Partition %s not created: the read log is busy (%s).", name, exc)
        month = add_months(month, 1)
    return created


def _columns(cur: CursorWrapper) -> str:
    cur.execute(
        "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
        "WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
        [TABLE],
    )
    row = cur.fetchone()
    return str(row[0]) if row else "*"


def _create_month(
    connection: BaseDatabaseWrapper, month: dt.date, lock_timeout: str | None
) -> bool:
    with connection.cursor() as cur:
        if _exists(cur, partition_name(month)):  # the common case: nothing to do, no lock taken
            return False
    with transaction.atomic(using=connection.alias), connection.cursor() as cur:
        if lock_timeout is None:
            return _create_locked(cur, month)
        cur.execute("SELECT current_setting('lock_timeout')")
        row = cur.fetchone()
        previous = str(row[0]) if row else "0"
        cur.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout])
        created = _create_locked(cur, month)
        # Only matters inside a longer transaction (the migration, a test): leave it as it was.
        cur.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        return created


def _create_locked(cur: CursorWrapper, month: dt.date) -> bool:
    name = partition_name(month)
    lower, upper = _bound(month), _bound(add_months(month, 1))
    in_month = f"at >= {lower} AND at < {upper}"
    cur.execute(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
    if _exists(cur, name):  # another sweep was first
        return False
    moving = 0
    if _exists(cur, DEFAULT_PARTITION):
        cur.execute(f'SELECT count(*) FROM "{DEFAULT_PARTITION}" WHERE {in_month}')  # noqa: S608
        row = cur.fetchone()
        moving = int(row[0]) if row else 0
    if not moving:
        cur.execute(
            f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{TABLE}" '
            f"FOR VALUES FROM ({lower}) TO ({upper})"
        )
        return True
    # The DEFAULT partition holds entries of this month: move them (see the module docstring).
    # The ACCESS EXCLUSIVE lock above keeps every other session out until the commit.
    log.warning("Moving %d read-log entries from the default partition to %s.", moving, name)
    columns = _columns(cur)
    cur.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{DEFAULT_PARTITION}"')
    cur.execute(
        f'CREATE TABLE "{name}" PARTITION OF "{TABLE}" FOR VALUES FROM ({lower}) TO ({upper})'
    )
    cur.execute(
        f'INSERT INTO "{TABLE}" ({columns}) '  # noqa: S608 - names from the catalogue
        f'SELECT {columns} FROM "{DEFAULT_PARTITION}" WHERE {in_month}'
    )
    copied = cur.rowcount
    # Detached, the table no longer carries the append-only trigger; this is the one DELETE.
    cur.execute(f'DELETE FROM "{DEFAULT_PARTITION}" WHERE {in_month}')  # noqa: S608
    removed = cur.rowcount
    if not copied == removed == moving:  # cannot happen under the lock; never guess
        raise RuntimeError(f"{name}: {moving} to move, {copied} copied, {removed} removed.")
    cur.execute(f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{DEFAULT_PARTITION}" DEFAULT')
    return True
