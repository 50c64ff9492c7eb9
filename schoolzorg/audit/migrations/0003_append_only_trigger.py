"""On PostgreSQL, refuse UPDATE and DELETE on the read log in the database itself.

The model and queryset guards stop the application; the trigger stops anything else that connects
as the application's database user (a shell, a bug in raw SQL). Retention works per month by
dropping whole partitions or, before partitioning, by a maintenance role that disables the
trigger explicitly (see docs/decisions/0502-read-log-integrity.md). SQLite has no such trigger
language worth relying on here; the hash chain detects tampering there.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_accesslogentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE =
        'audit_accesslogentry is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_accesslogentry_no_change ON audit_accesslogentry;
CREATE TRIGGER audit_accesslogentry_no_change
    BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION audit_accesslogentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_accesslogentry_no_change ON audit_accesslogentry;
DROP FUNCTION IF EXISTS audit_accesslogentry_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_seals_break_glass_weekly_review")]

    operations = [migrations.RunPython(forwards, backwards)]
