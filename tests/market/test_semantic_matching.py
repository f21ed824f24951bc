"""Market matching with meaning (real model on a handful of real records): demand -> patents and their owners,
listing -> likely buyers, each match explained."""

import datetime as dt

import pytest
from django.utils import timezone

from ipplatform.market import matching, services
from ipplatform.search import services as search
from tests.market import realdata
from tests.search import realsemantic


@pytest.fixture
def embedded(db, settings):
    settings.SEMANTIC_EMBEDDER = "e5"
    ids = realsemantic.load()
    search.rebuild_index()
    return ids


def test_demand_in_plain_words_is_matched_by_meaning_and_explained(embedded, users):
    demand = services.post_demand(
        user=users["qilu_ent"],
        title="硒鼓再生",
        field="办公设备",
        problem="我们回收打印机硒鼓，想找一种重新灌碳粉的工具，最好一瓶粉能灌好几次",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    result = matching.match_demand(demand=demand, limit=5)
    assert result["engine"].endswith("+semantic") and "语义相近度×0.45" in result["method"]
    best = result["patents"][0]
    assert best.obj.pk == "2010105774513", [(m.obj.pk, m.obj.title, m.score) for m in result["patents"]]
    assert best.similarity is not None and best.meaning_rank == 1
    assert best.reasons[0].startswith("语义相近：相似度") and "语义排名第1" in best.reasons[0]


def test_without_vectors_matching_is_unchanged(db, users, settings):
    settings.SEMANTIC_EMBEDDER = "e5"
    realdata.load_sipo_epub(limit=20)
    demand = services.post_demand(
        user=users["qilu_ent"],
        title="益生菌",
        field="食品",
        problem="益生菌片剂低温包衣，贮藏稳定",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    result = matching.match_demand(demand=demand, limit=5)
    assert result["engine"] == "search" and "语义" not in result["method"]
    assert all(m.similarity is None for m in result["patents"])
