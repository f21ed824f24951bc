"""The tantivy engine returns exactly the reference evaluator's hit set on real records (property-based)."""

import os
import random
import re

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ipplatform.search import oracle, services
from ipplatform.search.documents import iter_documents

TEXT_CODES = ["TI", "AB", "CL", "TX", "PA", "IN", "AG", "AR", None]
FIELD_KEY = {"TI": "ti", "AB": "ab", "CL": "cl", "TX": "ti", "PA": "pa", "IN": "in", "AG": "ag", "AR": "ar", None: "ti"}


def _clean(s: str) -> str:
    return "".join(ch for ch in s if ch.isalnum())


def _word(term: str) -> str:
    """A bare term, quoted when it would read as an operator, a proximity operator or a history reference."""
    if re.fullmatch(r"(?i)and|or|not|与|或|非|\d{1,3}[wd]|#\d+", term):
        return f'"{term}"'
    return term


def strategies(docs):
    def substring(draw, key):
        doc = draw(st.sampled_from(docs))
        text = _clean(doc[key] or doc["ti"]) or "装置"
        n = draw(st.integers(1, 4))
        i = draw(st.integers(0, max(0, len(text) - n)))
        return text[i : i + n]

    @st.composite
    def text_leaf(draw):
        code = draw(st.sampled_from(TEXT_CODES))
        term = _word(substring(draw, FIELD_KEY[code]))
        kind = draw(st.sampled_from(["plain", "plain", "plain", "phrase", "trunc", "prox"]))
        if kind == "trunc" and len(term) >= 2 and '"' not in term:
            k = draw(st.integers(1, len(term) - 1))
            term = term[:k] + draw(st.sampled_from(["+", "?", "#"])) + term[k:]
        elif kind == "prox":
            other = _word(substring(draw, FIELD_KEY[code]))
            term = f"{term} {draw(st.integers(0, 12))}{draw(st.sampled_from(['W', 'D']))} {other}"
            return f"{code}=({term})" if code else f"({term})"
        elif kind == "phrase":
            term = f'"{term}"'
        return f"{code}={term}" if code else term

    @st.composite
    def keyword_leaf(draw):
        doc = draw(st.sampled_from(docs))
        kind = draw(st.sampled_from(["ic", "ic", "ad", "ad_range", "pt", "ls", "pn", "an", "rc", "mc"]))
        if kind in ("ic", "mc") and doc[kind]:
            return f"{'分类号' if kind == 'ic' else 'MC'}={draw(st.sampled_from(doc[kind])).upper()}"
        if kind == "ad" and doc["ad"]:
            y = doc["ad"] // 10000
            return draw(st.sampled_from([f"AD={y}", f"申请日>={y}-06-01", f"AD<{y}", f"PD>={y}"]))
        if kind == "ad_range" and doc["ad"]:
            y = doc["ad"] // 10000
            return f"AD=[{y}0301 TO {y + draw(st.integers(0, 2))}0630]"
        if kind == "pt":
            return draw(st.sampled_from(["类型=发明", "类型=实用新型", "PT=外观设计"]))
        if kind == "ls":
            return draw(st.sampled_from(["法律状态=有效", "LS=失效", "法律状态=审中"]))
        if kind == "pn" and doc["pn"]:
            return f"PN=CN{doc['pn'][0].upper()}"
        if kind == "an" and doc["an"]:
            return f"申请号={doc['an'][0][:6]}+"
        if kind == "rc" and doc["rc"]:
            return f"RC={draw(st.sampled_from(doc['rc']))}"
        return "IC=E04"

    leaf = st.one_of(text_leaf(), text_leaf(), keyword_leaf())

    def combine(children):
        return st.one_of(
            st.tuples(children, st.sampled_from([" AND ", " OR ", " NOT ", " 与 ", " 或 ", " 非 ", " "]), children).map(
                lambda t: f"({t[0]}{t[1]}{t[2]})"
            ),
            children.map(lambda c: f"NOT {c}"),
        )

    return st.recursive(leaf, combine, max_leaves=5)


def test_engine_equals_oracle_on_real_records(real_patents):
    docs = list(iter_documents())
    assert len(docs) == real_patents > 1500
    checked = {"n": 0, "nonempty": 0}

    @hsettings(
        max_examples=int(os.environ.get("SEARCH_ORACLE_EXAMPLES", 2000)),
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategies(docs))
    def check(q):
        node = services.compile_query(query=q)
        expected = oracle.evaluate(node, docs)
        got = services.matching_ids(query=q)
        assert len(got) == len(set(got))
        assert set(got) == expected, (q, sorted(expected - set(got))[:3], sorted(set(got) - expected)[:3])
        checked["n"] += 1
        checked["nonempty"] += bool(expected)

    check()
    assert checked["n"] >= min(2000, int(os.environ.get("SEARCH_ORACLE_EXAMPLES", 2000)))
    assert checked["nonempty"] >= checked["n"] // 3  # the generator builds queries that actually hit records


def test_facets_count_the_full_result_set(real_patents):
    docs = list(iter_documents())
    q = "装置 OR 方法 OR 系统"
    node = services.compile_query(query=q)
    hits = [d for d in docs if oracle.matches(node, d)]
    r = services.search(query=q, limit=5)
    assert r.total == len(hits) > 100
    years = {}
    for d in hits:
        if d["year"]:
            years[str(d["year"])] = years.get(str(d["year"]), 0) + 1
    assert {i["value"]: i["count"] for i in r.facets["year"]["items"]} == years
    pt = {}
    for d in hits:
        pt[d["pt"]] = pt.get(d["pt"], 0) + 1
    assert {i["value"]: i["count"] for i in r.facets["pt"]["items"]} == pt
    subs = {}
    for d in hits:
        for s in d["sub"]:
            subs[s] = subs.get(s, 0) + 1
    top = r.facets["sub"]["items"]
    assert top and all(subs[i["value"]] == i["count"] for i in top)
    assert top[0]["count"] == max(subs.values())


def test_cursor_pages_reach_the_last_hit_in_every_sort(real_patents):
    q = "类型=发明"
    all_ids = set(services.matching_ids(query=q))
    for sort in ("relevance", "ad_desc", "pd_asc"):
        seen, cursor, pages = [], None, 0
        while True:
            r = services.search(query=q, sort=sort, cursor=cursor, limit=200, facets=False)
            seen += [h["id"] for h in r.hits]
            pages += 1
            cursor = r.next_cursor
            if not cursor:
                break
        assert len(seen) == len(set(seen)) == len(all_ids) and set(seen) == all_ids
        assert pages == -(-len(all_ids) // 200)
    dates = [h["application_date"] for h in services.search(query=q, sort="ad_desc", limit=50, facets=False).hits]
    assert dates == sorted(dates, reverse=True)


def test_relevance_weights_title_above_abstract(real_patents):
    docs = {d["id"]: d for d in iter_documents()}
    rng = random.Random(4)
    compared = 0
    for d in rng.sample([d for d in docs.values() if len(d["ti"]) > 6 and d["ab"]], 40):
        term = d["ti"][2:4]
        hits = services.search(query=f"TX={term}", limit=200, facets=False).hits
        title = [h["score"] for h in hits if term in docs[h["id"]]["ti"]]
        other = [h["score"] for h in hits if term not in docs[h["id"]]["ti"]]
        assert term in docs[hits[0]["id"]]["ti"]
        if title and other:
            compared += 1
            assert sum(title) / len(title) > sum(other) / len(other)
    assert compared >= 5
