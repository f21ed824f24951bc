"""Business rules of 专利导航: 专题库 definition and membership, check sheets, analyses of a subject, reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import random
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from ipplatform.core.inputs import InputError, is_id
from ipplatform.search import services as search_services

from . import analyses
from .enums import Combine, ManualAction, ReportStatus, SubjectKind
from .models import CheckItem, CheckSheet, EffectTerm, ManualEntry, Membership, Report, ReportResult, ThematicDatabase
from .presets import PRESETS

log = logging.getLogger(__name__)
CACHE_SECONDS = 6 * 3600
INLINE_LIMIT = 20000  # subjects up to this size are generated inline; larger ones run as background jobs
FULL_REFRESH_ABOVE = (
    20000  # changed ids beyond which a data arrival triggers a full refresh instead of an incremental one
)
INLINE_CORPUS = 50000  # 专题库 are refreshed inline while the patent store is this small, else in the background


def _patent():
    from ipplatform.patents.models import Patent

    return Patent


# ---------------------------------------------------------------- search contract


def validate_query(*, query: str) -> None:
    """Check a query in the platform's search language; raises InputError with the position of the problem."""
    if query.strip():
        search_services.parse(query)


def query_ids(*, query: str) -> list[str]:
    """Ids of the records matching a query of the search language."""
    validate_query(query=query)
    return list(search_services.matching_ids(query=query))


# ---------------------------------------------------------------- IPC and WIPO field rules

_IPC_RE = re.compile(r"^([A-H])(\d\d)?([A-Z])?(\d{1,4})?(?:/(\d{1,6}))?$")


def normalize_prefix(raw: str) -> str:
    """'h01m 10/00' -> 'H01M10/' (main group with its subgroups); 'H01M' stays; '' for an invalid symbol."""
    code = re.sub(r"\s+", "", (raw or "").upper())
    m = _IPC_RE.match(code)
    if not m or (m.group(4) and not m.group(3)) or (m.group(3) and not m.group(2)):
        return ""
    section, cls, sub, group, subgroup = m.groups()
    if group is None:
        return f"{section}{cls or ''}{sub or ''}"
    group = str(int(group))
    if subgroup is None or subgroup.strip("0") == "":
        return f"{section}{cls}{sub}{group}/"
    return f"{section}{cls}{sub}{group}/{subgroup}"


def parse_prefixes(*, text: str) -> list[str]:
    """IPC prefixes from free text (one per line or separated by commas); errors name the position."""
    out = []
    for line_no, line in enumerate((text or "").splitlines(), 1):
        line = re.sub(
            r"(?<=[A-Za-z])\s+(?=\d)|(?<=[\d/])\s*/\s*(?=\d)", lambda m: "/" if "/" in m.group(0) else "", line
        )  # 'H01M 10 / 00'
        for raw in re.split(r"[,，;；、\s]+", line):
            if not raw:
                continue
            code = normalize_prefix(raw)
            if not code:
                raise InputError(
                    f"第{line_no}行的分类号“{raw}”格式不正确，应如 H01M、H01M10/00 或 H01M10/052",
                    field="ipc_prefixes",
                    line=line_no,
                    position=line.find(raw) + 1,
                )
            if code not in out:
                out.append(code)
    return out


def field_prefixes(*, numbers: list[int]) -> list[str]:
    """IPC prefixes of the chosen WIPO technology fields (the concordance patterns)."""
    from ipplatform.core.models import TechFieldPattern

    return sorted(set(TechFieldPattern.objects.filter(field_id__in=numbers).values_list("ipc_prefix", flat=True)))


def ipc_q(prefixes: list[str]) -> Q | None:
    """Q on an `ipc_text` annotation: any classification of the record starts with one of the prefixes."""
    q = None
    for p in prefixes:
        part = Q(ipc_text__contains=f'"{p}') | Q(ipc_main__startswith=p)
        q = part if q is None else q | part
    return q


def _ipc_hits(prefixes: list[str], *, ids: list[str] | None = None) -> set[str]:
    Patent = _patent()
    q = ipc_q(prefixes)
    if q is None:
        return set()
    qs = Patent.objects.order_by().annotate(ipc_text=Cast("ipc_all", TextField()))
    if ids is None:
        return set(qs.filter(q).values_list("pk", flat=True))
    out = set()
    for chunk in analyses.chunks(ids):
        out.update(qs.filter(pk__in=chunk).filter(q).values_list("pk", flat=True))
    return out


# ---------------------------------------------------------------- 专题库 definition


def data_cutoff() -> dt.date | None:
    """Data cut-off date: the latest publication (or grant) date in the patent store."""
    qs = _patent().objects.order_by()
    # Separate aggregates so that each is answered from its index (one combined query scans the table).
    dates = [d for d in (qs.aggregate(d=Max("publication_date"))["d"], qs.aggregate(d=Max("grant_date"))["d"]) if d]
    return max(dates) if dates else None


def corpus_size() -> int:
    return _patent().objects.count()


def corpus_version() -> str:
    qs = _patent().objects.order_by()
    latest = qs.aggregate(u=Max("updated_at"))["u"]
    return f"{qs.count()}-{latest.timestamp() if latest else 0}"


def save_database(
    *,
    db: ThematicDatabase | None = None,
    user=None,
    name: str,
    description: str = "",
    query: str = "",
    ipc_text: str = "",
    tech_fields: list[int] | None = None,
    combine: str = Combine.UNION,
    is_shared: bool = False,
    auto_refresh: bool = True,
) -> ThematicDatabase:
    """Create or update a 专题库 definition after validating the query and the IPC prefixes."""
    name = (name or "").strip()
    if not name:
        raise InputError("请填写专题库名称", field="name")
    validate_query(query=query)
    prefixes = parse_prefixes(text=ipc_text)
    fields = sorted({int(f) for f in (tech_fields or [])})
    bad = [f for f in fields if not 1 <= f <= 35]
    if bad:
        raise InputError(f"WIPO技术领域序号{bad[0]}不存在（应为1—35）", field="tech_fields")
    if not query.strip() and not prefixes and not fields:
        raise InputError("检索式、IPC分类号和WIPO技术领域至少填写一项", field="query")
    if combine not in Combine.values:
        raise InputError(f"组合方式“{combine}”无效", field="combine")
    if db is None:
        db = ThematicDatabase(
            created_by=user, region_code=(user.organization.region_code if user and user.organization else "")
        )
    db.name, db.description, db.query, db.ipc_prefixes, db.tech_fields = (
        name,
        description,
        query.strip(),
        prefixes,
        fields,
    )
    db.combine, db.is_shared, db.auto_refresh = combine, is_shared, auto_refresh
    db.save()
    return db


def rule_description(db: ThematicDatabase) -> str:
    """The 专题库 definition in words (shown on reports and pages)."""
    from ipplatform.core.models import TechField

    parts = []
    if db.query:
        parts.append(f"检索式：{db.query}")
    if db.ipc_prefixes:
        parts.append("IPC分类号：" + "、".join(db.ipc_prefixes))
    if db.tech_fields:
        names = dict(TechField.objects.filter(number__in=db.tech_fields).values_list("number", "name_zh"))
        parts.append("WIPO技术领域：" + "、".join(f"{n}.{names.get(n, '')}" for n in db.tech_fields))
    joiner = "；或 " if db.combine == Combine.UNION else "；且 "
    text = joiner.join(parts)
    manual = db.manual_entries.values("action").annotate(n=Count("pk"))
    counts = {m["action"]: m["n"] for m in manual}
    if counts:
        text += (
            f"（另人工纳入{counts.get(ManualAction.INCLUDE, 0)}件、人工排除{counts.get(ManualAction.EXCLUDE, 0)}件）"
        )
    return text


def rule_hits(*, db: ThematicDatabase, ids: list[str] | None = None) -> set[str]:
    """Ids matched by the 专题库's rules (query and classification parts), optionally only among `ids`."""
    prefixes = list(db.ipc_prefixes) + field_prefixes(numbers=db.tech_fields)
    parts = []
    if db.query:
        hits = set(query_ids(query=db.query))
        parts.append(hits if ids is None else hits & set(ids))
    if prefixes:
        parts.append(_ipc_hits(prefixes, ids=ids))
    if not parts:
        return set()
    if db.combine == Combine.INTERSECTION:
        return set.intersection(*parts)
    return set.union(*parts)


def _manual(db: ThematicDatabase) -> tuple[set[str], set[str]]:
    include, exclude = set(), set()
    for pid, action in db.manual_entries.values_list("patent_id", "action"):
        (include if action == ManualAction.INCLUDE else exclude).add(pid)
    return include, exclude


def _write_membership(
    db: ThematicDatabase, target: set[str], manual_include: set[str], *, only: set[str] | None = None
) -> tuple[int, int]:
    """Make the stored membership equal `target` (within `only` when given); returns (added, removed)."""
    existing_qs = Membership.objects.filter(db=db)
    if only is not None:
        existing = set()
        for chunk in analyses.chunks(sorted(only)):
            existing.update(existing_qs.filter(patent_id__in=chunk).values_list("patent_id", flat=True))
    else:
        existing = set(existing_qs.values_list("patent_id", flat=True))
    add = sorted(target - existing)
    remove = sorted(existing - target)
    for chunk in analyses.chunks(remove):
        Membership.objects.filter(db=db, patent_id__in=chunk).delete()
    Membership.objects.bulk_create(
        [Membership(db=db, patent_id=pid, manual=pid in manual_include) for pid in add], batch_size=2000
    )
    return len(add), len(remove)


def refresh_database(*, db_id: int, progress=None) -> dict:
    """Background-job entry: refresh a 专题库 and link to it."""
    from django.urls import reverse

    db = update_membership(db_id=db_id, progress=progress)
    return {
        "url": reverse("navigation:db_detail", args=[db.pk]),
        "summary": f"{db.name}：收录{db.member_count}件。{db.refresh_note}",
    }


def update_membership(*, db_id: int, progress=None) -> ThematicDatabase:
    """Recompute a 专题库's membership from its rules and manual lists; records the data cut-off date."""
    db = ThematicDatabase.objects.get(pk=db_id)
    if progress:
        progress(0, 3, "正在执行检索式与分类号规则")
    hits = rule_hits(db=db)
    include, exclude = _manual(db)
    Patent = _patent()
    existing_includes = set()
    for chunk in analyses.chunks(sorted(include)):
        existing_includes.update(Patent.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    target = (hits | existing_includes) - exclude
    if progress:
        progress(1, 3, f"规则命中{len(hits)}件，正在写入收录清单")
    with transaction.atomic():
        added, removed = _write_membership(db, target, include)
        db.member_count = len(target)
        db.refreshed_at = timezone.now()
        db.data_cutoff = data_cutoff()
        db.refresh_note = (
            f"规则命中{len(hits)}件，人工纳入{len(existing_includes)}件，"
            f"人工排除{len(exclude & (hits | existing_includes))}件；新增{added}件、移出{removed}件"
        )
        db.save(update_fields=["member_count", "refreshed_at", "data_cutoff", "refresh_note", "updated_at"])
    if progress:
        progress(3, 3, "完成")
    return db


def update_for_changes(*, ids: list[str], deleted: list[str]) -> None:
    """Keep every auto-refreshing 专题库 current after records were created, changed or deleted."""
    for db in ThematicDatabase.objects.filter(auto_refresh=True, refreshed_at__isnull=False):
        try:
            if len(ids) > FULL_REFRESH_ABOVE:  # a bulk import: one pass over the store is cheaper than per-id checks
                update_membership(db_id=db.pk)
                continue
            include, exclude = _manual(db)
            hits = rule_hits(db=db, ids=ids) if ids else set()
            changed = set(ids)
            target = (hits | (include & changed)) - exclude
            with transaction.atomic():
                _write_membership(db, target, include, only=changed)
                if deleted:
                    for chunk in analyses.chunks(list(deleted)):
                        Membership.objects.filter(db=db, patent_id__in=chunk).delete()
                db.member_count = Membership.objects.filter(db=db).count()
                db.refreshed_at = timezone.now()
                db.data_cutoff = data_cutoff()
                db.save(update_fields=["member_count", "refreshed_at", "data_cutoff", "updated_at"])
        except InputError as exc:  # e.g. the search service is not enabled: the import itself must not fail
            log.warning("专题库 %s 未能自动更新：%s", db.pk, exc.message)


def on_patents_changed(sender=None, ids=(), deleted=(), **kwargs) -> None:
    """Receiver of patents.signals.patents_changed."""
    ids, deleted = list(ids or []), list(deleted or [])
    if ids or deleted:
        update_for_changes(ids=ids, deleted=deleted)


def _parse_ids(text: str) -> list[tuple[int, str]]:
    out = []
    for line_no, line in enumerate((text or "").splitlines(), 1):
        for raw in re.split(r"[,，;；\s]+", line):
            if raw:
                out.append((line_no, raw.strip().upper().removeprefix("CN").replace(".", "")))
    return out


def resolve_ids(*, text: str, field: str = "ids") -> list[str]:
    """Patent ids from a pasted list (application or publication numbers); unknown numbers name their line."""
    Patent = _patent()
    found = []
    for line_no, raw in _parse_ids(text):
        pid = (
            Patent.objects.filter(Q(pk=raw) | Q(application_number=raw) | Q(publication_number=raw))
            .values_list("pk", flat=True)
            .first()
        )
        if pid is None:
            raise InputError(f"第{line_no}行的号码“{raw}”在专利库中不存在", field=field, line=line_no)
        if pid not in found:
            found.append(pid)
    if not found:
        raise InputError("请至少填写一个申请号或公开号", field=field)
    return found


def set_manual(*, db: ThematicDatabase, ids: list[str], action: str, note: str = "", user=None) -> int:
    """Record manual include/exclude decisions and apply them to the membership at once."""
    if action not in ManualAction.values:
        raise InputError(f"操作“{action}”无效", field="action")
    with transaction.atomic():
        for pid in ids:
            ManualEntry.objects.update_or_create(
                db=db, patent_id=pid, defaults={"action": action, "note": note, "created_by": user}
            )
            if action == ManualAction.INCLUDE:
                Membership.objects.update_or_create(db=db, patent_id=pid, defaults={"manual": True})
            else:
                Membership.objects.filter(db=db, patent_id=pid).delete()
        db.member_count = Membership.objects.filter(db=db).count()
        db.save(update_fields=["member_count", "updated_at"])
    return len(ids)


def remove_manual(*, db: ThematicDatabase, entry_id: int) -> None:
    """Withdraw one manual decision; the record follows the rules again from the next refresh."""
    entry = ManualEntry.objects.filter(db=db, pk=entry_id).first()
    if entry is None:
        raise InputError("该人工调整记录不存在", field="entry")
    with transaction.atomic():
        entry.delete()
        hit = (
            entry.patent_id in rule_hits(db=db, ids=[entry.patent_id])
            if (db.query or db.ipc_prefixes or db.tech_fields)
            else False
        )
        if hit:
            Membership.objects.update_or_create(db=db, patent_id=entry.patent_id, defaults={"manual": False})
        else:
            Membership.objects.filter(db=db, patent_id=entry.patent_id).delete()
        db.member_count = Membership.objects.filter(db=db).count()
        db.save(update_fields=["member_count", "updated_at"])


def ensure_presets(*, reset: bool = False) -> list[ThematicDatabase]:
    """Create the preset 专题库 (kept as edited unless `reset`)."""
    out = []
    for key, name, description, query, prefixes, fields in PRESETS:
        db = ThematicDatabase.objects.filter(preset_key=key).first()
        if db is None or reset:
            db = db or ThematicDatabase(preset_key=key)
            db.name, db.description, db.query, db.ipc_prefixes, db.tech_fields = (
                name,
                description,
                query,
                prefixes,
                fields,
            )
            db.combine, db.is_shared, db.auto_refresh = Combine.UNION, True, True
            db.save()
        out.append(db)
    return out


# ---------------------------------------------------------------- check sheets (查准率 / 查全率)


def create_check_sheet(*, db: ThematicDatabase, size: int = 50, seed: int | None = None, user=None) -> CheckSheet:
    """Draw a random sample of the members for relevance marking."""
    if not 1 <= size <= 1000:
        raise InputError("样本量应在1—1000之间", field="size")
    members = sorted(Membership.objects.filter(db=db).values_list("patent_id", flat=True))
    if not members:
        raise InputError("专题库尚无收录记录，请先更新专题库", field="size")
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    sample = random.Random(seed).sample(members, min(size, len(members)))
    with transaction.atomic():
        sheet = CheckSheet.objects.create(
            db=db,
            sample_size=len(sample),
            seed=seed,
            member_count=len(members),
            data_cutoff=db.data_cutoff,
            created_by=user,
        )
        CheckItem.objects.bulk_create([CheckItem(sheet=sheet, patent_id=pid) for pid in sample])
    return sheet


def mark_items(*, sheet: CheckSheet, marks: dict[int, bool | None]) -> None:
    """Save relevance marks (item id -> True/False/None)."""
    items = {i.pk: i for i in sheet.items.all()}
    for item_id, value in marks.items():
        item = items.get(item_id)
        if item is None:
            raise InputError(f"样本#{item_id}不属于该核查表", field="items")
        if item.relevant != value:
            item.relevant = value
            item.save(update_fields=["relevant"])


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion."""
    if n == 0:
        return 0.0, 0.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def sheet_stats(*, sheet: CheckSheet) -> dict:
    """Measured precision (with its 95% interval) and, where a known-relevant list is given, recall."""
    marks = list(sheet.items.values_list("relevant", flat=True))
    judged = [m for m in marks if m is not None]
    relevant = sum(1 for m in judged if m)
    low, high = wilson_interval(relevant, len(judged))
    out = {
        "sample": len(marks),
        "judged": len(judged),
        "relevant": relevant,
        "precision": round(relevant / len(judged), 4) if judged else None,
        "low": round(low, 4),
        "high": round(high, 4),
        "estimated_relevant": round(sheet.member_count * relevant / len(judged)) if judged else None,
        "precision_pct": round(relevant * 100 / len(judged), 1) if judged else None,
        "low_pct": round(low * 100, 1),
        "high_pct": round(high * 100, 1),
    }
    if sheet.recall_ids:
        members = set()
        for chunk in analyses.chunks(list(sheet.recall_ids)):
            members.update(
                Membership.objects.filter(db=sheet.db, patent_id__in=chunk).values_list("patent_id", flat=True)
            )
        found = [p for p in sheet.recall_ids if p in members]
        out["recall_total"] = len(sheet.recall_ids)
        out["recall_found"] = len(found)
        out["recall"] = round(len(found) / len(sheet.recall_ids), 4)
        out["recall_pct"] = round(len(found) * 100 / len(sheet.recall_ids), 1)
        out["missed"] = [p for p in sheet.recall_ids if p not in members]
    return out


def set_recall_list(*, sheet: CheckSheet, text: str) -> list[str]:
    """Store the known-relevant records used to measure recall."""
    ids = resolve_ids(text=text, field="recall_ids") if text.strip() else []
    sheet.recall_ids = ids
    sheet.save(update_fields=["recall_ids"])
    return ids


# ---------------------------------------------------------------- subjects and analyses


@dataclass
class Subject:
    kind: str
    value: str
    label: str
    definition: str
    patents: object  # QuerySet or list of ids
    db: ThematicDatabase | None = None
    version: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"


def resolve_subject(*, kind: str, value: str, user=None) -> Subject:
    """Turn a subject (专题库 id, query, applicant name or region code) into its patent set."""
    from ipplatform.core import regions
    from ipplatform.core.models import Division
    from ipplatform.lib.textnorm import normalize_name
    from ipplatform.patents.models import Applicant, PatentApplicant

    Patent = _patent()
    value = (value or "").strip()
    if not value:
        raise InputError("请填写分析对象", field="value")
    if kind == SubjectKind.DATABASE:
        db = visible_databases(user).filter(pk=int(value) if is_id(value) else -1).first()
        if db is None:
            raise InputError(f"专题库“{value}”不存在或不在您的数据范围内", field="value")
        version = f"{db.pk}-{db.refreshed_at.timestamp() if db.refreshed_at else 0}-{db.member_count}-{db.updated_at.timestamp()}"
        return Subject(
            kind,
            str(db.pk),
            db.name,
            rule_description(db),
            Patent.objects.filter(navigation_memberships__db=db),
            db,
            version,
        )
    if kind == SubjectKind.QUERY:
        ids = query_ids(query=value)
        return Subject(kind, value, f"检索式 {value}", f"检索式：{value}", ids, None, corpus_version())
    if kind == SubjectKind.APPLICANT:
        name = normalize_name(value)
        applicant = Applicant.objects.filter(name=name).first()
        if applicant is None:
            matches = list(Applicant.objects.filter(name__contains=name).order_by("-patent_count", "name")[:6])
            if len(matches) != 1:
                hint = "；相近的有：" + "、".join(a.name for a in matches[:5]) if matches else ""
                raise InputError(f"申请人“{value}”不存在或不唯一{hint}", field="value")
            applicant = matches[0]
        qs = Patent.objects.filter(
            pk__in=Subquery(PatentApplicant.objects.filter(applicant=applicant).values("patent_id"))
        )
        return Subject(
            kind,
            applicant.name,
            applicant.name,
            f"申请人：{applicant.name}（含作为共同申请人的申请）",
            qs,
            None,
            corpus_version(),
        )
    if kind == SubjectKind.REGION:
        code = value
        if not re.fullmatch(r"\d{6}", code):
            found = Division.objects.filter(name=value).order_by("-revision").values_list("code", flat=True).first()
            if not found:
                raise InputError(
                    f"地区“{value}”无法识别，请填写6位区划代码或规范名称（如 370200 或 青岛市）", field="value"
                )
            code = found
        name = (
            regions.name_of(code)
            or Division.objects.filter(code=code).order_by("-revision").values_list("name", flat=True).first()
        )
        if not name:
            raise InputError(f"区划代码“{code}”不存在", field="value")
        if code.endswith("0000"):
            qs = Patent.objects.filter(province_code=code)
        elif code.endswith("00"):
            qs = Patent.objects.filter(city_code=code)
        else:
            qs = Patent.objects.filter(region_code=code)
        return Subject(kind, code, name, f"地区：{name}（{code}，按第一申请人地址归属）", qs, None, corpus_version())
    raise InputError(f"分析对象类型“{kind}”无效，应为专题库、检索式、申请人或地区", field="kind")


def effect_terms() -> list[tuple[str, list[str]]]:
    """The editable effect-term list (defaults until an analyst edits it)."""
    rows = list(EffectTerm.objects.values_list("term", "synonyms"))
    if not rows:
        rows = analyses.DEFAULT_EFFECT_TERMS
    return [(t, analyses.split_synonyms(s, t)) for t, s in rows]


def effect_terms_text() -> str:
    rows = list(EffectTerm.objects.values_list("term", "synonyms")) or analyses.DEFAULT_EFFECT_TERMS
    return "\n".join(f"{t}：{s}" for t, s in rows)


def save_effect_terms(*, text: str) -> int:
    """Replace the effect-term list from lines like '降低成本：成本低、节约成本'."""
    parsed = []
    for line_no, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        term, _, syn = re.sub("：", ":", line).partition(":")
        term = term.strip()
        if not term or len(term) > 30:
            raise InputError(f"第{line_no}行的功效词为空或超过30字", field="terms", line=line_no)
        if any(t == term for t, _ in parsed):
            raise InputError(f"第{line_no}行的功效词“{term}”重复", field="terms", line=line_no)
        parsed.append((term, "、".join(analyses.split_synonyms(syn))))
    if not parsed:
        raise InputError("功效词表不能为空", field="terms")
    with transaction.atomic():
        EffectTerm.objects.all().delete()
        EffectTerm.objects.bulk_create([EffectTerm(term=t, synonyms=s, order=i) for i, (t, s) in enumerate(parsed)])
    return len(parsed)


def _terms_version() -> str:
    return hashlib.sha1(json.dumps(effect_terms(), ensure_ascii=False).encode()).hexdigest()[:12]


def baseline(*, version: str | None = None) -> dict:
    """Whole-corpus counts (cached per corpus version)."""
    key = f"nav:baseline:{version or corpus_version()}"
    value = cache.get(key)
    if value is None:
        value = analyses.corpus_baseline()
        cache.set(key, value, CACHE_SECONDS)
    return value


def compute(*, subject: Subject, keys: list[str], use_cache: bool = True, progress=None) -> dict:
    """Results of the chosen analyses for a subject (cached per subject version, corpus version and term list)."""
    for k in keys:
        if k not in analyses.ANALYSES:
            raise InputError(f"未知的分析项“{k}”", field="analyses")
    cutoff = subject.db.data_cutoff if subject.db and subject.db.data_cutoff else data_cutoff()
    version = subject.version if subject.kind != SubjectKind.DATABASE else None
    corpus = version or corpus_version()
    # Hashed: subjects carry free text (queries, names), which memcached-style keys do not allow.
    tag = (
        "nav:r:"
        + hashlib.sha1(f"{subject.key}|{subject.version}|{cutoff}|{_terms_version()}|{corpus}".encode()).hexdigest()
    )
    results: dict = {}
    missing = []
    for k in keys:
        hit = cache.get(f"{tag}:{k}") if use_cache else None
        if hit is None:
            missing.append(k)
        else:
            results[k] = hit
    if missing:
        if progress:
            progress(0, len(missing) + 1, "正在读取专利数据")
        frame = analyses.load_frame(patents=subject.patents, texts="effect_matrix" in missing)
        ctx = analyses.build_context(
            frame=frame,
            data_cutoff=cutoff,
            subject_label=subject.label,
            effect_terms=effect_terms(),
            baseline=baseline(version=corpus) if {"regions", "shandong_cities"} & set(missing) else None,
        )
        for n, k in enumerate(missing, 1):
            if progress:
                progress(n, len(missing) + 1, f"正在计算：{analyses.ANALYSES[k][0]}")
            results[k] = analyses.run(k, frame, ctx=ctx)
            results[k]["data_cutoff"] = cutoff.isoformat() if cutoff else ""
            cache.set(f"{tag}:{k}", results[k], CACHE_SECONDS)
    return {k: results[k] for k in keys}


def subject_size(*, subject: Subject) -> int:
    p = subject.patents
    return p.count() if isinstance(p, QuerySet) else len(p)


# ---------------------------------------------------------------- visibility


def visible_databases(user):
    """专题库 the user may use: shared ones and presets, plus those in the user's data scope."""
    from ipplatform.core.scopes import scope_q

    qs = ThematicDatabase.objects.all()
    if user is None:
        return qs.filter(is_shared=True)
    q = scope_q(ThematicDatabase, user)
    return qs if q is None else qs.filter(q | Q(is_shared=True)).distinct()


def can_edit_database(user, db: ThematicDatabase) -> bool:
    from ipplatform.core.enums import PROVINCE_ROLES

    if user.is_superuser or (db.created_by_id and db.created_by_id == user.pk):
        return True
    return user.role in PROVINCE_ROLES and (db.is_shared or db.is_preset or db.created_by_id is None)


def visible_reports(user):
    from ipplatform.core.scopes import restrict

    return restrict(Report.objects.all(), user)


# ---------------------------------------------------------------- reports


def create_report(
    *,
    user,
    kind: str,
    value: str,
    title: str,
    keys: list[str],
    introduction: str = "",
    commentary: dict | None = None,
    conclusion: str = "",
) -> Report:
    """Store a report definition (subject, chosen analyses, commentary); generate it with generate_report()."""
    subject = resolve_subject(kind=kind, value=value, user=user)
    keys = [k for k in analyses.ANALYSES if k in set(keys)]
    if not keys:
        raise InputError("请至少选择一项分析", field="analyses")
    title = (title or "").strip() or f"{subject.label}专利导航分析报告"
    return Report.objects.create(
        title=title[:200],
        subject_kind=kind,
        subject_value=subject.value,
        subject_label=subject.label[:300],
        db=subject.db,
        query=subject.definition,
        analyses=keys,
        introduction=introduction,
        commentary={k: v for k, v in (commentary or {}).items() if k in keys and v.strip()},
        conclusion=conclusion,
        created_by=user,
        region_code=(user.organization.region_code if user and user.organization else ""),
    )


def generate_report(*, report_id: int, progress=None, use_cache: bool = True) -> dict:
    """Background-job entry: build a report and link to its preview."""
    from django.urls import reverse

    report = build_report(report_id=report_id, progress=progress, use_cache=use_cache)
    return {
        "url": reverse("navigation:report_detail", args=[report.pk]),
        "summary": f"报告已生成：{report.patent_count}件专利，数据截止{report.data_cutoff or '未知'}",
    }


def build_report(*, report_id: int, progress=None, use_cache: bool = True) -> Report:
    """Compute the report's analyses on the current data and store them with the data cut-off date."""
    report = Report.objects.get(pk=report_id)
    try:
        subject = resolve_subject(kind=report.subject_kind, value=report.subject_value, user=report.created_by)
        results = compute(subject=subject, keys=list(report.analyses), use_cache=use_cache, progress=progress)
    except InputError as exc:
        report.status = ReportStatus.FAILED
        report.save(update_fields=["status"])
        raise InputError(f"报告“{report.title}”无法生成：{exc.message}", field=exc.field) from exc
    first = next(iter(results.values()))
    cutoff = first.get("data_cutoff") or None
    with transaction.atomic():
        ReportResult.objects.update_or_create(report=report, defaults={"data": results})
        report.query = subject.definition
        report.data_cutoff = dt.date.fromisoformat(cutoff) if cutoff else None
        report.patent_count = first["count"]
        report.has_synthetic = bool(first.get("synthetic"))
        report.generated_at = timezone.now()
        report.generation += 1
        report.status = ReportStatus.READY
        report.save()
    return report


def report_results(report: Report) -> list[dict]:
    data = getattr(report, "result", None)
    data = data.data if data else {}
    return [data[k] for k in report.analyses if k in data]
