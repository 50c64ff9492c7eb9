"""On PostgreSQL, partition the read log by month (docs/decisions/0502-read-log-integrity.md).

`audit_accesslogentry` becomes `PARTITION BY RANGE (at)` with monthly partitions
`audit_accesslogentry_YYYY_MM` (UTC bounds) and a DEFAULT partition. PostgreSQL requires the
partition key in every unique constraint, so the primary key becomes `(id, at)`; Django's model
keeps `id` as its primary key (ids come from one identity sequence, so they stay unique), which is
why the model state does not change and `makemigrations` sees nothing.

Existing rows are kept. In one transaction, with the table locked:
1. the old table is renamed to `audit_accesslogentry_old` (its identity sequence and primary key
   too) and its secondary indexes are dropped, so their names are free;
2. the new table is created with the same columns, defaults and identity, partitioned by `at`,
   with the DEFAULT partition and monthly partitions from the month of the oldest entry up to
   three months ahead (`schoolzorg.audit.partitions.ensure_partitions`);
3. every row is copied (ids and values unchanged, so the hash chain of the seals is unchanged);
   the identity sequence continues where the old one stopped;
4. the primary key, the indexes the model declares (same names, now partitioned indexes) and the
   append-only trigger of migration 0003 (on the partitioned table, so on every partition) are
   created after the copy (a sorted build is much faster than row-by-row index inserts);
5. the old table is dropped.

Reversible: backwards does the same the other way round (a plain table with primary key `id`).
Both directions copy the whole log, with the log locked: at 50 million rows about 8 minutes
each way on 2 cores (measured 448 s forwards), and the table's size again in free disk. SQLite: nothing happens.
"""

import datetime as dt

from django.db import migrations

TABLE = "audit_accesslogentry"
OLD = "audit_accesslogentry_old"
TRIGGER = """
CREATE TRIGGER audit_accesslogentry_no_change
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_accesslogentry_append_only();
"""


def _one(cur, sql, params=None):  # type: ignore[no-untyped-def]
    cur.execute(sql, params)
    return cur.fetchone()[0]


def _rebuild(schema_editor, *, partitioned):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from schoolzorg.audit.partitions import DEFAULT_PARTITION, ensure_partitions, month_start

    with connection.cursor() as cur:
        cur.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        if (
            _one(
                cur,
                "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass)",
                [TABLE],
            )
            == partitioned
        ):
            return  # already in the wanted shape (e.g. created by hand before this migration)
        # What to carry over: secondary indexes (not behind a constraint), the primary key's
        # name, the identity sequence and where it stands.
        cur.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
            "AND k.conrelid = i.indrelid) ORDER BY c.relname",
            [TABLE],
        )
        indexes = cur.fetchall()
        pkey = _one(
            cur,
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
            [TABLE],
        )
        if not _one(
            cur,
            "SELECT attidentity FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'id'",
            [TABLE],
        ):
            # A serial column's default would keep pointing at the old table's sequence.
            raise RuntimeError(f"{TABLE}.id is not an identity column; convert it first.")
        sequence = _one(cur, "SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        cur.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
        last_value, is_called = cur.fetchone()
        handed_out = last_value if is_called else last_value - 1

        # 1. Move the old table aside.
        cur.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cur.execute(f"ALTER SEQUENCE {sequence} RENAME TO {OLD}_id_seq")
        cur.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT {pkey} TO {OLD}_pkey")
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')

        # 2. The new table: same columns, defaults and identity (a new sequence).
        cur.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING IDENTITY "
            "INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)"
            + (" PARTITION BY RANGE (at)" if partitioned else "")
        )
        if partitioned:
            cur.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT")
            oldest = _one(cur, f"SELECT min(at) FROM {OLD}")  # noqa: S608
            ensure_partitions(
                start=month_start(oldest.astimezone(dt.UTC).date()) if oldest is not None else None,
                using=connection.alias,
                lock_timeout=None,
            )

        # 3. Copy; continue the ids where the old sequence stopped.
        cur.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")  # noqa: S608
        highest = max(handed_out, _one(cur, f"SELECT COALESCE(max(id), 0) FROM {OLD}"))  # noqa: S608
        new_sequence = _one(cur, "SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        if highest > 0:
            cur.execute("SELECT setval(%s, %s, true)", [new_sequence, highest])

        # 4. Primary key, indexes, trigger.
        key = "(id, at)" if partitioned else "(id)"
        cur.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {pkey} PRIMARY KEY {key}")
        for _, definition in indexes:
            # A partitioned index is reported as "ON ONLY table"; build it on every partition.
            cur.execute(definition.replace(" ON ONLY ", " ON ", 1))
        cur.execute(TRIGGER)

        # 5. Drop the old table (with its partitions, going backwards).
        cur.execute(f"DROP TABLE {OLD}")
        cur.execute(f"ANALYZE {TABLE}")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _rebuild(schema_editor, partitioned=True)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    _rebuild(schema_editor, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_trigger")]

    operations = [migrations.RunPython(forwards, backwards)]
