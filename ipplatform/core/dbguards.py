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
                cur.execute(
                    f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION ipplatform_append_only()"
                )


def drop_append_only_triggers(schema_editor, tables: list[str]) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in tables:
            if conn.vendor == "sqlite":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            elif conn.vendor == "postgresql":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")


def create_no_delete_triggers(schema_editor, tables: list[str]) -> None:
    """DELETE refused as well (SQLite and PostgreSQL; TRUNCATE too on PostgreSQL). The test suite drops these once
    for its own database (tests/conftest.py), because test flushes empty every table."""
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in tables:
            if conn.vendor == "sqlite":
                cur.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: rows cannot be deleted'); END;"
                )
            elif conn.vendor == "postgresql":
                cur.execute(
                    "CREATE OR REPLACE FUNCTION ipplatform_append_only() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;"
                )
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
                cur.execute(
                    f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION ipplatform_append_only()"
                )
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
                cur.execute(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION ipplatform_append_only()"
                )


def drop_no_delete_triggers(schema_editor, tables: list[str]) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in tables:
            if conn.vendor == "sqlite":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            elif conn.vendor == "postgresql":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")


# Every append-only table of the platform (UPDATE and DELETE refused by the database).
APPEND_ONLY_TABLES = [
    "core_auditevent",
    "core_statetransition",
    "protection_evidencerecord",
    "protection_deadlineextension",
    "protection_conflictdeclaration",
    "protection_intakeattachment",
]
