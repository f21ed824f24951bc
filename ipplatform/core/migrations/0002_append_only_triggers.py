"""Database-level guard: audit events and workflow history cannot be updated.

Deletion is left to the database owner (test flushes need it) and is caught by the hash chain verifier
(a gap in the sequence or a broken link)."""
from django.db import migrations

TABLES = ["core_auditevent", "core_statetransition"]


def create(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in TABLES:
            if conn.vendor == "sqlite":
                cur.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}'); END;"
                )
            elif conn.vendor == "postgresql":
                cur.execute(
                    "CREATE OR REPLACE FUNCTION ipplatform_append_only() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;"
                )
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")
                cur.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION ipplatform_append_only()")


def drop(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in TABLES:
            if conn.vendor == "sqlite":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            elif conn.vendor == "postgresql":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
