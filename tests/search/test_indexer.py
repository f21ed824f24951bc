"""The index helper process of long imports (search.indexer): the index ends equal to the database, also after a kill.

The test database of the suite lives in memory on SQLite, where a second process cannot see it, so each scenario
runs the real importer in a child interpreter on its own file database (the first 2,400 rows of the real CNKI
listing, in batches of 200: the first batch is indexed inline, the others by the helper)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ipplatform.search import indexer

ROOT = Path(__file__).resolve().parents[2]
CNKI = ROOT / "data" / "patents_cn" / "cnki_company_patents_hank0438.csv"

CHILD = r"""
import json, os, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from ipplatform.patents import services
from ipplatform.patents.models import Patent
from ipplatform.search import services as search
from ipplatform.search.query import MatchAll

action, path = sys.argv[1], sys.argv[2]
if action == "kill":
    def kill_after(batch_no):
        if batch_no == 6:  # five batches already handed to the helper; kill the importer and its helper
            import signal
            os.killpg(0, signal.SIGKILL)
    services._after_batch = kill_after
    os.setpgrp()
if action in ("import", "kill"):
    services.import_file(path=path, mode="lenient", batch_size=200)
root = search.get_backend().root
print(json.dumps({
    "db": sorted(Patent.objects.values_list("pk", flat=True)),
    "index": sorted(search.get_backend().ids(MatchAll())),
    "journals": sorted(p.name for p in root.glob("pending-*.jsonl")),
    "left": sorted(p.name for p in root.iterdir() if p.name.startswith(("deferred-", "bulk-"))),
    "graphene": search.count(query="TI=石墨烯") if Patent.objects.exists() else 0,
}))
"""


def run_child(tmp_path: Path, action: str, source: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ipplatform.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(ROOT),
        "IPPLATFORM_INDEXER_STATS": str(tmp_path / "helper.json"),
    }
    return subprocess.run(
        [sys.executable, "-c", CHILD, action, str(source)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def listing(tmp_path) -> Path:
    lines = CNKI.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    part = tmp_path / "cnki_first_2400.csv"
    part.write_text("".join(lines[:2401]), encoding="utf-8")
    return part


def result_of(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_helper_indexes_every_imported_record(tmp_path, listing):
    out = result_of(run_child(tmp_path, "import", listing))
    assert len(out["db"]) > 2000
    assert out["index"] == out["db"]  # nothing missing, nothing twice
    assert out["journals"] == []  # a clean finish leaves no pending journal
    assert out["left"] == []  # nor its writer marker or deferred updates
    # the helper ran below the importer's priority (which the child inherited from this process)
    assert json.loads((tmp_path / "helper.json").read_text())["niceness"] == min(
        19, os.nice(0) + indexer.HELPER_NICENESS
    )


def test_killed_import_leaves_a_journal_that_the_rerun_replays(tmp_path, listing):
    killed = run_child(tmp_path, "kill", listing)
    assert killed.returncode != 0
    after_kill = result_of(run_child(tmp_path, "inspect", listing))
    assert 1000 <= len(after_kill["db"]) < 2400  # six batches of 200 committed, the rest not
    assert after_kill["journals"], "the kill must leave the helper's pending journal behind"
    # the inspection above did not index anything: the journal is replayed by the next index update
    rerun = result_of(run_child(tmp_path, "import", listing))
    assert rerun["journals"] == []
    assert rerun["index"] == rerun["db"]
    assert len(rerun["db"]) > len(after_kill["db"])


def test_journal_lines_cut_short_are_ignored(tmp_path):
    journal = tmp_path / "pending-1-1.jsonl"
    journal.write_text(json.dumps({"ids": ["a", "b"], "deleted": ["c"]}) + "\n" + '{"ids": ["d"', encoding="utf-8")
    assert indexer.read_journal(journal) == (["a", "b"], ["c"])


def test_updates_during_an_import_are_deferred_to_its_helper_and_never_lost(real_patents, search_dir):
    """While a live helper holds the writer (its bulk-<pid> marker), an edit elsewhere leaves a deferred journal
    instead of waiting minutes for the writer; a helper that stops without taking it leaves it to the next update."""
    from ipplatform.patents.models import Patent
    from ipplatform.search import services

    backend = services.get_backend()
    patent = Patent.objects.filter(title__contains="石墨烯").first()
    assert services.count(query=f"TI={patent.title}") == 1
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # stands in for the helper
    try:
        (backend.root / f"bulk-{helper.pid}").touch()
        Patent.objects.filter(pk=patent.pk).update(title="测试用的延迟索引标题")
        assert services.index_ids(ids=[patent.pk]) == 1
        deferred = list(backend.root.glob("deferred-*.jsonl"))
        assert len(deferred) == 1 and indexer.read_journal(deferred[0]) == ([patent.pk], [])
        assert services.count(query="TI=延迟索引") == 0  # not indexed by this process
        assert indexer.collect_deferred(backend.root)[0] == [patent.pk]  # what the helper takes with its next batch
    finally:
        helper.kill()
        helper.wait()
    # the helper is gone without taking it: the next index update (of anything) replays it first
    other = Patent.objects.exclude(pk=patent.pk).first()
    services.index_ids(ids=[other.pk])
    assert list(backend.root.glob("deferred-*.jsonl")) == []
    assert services.count(query="TI=延迟索引") == 1
