"""PostgreSQL import tuning of migrations patents 0004 and analytics 0002: unused pattern-ops indexes gone, the
ones behind prefix filters kept, page room on the tables updated in place; nothing done on other databases."""

import importlib

import pytest
from django.db import connection

from ipplatform.lib import pgschema

patents_0004 = importlib.import_module("ipplatform.patents.migrations.0004_postgresql_import_tuning")
analytics_0002 = importlib.import_module("ipplatform.analytics.migrations.0002_postgresql_import_tuning")
on_pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL-only schema")


@on_pg
def test_unused_pattern_indexes_are_dropped_and_prefix_filters_keep_theirs(db):
    for table, columns in {**patents_0004.UNUSED_LIKE, **analytics_0002.UNUSED_LIKE}.items():
        for column in columns:
            assert pgschema.like_indexes(connection, table, column) == [], (table, column)
    for table, column in [
        ("patents_patent", "ipc_main"),
        ("patents_patent", "region_code"),
        ("patents_applicant", "region_code"),
    ]:
        assert len(pgschema.like_indexes(connection, table, column)) == 1, (table, column)


@on_pg
def test_tables_updated_in_place_have_room_on_their_pages(db):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
            [["patents_applicant", "analytics_monthbucket", "analytics_yearbucket", "patents_patent"]],
        )
        options = dict(cur.fetchall())
    assert options == {
        "patents_applicant": ["fillfactor=70"],
        "analytics_monthbucket": ["fillfactor=50"],
        "analytics_yearbucket": ["fillfactor=50"],
        "patents_patent": None,
    }


@on_pg
def test_the_reverse_recreates_the_indexes(db):
    with connection.schema_editor(atomic=True) as editor:
        pgschema.create_like_indexes(editor, {"patents_publication": ["number"]})
        assert len(pgschema.like_indexes(connection, "patents_publication", "number")) == 1
        pgschema.drop_like_indexes(editor, {"patents_publication": ["number"]})
    assert pgschema.like_indexes(connection, "patents_publication", "number") == []


def test_other_databases_are_left_alone():
    class Editor:
        class connection:
            vendor = "sqlite"

        def quote_name(self, name):
            return f'"{name}"'

        def execute(self, sql):
            raise AssertionError(f"ran {sql}")

    pgschema.drop_like_indexes(Editor(), {"t": ["c"]})
    pgschema.create_like_indexes(Editor(), {"t": ["c"]})
    pgschema.set_fillfactor(Editor(), {"t": 50})
