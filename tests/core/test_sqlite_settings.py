"""SQLite connection settings: a new database file gets 8 KiB pages and WAL; an existing file keeps its page size."""

import sqlite3

import pytest
from django.conf import settings


def _connect(path) -> sqlite3.Connection:
    """A connection that runs the settings' init_command statement by statement, as Django's SQLite backend does."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in settings.SQLITE_OPTIONS["init_command"].split(";"):
        if statement.strip():
            conn.execute(statement)
    return conn


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="the database is not SQLite"
)
def test_the_sqlite_database_uses_the_project_options():
    assert settings.DATABASES["default"]["OPTIONS"] == settings.SQLITE_OPTIONS


def test_a_new_database_gets_8_kib_pages_and_wal(tmp_path):
    conn = _connect(tmp_path / "new.sqlite3")
    conn.execute("CREATE TABLE t (x TEXT)")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert sqlite3.connect(tmp_path / "new.sqlite3").execute("PRAGMA page_size").fetchone()[0] == 8192


def test_an_existing_database_keeps_its_page_size(tmp_path):
    path = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE t (x TEXT)")
    raw.execute("INSERT INTO t VALUES ('山东')")
    raw.commit()
    raw.close()
    conn = _connect(path)
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert conn.execute("SELECT x FROM t").fetchone()[0] == "山东"
