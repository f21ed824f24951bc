"""Semantic and hybrid search: the ranking contract, the filter, validation, pages, API and permissions
(stand-in embedder; the real model is in test_semantic_real.py)."""

import pytest
from django.urls import reverse

from ipplatform.core.inputs import InputError
from ipplatform.search import semantic, services

from .factories import make_patent


@pytest.fixture
def corpus(db, settings, search_dir):
    settings.SEMANTIC_EMBEDDER = "hash"
    make_patent(
        "2016100000011", "一种锂电池隔膜及其制备方法", abstract="聚烯烃微孔隔膜，提高锂电池安全性", date="2016-05-01"
    )
    make_patent(
        "2016100000022",
        "一种建筑外墙保温板安装结构",
        abstract="保温板通过锚栓固定在外墙上",
        ipc="E04F13/08",
        date="2014-03-01",
    )
    make_patent("2016100000033", "一种锂电池正极材料", abstract="镍钴锰三元正极，提高锂电池能量密度", date="2012-01-01")
    make_patent(
        "2016100000044",
        "一种益生菌片剂的低温包衣方法",
        abstract="益生菌片剂在低温下包衣",
        ipc="A23L33/135",
        date="2017-01-01",
    )
    services.rebuild_index()
    semantic.embed_pending()


# ---------------------------------------------------------------- fusion contract


def test_fusion_puts_agreement_first_and_keeps_either_ranking_alone():
    meaning = [("a", 0.9), ("b", 0.8), ("c", 0.7)]
    wording = [("b", 12.0), ("d", 9.0), ("a", 3.0)]
    fused = semantic.fuse(meaning=meaning, wording=wording, k=20, w_meaning=1.0, w_text=0.7)
    ids = [pid for pid, _ in fused]
    assert ids[:2] in (["b", "a"], ["a", "b"])  # found by both rankings: ahead of those found by one
    assert set(ids) == {"a", "b", "c", "d"}  # nothing is dropped
    assert [s for _, s in fused] == sorted((s for _, s in fused), reverse=True)
    b = dict(fused)["b"]
    assert b == pytest.approx(1.0 / 22 + 0.7 / 21)
    # weight 0 for wording is the meaning order; weight 0 for meaning is the wording order
    assert [p for p, _ in semantic.fuse(meaning=meaning, wording=wording, w_text=0.0)][:3] == ["a", "b", "c"]
    assert [p for p, _ in semantic.fuse(meaning=meaning, wording=wording, w_meaning=0.0)][:3] == ["b", "d", "a"]
    # equal scores: the id decides, so results are deterministic
    assert semantic.fuse(meaning=[("y", 1.0)], wording=[("x", 1.0)], k=20, w_text=1.0) == [
        ("x", 1.0 / 21),
        ("y", 1.0 / 21),
    ]


def test_fusion_uses_ranks_not_raw_scores():
    """Rescaling one engine's scores (BM25 is unbounded, cosine is not) changes nothing."""
    meaning = [("a", 0.91), ("b", 0.90)]
    wording = [("b", 50.0), ("a", 1.0)]
    assert semantic.fuse(meaning=meaning, wording=wording) == semantic.fuse(
        meaning=meaning, wording=[("b", 5e6), ("a", 1e-3)]
    )


def test_wording_counts_only_as_far_as_the_query_words_occur_verbatim():
    """The adaptive rule: a paraphrase in one's own words is ranked by meaning alone; a query whose wording occurs in
    its top text hits lets the wording ranking count with its full weight (ramp between the two thresholds)."""
    hit = "一种锂电池隔膜及其制备方法。聚烯烃微孔隔膜，提高锂电池安全性"
    assert semantic.verbatim_share("锂电池隔膜", [hit]) == 1.0
    assert semantic.verbatim_share("锂 电池", ["无关", hit]) == 1.0  # whitespace ignored; the best-covering hit counts
    assert semantic.verbatim_share("防止充电时起火的薄膜", [hit]) == 0.0
    assert semantic.verbatim_share("锂电池的薄膜", [hit]) == pytest.approx(
        2 / 5
    )  # 锂电 电池 of 锂电 电池 池的 的薄 薄膜
    assert semantic.verbatim_share("", [hit]) == 0.0 and semantic.verbatim_share("锂电池", []) == 0.0
    assert semantic.text_weight(0.1, lo=0.3, hi=0.6, w_max=1.5) == 0.0
    assert semantic.text_weight(0.45, lo=0.3, hi=0.6, w_max=1.5) == pytest.approx(0.75)
    assert semantic.text_weight(0.9, lo=0.3, hi=0.6, w_max=1.5) == 1.5
    assert (
        semantic.text_weight(0.3, lo=0.3, hi=0.3, w_max=1.5) == 1.5
        and semantic.text_weight(0.29, lo=0.3, hi=0.3) == 0.0
    )
    meaning, wording = [("a", 0.9), ("b", 0.8)], [("b", 9.0), ("c", 5.0)]
    low = semantic.fuse(meaning=meaning, wording=wording, w_text=semantic.text_weight(0.1))
    assert [p for p, _ in low] == ["a", "b", "c"]  # uninformative wording: the meaning order, wording-only hits last
    high = semantic.fuse(meaning=meaning, wording=wording, w_text=semantic.text_weight(1.0))
    assert [p for p, _ in high][0] == "b"  # found by both, wording informative: first


def test_blend_ranks_by_meaning_and_lets_wording_break_near_ties():
    """The hybrid rule: cosine plus BAND * (k+1)/(k+r) for the r-th wording hit; nothing dropped, ties by id."""
    meaning = [("a", 0.90), ("b", 0.89), ("c", 0.80)]
    wording = [("b", 12.0), ("d", 9.0), ("a", 3.0)]
    blended = semantic.blend(meaning=meaning, wording=wording, band=0.02, k=0)
    assert [p for p, _ in blended] == ["b", "a", "d", "c"]  # d (wording 2nd) passes c, 0.01 less similar
    scores = dict(blended)
    assert scores["b"] == pytest.approx(0.89 + 0.02) and scores["a"] == pytest.approx(0.90 + 0.02 / 3)
    assert scores["c"] == pytest.approx(0.80)  # not found by wording: its cosine
    assert scores["d"] == pytest.approx(0.80 + 0.01)  # wording only: the lowest cosine of the meaning list + bonus
    k1 = dict(semantic.blend(meaning=meaning, wording=wording, band=0.02, k=1))  # rank r adds 0.02 * 2 / (1 + r)
    assert k1["b"] == pytest.approx(0.89 + 0.02) and k1["a"] == pytest.approx(0.90 + 0.02 * 2 / 4)
    assert dict(semantic.blend(meaning=meaning, wording=wording, band=0.02, k=1))["d"] == pytest.approx(
        0.80 + 0.02 * 2 / 3
    )
    # band 0 is the meaning order (wording-only hits after it); only the wording's order counts, not its scores
    assert [p for p, _ in semantic.blend(meaning=meaning, wording=wording, band=0.0)][:3] == ["a", "b", "c"]
    assert semantic.blend(meaning=meaning, wording=wording) == semantic.blend(
        meaning=meaning, wording=[("b", 5e6), ("d", 1.0), ("a", 1e-3)]
    )
    # no vectors at all: the wording order; equal scores: the id decides
    assert [p for p, _ in semantic.blend(meaning=[], wording=wording)] == ["b", "d", "a"]
    assert semantic.blend(meaning=[("y", 0.5), ("x", 0.5)], wording=[]) == [("x", 0.5), ("y", 0.5)]


def test_hybrid_gets_both_the_meaning_answer_and_the_wording_answer():
    """Cases taken from bench/semantic_eval.py (rounded cosines of the real e5 rankings): hybrid is right in both."""
    # a hand-written paraphrase (交通指示牌上打了很多小孔，减小风的阻力): wording puts a record about other signs first,
    # meaning is right and clearly ahead (0.908 against 0.885)
    meaning = [("answer", 0.908), ("sign", 0.885), ("other", 0.880)]
    wording = [("sign", 30.0), ("other", 25.0), ("answer", 20.0)]
    assert [p for p, _ in wording][0] != "answer" and semantic.blend(meaning=meaning, wording=wording)[0][0] == "answer"
    # a first-claim paraphrase: meaning puts a near neighbour first by a hair (0.913 against 0.912), wording is right
    meaning = [("neighbour", 0.913), ("answer", 0.912), ("other", 0.90)]
    wording = [("answer", 40.0), ("other", 10.0), ("neighbour", 5.0)]
    assert meaning[0][0] != "answer" and semantic.blend(meaning=meaning, wording=wording)[0][0] == "answer"
    # the previous rule (adaptive RRF, w_text 1.5 at a verbatim share of 0.33) got the first case wrong
    before = semantic.fuse(
        meaning=[("answer", 0.908), ("sign", 0.885), ("other", 0.880)],
        wording=[("sign", 30.0), ("other", 25.0), ("answer", 20.0)],
        w_text=semantic.text_weight(0.33),
    )
    assert before[0][0] == "sign"


def test_hybrid_search_says_how_it_ranks(corpus):
    r = semantic.semantic_search(text="锂电池隔膜", mode="hybrid")
    assert r.hits[0]["id"] == "2016100000011"
    assert [n for n in r.notes if "混合排序" in n] == [
        f"混合排序：按语义相似度排序，字面检索第 r 名另加 {semantic.BAND}/r，字面排名只在语义相似度相差不到 {semantic.BAND} 时改变先后"
    ]
    assert not semantic.semantic_search(text="锂电池隔膜", mode="meaning").notes


# ---------------------------------------------------------------- search service


def test_filter_narrows_and_meaning_ranks(corpus):
    r = semantic.semantic_search(text="锂电池的隔膜", filter_query="申请日>=2015", mode="meaning")
    allowed = set(services.matching_ids(query="申请日>=2015"))
    assert r.filtered == len(allowed) == 2
    assert [h["id"] for h in r.hits][0] == "2016100000011"
    assert {h["id"] for h in r.hits} <= allowed  # the 2012 cathode patent is about batteries too, but filtered out
    sims = [h["similarity"] for h in r.hits]
    assert sims == sorted(sims, reverse=True) and all(s is not None for s in sims)
    assert r.hits[0]["why"] == "语义第1"


def test_hybrid_shows_similarity_and_both_ranks(corpus):
    r = semantic.semantic_search(text="锂电池隔膜", mode="hybrid")
    top = r.hits[0]
    assert top["id"] == "2016100000011"
    assert top["meaning_rank"] == 1 and top["text_rank"] == 1 and "字面第1" in top["why"]
    assert 0 < top["similarity"] <= 1 and top["similarity_percent"] == round(top["similarity"] * 100)
    assert r.coverage["complete"] and all("混合排序" in n for n in r.notes)
    assert top["score"] == pytest.approx(top["similarity"] + semantic.BAND, abs=1e-3)  # cosine + the rank-1 bonus


def test_empty_filter_result_gives_no_hits(corpus):
    r = semantic.semantic_search(text="锂电池隔膜", filter_query="申请日>=2030")
    assert r.filtered == 0 and r.hits == []


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"text": ""}, "text"),
        ({"text": "电" * 2001}, "text"),
        ({"text": "锂电池", "mode": "magic"}, "mode"),
        ({"text": "锂电池", "limit": 0}, "limit"),
    ],
)
def test_bad_input_is_a_clear_message(corpus, kwargs, field):
    with pytest.raises(InputError) as exc:
        semantic.semantic_search(**kwargs)
    assert exc.value.field == field


def test_bad_filter_reports_the_position(corpus):
    with pytest.raises(InputError) as exc:
        semantic.semantic_search(text="锂电池隔膜", filter_query="名称=(电池")
    assert exc.value.position is not None


def test_similar_by_meaning_on_the_patent_page(corpus, client):
    html = client.get(reverse("search:patent_detail", args=["2016100000011"])).content.decode()
    assert "含义相近的专利" in html and "一种锂电池正极材料" in html.split('id="similar-meaning"')[1]
    data = services.patent_api_data(pk="2016100000011")
    assert data["similar_by_meaning"][0]["id"] == "2016100000033"


# ---------------------------------------------------------------- pages, API, permissions


def test_semantic_page_is_public_and_shows_similarity(corpus, client):
    resp = client.get(reverse("search:semantic"), {"text": "锂电池隔膜", "filter": "申请日>=2015"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "语义相似度" in html and "一种锂电池隔膜及其制备方法" in html and "检索式限定 2 件" in html
    assert "语义向量覆盖 4 / 4 件" in html and 'id="fusion-note"' in html and "字面检索第 r 名另加" in html
    meaning_only = client.get(reverse("search:semantic"), {"text": "锂电池隔膜", "mode": "meaning"}).content.decode()
    assert 'id="fusion-note"' not in meaning_only and "一种锂电池隔膜及其制备方法" in meaning_only
    bad = client.get(reverse("search:semantic"), {"text": "锂电池", "filter": "名称=(电池"}).content.decode()
    assert "error-box" in bad


def test_semantic_api_needs_an_account(corpus, client, users):
    url = reverse("search:api_semantic")
    assert client.get(url, {"text": "锂电池隔膜"}).status_code in (401, 403)
    client.force_login(users["haier"])
    data = client.get(url, {"text": "锂电池隔膜", "mode": "meaning"}).json()
    assert data["hits"][0]["id"] == "2016100000011" and data["coverage"]["total"] == 4
    err = client.get(url, {"text": ""})
    assert err.status_code == 400 and "一段话" in err.json()["error"]


def test_status_page_roles_and_job(corpus, client, users, monkeypatch):
    from ipplatform.core import jobs

    url = reverse("search:semantic_status")
    assert client.get(url).status_code == 302  # login first
    client.force_login(users["haier"])
    assert client.get(url).status_code == 403
    client.force_login(users["leader"])  # may look, may not start jobs
    html = client.get(url).content.decode()
    assert "4</strong> / 4 件" in html and "计算未覆盖记录" not in html
    assert client.post(url, {"action": "embed"}).status_code == 403
    make_patent("2016100000055", "一种光伏逆变器")
    real_submit = jobs.submit
    monkeypatch.setattr(jobs, "submit", lambda **kw: real_submit(**kw, run_inline=True))
    client.force_login(users["xinxi"])
    resp = client.post(url, {"action": "embed"})
    assert resp.status_code == 302 and "/jobs/" in resp["Location"]
    assert semantic.coverage()["embedded"] == 5
