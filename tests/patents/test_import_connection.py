"""SQLite settings for the length of an import: a larger page cache, restored afterwards."""

import pytest
from django.db import connection

from ipplatform.patents import services

from .conftest import write_csv


def _cache_size() -> int:
    with connection.cursor() as cur:
        return cur.execute("PRAGMA cache_size").fetchone()[0]


@pytest.fixture(autouse=True)
def _default_cache(patents_env):
    """Each test starts from SQLite's default (2,000 KiB), whatever an earlier test left on the shared connection."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size = -2000")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")
def test_import_raises_the_page_cache_and_restores_it(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    before = _cache_size()
    seen = []
    result = services.import_file(
        path=write_csv(tmp_path / "real.csv", header, rows),
        mode="lenient",
        progress=lambda *args, **kwargs: seen.append(_cache_size()),
    )
    assert result.created == len(rows)
    assert seen and set(seen) == {-services.BULK_CACHE_KIB}
    assert before != seen[0]
    assert _cache_size() == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")
def test_pragmas_are_restored_when_an_import_fails(patents_env, tmp_path, carrot_rows, monkeypatch):
    header, rows = carrot_rows
    before = _cache_size()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "apply_batch", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        services.import_file(path=write_csv(tmp_path / "real.csv", header, rows), mode="lenient")
    assert _cache_size() == before
