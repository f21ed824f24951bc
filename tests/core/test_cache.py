"""The statistics cache: keyed by scope, period and filters; invalidated by record and official-figure changes;
the heaviest pages stay within a query budget once it is warm."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ipplatform.analytics import services as stats
from ipplatform.core import cache

SAMPLE = "data/patents_cn/sipo_export_sample_carrotc.csv"


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_cached_value_until_invalidated(db, data_dir):
    calls = []
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.cached("t", {"year": 2015}, compute) == 1
    assert cache.cached("t", {"year": 2015}, compute) == 1  # from the cache
    assert cache.cached("t", {"year": 2016}, compute) == 2  # other filters, other entry
    cache.invalidate("t")
    assert cache.cached("t", {"year": 2015}, compute) == 3


def test_generation_is_shared_through_the_stamp_file(db, data_dir):
    """Another process (a job worker) bumping the stamp invalidates this process's local-memory copies."""
    before = cache.generation("stats")
    cache._bump("stats")
    assert cache.generation("stats") != before and (data_dir / "cache-stamps" / "stats").exists()


def test_dashboard_follows_imports_and_official_figures(
    users, data_dir, monkeypatch, django_capture_on_commit_callbacks
):
    from ipplatform.core.models import Population
    from ipplatform.patents import services as patent_services

    real, calls = stats.dashboard, []
    monkeypatch.setattr(stats, "dashboard", lambda **kw: calls.append(kw) or real(**kw))
    stats.cached_dashboard(year=2015)
    stats.cached_dashboard(year=2015)
    assert len(calls) == 1  # the second read came from the cache
    stats.cached_dashboard(year=2015, city_code="370200")
    assert len(calls) == 2  # another scope is another entry
    with django_capture_on_commit_callbacks(execute=True):
        patent_services.import_file(path=SAMPLE, user=users["xinxi"])  # sends patents_changed after commit
    stats.cached_dashboard(year=2015)
    assert len(calls) == 3  # records changed: recomputed
    Population.objects.first().save()  # an official figure behind the per-10,000 figures changed
    stats.cached_dashboard(year=2015)
    assert len(calls) == 4
    stats.cached_dashboard(year=2015)
    assert len(calls) == 4


@pytest.mark.parametrize(
    "url,budget", [("/stats/", 12), ("/city/370200/", 14), ("/workplan/board/", 30), ("/market/", 45), ("/", 10)]
)
def test_heavy_pages_query_budget(users, password, data_dir, url, budget):
    c = Client()
    c.post("/login/", {"username": "xinxi", "password": password})
    assert c.get(url).status_code == 200  # fills the caches
    with CaptureQueriesContext(connection) as q:
        assert c.get(url).status_code == 200
    assert len(q.captured_queries) <= budget, [x["sql"][:120] for x in q.captured_queries]


def test_stats_page_recomputes_after_import(users, password, data_dir, django_capture_on_commit_callbacks):
    from ipplatform.patents import services as patent_services

    c = Client()
    c.post("/login/", {"username": "xinxi", "password": password})
    c.get("/stats/?year=2015")
    with CaptureQueriesContext(connection) as warm:
        c.get("/stats/?year=2015")
    with django_capture_on_commit_callbacks(execute=True):
        patent_services.import_file(path=SAMPLE, user=users["xinxi"])
    with CaptureQueriesContext(connection) as cold:
        c.get("/stats/?year=2015")
    assert len(cold.captured_queries) > len(warm.captured_queries) + 10  # recomputed, not served stale


def test_static_files_get_far_future_headers_after_collectstatic(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import django, os; django.setup(); from django.test import Client; from django.templatetags.static import static; "
        "u = static('js/platform.js'); r = Client().get(u, HTTP_ACCEPT_ENCODING='gzip'); "
        "print(u, r.status_code, r['Cache-Control'], r.get('Content-Encoding', ''))"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        DATA_DIR=str(tmp_path),
        STATICFILES_STORAGE="whitenoise.storage.CompressedManifestStaticFilesStorage",
        LOG_LEVEL="ERROR",
        ACCESS_LOG_LEVEL="ERROR",
        ALLOWED_HOSTS="testserver",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=root, env=env, check=True, timeout=300
    )
    env.pop("STATICFILES_STORAGE")  # the manifest found under STATIC_ROOT switches the storage on, as in production
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, check=True, capture_output=True, text=True, timeout=120
    ).stdout.split()
    url, status, cache_control, encoding = out[0], out[1], " ".join(out[2:-1]), out[-1]
    assert url.startswith("/static/js/platform.") and url.count(".") >= 2  # hashed name
    assert (
        status == "200" and "max-age=315360000" in cache_control and "immutable" in cache_control and encoding == "gzip"
    )


def test_a_statistics_rebuild_invalidates_once_not_per_row(db, data_dir, users, django_capture_on_commit_callbacks):
    from ipplatform.analytics import aggregates
    from ipplatform.analytics.models import YearBucket
    from ipplatform.patents import services as patent_services

    with django_capture_on_commit_callbacks(execute=True):
        patent_services.import_file(path=SAMPLE, user=users["xinxi"])
    stamp = data_dir / "cache-stamps" / "stats"
    bumps = stamp.stat().st_size if stamp.exists() else 0
    assert YearBucket.objects.count() > 20
    before = cache.generation("stats")
    with django_capture_on_commit_callbacks(execute=True):
        aggregates.rebuild()
    assert cache.generation("stats") != before  # the cached figures are stale after a rebuild
    # two bumps (now, and at commit) where deleting the old buckets row by row used to make one each
    assert stamp.stat().st_size - bumps <= 2


def test_concurrent_misses_compute_once(db, data_dir):
    """Eight threads that miss the same entry at once: one computes, the others get its value."""
    import threading
    import time

    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive while the first computes
        return len(calls)

    start = threading.Barrier(8)
    results = []

    def request():
        start.wait(timeout=10)
        results.append(cache.cached("t", {"page": "board"}, compute))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert len(calls) == 1 and results == [1] * 8
    assert cache._flights == {}  # nothing left behind for the next miss


def test_misses_of_different_entries_compute_side_by_side(db, data_dir):
    """The per-key wait does not serialise unrelated entries: two computations of different keys overlap (each
    waits for the other inside compute; serialised, the barrier would time out)."""
    import threading

    both_inside = threading.Barrier(2)
    results = []

    def compute(year):
        both_inside.wait(timeout=5)
        return year

    threads = [
        threading.Thread(target=lambda y=y: results.append(cache.cached("t", {"year": y}, lambda: compute(y))))
        for y in (2015, 2016)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert sorted(results) == [2015, 2016]
