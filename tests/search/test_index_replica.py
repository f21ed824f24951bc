"""Search index replicas on other web nodes: segment files copied (unchanged ones hard-linked), generation switched."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from ipplatform.patents import services as patent_services
from ipplatform.patents.models import Patent
from ipplatform.search import replica, services

SAMPLE = "data/patents_cn/sipo_export_sample_carrotc.csv"


@pytest.fixture
def nodes(tmp_path, settings, users):
    writer, node2 = tmp_path / "writer", tmp_path / "node2"
    writer.mkdir()
    node2.mkdir()
    settings.DATA_DIR = writer
    patent_services.import_file(path=SAMPLE, user=users["xinxi"])
    services.rebuild_index()
    return writer, node2


def test_replica_copies_segments_and_switches_generation(nodes, settings, db, tmp_path):
    writer, node2 = nodes
    total = Patent.objects.count()
    some = Patent.objects.order_by("id").first()
    first = replica.sync_from(source_root=writer / "search", dest_root=node2 / "search")
    assert first["copied"] > 0 and first["linked"] == 0 and not first["unchanged"]
    settings.DATA_DIR = node2
    assert services.get_backend().searcher().num_docs == total
    assert services.count(query=f"申请号={some.pk}") == 1
    gen1 = os.readlink(node2 / "search" / "current")

    # nothing changed on the writer: nothing copied, same generation
    assert replica.sync_from(source_root=writer / "search", dest_root=node2 / "search")["unchanged"]

    # the writer indexes a change (a new segment); the next sync copies only that and links the rest
    settings.DATA_DIR = writer
    Patent.objects.filter(pk=some.pk).update(title="一种用于复制测试的电池热管理装置")
    services.index_ids(ids=[some.pk])
    second = replica.sync_from(source_root=writer / "search", dest_root=node2 / "search")
    assert second["linked"] > 0 and second["copied"] > 0 and second["generation"] != gen1
    settings.DATA_DIR = node2
    assert services.count(query="名称=复制测试") == 1 and services.get_backend().searcher().num_docs == total

    # the command a replica node's timer runs; a missing source is a clear error
    node3 = tmp_path / "node3"
    node3.mkdir()
    settings.DATA_DIR = node3
    call_command("sync_index", "--from", str(writer / "search"), verbosity=0)
    assert services.get_backend().searcher().num_docs == total
    with pytest.raises(replica.SyncError, match="不存在"):
        replica.sync_from(source_root=tmp_path / "nowhere", dest_root=node3 / "search")


def test_replica_node_sends_changes_to_the_writer(settings, db, monkeypatch):
    from ipplatform.search import tasks

    sent = []
    monkeypatch.setattr(tasks, "index_on_writer", lambda ids, deleted: sent.append((ids, deleted)))
    settings.SEARCH_INDEX_ROLE = "replica"
    services._safe_index(["CN1"], ["CN2"])
    assert sent == [(["CN1"], ["CN2"])]
