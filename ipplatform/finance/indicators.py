"""Patent indicators computed from the records, normalised within OECD-style cohorts
(same WIPO technology field and filing year): value / cohort maximum, and their mean as a composite index."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.db.models import Count, Q

from ipplatform.core.models import TechFieldPattern
from ipplatform.patents.enums import LegalEventCode
from ipplatform.patents.models import Patent

# code, label, unit, in the composite index?
INDICATORS = (
    ("remaining_term", "剩余保护期", "年", True),
    ("claims", "权利要求数", "项", True),
    ("ipc_breadth", "技术覆盖宽度（IPC小类数）", "个", True),
    ("applicants", "申请人数", "个", True),
    ("inventors", "发明人团队规模", "人", True),
    ("transactions", "许可、转让、质押事件", "次", True),
    ("invalidation_requests", "无效宣告请求", "次", False),
    ("family_size", "同族数", "件", True),
    ("citations", "被引次数", "次", True),
)
LABELS = {code: label for code, label, _, _ in INDICATORS}
COMPOSITE_NOTE = (
    "各指标除以同一技术领域（WIPO 35个领域）、同一申请年度专利中的最大值归一化到0-1（OECD专利质量指标口径），"
    "综合指数为可得指标归一化值的算术平均；无效宣告请求只作展示，不计入综合指数；同族数、被引次数缺失时不计入。"
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, int], ...]:
    rows = TechFieldPattern.objects.values_list("ipc_prefix", "field_id")
    return tuple(sorted(((p.replace(" ", "").upper(), f) for p, f in rows), key=lambda r: -len(r[0])))


def clear_cache() -> None:
    _patterns.cache_clear()


def tech_field_of(ipc: str | None) -> int | None:
    """WIPO technology field number of an IPC symbol (longest matching prefix), or None."""
    if not ipc:
        return None
    code = ipc.replace(" ", "").upper()
    for prefix, field in _patterns():
        if code.startswith(prefix):
            return field
    return None


def _annotated(qs):
    transfer_codes = [LegalEventCode.LICENSE, LegalEventCode.TRANSFER, LegalEventCode.PLEDGE]
    return qs.annotate(
        n_applicants=Count("applicant_links", distinct=True),
        n_transactions=Count("legal_events", filter=Q(legal_events__code__in=transfer_codes), distinct=True),
        n_invalidation=Count(
            "legal_events", filter=Q(legal_events__code=LegalEventCode.INVALIDATION_REQUEST), distinct=True
        ),
    )


def raw_values(p, *, as_of: dt.date) -> dict:
    """Indicator values of an annotated patent (None where the data does not say)."""
    end = p.term_end
    remaining = None
    if end is not None:
        remaining = round(max((end - as_of).days, 0) / 365.25, 2)
    subclasses = {c.replace(" ", "")[:4].upper() for c in (p.ipc_all or []) if c}
    if not subclasses and p.ipc_main:
        subclasses = {p.ipc_main[:4].upper()}
    return {
        "remaining_term": remaining,
        "claims": p.claims_count,
        "ipc_breadth": len(subclasses) or None,
        "applicants": getattr(p, "n_applicants", None),
        "inventors": len(p.inventors or []) or None,
        "transactions": getattr(p, "n_transactions", None),
        "invalidation_requests": getattr(p, "n_invalidation", None),
        "family_size": p.family_size,
        "citations": p.citation_count,
    }


def cohort_maxima(*, field: int | None, year: int | None, as_of: dt.date) -> tuple[dict, int]:
    """Maximum of each indicator in the cohort (field × filing year) and the cohort size."""
    qs = Patent.objects.all()
    if year:
        qs = qs.filter(application_date__year=year)
    else:
        qs = qs.filter(application_date__isnull=True)
    maxima: dict[str, float] = {}
    size = 0
    only = (
        "id",
        "application_date",
        "patent_type",
        "claims_count",
        "ipc_all",
        "ipc_main",
        "inventors",
        "family_size",
        "citation_count",
    )
    for p in _annotated(qs.only(*only)).iterator(chunk_size=2000):
        if field is not None and tech_field_of(p.ipc_main or ((p.ipc_all or [None])[0])) != field:
            continue
        size += 1
        for code, value in raw_values(p, as_of=as_of).items():
            if value is not None and value > maxima.get(code, 0):
                maxima[code] = value
    return maxima, size


def normalise(values: dict, maxima: dict) -> dict:
    """value / cohort max in [0, 1]; None stays None; a cohort maximum of 0 gives 0."""
    out = {}
    for code, value in values.items():
        if value is None:
            out[code] = None
        else:
            top = maxima.get(code) or 0
            out[code] = round(value / top, 4) if top else 0.0
    return out


def composite(normalised: dict) -> float | None:
    used = [normalised[c] for c, _, _, in_index in INDICATORS if in_index and normalised.get(c) is not None]
    return round(sum(used) / len(used), 4) if used else None


def indicators_for(patent_ids: list[str], *, as_of: dt.date) -> dict[str, dict]:
    """For each patent: cohort, raw values, normalised values and composite index."""
    out = {}
    cache: dict = {}
    for p in _annotated(Patent.objects.filter(pk__in=patent_ids)):
        field = tech_field_of(p.ipc_main or ((p.ipc_all or [None])[0]))
        year = p.application_date.year if p.application_date else None
        key = (field, year)
        if key not in cache:
            cache[key] = cohort_maxima(field=field, year=year, as_of=as_of)
        maxima, size = cache[key]
        values = raw_values(p, as_of=as_of)
        norm = normalise(values, maxima)
        out[p.pk] = {
            "field": field,
            "year": year,
            "cohort_size": size,
            "values": values,
            "maxima": maxima,
            "normalised": norm,
            "composite": composite(norm),
        }
    return out
