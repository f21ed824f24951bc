"""Expert suggestion: which pool experts fit a case (or any technical text) by meaning plus IPC, with the reasons.

`expert_candidates()` is the one place that reads the expert pool (experts.services.candidates: IPC, industries and
keywords of each pool entry; registered conflicts of interest with the case's parties excluded there)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np

from ipplatform.lib.termmatch import ipc_parts, ipc_proximity, shared_terms, split_codes

log = logging.getLogger(__name__)
W_MEANING, W_IPC = 0.6, 0.4
_profile_vectors: dict[str, np.ndarray] = {}  # profile text -> embedding (the pool is small and changes rarely)


@dataclass
class ExpertCandidate:
    user: object
    label: str  # name and title, as shown
    fields: list[str]  # technical fields as entered: IPC symbols or names
    employer: str = ""


@dataclass
class ExpertSuggestion:
    candidate: ExpertCandidate
    score: float
    similarity: float | None
    ipc_score: float
    ipc_label: str = ""
    ipc_prefix: str = ""
    shared: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.similarity is not None:
            out.append(f"技术领域与案情语义相近：相似度{self.similarity:.2f}")
        if self.ipc_label:
            out.append(f"分类号{self.ipc_label}（{self.ipc_prefix}）")
        if self.shared:
            out.append("共同术语：" + "、".join(self.shared))
        return out + self.notes


def expert_candidates(*, exclude_orgs=()) -> list[ExpertCandidate]:
    """Pool experts (experts.services.candidates, use 侵权判定与维权) with a platform account, none with a registered
    conflict of interest with (or employed by) any of `exclude_orgs`."""
    from ipplatform.core.enums import Role
    from ipplatform.experts.enums import ExpertUse
    from ipplatform.experts.industries import label as industry_label
    from ipplatform.experts.services import candidates

    out = []
    for e in candidates(use=ExpertUse.PROTECTION, exclude_orgs=exclude_orgs):
        if e.user is None or not e.user.is_active or e.user.role != Role.EXPERT:
            continue  # only an expert account can be asked for an opinion
        keywords = [k.strip() for k in (e.keywords or "").replace("；", ";").split(";") if k.strip()]
        fields = e.ipc_list() + [industry_label(c) for c in e.industry_list()] + keywords
        out.append(
            ExpertCandidate(
                user=e.user,
                label=f"{e.name}{'（' + e.title + '）' if e.title else ''}",
                fields=fields,
                employer=e.employer_label,
            )
        )
    return out


def profile_text(candidate: ExpertCandidate) -> str:
    """An expert's fields in words: IPC symbols expanded to their Chinese titles."""
    from ipplatform.core.models import IPCEntry

    codes = [f for f in candidate.fields if split_codes(f)]
    titles = {}
    if codes:
        wanted = {c for f in codes for c in ipc_parts(f) if c} | set(codes)
        titles = dict(IPCEntry.objects.filter(code__in=wanted).values_list("code", "title_zh"))
    parts = []
    for f in candidate.fields:
        if f in codes:
            t = titles.get(f.upper()) or titles.get(ipc_parts(f)[2]) or titles.get(ipc_parts(f)[1]) or ""
            parts.append(t or f)
        else:
            parts.append(f)
    return "；".join(p for p in parts if p)


def _profile_vector(text: str) -> np.ndarray | None:
    from ipplatform.search.embeddings import get_embedder

    if text not in _profile_vectors:
        _profile_vectors[text] = get_embedder().passages([text])[0]
    return _profile_vectors[text]


def _meaning(cos: float | None) -> float:
    """A cosine mapped to 0..1 by the model's calibration (unrelated texts 0, close paraphrases 1)."""
    from ipplatform.search.embeddings import get_embedder

    if cos is None:
        return 0.0
    e = get_embedder()
    return float(max(0.0, min(1.0, (cos - e.cos_floor) / (e.cos_full - e.cos_floor))))


def suggest_experts(
    *, text: str, ipc_codes: list[str] = (), limit: int = 5, exclude_user_ids=(), conflicts=(), exclude_orgs=()
) -> list[ExpertSuggestion]:
    """Experts ranked by meaning (their fields in words vs the text) plus IPC proximity, each with why."""
    from ipplatform.search.embeddings import get_embedder, unit

    text = " ".join((text or "").split())
    candidates = [c for c in expert_candidates(exclude_orgs=exclude_orgs) if c.user.pk not in set(exclude_user_ids)]
    if not candidates or not (text or ipc_codes):
        return []
    query = None
    if text:
        try:
            query = unit(get_embedder().query(text))[0]
        except Exception:  # no model: IPC and shared terms still rank
            log.exception("expert suggestion: embedding the case text failed")
    conflicts = set(conflicts)
    out = []
    for c in candidates:
        words = profile_text(c)
        cos = None
        if query is not None and words:
            try:
                cos = float(unit(_profile_vector(words))[0] @ query)
            except Exception:
                log.exception("expert suggestion: embedding a profile failed")
        ipc_score, prefix, label = (
            ipc_proximity(list(ipc_codes), [f for f in c.fields if split_codes(f)]) if ipc_codes else (0.0, "", "")
        )
        s = ExpertSuggestion(
            candidate=c,
            score=W_MEANING * _meaning(cos) + W_IPC * ipc_score,
            similarity=cos,
            ipc_score=ipc_score,
            ipc_label=label,
            ipc_prefix=prefix,
            shared=shared_terms(text, words, limit=4) if text else [],
        )
        if c.user.pk in conflicts:
            s.notes.append("已声明与本案存在利益冲突，应当回避")
            s.score = 0.0
        out.append(s)
    out.sort(key=lambda s: (-s.score, s.candidate.label))
    return out[:limit]


def case_text_and_codes(case) -> tuple[str, list[str]]:
    """What a case is about: its title and summary, and the involved patent's title, abstract and IPC when on record."""
    from ipplatform.patents.models import Patent

    text = f"{case.title}。{case.summary or ''}"
    codes: list[str] = []
    number = (case.patent_no or "").upper().replace("CN", "").replace(".", "").strip()
    if number:
        p = (
            Patent.objects.filter(pk=number).first()
            or Patent.objects.filter(application_number=number).first()
            or Patent.objects.filter(publication_number=case.patent_no.strip().upper()).first()
        )
        if p is not None:
            text += f"。{p.title}。{(p.abstract or '')[:200]}"
            codes = [c for c in [p.ipc_main, *(p.ipc_all or [])] if c]
    return text, codes


def suggest_for_case(*, case, limit: int = 5) -> list[ExpertSuggestion]:
    """Experts for an infringement case: registered conflicts with its parties excluded; those who declared a conflict
    for it are kept last, with the reason."""
    text, codes = case_text_and_codes(case)
    conflicts = set(case.conflict_declarations.filter(has_conflict=True).values_list("expert_id", flat=True))
    return suggest_experts(
        text=text, ipc_codes=codes, limit=limit, conflicts=conflicts, exclude_orgs=case_parties(case)
    )


def case_parties(case) -> list:
    """The organisations on either side of a case (the respondent, the requester's organisation), as on record."""
    parties = [case.respondent_org, case.requester_user.organization if case.requester_user_id else None]
    return [o for o in parties if o is not None]
