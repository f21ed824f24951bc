"""Landscape analyses (GB/T 39551 专利导航指南; WIPO patent landscape guidelines) over a set of patent records.

`load_frame()` reads the needed columns of a set once (a queryset or a list of ids); every analysis is then a pure
function `fn(frame, *, ctx)` returning a dict with an ECharts option (`chart`), a table (`headers`, `rows`), key
figures, a Word image spec (`image`) and the counting rules (`caliber`, 口径)."""

from __future__ import annotations

from .actors import (
    ACADEMIC,
    applicants,
    coapplicant_network,
    concentration,
    hhi_label,
    inventor_network,
    inventors,
    new_entrants,
    pair_counts,
)
from .common import ENTITY_LABELS, STATUS_LABELS, TYPE_LABELS, caliber, main_group
from .context import DEFAULT_EFFECT_TERMS, Context, build_context, corpus_baseline, split_synonyms
from .frame import CHUNK, FRAME_COLUMNS, Frame, chunks, load_frame
from .geography import regions, rta, shandong_cities
from .portfolio import VALUE_EVENTS, key_patents, legal_status, types, value_events
from .technology import effect_matrix, ipc_group, ipc_subclass, tech_field_of, wipo_fields
from .trends import PHASES, PUBLICATION_LAG_DAYS, complete_end_year, lifecycle, lifecycle_phase, trend

__all__ = [
    "ACADEMIC",
    "ANALYSES",
    "CHUNK",
    "DEFAULT_EFFECT_TERMS",
    "ENTITY_LABELS",
    "FRAME_COLUMNS",
    "PHASES",
    "PUBLICATION_LAG_DAYS",
    "STATUS_LABELS",
    "TYPE_LABELS",
    "VALUE_EVENTS",
    "Context",
    "Frame",
    "applicants",
    "build_context",
    "caliber",
    "chunks",
    "coapplicant_network",
    "complete_end_year",
    "concentration",
    "corpus_baseline",
    "effect_matrix",
    "hhi_label",
    "inventor_network",
    "inventors",
    "ipc_group",
    "ipc_subclass",
    "key_patents",
    "legal_status",
    "lifecycle",
    "lifecycle_phase",
    "load_frame",
    "main_group",
    "new_entrants",
    "pair_counts",
    "regions",
    "rta",
    "run",
    "shandong_cities",
    "split_synonyms",
    "tech_field_of",
    "trend",
    "types",
    "value_events",
    "wipo_fields",
]

# ---------------------------------------------------------------- registry

ANALYSES = {
    "trend": ("申请与授权趋势", trend),
    "lifecycle": ("技术生命周期", lifecycle),
    "ipc_subclass": ("技术构成（IPC小类）", ipc_subclass),
    "ipc_group": ("技术构成（IPC大组）", ipc_group),
    "wipo_fields": ("技术构成（WIPO技术领域）", wipo_fields),
    "applicants": ("申请人排名与集中度", applicants),
    "new_entrants": ("新进入者", new_entrants),
    "inventors": ("发明人排名", inventors),
    "coapplicant_network": ("申请人合作网络（产学研）", coapplicant_network),
    "inventor_network": ("发明人合作网络", inventor_network),
    "regions": ("地域分布与山东省技术优势", regions),
    "shandong_cities": ("山东省各市分布", shandong_cities),
    "types": ("专利类型构成", types),
    "legal_status": ("法律状态构成", legal_status),
    "effect_matrix": ("技术功效矩阵", effect_matrix),
    "key_patents": ("重点专利", key_patents),
}


def run(key: str, frame: Frame, *, ctx: Context) -> dict:
    """Run one analysis by key; an unknown key is an input error."""
    if key not in ANALYSES:
        from ipplatform.core.inputs import InputError

        raise InputError(f"未知的分析项“{key}”", field="analysis")
    result = ANALYSES[key][1](frame, ctx=ctx)
    result["synthetic"] = frame.synthetic
    result["count"] = len(frame)
    return result
