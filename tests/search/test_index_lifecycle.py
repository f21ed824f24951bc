"""The index follows the database, rebuilds swap atomically while searches continue, damage is repaired."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import transaction

from ipplatform.patents.models import Patent
from ipplatform.patents.signals import patents_changed
from ipplatform.search import services
from ipplatform.search.backends.tantivy_backend import TantivyBackend

from .factories import make_patent


def _ids(q):
    return sorted(services.matching_ids(query=q))


def test_missing_index_is_built_on_first_search(db, search_dir):
    make_patent("2016100000011", "一种锂电池隔膜")
    assert not (search_dir / "search").exists()
    assert _ids("隔膜") == ["2016100000011"]
    assert (search_dir / "search" / "current").is_symlink()


def test_index_follows_patents_changed_signal(db, search_dir):
    services.rebuild_index()
    make_patent("2016100000011", "一种锂电池隔膜")
    assert _ids("隔膜") == []  # bulk insert: nothing told the index yet
    patents_changed.send(sender=Patent, ids=["2016100000011"], deleted=[])
    assert _ids("隔膜") == ["2016100000011"]
    Patent.objects.filter(pk="2016100000011").update(title="一种钠离子电池正极")
    patents_changed.send(sender=Patent, ids=["2016100000011"], deleted=[])
    assert _ids("隔膜") == [] and _ids("钠离子") == ["2016100000011"]
    Patent.objects.filter(pk="2016100000011").delete()
    patents_changed.send(sender=Patent, ids=[], deleted=["2016100000011"])
    assert _ids("钠离子") == []
    assert services.get_backend().stats()["documents"] == 0


def test_orm_saves_are_indexed_after_commit(db, search_dir, django_capture_on_commit_callbacks):
    services.rebuild_index()
    with django_capture_on_commit_callbacks(execute=True):
        p = make_patent("2016100000033", "一种光伏逆变器", save="orm")
        assert _ids("逆变器") == []  # not before the commit
    assert _ids("逆变器") == ["2016100000033"]
    with django_capture_on_commit_callbacks(execute=True):
        p.title = "一种风力发电机"
        p.save()
    assert _ids("逆变器") == [] and _ids("发电机") == ["2016100000033"]
    with django_capture_on_commit_callbacks(execute=True):
        p.delete()
    assert _ids("发电机") == []


def test_one_orm_save_updates_the_index_once(db, search_dir, django_capture_on_commit_callbacks, monkeypatch):
    services.rebuild_index()
    calls = []
    real_index_ids = services.index_ids
    monkeypatch.setattr(services, "index_ids", lambda **kw: calls.append(kw) or real_index_ids(**kw))
    with django_capture_on_commit_callbacks(execute=True):
        make_patent("2016100000044", "一种储能电站", save="orm")
    assert calls == [{"ids": ["2016100000044"], "deleted": []}]


def test_saves_of_a_rolled_back_transaction_are_not_indexed(db, search_dir, django_capture_on_commit_callbacks):
    services.rebuild_index()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_patent("2016100000055", "一种回滚的储能电站", save="orm")
        raise RuntimeError("rolled back")
    with django_capture_on_commit_callbacks(execute=True):
        make_patent("2016100000066", "一种提交的储能电站", save="orm")
    assert _ids("储能电站") == ["2016100000066"]


def test_rebuild_swaps_atomically_while_searches_continue(db, search_dir, monkeypatch):
    for i in range(30):
        make_patent(f"20161000001{i:02d}", f"一种电池管理系统{i}")
    services.rebuild_index()
    backend = services.get_backend()
    first = os.readlink(backend.current)
    results, errors, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                results.append(services.count(query="电池管理"))  # index only: the test database belongs to this thread
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    from ipplatform.search import documents

    real_iter = documents.iter_documents

    def slow_docs(*args, **kwargs):
        for n, d in enumerate(real_iter(*args, **kwargs)):
            if n == 10:  # a change committed while the rebuild runs goes to the journal and survives the swap
                make_patent("2016100000999", "一种电池管理芯片")
                services.index_ids(ids=["2016100000999"])
            yield d

    monkeypatch.setattr(documents, "iter_documents", slow_docs)
    t = threading.Thread(target=reader)
    t.start()
    try:
        info = services.rebuild_index()
    finally:
        stop.set()
        t.join()
    assert not errors
    assert results and set(results) <= {30, 31}
    assert os.readlink(backend.current) != first and info["count"] in (30, 31)
    assert "2016100000999" in services.matching_ids(query="电池管理芯片")
    assert services.count(query="电池管理") == 31
    assert not (backend.root / "journal.jsonl").exists()


def _corrupt_meta(backend: TantivyBackend):
    (backend.root / os.readlink(backend.current) / "meta.json").write_text("{ not json")


def _corrupt_segments(backend: TantivyBackend):
    for f in (backend.root / os.readlink(backend.current)).glob("*.idx"):
        f.write_bytes(b"\0" * 7)


@pytest.mark.parametrize("damage", [_corrupt_meta, _corrupt_segments, lambda b: os.unlink(b.current)])
def test_damaged_index_is_detected_and_rebuilt(db, search_dir, damage):
    make_patent("2016100000011", "一种锂电池隔膜")
    make_patent("2016100000022", "一种隔膜涂布机")
    services.rebuild_index()
    backend = services.get_backend()
    TantivyBackend._cache.clear()  # a fresh worker process
    damage(backend)
    assert _ids("隔膜") == ["2016100000011", "2016100000022"]
    assert backend.healthy()


def test_several_processes_read_one_index_while_it_is_written(db, search_dir):
    for i in range(20):
        make_patent(f"20161000002{i:02d}", f"一种热泵干燥装置{i}")
    services.rebuild_index()
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATA_DIR": str(search_dir)}
    cmd = [sys.executable, "manage.py", "search_patents", "热泵干燥", "--format", "ids"]
    procs = [
        subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for i in range(5):  # the writer keeps committing while the readers open and search
        make_patent(f"20161000003{i:02d}", f"一种热泵干燥机{i}")
        services.index_ids(ids=[f"20161000003{i:02d}"])
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        lines = out.split()
        assert 20 <= len(lines) <= 25 and len(set(lines)) == len(lines)
    assert services.count(query="热泵干燥") == 25


def test_single_characters_of_long_texts_are_found_through_their_bigrams(db, search_dir):
    """Abstracts are indexed by bigrams only: a single character is found wherever it stands, the last one included,
    regex metacharacters too, and a one-character abstract as well."""
    make_patent("2016100000011", "一种电池", abstract="本发明涉及锂-离子电池~")
    make_patent("2016100000022", "一种隔膜", abstract="隔")
    make_patent("2016100000033", "一种电极", abstract="电极材料(含镍)")
    services.rebuild_index()
    assert _ids("AB=~") == ["2016100000011"]  # the last character, a regex metacharacter
    assert _ids("AB=-") == ["2016100000011"]
    assert _ids("AB=隔") == ["2016100000022"]  # the only character
    assert _ids("AB=锂") == ["2016100000011"]
    assert _ids("AB=镍") == ["2016100000033"]
    assert _ids("AB=电") == ["2016100000011", "2016100000033"]
    assert _ids("AB=池") == ["2016100000011"]  # before the last character
    assert _ids("AB=池~") == ["2016100000011"] and _ids("AB=~电") == []
    assert _ids("AB=钠") == []
