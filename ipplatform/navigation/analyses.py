"""Landscape analyses (GB/T 39551 专利导航指南; WIPO patent landscape guidelines) over a set of patent records.

`load_frame()` reads the needed columns of a set once (a queryset or a list of ids); every analysis is then a pure
function `fn(frame, *, ctx)` returning a dict with an ECharts option (`chart`), a table (`headers`, `rows`), key
figures, a Word image spec (`image`) and the counting rules (`caliber`, 口径)."""
from __future__ import annotations

import datetime as dt
import heapq
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import Length

# ---------------------------------------------------------------- the data frame

CHUNK = 5000
VALUE_EVENTS = ("transfer", "license", "pledge", "open_license")
PUBLICATION_LAG_DAYS = 548  # 18 months
PHASES = ("萌芽期", "成长期", "成熟期", "衰退期", "复苏期")
ENTITY_LABELS = {"enterprise": "企业", "university": "大专院校", "institute": "科研单位", "government": "机关团体", "individual": "个人", "unknown": "未识别"}
TYPE_LABELS = {"invention": "发明", "utility": "实用新型", "design": "外观设计"}
STATUS_LABELS = {"pending": "审中", "valid": "有效", "invalid": "失效", "unknown": "未知"}
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


def _chunks(seq: list, size: int = CHUNK):
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _json_list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return json.loads(value)
    return list(value)  # PostgreSQL drivers return jsonb already decoded


def _json_lists(values: list) -> list[list]:
    """Decode many JSON list cells at once (one C-level parse instead of one call per row)."""
    if all(isinstance(v, str) or v is None for v in values):
        try:
            return json.loads("[" + ",".join(v if v else "[]" for v in values) + "]")
        except ValueError:
            pass
    return [_json_list(v) for v in values]


_SUBCLASS_IN_JSON = re.compile(r'"([A-H]\d\d[A-Z])')


def _year(value) -> int | None:
    if not value:
        return None
    if isinstance(value, str):  # SQLite returns ISO strings
        return int(value[:4])
    return value.year


class Frame:
    """Columns of a patent set, one list entry per record (index i is the same record in every column).

    JSON columns (inventors, all IPC symbols) and texts are decoded only when an analysis asks for them."""

    def __init__(self, *, ids, ptype, app_year, grant_year, ipc_main, province, city, status, claims, citations,
                 synthetic, applicants, applicant_info, ipc_all_raw, inventors_raw, text_loader=None, claim_length_loader=None):
        self.ids, self.ptype, self.app_year, self.grant_year, self.ipc_main = ids, ptype, app_year, grant_year, ipc_main
        self.province, self.city, self.status, self.claims, self.citations = province, city, status, claims, citations
        self.synthetic, self.applicants, self.applicant_info = synthetic, applicants, applicant_info
        self._ipc_all_raw, self._inventors_raw, self.text_loader = ipc_all_raw, inventors_raw, text_loader
        self.claim_length_loader = claim_length_loader
        self._ipc_all = self._inventors = self._texts = None

    def first_claim_lengths(self, ids: list[str]) -> dict[str, int]:
        """Length of the first claim of some records (read on demand: only key patents show it)."""
        return self.claim_length_loader(ids) if self.claim_length_loader else {}

    def ipc_breadth(self) -> list[int]:
        """Number of distinct IPC subclasses of each record."""
        out = []
        for raw, main in zip(self._ipc_all_raw, self.ipc_main):
            if isinstance(raw, str):
                subs = set(_SUBCLASS_IN_JSON.findall(raw))
            else:
                subs = {c[:4] for c in (raw or []) if c}
            if not subs and main:
                subs = {main[:4]}
            out.append(len(subs))
        return out

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def ipc_all(self) -> list[list[str]]:
        if self._ipc_all is None:
            self._ipc_all = [v or ([m] if m else []) for v, m in zip(_json_lists(self._ipc_all_raw), self.ipc_main)]
        return self._ipc_all

    @property
    def inventors(self) -> list[list[str]]:
        if self._inventors is None:
            self._inventors = [[n for n in v if n] if v else [] for v in _json_lists(self._inventors_raw)]
        return self._inventors

    @property
    def texts(self) -> list[str]:
        if self._texts is None:
            self._texts = self.text_loader() if self.text_loader else [""] * len(self.ids)
        return self._texts


def _patent_model():
    from ipplatform.patents.models import Patent

    return Patent


def _raw_rows(qs: QuerySet) -> list[tuple]:
    """Rows of a values_list queryset straight from the database cursor (no per-value Django converters)."""
    from django.db import connections

    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


FRAME_COLUMNS = ("id", "patent_type", "application_date", "grant_date", "publication_date", "ipc_main", "ipc_all", "inventors",
                 "province_code", "city_code", "legal_status", "claims_count", "citation_count", "is_synthetic")


def load_frame(*, patents: QuerySet | Iterable[str], texts: bool = False) -> Frame:
    """Read the analysed columns of a patent set (a Patent queryset, or patent ids) in a few queries.

    With `texts`, titles and abstracts (for the technology–effect matrix) come in the same pass."""
    from ipplatform.patents.models import PatentApplicant

    Patent = _patent_model()
    extra = ("title", "abstract") if texts else ()
    if isinstance(patents, QuerySet):
        qs_list = [patents.order_by()]
        link_qs = [PatentApplicant.objects.filter(patent_id__in=patents.order_by().values("pk"))]
    else:
        ids = sorted(set(patents))
        qs_list = [Patent.objects.filter(pk__in=chunk).order_by() for chunk in _chunks(ids)]
        link_qs = [PatentApplicant.objects.filter(patent_id__in=chunk) for chunk in _chunks(ids)]
    rows = []
    for qs in qs_list:
        rows.extend(_raw_rows(qs.values_list(*FRAME_COLUMNS, *extra)))
    rows.sort(key=lambda r: r[0])
    index = {r[0]: i for i, r in enumerate(rows)}
    applicants: list[list[int]] = [[] for _ in rows]
    links = []
    for qs in link_qs:
        links.extend(_raw_rows(qs.order_by().values_list("patent_id", "applicant_id", "order", "applicant__name", "applicant__entity_type")))
    links.sort(key=lambda r: (r[0], r[2]))
    info = {}
    for pid, aid, _order, name, et in links:
        i = index.get(pid)
        if i is not None:
            applicants[i].append(aid)
            info[aid] = (name, et)
    ordered_ids = [r[0] for r in rows]
    grant_year = []
    for r in rows:
        y = _year(r[3])
        if y is None and r[1] in ("utility", "design"):
            y = _year(r[4])  # utility models and designs are published on grant
        grant_year.append(y)
    text_col = [f"{r[14] or ''}。{r[15] or ''}" for r in rows] if texts else None

    def claim_lengths(some: list[str]) -> dict[str, int]:
        out = {}
        for chunk in _chunks(list(some)):
            out.update(dict(_raw_rows(Patent.objects.filter(pk__in=chunk).order_by().annotate(n=Length("first_claim")).values_list("pk", "n"))))
        return {k: v or 0 for k, v in out.items()}

    def load_texts():
        if text_col is not None:
            return text_col
        by_id = {}
        for chunk in _chunks(ordered_ids):
            by_id.update({pk: f"{t or ''}。{a or ''}" for pk, t, a in _raw_rows(Patent.objects.filter(pk__in=chunk).order_by().values_list("pk", "title", "abstract"))})
        return [by_id.get(pk, "") for pk in ordered_ids]

    return Frame(
        ids=ordered_ids,
        ptype=[r[1] for r in rows],
        app_year=[_year(r[2]) for r in rows],
        grant_year=grant_year,
        ipc_main=[r[5] or "" for r in rows],
        ipc_all_raw=[r[6] for r in rows],
        inventors_raw=[r[7] for r in rows],
        province=[r[8] or "" for r in rows],
        city=[r[9] or "" for r in rows],
        status=[r[10] or "unknown" for r in rows],
        claims=[r[11] for r in rows],
        citations=[r[12] for r in rows],
        synthetic=sum(1 for r in rows if r[13]),
        applicants=applicants,
        applicant_info=info,
        text_loader=load_texts,
        claim_length_loader=claim_lengths,
    )


# ---------------------------------------------------------------- context: reference data and whole-corpus baseline


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
    Patent = _patent_model()
    qs = Patent.objects.order_by()
    # Each grouping reads one indexed column only; city codes carry their province in the first two digits.
    province = dict(qs.values_list("province_code").annotate(n=Count("*")).values_list("province_code", "n"))
    city = {c: n for c, n in qs.values_list("city_code").annotate(n=Count("*")).values_list("city_code", "n") if c and c.startswith("37")}
    return {"total": sum(province.values()), "province": province, "city": city}


def build_context(*, frame: Frame | None = None, data_cutoff=None, subject_label: str = "", effect_terms=None, baseline=None) -> Context:
    """Context with reference lookups limited to the codes the frame uses."""
    from ipplatform.core.models import Division, IPCEntry, TechField, TechFieldPattern

    ctx = Context(data_cutoff=data_cutoff, subject_label=subject_label, baseline=baseline)
    ctx.effect_terms = effect_terms if effect_terms is not None else [(t, split_synonyms(s, t)) for t, s in DEFAULT_EFFECT_TERMS]
    codes = set()
    if frame is not None:
        for code in set(frame.ipc_main):
            if len(code) >= 4:
                codes.add(code[:4])
                codes.add(main_group(code))
    ctx.ipc_titles = {}
    for chunk in _chunks(sorted(codes), 900):
        ctx.ipc_titles.update(dict(IPCEntry.objects.filter(code__in=chunk).values_list("code", "title_zh")))
    missing = [c for c, t in ctx.ipc_titles.items() if not t]
    if missing:
        ctx.ipc_titles.update(dict(IPCEntry.objects.filter(code__in=missing).values_list("code", "title_en")))
    ctx.field_prefixes = dict(TechFieldPattern.objects.values_list("ipc_prefix", "field_id"))
    ctx.field_names = dict(TechField.objects.values_list("number", "name_zh"))
    names = {}
    for code, name in Division.objects.filter(level__in=["province", "city"]).order_by("revision").values_list("code", "name"):
        names[code] = name  # later revisions win
    ctx.province_names = {c: n for c, n in names.items() if c.endswith("0000")}
    ctx.city_names = {c: n for c, n in Division.objects.filter(revision="201512", level="city", code__startswith="37").values_list("code", "name")}
    return ctx


def split_synonyms(text: str, term: str = "") -> list[str]:
    parts = [p.strip() for p in re.split(r"[、,，;；\s]+", text or "") if p.strip()]
    if term and term not in parts:
        parts.insert(0, term)
    return parts


# ---------------------------------------------------------------- helpers


def main_group(code: str) -> str:
    """'H01M10/052' -> 'H01M10/00'; a bare subclass stays as it is."""
    m = re.match(r"([A-H]\d\d[A-Z])(\d+)", code or "")
    return f"{m.group(1)}{m.group(2)}/00" if m else (code or "")[:4]


def caliber(ctx: Context, extra: str = "", *, grants: bool = False) -> str:
    cutoff = ctx.data_cutoff.isoformat() if ctx.data_cutoff else "未知"
    parts = [
        "统计口径：按件计（每件申请计一次，未做同族合并）",
        "申请量按申请日统计" + ("，授权量按授权公告日统计（实用新型、外观设计以授权公告日计）" if grants else ""),
        f"数据截止日期：{cutoff}",
    ]
    if extra:
        parts.append(extra)
    return "；".join(parts) + "。"


def _result(key, title, *, chart, headers, rows, caliber_text, figures=None, image=None, summary="") -> dict:
    return {"key": key, "title": title, "chart": chart, "headers": headers, "rows": rows, "caliber": caliber_text,
            "figures": figures or {}, "image": image, "summary": summary}


def _pct(part: float, whole: float, digits: int = 1) -> float:
    return round(part * 100 / whole, digits) if whole else 0.0


def _year_range(years: Iterable[int | None], cutoff: dt.date | None) -> list[int]:
    ys = [y for y in years if y]
    if not ys:
        return []
    last = max(ys)
    if cutoff:
        last = min(last, cutoff.year)
    return list(range(min(ys), last + 1))


def _bar_option(title: str, labels: list[str], values: list, *, horizontal=False, name="件数") -> dict:
    axis_cat = {"type": "category", "data": labels, "axisLabel": {"interval": 0, "rotate": 0 if horizontal else (30 if len(labels) > 8 else 0)}}
    axis_val = {"type": "value", "name": name}
    if horizontal:
        axis_cat["inverse"] = True
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 20, "right": 40, "bottom": 30, "top": 50, "containLabel": True},
        "xAxis": axis_val if horizontal else axis_cat,
        "yAxis": axis_cat if horizontal else axis_val,
        "series": [{"type": "bar", "name": name, "data": values, "itemStyle": {"color": "#3b7dd8"}}],
    }


def _pie_option(title: str, labels: list[str], values: list) -> dict:
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}件（{d}%）"},
        "legend": {"bottom": 0},
        "series": [{"type": "pie", "radius": ["35%", "65%"], "data": [{"name": n, "value": v} for n, v in zip(labels, values)],
                    "label": {"formatter": "{b}\n{d}%"}}],
    }


# ---------------------------------------------------------------- analyses


def trend(frame: Frame, *, ctx: Context) -> dict:
    """Applications by application year and grants by grant year, invention patents shown apart."""
    years = _year_range(frame.app_year + frame.grant_year, ctx.data_cutoff)
    apps, inv_apps, grants, inv_grants = Counter(), Counter(), Counter(), Counter()
    for t, ay, gy in zip(frame.ptype, frame.app_year, frame.grant_year):
        if ay:
            apps[ay] += 1
            if t == "invention":
                inv_apps[ay] += 1
        if gy:
            grants[gy] += 1
            if t == "invention":
                inv_grants[gy] += 1
    rows = [[y, apps[y], inv_apps[y], grants[y], inv_grants[y]] for y in years]
    peak = max(years, key=lambda y: apps[y]) if years else None
    chart = {
        "title": {"text": "申请与授权趋势", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
        "grid": {"left": 50, "right": 30, "bottom": 60, "top": 50},
        "xAxis": {"type": "category", "data": [str(y) for y in years]}, "yAxis": {"type": "value", "name": "件数"},
        "series": [
            {"type": "line", "name": "申请量", "data": [apps[y] for y in years]},
            {"type": "line", "name": "其中发明申请", "data": [inv_apps[y] for y in years]},
            {"type": "bar", "name": "授权量", "data": [grants[y] for y in years]},
        ],
    }
    figures = {"申请总量": sum(apps.values()), "授权总量": sum(grants.values()), "申请高峰年": peak}
    summary = f"共{sum(apps.values())}件申请，{sum(grants.values())}件授权" + (f"，申请量在{peak}年达到峰值（{apps[peak]}件）" if peak else "") + "。"
    return _result("trend", "申请与授权趋势", chart=chart, headers=["年份", "申请量", "其中发明申请", "授权量", "其中发明授权"], rows=rows,
                   caliber_text=caliber(ctx, "近两年发明申请因18个月公开期尚未完全公开", grants=True), figures=figures, summary=summary,
                   image={"kind": "line", "title": "申请与授权趋势", "x": [str(y) for y in years],
                          "series": {"申请量": [apps[y] for y in years], "授权量": [grants[y] for y in years]}})


def lifecycle_phase(*, years: list[int], applications: dict[int, int], applicants: dict[int, set], end_year: int) -> tuple[str, str]:
    """Name the life-cycle phase from the last three complete years against the three before them."""
    active = [y for y in years if y <= end_year and applications.get(y)]
    if len(active) < 4:
        return "萌芽期", f"截至{end_year}年有申请的年份不足4年，技术处于引入阶段"

    def window(last):
        span = range(last - 2, last + 1)
        apps = sum(applications.get(y, 0) for y in span)
        people = set().union(*(applicants.get(y, set()) for y in span))
        return apps, len(people)

    a_apps, a_people = window(end_year)
    b_apps, b_people = window(end_year - 3)
    c_apps, c_people = window(end_year - 6)
    if b_apps == 0:
        return "萌芽期", f"{end_year - 5}—{end_year - 3}年无申请，技术刚刚出现"
    ga = a_apps / b_apps - 1
    gp = (a_people / b_people - 1) if b_people else ga
    text = f"{end_year - 2}—{end_year}年申请量{a_apps}件、申请人{a_people}个，较前三年（{b_apps}件、{b_people}个）分别变化{ga:+.0%}、{gp:+.0%}"
    if ga > 0.1 and gp > 0.1:
        if c_apps and (b_apps / c_apps - 1) < -0.1 and c_people and (b_people / c_people - 1) < -0.1:
            return "复苏期", text + "；此前三年申请量与申请人均下降，现重新增长"
        return "成长期", text + "；申请量与申请人数量同步较快增长"
    if ga < -0.1 and gp < -0.1:
        return "衰退期", text + "；申请量与申请人数量同步下降"
    return "成熟期", text + "；申请量趋稳或申请人数量不再增长，技术向少数申请人集中"


def complete_end_year(ctx: Context, years: list[int]) -> int:
    if not years:
        return 0
    last = max(years)
    if ctx.data_cutoff:
        # Invention applications are published about 18 months after filing: a year counts as complete only when
        # its end lies at least 18 months before the cut-off.
        lagged = ctx.data_cutoff - dt.timedelta(days=PUBLICATION_LAG_DAYS)
        complete = lagged.year if (lagged.month, lagged.day) == (12, 31) else lagged.year - 1
        last = min(last, complete)
    return last


def lifecycle(frame: Frame, *, ctx: Context) -> dict:
    """Technology life cycle: applicants against applications per year, with the phase named."""
    apps: Counter = Counter()
    people: dict[int, set] = defaultdict(set)
    for ay, appl in zip(frame.app_year, frame.applicants):
        if ay:
            apps[ay] += 1
            people[ay].update(appl)
    years = _year_range(apps.keys(), ctx.data_cutoff)
    end_year = complete_end_year(ctx, years)
    phase, reason = lifecycle_phase(years=years, applications=apps, applicants=people, end_year=end_year) if years else ("萌芽期", "无申请数据")
    rows = [[y, apps[y], len(people[y])] for y in years]
    chart = {
        "title": {"text": f"技术生命周期（{phase}）", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{c}"},
        "grid": {"left": 60, "right": 40, "bottom": 50, "top": 50},
        "xAxis": {"type": "value", "name": "申请量"}, "yAxis": {"type": "value", "name": "申请人数"},
        "series": [{"type": "line", "data": [[apps[y], len(people[y]), str(y)] for y in years],
                    "label": {"show": True, "formatter": "{@[2]}", "fontSize": 10}, "symbolSize": 6}],
    }
    return _result("lifecycle", "技术生命周期", chart=chart, headers=["年份", "申请量", "申请人数"], rows=rows,
                   caliber_text=caliber(ctx, "申请人数为当年有申请的不同申请人（含共同申请人）个数；因发明申请约18个月后公开，阶段判定只用截止日18个月前已结束的年度，比较最近三个完整年度与之前三年，"
                                             "申请量与申请人数均增长超过10%为成长期，均下降超过10%为衰退期，先降后升为复苏期，其余为成熟期，"
                                             "有申请年份不足4年为萌芽期"),
                   figures={"阶段": phase, "判定依据": reason, "判定截止年": end_year}, summary=f"技术处于{phase}：{reason}。",
                   image={"kind": "path", "title": f"技术生命周期（{phase}）", "x": [apps[y] for y in years],
                          "y": [len(people[y]) for y in years], "labels": [str(y) for y in years], "xlabel": "申请量", "ylabel": "申请人数"})


def _composition(frame: Frame, *, ctx: Context, key: str, title: str, level: str) -> dict:
    counts = Counter(((code[:4] if level == "subclass" else main_group(code)) if code else "") for code in frame.ipc_main)
    missing = counts.pop("", 0)
    total = len(frame)
    top = counts.most_common(ctx.top_n)
    rows = [[code, ctx.ipc_title(code), n, _pct(n, total)] for code, n in top]
    rest = sum(counts.values()) - sum(n for _, n in top)
    if rest:
        rows.append(["其他", "", rest, _pct(rest, total)])
    if missing:
        rows.append(["无分类号", "", missing, _pct(missing, total)])
    labels = [code for code, _ in top]
    label = "小类" if level == "subclass" else "大组"
    return _result(key, title, chart=_bar_option(title, labels, [n for _, n in top], horizontal=True),
                   headers=["分类号", "中文含义", "件数", "占比%"], rows=rows,
                   caliber_text=caliber(ctx, f"按主分类号所属IPC{label}归类，每件计一次；中文含义取自IPC 2026.01中文版"),
                   figures={f"{label}数": len(counts), f"第一{label}": labels[0] if labels else ""},
                   summary=(f"前三个{label}为" + "、".join(f"{c}（{ctx.ipc_title(c)[:20]}，{n}件）" for c, n in top[:3]) + "。") if top else "",
                   image={"kind": "bar", "title": title, "labels": [f"{c} {ctx.ipc_title(c)[:12]}" for c in labels[:15]],
                          "values": [n for _, n in top[:15]], "horizontal": True})


def ipc_subclass(frame: Frame, *, ctx: Context) -> dict:
    """Technology composition by IPC subclass of the main classification."""
    return _composition(frame, ctx=ctx, key="ipc_subclass", title="技术构成（IPC小类）", level="subclass")


def ipc_group(frame: Frame, *, ctx: Context) -> dict:
    """Technology composition by IPC main group of the main classification."""
    return _composition(frame, ctx=ctx, key="ipc_group", title="技术构成（IPC大组）", level="group")


def tech_field_of(code: str, prefixes: dict[str, int]) -> int | None:
    """WIPO field of a normalised IPC symbol: the main-group pattern wins over the subclass pattern."""
    if not code:
        return None
    group = main_group(code)
    if "/" in group:
        hit = prefixes.get(group[:-2])  # 'H04N5/00' -> 'H04N5/'
        if hit is not None:
            return hit
    return prefixes.get(code[:4])


def wipo_fields(frame: Frame, *, ctx: Context) -> dict:
    """Technology composition by the WIPO 35 technology fields (Schmoch concordance)."""
    prefixes = ctx.field_prefixes or {}
    counts = Counter(tech_field_of(code, prefixes) for code in frame.ipc_main)
    unmatched = counts.pop(None, 0)
    total = len(frame)
    top = counts.most_common()
    names = ctx.field_names or {}
    rows = [[num, names.get(num, str(num)), n, _pct(n, total)] for num, n in top]
    if unmatched:
        rows.append(["—", "未能归入", unmatched, _pct(unmatched, total)])
    labels = [names.get(num, str(num)) for num, _ in top]
    return _result("wipo_fields", "技术构成（WIPO技术领域）", chart=_bar_option("WIPO技术领域分布", labels, [n for _, n in top], horizontal=True),
                   headers=["领域序号", "技术领域", "件数", "占比%"], rows=rows,
                   caliber_text=caliber(ctx, "按主分类号对照WIPO 35个技术领域（Schmoch 2008对照表），大组规则优先于小类规则，每件计一次"),
                   figures={"领域数": len(counts)},
                   summary=(f"主要技术领域为{labels[0]}（{top[0][1]}件，{_pct(top[0][1], total)}%）。" if top else ""),
                   image={"kind": "bar", "title": "WIPO技术领域分布", "labels": labels[:15], "values": [n for _, n in top[:15]], "horizontal": True})


def concentration(shares: list[float]) -> tuple[float, float]:
    """CR4 (%) and HHI (0–10000) from market shares given as fractions."""
    ordered = sorted(shares, reverse=True)
    cr4 = sum(ordered[:4]) * 100
    hhi = sum((s * 100) ** 2 for s in ordered)
    return round(cr4, 2), round(hhi, 1)


def hhi_label(hhi: float) -> str:
    if hhi < 1000:
        return "竞争型（低集中度）"
    if hhi < 1800:
        return "中度集中"
    return "高度集中"


def applicants(frame: Frame, *, ctx: Context) -> dict:
    """Applicant ranking (every co-applicant counted) and concentration of first applicants (CR4, HHI)."""
    any_count, first_count, grants = Counter(), Counter(), Counter()
    for appl, gy in zip(frame.applicants, frame.grant_year):
        for a in dict.fromkeys(appl):
            any_count[a] += 1
            if gy:
                grants[a] += 1
        if appl:
            first_count[appl[0]] += 1
    with_first = sum(first_count.values())
    cr4, hhi = concentration([n / with_first for n in first_count.values()]) if with_first else (0.0, 0.0)
    top = sorted(any_count.items(), key=lambda kv: (-kv[1], frame.applicant_info.get(kv[0], ("", ""))[0]))[: ctx.top_n]
    rows = []
    for rank, (a, n) in enumerate(top, 1):
        name, et = frame.applicant_info.get(a, (str(a), "unknown"))
        rows.append([rank, name, ENTITY_LABELS.get(et, et), n, first_count.get(a, 0), _pct(first_count.get(a, 0), with_first, 2), grants.get(a, 0)])
    labels = [r[1] for r in rows[:15]]
    return _result("applicants", "申请人排名与集中度", chart=_bar_option("申请人排名", labels, [r[3] for r in rows[:15]], horizontal=True),
                   headers=["排名", "申请人", "类型", "申请量", "作为第一申请人", "第一申请人份额%", "授权量"], rows=rows,
                   caliber_text=caliber(ctx, "排名中每位共同申请人各计一次；集中度按第一申请人计算（份额之和为100%）：CR4为前4位份额之和，"
                                             "HHI为全部申请人份额（百分数）平方和，<1000为竞争型、1000—1800为中度集中、>1800为高度集中"),
                   figures={"申请人数": len(any_count), "CR4": cr4, "HHI": hhi, "集中度": hhi_label(hhi)},
                   summary=f"共{len(any_count)}个申请人，CR4为{cr4}%，HHI为{hhi}，属{hhi_label(hhi)}。",
                   image={"kind": "bar", "title": "申请人排名（申请量）", "labels": labels, "values": [r[3] for r in rows[:15]], "horizontal": True})


def new_entrants(frame: Frame, *, ctx: Context) -> dict:
    """Applicants filing in this technology for the first time, per year."""
    first_year: dict[int, int] = {}
    year_people: dict[int, set] = defaultdict(set)
    for ay, appl in zip(frame.app_year, frame.applicants):
        if not ay:
            continue
        for a in appl:
            year_people[ay].add(a)
            if a not in first_year or ay < first_year[a]:
                first_year[a] = ay
    apps_by_new = Counter()
    for ay, appl in zip(frame.app_year, frame.applicants):
        if ay and any(first_year.get(a) == ay for a in appl):
            apps_by_new[ay] += 1
    years = _year_range(year_people.keys(), ctx.data_cutoff)
    new = Counter(first_year.values())
    rows = [[y, len(year_people[y]), new[y], _pct(new[y], len(year_people[y])), apps_by_new[y]] for y in years]
    chart = {
        "title": {"text": "新进入者", "left": "center", "textStyle": {"fontSize": 14}}, "tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
        "grid": {"left": 50, "right": 50, "bottom": 60, "top": 50},
        "xAxis": {"type": "category", "data": [str(y) for y in years]},
        "yAxis": [{"type": "value", "name": "申请人数"}, {"type": "value", "name": "新进入者占比%", "max": 100}],
        "series": [{"type": "bar", "name": "新进入申请人", "data": [new[y] for y in years]},
                   {"type": "bar", "name": "当年申请人", "data": [len(year_people[y]) for y in years]},
                   {"type": "line", "name": "新进入者占比%", "yAxisIndex": 1, "data": [r[3] for r in rows]}],
    }
    recent = rows[-3:]
    return _result("new_entrants", "新进入者", chart=chart, headers=["年份", "当年申请人数", "新进入申请人数", "新进入者占比%", "含新进入者的申请量"], rows=rows,
                   caliber_text=caliber(ctx, "新进入者指在本分析范围内首次提出申请的申请人（含共同申请人），以其最早申请日所在年份计"),
                   figures={"近三年新进入者": sum(r[2] for r in recent)},
                   summary=f"近三年共有{sum(r[2] for r in recent)}个新进入申请人。",
                   image={"kind": "bar", "title": "新进入申请人数", "labels": [str(y) for y in years], "values": [new[y] for y in years]})


def inventors(frame: Frame, *, ctx: Context) -> dict:
    """Inventor ranking with each inventor's most frequent applicant."""
    lists = frame.inventors
    count = Counter(itertools.chain.from_iterable(names if len(names) < 2 else set(names) for names in lists))
    top = sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[: ctx.top_n]
    wanted = {n for n, _ in top}
    grant_count: Counter = Counter()
    employer: dict[str, Counter] = defaultdict(Counter)
    for names, appl, gy in zip(lists, frame.applicants, frame.grant_year):
        hit = wanted.intersection(names)
        for n in hit:
            if gy:
                grant_count[n] += 1
            if appl:
                employer[n][appl[0]] += 1
    rows = []
    for rank, (n, c) in enumerate(top, 1):
        emp = employer[n].most_common(1)
        rows.append([rank, n, c, grant_count[n], frame.applicant_info.get(emp[0][0], ("", ""))[0] if emp else ""])
    return _result("inventors", "发明人排名", chart=_bar_option("发明人排名", [r[1] for r in rows[:15]], [r[2] for r in rows[:15]], horizontal=True),
                   headers=["排名", "发明人", "申请量", "授权量", "主要申请人"], rows=rows,
                   caliber_text=caliber(ctx, "每位发明人各计一次；同名发明人无法区分，按姓名合并"),
                   figures={"发明人数": len(count)}, summary=f"共{len(count)}位发明人。" + (f"申请量最多的是{top[0][0]}（{top[0][1]}件）。" if top else ""),
                   image={"kind": "bar", "title": "发明人排名", "labels": [r[1] for r in rows[:15]], "values": [r[2] for r in rows[:15]], "horizontal": True})


def _graph_option(title: str, nodes: dict, edges: Counter, categories: list[str], node_cat, max_nodes: int = 60) -> dict:
    degree = Counter()
    for (a, b), w in edges.items():
        degree[a] += w
        degree[b] += w
    keep = {n for n, _ in degree.most_common(max_nodes)}
    top_w = max(degree.values()) if degree else 1
    data = [{"id": str(n), "name": nodes[n], "value": degree[n], "category": categories.index(node_cat(n)),
             "symbolSize": 8 + 30 * degree[n] / top_w} for n in keep]
    links = [{"source": str(a), "target": str(b), "value": w, "lineStyle": {"width": min(1 + w, 8)}}
             for (a, b), w in edges.items() if a in keep and b in keep]
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}}, "tooltip": {},
        "legend": {"bottom": 0, "data": categories},
        "series": [{"type": "graph", "layout": "force", "roam": True, "data": data, "links": links, "top": 70, "bottom": 50, "left": 40, "right": 120,
                    "categories": [{"name": c} for c in categories], "label": {"show": True, "position": "right", "fontSize": 10},
                    "force": {"repulsion": 120, "edgeLength": [40, 120]}}],
    }


def pair_counts(groups: Iterable[list], limit: int = 12) -> Counter:
    """Co-occurrence counts of unordered pairs within each group (at most `limit` members per group)."""
    edges: Counter = Counter()
    combos = itertools.combinations
    edges.update(itertools.chain.from_iterable(
        combos(sorted(dict.fromkeys(members)) if len(members) <= limit else sorted(list(dict.fromkeys(members))[:limit]), 2)
        for members in groups if len(members) > 1))
    return edges


ACADEMIC = {"university", "institute"}


def coapplicant_network(frame: Frame, *, ctx: Context) -> dict:
    """Co-applicant network, with industry–university–institute (产学研) pairs marked."""
    edges = pair_counts(frame.applicants)
    info = frame.applicant_info
    joint = sum(1 for appl in frame.applicants if len(set(appl)) >= 2)
    iui_patents = 0
    for appl in frame.applicants:
        types = {info.get(a, ("", "unknown"))[1] for a in appl}
        if "enterprise" in types and types & ACADEMIC:
            iui_patents += 1
    def kind_of(a, b) -> tuple[str, str, str]:
        ta, tb = info.get(a, ("", "unknown"))[1], info.get(b, ("", "unknown"))[1]
        pair = {ta, tb}
        if "enterprise" in pair and pair & ACADEMIC:
            return "产学研", ta, tb
        return ("企业间" if ta == tb == "enterprise" else "学研间" if pair <= ACADEMIC else "其他"), ta, tb

    iui_pairs = sum(1 for a, b in edges if kind_of(a, b)[0] == "产学研")
    rows = []
    for (a, b), w in heapq.nsmallest(100, edges.items(), key=lambda kv: (-kv[1], info.get(kv[0][0], ("",))[0], info.get(kv[0][1], ("",))[0])):
        kind, ta, tb = kind_of(a, b)
        rows.append([info.get(a, (str(a),))[0], ENTITY_LABELS.get(ta, ta), info.get(b, (str(b),))[0], ENTITY_LABELS.get(tb, tb), w, kind])
    categories = ["企业", "大专院校", "科研单位", "个人", "其他"]

    def cat(n):
        label = ENTITY_LABELS.get(info.get(n, ("", "unknown"))[1], "其他")
        return label if label in categories else "其他"

    chart = _graph_option("申请人合作网络", {a: info.get(a, (str(a),))[0] for pair in edges for a in pair}, edges, categories, cat)
    return _result("coapplicant_network", "申请人合作网络（产学研）", chart=chart,
                   headers=["申请人A", "类型A", "申请人B", "类型B", "合作申请量", "合作类型"], rows=rows,
                   caliber_text=caliber(ctx, "同一件申请的每两位共同申请人之间计一次合作；产学研指企业与大专院校或科研单位的合作；网络图显示合作最多的前60个申请人"),
                   figures={"合作申请量": joint, "合作申请占比%": _pct(joint, len(frame)), "合作关系数": len(edges), "产学研合作关系数": iui_pairs, "产学研合作申请量": iui_patents},
                   summary=f"合作申请{joint}件（占{_pct(joint, len(frame))}%），其中产学研合作申请{iui_patents}件、合作关系{iui_pairs}对。",
                   image={"kind": "network", "title": "申请人合作网络", "nodes": {str(k): v["name"] for k, v in ((d["id"], d) for d in chart["series"][0]["data"])},
                          "edges": [[l["source"], l["target"], l["value"]] for l in chart["series"][0]["links"]]})


def inventor_network(frame: Frame, *, ctx: Context) -> dict:
    """Inventor co-invention network."""
    edges = pair_counts(frame.inventors)
    rows = [[a, b, w] for (a, b), w in heapq.nsmallest(100, edges.items(), key=lambda kv: (-kv[1], kv[0]))]
    chart = _graph_option("发明人合作网络", {n: n for pair in edges for n in pair}, edges, ["发明人"], lambda n: "发明人")
    teams = sum(1 for names in frame.inventors if len(set(names)) >= 2)
    return _result("inventor_network", "发明人合作网络", chart=chart, headers=["发明人A", "发明人B", "合作申请量"], rows=rows,
                   caliber_text=caliber(ctx, "同一件申请的每两位发明人之间计一次合作（每件取前12位发明人）；同名发明人按姓名合并；网络图显示合作最多的前60位发明人"),
                   figures={"团队申请量": teams, "合作关系数": len(edges)},
                   summary=f"{teams}件申请由两位以上发明人共同完成，形成{len(edges)}对合作关系。",
                   image={"kind": "network", "title": "发明人合作网络", "nodes": {d["id"]: d["name"] for d in chart["series"][0]["data"]},
                          "edges": [[l["source"], l["target"], l["value"]] for l in chart["series"][0]["links"]]})


def rta(part: int, whole: int, region_total: int, corpus_total: int) -> float | None:
    """Revealed technological advantage: the region's share in the subject over its share in the whole data set."""
    if not whole or not region_total or not corpus_total:
        return None
    return round((part / whole) / (region_total / corpus_total), 2)


def regions(frame: Frame, *, ctx: Context) -> dict:
    """Distribution by province with each province's RTA; Shandong's share and RTA against the whole data set."""
    base = ctx.baseline or {"total": 0, "province": {}, "city": {}}
    counts = Counter(frame.province)
    total = len(frame)
    names = ctx.province_names or {}
    rows = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        corpus = base["province"].get(code, 0)
        rows.append([names.get(code, "未归属" if not code else code), code, n, _pct(n, total), corpus, rta(n, total, corpus, base["total"]) if code else None])
    sd = counts.get("370000", 0)
    sd_rta = rta(sd, total, base["province"].get("370000", 0), base["total"])
    top = [r for r in rows if r[1]][:15]
    return _result("regions", "地域分布与山东省技术优势", chart=_bar_option("各省份申请量", [r[0] for r in top], [r[2] for r in top]),
                   headers=["省份", "代码", "件数", "占比%", "全库件数", "RTA"], rows=rows,
                   caliber_text=caliber(ctx, "按第一申请人地址归属省份；RTA（显示性技术优势）=该省在本主题中的份额 ÷ 该省在全库中的份额，>1表示相对优势；"
                                             f"全库为平台全部专利记录（{base['total']}件）"),
                   figures={"山东省件数": sd, "山东省占比%": _pct(sd, total), "山东省RTA": sd_rta},
                   summary=f"山东省{sd}件，占{_pct(sd, total)}%，RTA为{sd_rta if sd_rta is not None else '—'}" +
                           ("，具有相对技术优势。" if sd_rta and sd_rta > 1 else "。"),
                   image={"kind": "bar", "title": "各省份申请量", "labels": [r[0] for r in top], "values": [r[2] for r in top]})


def shandong_cities(frame: Frame, *, ctx: Context) -> dict:
    """Distribution over Shandong's cities (2015 divisions) with each city's RTA."""
    base = ctx.baseline or {"total": 0, "province": {}, "city": {}}
    names = ctx.city_names or {}
    counts = Counter(c for p, c in zip(frame.province, frame.city) if p == "370000")
    total = len(frame)
    rows = []
    for code in sorted(set(names) | set(counts), key=lambda c: (-counts.get(c, 0), c)):
        n = counts.get(code, 0)
        corpus = base["city"].get(code, 0)
        rows.append([names.get(code, "未归属地市" if not code else code), code, n, _pct(n, total), corpus, rta(n, total, corpus, base["total"])])
    chart = {
        "title": {"text": "山东省各市分布", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}件"},
        "visualMap": {"min": 0, "max": max(counts.values() or [1]), "left": 10, "bottom": 10, "calculable": True, "text": ["多", "少"]},
        "series": [{"type": "map", "map": "shandong", "roam": False, "label": {"show": True, "fontSize": 10},
                    "data": [{"name": names[c], "value": counts.get(c, 0)} for c in sorted(names)]}],
    }
    best = max((r for r in rows if r[5] is not None and r[2]), key=lambda r: r[5], default=None)
    result = _result("shandong_cities", "山东省各市分布", chart=chart, headers=["地市", "代码", "件数", "占本主题%", "全库件数", "RTA"], rows=rows,
                     caliber_text=caliber(ctx, "按第一申请人地址归属地市（2015年区划，莱芜市单列）；RTA=该市在本主题中的份额 ÷ 该市在全库中的份额"),
                     figures={"山东省件数": sum(counts.values()), "RTA最高的地市": best[0] if best else ""},
                     summary=(f"省内以{rows[0][0]}最多（{rows[0][2]}件）" if rows and rows[0][2] else "省内无申请") +
                             (f"，{best[0]}的RTA最高（{best[5]}）。" if best else "。"),
                     image={"kind": "bar", "title": "山东省各市申请量", "labels": [r[0] for r in rows if r[2]][:17],
                            "values": [r[2] for r in rows if r[2]][:17], "horizontal": True})
    result["map"] = "shandong"
    return result


def types(frame: Frame, *, ctx: Context) -> dict:
    """Mix of patent types."""
    counts = Counter(frame.ptype)
    total = len(frame)
    order = [t for t in ("invention", "utility", "design") if counts.get(t)] + [t for t in counts if t not in TYPE_LABELS]
    rows = [[TYPE_LABELS.get(t, t), counts[t], _pct(counts[t], total)] for t in order]
    labels = [r[0] for r in rows]
    return _result("types", "专利类型构成", chart=_pie_option("专利类型构成", labels, [r[1] for r in rows]), headers=["类型", "件数", "占比%"], rows=rows,
                   caliber_text=caliber(ctx), figures={"发明占比%": _pct(counts.get("invention", 0), total)},
                   summary=f"发明专利占{_pct(counts.get('invention', 0), total)}%。",
                   image={"kind": "pie", "title": "专利类型构成", "labels": labels, "values": [r[1] for r in rows]})


def legal_status(frame: Frame, *, ctx: Context) -> dict:
    """Mix of current legal status, by patent type."""
    counts = Counter(frame.status)
    by_type = Counter(zip(frame.status, frame.ptype))
    total = len(frame)
    order = [s for s in ("valid", "pending", "invalid", "unknown") if counts.get(s)]
    rows = [[STATUS_LABELS.get(s, s), counts[s], _pct(counts[s], total)] + [by_type.get((s, t), 0) for t in ("invention", "utility", "design")] for s in order]
    labels = [r[0] for r in rows]
    return _result("legal_status", "法律状态构成", chart=_pie_option("法律状态构成", labels, [r[1] for r in rows]),
                   headers=["法律状态", "件数", "占比%", "发明", "实用新型", "外观设计"], rows=rows,
                   caliber_text=caliber(ctx, "法律状态为数据截止日的当前状态；缺少法律状态事件的已授权专利在保护期内推定为有效"),
                   figures={"有效占比%": _pct(counts.get("valid", 0), total)}, summary=f"有效专利占{_pct(counts.get('valid', 0), total)}%。",
                   image={"kind": "pie", "title": "法律状态构成", "labels": labels, "values": [r[1] for r in rows]})


def effect_matrix(frame: Frame, *, ctx: Context, groups: int = 10) -> dict:
    """Technology–effect matrix: top IPC main groups × effect terms found in titles and abstracts."""
    terms = ctx.effect_terms
    group_of = [main_group(c) if c else "" for c in frame.ipc_main]
    top = [g for g, _ in Counter(g for g in group_of if g).most_common(groups)]
    index = {g: i for i, g in enumerate(top)}
    matrix = [[0] * len(terms) for _ in top]
    if top and terms:
        owners: dict[str, set[int]] = defaultdict(set)  # synonym -> the terms it belongs to
        for j, (_, syn) in enumerate(terms):
            for word in syn:
                owners[word].add(j)
        pattern = re.compile("|".join(re.escape(w) for w in sorted(owners, key=len, reverse=True)))
        # Overlapping synonyms ('高效' inside '提高效率'): a shorter one hidden by a longer match is found by its own search.
        covers = {w: set().union(*(owners[o] for o in owners if o in w)) for w in owners}
        texts = frame.texts
        for g, text in zip(group_of, texts):
            i = index.get(g)
            if i is None or not text:
                continue
            found: set[int] = set()
            for m in pattern.finditer(text):
                found |= covers[m.group(0)]
            row = matrix[i]
            for j in found:
                row[j] += 1
    term_names = [t for t, _ in terms]
    rows = [[g, ctx.ipc_title(g)] + matrix[i] for i, g in enumerate(top)]
    data = [[j, i, matrix[i][j]] for i in range(len(top)) for j in range(len(terms))]
    peak = max((v for r in matrix for v in r), default=0)
    chart = {
        "title": {"text": "技术功效矩阵", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"position": "top"}, "grid": {"left": 110, "right": 30, "bottom": 80, "top": 50},
        "xAxis": {"type": "category", "data": term_names, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "category", "data": top, "inverse": True},
        "visualMap": {"min": 0, "max": max(peak, 1), "orient": "horizontal", "left": "center", "bottom": 0, "show": False},
        "series": [{"type": "heatmap", "data": data, "label": {"show": True}}],
    }
    blanks = [f"{top[i]}×{term_names[j]}" for i in range(len(top)) for j in range(len(terms)) if matrix[i][j] == 0][:5]
    return _result("effect_matrix", "技术功效矩阵", chart=chart, headers=["IPC大组", "中文含义"] + term_names, rows=rows,
                   caliber_text=caliber(ctx, "行为主分类号所属申请量前10的IPC大组；列为功效词（可编辑，含同义表达），在名称和摘要中出现即计入，一件可计入多个功效；"
                                             "空白格提示可能的技术空白点"),
                   figures={"技术空白点（示例）": "、".join(blanks)},
                   summary=("技术空白点示例：" + "、".join(blanks) + "。") if blanks else "各技术分支与功效均有专利覆盖。",
                   image={"kind": "heatmap", "title": "技术功效矩阵", "rows": top, "cols": term_names, "values": matrix})


def key_patents(frame: Frame, *, ctx: Context, limit: int = 30, events: dict | None = None) -> dict:
    """Key patents scored on the available indicators: claims, IPC breadth, citations and legal events."""
    if events is None:
        events = value_events(frame.ids)
    has_citations = any(c for c in frame.citations)
    breadths = frame.ipc_breadth()
    scored = []
    no_events: dict = {}
    for i, pid in enumerate(frame.ids):
        ev = events.get(pid, no_events)
        breadth = breadths[i]
        claims = min(frame.claims[i] or 0, 30)
        cites = frame.citations[i] or 0
        value = sum(ev.get(k, 0) for k in VALUE_EVENTS)
        survived = 1 if ev.get("invalidation_request") and frame.status[i] == "valid" else 0
        valid_invention = 1 if frame.ptype[i] == "invention" and frame.status[i] == "valid" else 0
        score = claims + 5 * breadth + 3 * cites + 10 * value + 10 * survived + 10 * valid_invention
        scored.append((score, i, claims, breadth, cites, value, survived))
    scored.sort(key=lambda s: (-s[0], frame.ids[s[1]]))
    lengths = frame.first_claim_lengths([frame.ids[s[1]] for s in scored[:limit]])
    rows = []
    for score, i, claims, breadth, cites, value, survived in scored[:limit]:
        rows.append([frame.ids[i], TYPE_LABELS.get(frame.ptype[i], frame.ptype[i]), frame.applicant_info.get(frame.applicants[i][0], ("",))[0] if frame.applicants[i] else "",
                     frame.app_year[i], STATUS_LABELS.get(frame.status[i], frame.status[i]), frame.claims[i] or 0, lengths.get(frame.ids[i], 0), breadth,
                     cites if has_citations else "—", value, "是" if survived else "", score])
    return _result("key_patents", "重点专利", chart=_bar_option("重点专利得分", [r[0] for r in rows[:15]], [r[-1] for r in rows[:15]], horizontal=True, name="得分"),
                   headers=["记录号", "类型", "第一申请人", "申请年", "法律状态", "权利要求数", "主权项字数", "IPC小类数", "被引次数", "转让/许可/质押次数", "经无效程序仍有效", "得分"],
                   rows=rows,
                   caliber_text=caliber(ctx, "得分=权利要求数（上限30）+5×IPC小类数+3×被引次数+10×转让、许可、质押等运营事件数+10×经无效宣告请求仍有效+10×有效发明专利；"
                                             "主权项字数越少通常保护范围越宽，仅供参考" + ("" if has_citations else "；本数据无被引次数，该项不计分")),
                   figures={"重点专利数": len(rows)}, summary=(f"得分最高的是{rows[0][0]}（{rows[0][-1]}分）。" if rows else ""),
                   image=None)


def value_events(ids: list[str]) -> dict[str, dict[str, int]]:
    """Counts of value-bearing legal events per patent (transfers, licences, pledges, invalidation requests)."""
    from ipplatform.patents.models import LegalEvent

    out: dict[str, dict[str, int]] = defaultdict(dict)
    codes = list(VALUE_EVENTS) + ["invalidation_request"]
    if len(ids) > 4 * CHUNK:
        # A large set: one pass over the (rare) value events by their indexed code beats many id lists.
        wanted = set(ids)
        for pid, code, n in (LegalEvent.objects.filter(code__in=codes).order_by().values_list("patent_id", "code")
                             .annotate(n=Count("pk")).values_list("patent_id", "code", "n")):
            if pid in wanted:
                out[pid][code] = n
        return out
    for chunk in _chunks(ids):
        for pid, code, n in (LegalEvent.objects.filter(patent_id__in=chunk, code__in=codes).order_by()
                             .values_list("patent_id", "code").annotate(n=Count("pk")).values_list("patent_id", "code", "n")):
            out[pid][code] = n
    return out


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
        from ipplatform.core.api import InputError

        raise InputError(f"未知的分析项“{key}”", field="analysis")
    result = ANALYSES[key][1](frame, ctx=ctx)
    result["synthetic"] = frame.synthetic
    result["count"] = len(frame)
    return result
