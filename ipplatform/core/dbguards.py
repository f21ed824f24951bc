"""Database triggers that make tables append-only (UPDATE refused), used by migrations of any app."""
from __future__ import annotations


def create_append_only_triggers(schema_editor, tables: list[str]) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in tables:
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


def drop_append_only_triggers(schema_editor, tables: list[str]) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in tables:
            if conn.vendor == "sqlite":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            elif conn.vendor == "postgresql":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")
