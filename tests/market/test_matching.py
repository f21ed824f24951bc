"""Matching quality on real records: demands written from real abstracts rank their source patent in the top 5,
and listings find the demands and the enterprises whose own patents are close."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from ipplatform.market import matching, services
from tests.market import realdata

N_DEMANDS = 20

pytestmark = pytest.mark.usefixtures("market_reference")


def _demand_problem(p) -> str:
    """A demand in an enterprise's words: the opening of the abstract, without the patent's title or boilerplate."""
    abstract = re.sub(r"^本(实用新型|发明)(公开了|涉及|提供了?)?", "", p.abstract)
    abstract = abstract.replace(p.title.removeprefix("一种"), "该产品")
    sentences = [s for s in re.split(r"[。；]", abstract) if s.strip()]
    return "我们需要一种技术：" + "。".join(sentences[:2])[:160]


@pytest.fixture(scope="module")
def corpus(market_reference, django_db_blocker):
    """999 real records, loaded once for the module (rolled back with it); each test's index is built from them on first use."""
    with django_db_blocker.unblock():
        return realdata.load_sipo_export() + realdata.load_sipo_epub(limit=800)


def test_demand_from_real_abstract_ranks_source_patent_top5(corpus, users):
    sources = [p for p in corpus if p.source_file.startswith("sipo_export") and len(p.abstract) > 150][:N_DEMANDS]
    ranks = []
    for p in sources:
        demand = services.post_demand(
            user=users["qilu_ent"],
            title="技术需求",
            field="土木工程",
            problem=_demand_problem(p),
            deadline=timezone.localdate() + dt.timedelta(days=30),
        )
        result = matching.match_demand(demand=demand, limit=10)
        ids = [m.obj.pk for m in result["patents"]]
        ranks.append(ids.index(p.pk) + 1 if p.pk in ids else 99)
    assert result["engine"] == "search"
    print(f"\nranks of the source patent for {len(ranks)} demands: {ranks}")
    assert len(sources) == N_DEMANDS
    assert sum(1 for r in ranks if r <= 5) >= N_DEMANDS - 1, ranks
    assert sum(1 for r in ranks if r == 1) >= N_DEMANDS * 0.7, ranks
    best = result["patents"][0]
    assert best.shared and best.reasons[0].startswith("共同术语：")
    assert result["codes"] and result["codes_inferred"]  # IPC inferred from the best hits when the demand gives none


def test_ipc_hint_adds_proximity_and_explains_it(corpus, users):
    p = next(p for p in corpus if p.source_file.startswith("sipo_export") and p.ipc_main)
    demand = services.post_demand(
        user=users["qilu_ent"],
        title="技术需求",
        field="工程",
        problem=_demand_problem(p),
        ipc_hint=p.ipc_main[:4],
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    match = next(m for m in matching.match_demand(demand=demand)["patents"] if m.obj.pk == p.pk)
    assert (
        match.ipc_score == 0.75
        and match.ipc_prefix == p.ipc_main[:4]
        and f"分类号同一小类（{p.ipc_main[:4]}）" in match.reasons
    )


def test_listing_finds_demand_and_likely_buyers(corpus, users, listing_kwargs, become_holder):
    p = next(
        p
        for p in corpus
        if p.source_file.startswith("sipo_export") and ";" not in p.applicants_text and len(p.abstract) > 150
    )
    link = p.applicant_links.get()
    become_holder(users["sdu"], link.applicant.name)
    realdata.grant(p, on=dt.date(2013, 1, 2))
    p.application_date = dt.date(2020, 5, 31)  # scenario: within term
    p.save()
    listing = services.create_listing(user=users["sdu"], patent_id=p.pk, deal_type="ordinary", **listing_kwargs)
    wanted = services.post_demand(
        user=users["qilu_ent"],
        title="寻求新技术",
        field="工程",
        problem=_demand_problem(p),
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    services.post_demand(
        user=users["laiwu_ent"],
        title="益生菌片剂稳定性",
        field="食品",
        problem="益生菌片剂贮藏期间活菌数下降，需要包衣工艺",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    result = matching.match_listing(listing=listing)
    assert result["demands"][0].obj == wanted and result["demands"][0].shared
    assert all(m.obj.title != "益生菌片剂稳定性" for m in result["demands"])
    buyers = result["buyers"]
    assert buyers and all(b.name != link.applicant.name for b in buyers)
    top = buyers[0]
    assert top.patents and top.reasons[0].startswith("相近专利") and top.ipc_prefix
    # the listing shows up among the demand's matched listings, with the reason
    listed = matching.match_demand(demand=wanted)["listings"]
    assert listed[0].obj == listing and listed[0].shared


def test_matches_api(corpus, users, client):
    p = next(p for p in corpus if p.source_file.startswith("sipo_export") and len(p.abstract) > 150)
    client.force_login(users["qilu_ent"])
    created = client.post(
        "/api/v1/market/demands",
        {
            "title": "需求",
            "field": "工程",
            "problem": _demand_problem(p),
            "deadline": str(timezone.localdate() + dt.timedelta(days=10)),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    data = client.get(f"/api/v1/market/demands/{created.json()['id']}/matches").json()
    assert data["engine"] == "search" and data["patents"][0]["id"] == p.pk
    assert data["patents"][0]["shared_terms"] and data["patents"][0]["reasons"]
    bad = client.post(
        "/api/v1/market/demands",
        {"title": "需求", "field": "工程", "problem": "太短", "deadline": "2020-13-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "problem"
