"""What the analyses need beyond the set: cut-off date, whole-corpus baseline, reference titles, effect terms."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count

from .common import main_group
from .frame import Frame, chunks, patent_model

DEFAULT_EFFECT_TERMS = [
    ("提高效率", "提高效率、提升效率、效率高、高效、效率提高"),
    ("降低成本", "降低成本、成本低、节约成本、低成本、降低了成本"),
    ("环保", "环保、绿色、无污染、减少污染、减排、低排放"),
    ("安全", "安全、可靠性、防止事故、防爆、安全性"),
    ("节能", "节能、节约能源、降低能耗、能耗低、节电"),
    ("提高精度", "精度、准确性、精确、精准"),
    ("结构简单", "结构简单、简化结构、易于制造、便于加工"),
    ("延长寿命", "寿命、耐用、耐久、耐磨、抗老化"),
    ("提高质量", "提高质量、品质、质量稳定、性能优良"),
    ("便于操作", "操作简便、方便操作、便于使用、使用方便、自动化"),
]


@dataclass
class Context:
    """What the analyses need beyond the set: cut-off date, corpus baseline, titles, effect terms."""

    data_cutoff: dt.date | None = None
    subject_label: str = ""
    baseline: dict | None = None  # {"total": n, "province": {code: n}, "city": {code: n}}
    effect_terms: list[tuple[str, list[str]]] = field(default_factory=list)
    ipc_titles: dict[str, str] | None = None
    field_prefixes: dict[str, int] | None = None  # "A61K" / "A61K8/" -> WIPO field number
    field_names: dict[int, str] | None = None
    province_names: dict[str, str] | None = None
    city_names: dict[str, str] | None = None
    top_n: int = 20

    def ipc_title(self, code: str) -> str:
        if self.ipc_titles is None:
            return ""
        return self.ipc_titles.get(code, "")


def corpus_baseline() -> dict:
    """Whole data set counts by province and Shandong city (the RTA denominators)."""
    Patent = patent_model()
    qs = Patent.objects.order_by()
    # Each grouping reads one indexed column only; city codes carry their province in the first two digits.
    province = dict(qs.values_list("province_code").annotate(n=Count("*")).values_list("province_code", "n"))
    city = {
        c: n
        for c, n in qs.values_list("city_code").annotate(n=Count("*")).values_list("city_code", "n")
        if c and c.startswith("37")
    }
    return {"total": sum(province.values()), "province": province, "city": city}


def build_context(
    *, frame: Frame | None = None, data_cutoff=None, subject_label: str = "", effect_terms=None, baseline=None
) -> Context:
    """Context with reference lookups limited to the codes the frame uses."""
    from ipplatform.core.models import EN_MARK, Division, IPCEntry, TechField, TechFieldPattern

    ctx = Context(data_cutoff=data_cutoff, subject_label=subject_label, baseline=baseline)
    ctx.effect_terms = (
        effect_terms if effect_terms is not None else [(t, split_synonyms(s, t)) for t, s in DEFAULT_EFFECT_TERMS]
    )
    codes = set()
    if frame is not None:
        for code in set(frame.ipc_main):
            if len(code) >= 4:
                codes.add(code[:4])
                codes.add(main_group(code))
    ctx.ipc_titles = {}
    for chunk in chunks(sorted(codes), 900):
        ctx.ipc_titles.update(dict(IPCEntry.objects.filter(code__in=chunk).values_list("code", "title_zh")))
    missing = [c for c, t in ctx.ipc_titles.items() if not t]
    if missing:
        english = IPCEntry.objects.filter(code__in=missing).exclude(title_en="").values_list("code", "title_en")
        ctx.ipc_titles.update({code: f"{title}{EN_MARK}" for code, title in english})
    ctx.field_prefixes = dict(TechFieldPattern.objects.values_list("ipc_prefix", "field_id"))
    ctx.field_names = dict(TechField.objects.values_list("number", "name_zh"))
    names = {}
    for code, name in (
        Division.objects.filter(level__in=["province", "city"]).order_by("revision").values_list("code", "name")
    ):
        names[code] = name  # later revisions win
    ctx.province_names = {c: n for c, n in names.items() if c.endswith("0000")}
    ctx.city_names = {
        c: n
        for c, n in Division.objects.filter(revision="201512", level="city", code__startswith="37").values_list(
            "code", "name"
        )
    }
    return ctx


def split_synonyms(text: str, term: str = "") -> list[str]:
    parts = [p.strip() for p in re.split(r"[、,，;；\s]+", text or "") if p.strip()]
    if term and term not in parts:
        parts.insert(0, term)
    return parts
