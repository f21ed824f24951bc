"""Matchmaking both ways: text relevance from the search engine plus IPC proximity, with the reasons shown."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from ipplatform.lib.termmatch import BM25, ipc_parts, ipc_proximity, shared_terms, split_codes, terms
from ipplatform.patents.models import Patent
from ipplatform.search import semantic
from ipplatform.search import services as search_services
from ipplatform.search.embeddings import get_embedder

from . import services as svc
from .enums import DemandState, ListingState
from .models import Demand, Listing

log = logging.getLogger(__name__)
TEXT_WEIGHT, IPC_WEIGHT = 0.75, 0.25
# With semantic vectors available, meaning joins wording and IPC: weights of the three parts.
SEM_MEANING, SEM_TEXT, SEM_IPC = 0.45, 0.30, 0.25
FALLBACK_CANDIDATES = 4000
MIN_TEXT = 0.15  # below this share of the best text score a match is noise


@dataclass
class Match:
    obj: object
    score: float
    text_score: float
    ipc_score: float
    shared: list[str] = field(default_factory=list)
    ipc_label: str = ""
    ipc_prefix: str = ""
    notes: list[str] = field(default_factory=list)
    similarity: float | None = None  # cosine of meaning (semantic vectors), when both sides have one
    meaning_rank: int | None = None

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.similarity is not None:
            out.append(
                f"语义相近：相似度{self.similarity:.2f}"
                + (f"（语义排名第{self.meaning_rank}）" if self.meaning_rank else "")
            )
        if self.shared:
            out.append("共同术语：" + "、".join(self.shared))
        if self.ipc_label:
            out.append(f"分类号{self.ipc_label}（{self.ipc_prefix}）")
        return out + self.notes


def patent_text(p: Patent) -> str:
    return f"{p.title}。{p.abstract or ''}"


def listing_text(listing: Listing) -> str:
    return f"{listing.title}。{listing.summary}。{listing.application_fields}。{patent_text(listing.patent)}"


# ---------------------------------------------------------------- text relevance


def _fallback_rank(*, text: str, limit: int, exclude_ids=()) -> list[tuple[str, float]]:
    """BM25 over the patents sharing the query's most specific terms (used when the search service is absent)."""
    q_terms = [t for t, _ in Counter(terms(text)).most_common()]
    if not q_terms:
        return []
    picked = sorted(set(q_terms), key=lambda t: -len(t))[:16]
    cond = Q()
    for t in picked:
        cond |= Q(title__icontains=t) | Q(abstract__icontains=t)
    rows = (
        Patent.objects.filter(cond)
        .exclude(pk__in=list(exclude_ids))
        .values_list("pk", "title", "abstract")[:FALLBACK_CANDIDATES]
    )
    index = BM25({pk: f"{title}。{title}。{abstract or ''}" for pk, title, abstract in rows})
    return index.score(text)[:limit]


def rank_patents(
    *, text: str, limit: int = 50, ipc_codes: list[str] | None = None, exclude_ids=()
) -> tuple[list[tuple[str, float]], str]:
    """(patent id, text score) best first and the engine used: the platform search service, or the built-in fallback."""
    try:
        ranked = search_services.rank_text(
            text=text, limit=limit, ipc_codes=ipc_codes or None, exclude_ids=tuple(exclude_ids)
        )
        return list(ranked), "search"
    except Exception:  # the index may be missing on a fresh installation: degrade, do not fail the page
        log.exception("search.rank_text failed; using the built-in ranking")
    return _fallback_rank(text=text, limit=limit, exclude_ids=exclude_ids), "fallback"


def _normalise(hits: list[tuple[str, float]]) -> dict[str, float]:
    top = max((s for _, s in hits), default=0.0)
    return {pid: (s / top if top > 0 else 0.0) for pid, s in hits}


def meaning_ranking(*, text: str, limit: int = 50, exclude_ids=()) -> list[tuple[str, float]]:
    """(patent id, cosine) by meaning from the semantic index, best first; empty when no vectors exist yet."""
    try:
        if semantic.coverage()["embedded"] == 0:
            return []
        return semantic.rank_meaning(text=text, limit=limit, exclude_ids=tuple(exclude_ids))
    except Exception:  # the model or index failing must not fail the page: wording and IPC still match
        log.exception("semantic ranking failed; matching by wording and IPC only")
        return []


def meaning_scores(*, text: str, ids: list[str]) -> dict[str, float]:
    """Cosine of meaning between a text and each of these patents (those with a vector)."""
    if not ids:
        return {}
    try:
        return dict(semantic.rank_meaning(text=text, limit=len(ids), allowed=ids))
    except Exception:
        log.exception("semantic scores failed")
        return {}


def meaning_part(cos: float | None, best: float) -> float:
    """A cosine mapped to 0..1: the model's floor of unrelated texts to 0, the best candidate's cosine to 1."""
    floor = get_embedder().cos_floor
    if cos is None or best <= floor:
        return 0.0
    return max(0.0, min(1.0, (cos - floor) / (best - floor)))


def _combine(m: Match, *, meaning: float | None, use_meaning: bool) -> None:
    if use_meaning:
        m.score = SEM_MEANING * (meaning or 0.0) + SEM_TEXT * m.text_score + SEM_IPC * m.ipc_score
    else:
        m.score = TEXT_WEIGHT * m.text_score + IPC_WEIGHT * m.ipc_score


def method_label(engine: str) -> str:
    """How the scores of a match list were computed (shown above the list)."""
    source = "平台检索引擎" if engine.startswith("search") else "内置文本匹配"
    if engine.endswith("+semantic"):
        return f"语义相近度×{SEM_MEANING:.2f} + 文本相关度×{SEM_TEXT:.2f} + IPC相近度×{SEM_IPC:.2f}；语义：multilingual-e5-small 向量余弦，文本：{source}"
    return f"文本相关度×{TEXT_WEIGHT:.2f} + IPC相近度×{IPC_WEIGHT:.2f}；{source}"


def infer_ipc(patents: list[Patent], *, top: int = 10) -> list[str]:
    """The most common IPC subclasses among the best text hits (used when a demand gives no classification)."""
    counts = Counter()
    for p in patents[:top]:
        sub = ipc_parts(p.ipc_main)[2]
        if sub:
            counts[sub] += 1
    return [c for c, n in counts.most_common(2) if n >= 2]


# ---------------------------------------------------------------- demand -> patents and listings


def demand_codes(demand: Demand) -> list[str]:
    return split_codes(demand.ipc_hint)


def match_demand(*, demand: Demand, limit: int = 10) -> dict:
    """Ranked patents and published listings for a demand, each with why it matched."""
    text = demand.query_text
    codes = demand_codes(demand)
    depth = max(50, limit * 5)
    hits, engine = rank_patents(text=text, limit=depth, ipc_codes=codes or None)
    meaning = meaning_ranking(text=text, limit=depth)
    norm = _normalise(hits)
    cos = dict(meaning)
    m_rank = {pid: r for r, (pid, _) in enumerate(meaning, 1)}
    candidate_ids = list(dict.fromkeys([pid for pid, _ in hits] + [pid for pid, _ in meaning]))
    if meaning:  # similarity of the wording-only candidates too
        cos.update(meaning_scores(text=text, ids=[pid for pid in candidate_ids if pid not in cos]))
    best = max(cos.values(), default=0.0)
    patents = Patent.objects.in_bulk(candidate_ids)
    ordered = [patents[pid] for pid in candidate_ids if pid in patents]
    inferred = False
    if not codes:
        codes, inferred = infer_ipc([patents[pid] for pid, _ in (hits or meaning) if pid in patents]), True
    matches = []
    for p in ordered:
        ipc_score, prefix, label = ipc_proximity(codes, svc.patent_codes(p)) if codes else (0.0, "", "")
        t = norm.get(p.pk, 0.0)
        m = Match(
            obj=p,
            score=0.0,
            text_score=t,
            ipc_score=ipc_score,
            shared=shared_terms(text, patent_text(p), limit=6),
            ipc_label=label,
            ipc_prefix=prefix,
            similarity=cos.get(p.pk),
            meaning_rank=m_rank.get(p.pk),
        )
        _combine(m, meaning=meaning_part(cos.get(p.pk), best), use_meaning=bool(meaning))
        matches.append(m)
    matches.sort(key=lambda m: (-m.score, m.obj.pk))
    listings = _listings_for(demand=demand, text=text, codes=codes, patent_scores={m.obj.pk: m for m in matches})
    engine += "+semantic" if meaning else ""
    return {
        "patents": matches[:limit],
        "listings": listings[:limit],
        "engine": engine,
        "method": method_label(engine),
        "codes": codes,
        "codes_inferred": inferred and bool(codes),
    }


def _listings_for(*, demand: Demand, text: str, codes: list[str], patent_scores: dict) -> list[Match]:
    listings = list(svc.public_listings())
    if not listings:
        return []
    bm = BM25({str(l.pk): listing_text(l) for l in listings})
    norm = _normalise(bm.score(text))
    out = []
    for l in listings:
        t = max(
            norm.get(str(l.pk), 0.0), patent_scores[l.patent_id].text_score if l.patent_id in patent_scores else 0.0
        )
        pm = patent_scores.get(l.patent_id)
        close_in_meaning = pm is not None and pm.similarity is not None and pm.score >= 0.5
        if t < MIN_TEXT and not close_in_meaning:
            continue
        ipc_score, prefix, label = ipc_proximity(codes, svc.patent_codes(l.patent)) if codes else (0.0, "", "")
        m = Match(
            obj=l,
            score=TEXT_WEIGHT * t + IPC_WEIGHT * ipc_score,
            text_score=t,
            ipc_score=ipc_score,
            shared=shared_terms(text, listing_text(l), limit=6),
            ipc_label=label,
            ipc_prefix=prefix,
            similarity=pm.similarity if pm else None,
            meaning_rank=pm.meaning_rank if pm else None,
        )
        if pm is not None and pm.similarity is not None:  # the listed patent's meaning score carries over
            m.score = max(m.score, pm.score)
        if demand.preferred_deal_type and demand.preferred_deal_type == l.deal_type:
            m.score = min(1.0, m.score + 0.05)
            m.notes.append(f"交易方式符合意向（{l.get_deal_type_display()}）")
        if demand.budget_max is not None and l.asking_price is not None:
            if l.asking_price <= demand.budget_max:
                m.notes.append(f"挂牌价{l.asking_price}万元在预算内")
            else:
                m.notes.append(f"挂牌价{l.asking_price}万元高于预算上限{demand.budget_max}万元")
        out.append(m)
    out.sort(key=lambda m: (-m.score, m.obj.pk))
    return out


# ---------------------------------------------------------------- listing -> demands and likely buyers


def match_listing(*, listing: Listing, limit: int = 10) -> dict:
    """Ranked open demands and likely buyers (enterprises with close patents) for a listing, with reasons."""
    text = listing_text(listing)
    codes = svc.patent_codes(listing.patent)
    demands = list(
        Demand.objects.filter(state=DemandState.OPEN)
        .exclude(organization_id=listing.holder_id)
        .select_related("organization")
    )
    demand_matches = []
    if demands:
        bm = BM25({str(d.pk): d.query_text for d in demands})
        norm = _normalise(bm.score(text))
        for d in demands:
            t = norm.get(str(d.pk), 0.0)
            d_codes = demand_codes(d)
            ipc_score, prefix, label = ipc_proximity(codes, d_codes) if d_codes else (0.0, "", "")
            if t < MIN_TEXT and ipc_score <= 0:
                continue
            m = Match(
                obj=d,
                score=TEXT_WEIGHT * t + IPC_WEIGHT * ipc_score,
                text_score=t,
                ipc_score=ipc_score,
                shared=shared_terms(d.query_text, text, limit=6),
                ipc_label=label,
                ipc_prefix=prefix,
            )
            if d.preferred_deal_type == listing.deal_type:
                m.score = min(1.0, m.score + 0.05)
                m.notes.append(f"意向交易方式一致（{listing.get_deal_type_display()}）")
            demand_matches.append(m)
        demand_matches.sort(key=lambda m: (-m.score, m.obj.pk))
    buyers, engine = likely_buyers(listing=listing, limit=limit)
    return {"demands": demand_matches[:limit], "buyers": buyers, "engine": engine, "method": method_label(engine)}


@dataclass
class Buyer:
    name: str
    organization: object | None
    score: float
    patents: list
    shared: list[str]
    ipc_label: str
    ipc_prefix: str
    similarity: float | None = None

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def reasons(self) -> list[str]:
        out = [f"相近专利{len(self.patents)}件"]
        if self.similarity is not None:
            out.append(f"其专利与挂牌专利语义相近：最高相似度{self.similarity:.2f}")
        if self.shared:
            out.append("共同术语：" + "、".join(self.shared))
        if self.ipc_label:
            out.append(f"分类号{self.ipc_label}（{self.ipc_prefix}）")
        return out


def likely_buyers(*, listing: Listing, limit: int = 10) -> tuple[list[Buyer], str]:
    """Enterprises whose own patents are close to the listed patent in text and IPC (the holder excluded)."""
    from ipplatform.core.enums import OrgKind
    from ipplatform.core.models import Organization
    from ipplatform.lib.textnorm import normalize_name
    from ipplatform.patents.enums import EntityType
    from ipplatform.patents.models import PatentApplicant

    patent = listing.patent
    text = patent_text(patent)
    codes = svc.patent_codes(patent)
    hits, engine = rank_patents(text=text, limit=200, exclude_ids=(patent.pk,))
    norm = _normalise(hits)
    meaning = meaning_ranking(text=text, limit=200, exclude_ids=(patent.pk,))
    cos = dict(meaning)
    best = max(cos.values(), default=0.0)
    for pid, c in meaning:  # patents close in meaning join the candidates, scored by meaning
        norm[pid] = max(norm.get(pid, 0.0), meaning_part(c, best))
    if meaning:
        engine += "+semantic"
    holder_names = {normalize_name(n) for n in svc.holder_names(patent)} | {normalize_name(listing.holder.name)}
    links = (
        PatentApplicant.objects.filter(patent_id__in=list(norm))
        .select_related("applicant", "patent")
        .filter(Q(applicant__entity_type=EntityType.ENTERPRISE) | Q(applicant__name__contains="公司"))
    )
    groups: dict[int, dict] = defaultdict(lambda: {"applicant": None, "patents": []})
    for link in links:
        a = link.applicant
        if normalize_name(a.name) in holder_names:
            continue
        g = groups[a.pk]
        g["applicant"] = a
        g["patents"].append(link.patent)
    orgs = {normalize_name(o.name): o for o in Organization.objects.filter(kind=OrgKind.ENTERPRISE)}
    out = []
    for g in groups.values():
        a, pats = g["applicant"], sorted(g["patents"], key=lambda p: -norm.get(p.pk, 0))
        t_scores = [norm.get(p.pk, 0.0) for p in pats]
        text_score = min(
            1.0, t_scores[0] + 0.03 * (len(t_scores) - 1)
        )  # several close patents count a little more than one
        all_codes = [c for p in pats for c in svc.patent_codes(p)]
        ipc_score, prefix, label = ipc_proximity(codes, all_codes)
        org = a.organization or orgs.get(normalize_name(a.name))
        shared = shared_terms(text, " ".join(patent_text(p) for p in pats[:3]), limit=6)
        sims = [cos[p.pk] for p in pats if p.pk in cos]
        out.append(
            Buyer(
                name=a.name,
                organization=org,
                score=TEXT_WEIGHT * text_score + IPC_WEIGHT * ipc_score,
                patents=pats[:3],
                shared=shared,
                ipc_label=label,
                ipc_prefix=prefix,
                similarity=max(sims) if sims else None,
            )
        )
    out.sort(key=lambda b: (-b.score, b.name))
    return out[:limit], engine


def listings_for_patent_ids(ids) -> dict[str, Listing]:
    return {l.patent_id: l for l in Listing.objects.filter(patent_id__in=list(ids), state=ListingState.PUBLISHED)}
