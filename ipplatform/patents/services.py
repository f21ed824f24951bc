"""Patent store business rules: importing files (one code path for command line and web), merging records,
applicant entities and region attribution, legal status, and the staff edits of applicants."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction
from ipplatform.core.inputs import InputError
from ipplatform.core.regions import city_code_of, province_code_of
from ipplatform.core.storage import shared_dir
from ipplatform.lib import gcbatch, prefetch
from ipplatform.lib.xlsx import Sheet, write_workbook

from . import attribution, bulk, legalstate, readers, records
from .enums import STATUS_WORDS, EntityType, LegalEventCode, LegalStatus, PatentType, RegionMethod
from .models import (
    VALIDITY_PRESUMPTION,
    Applicant,
    ColumnMapping,
    ImportRun,
    ImportStatus,
    LegalEvent,
    Patent,
    PatentApplicant,
    Publication,
)
from .signals import bulk_session, patents_changed

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
LARGE_IMPORT_BYTES = 8_000_000  # about 7,000 CNIPA rows: more than one batch for sure
# Batches of a large file. Once the store holds about a million records a batch of 5,000 dirties nearly every leaf page
# of the random-keyed indexes, and each commit writes them all again: 20,000 rows a batch cost 12 % less CPU at 1M.
LARGE_BATCH_SIZE = 20_000
MODES = {"lenient": "提交正确行，报告错误行", "all-or-nothing": "全部正确才导入（有错则不导入任何行）"}
ERROR_HEADERS = ["文件", "行号", "字段", "值", "原因", "处理"]
DERIVED_FIELDS = [
    "first_applicant",
    "applicant_type",
    "region_code",
    "city_code",
    "province_code",
    "region_method",
    "region_confidence",
    "region_note",
    "legal_status",
]
EVENT_SOURCE = "专利数据导入"


class _Rollback(Exception):
    """Raised inside the all-or-nothing transaction to undo every batch of a file with rejected rows."""


@dataclass
class ImportResult:
    run_id: int | None = None
    file: str = ""
    format: str = ""
    encoding: str = ""
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: int = 0
    rejected: int = 0
    attributed: int = 0
    rolled_back: bool = False
    errors: list = field(default_factory=list)  # RowError (rejections and notices)
    error_file: str = ""
    status_as_of: dt.date | None = (
        None  # the source's 状态截至 date (export date) for status columns without event dates
    )

    @property
    def stored(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        text = (
            f"读取 {self.read} 行，新增 {self.created} 条，更新 {self.updated} 条，拒绝 {self.rejected} 行"
            f"（未变 {self.unchanged} 条，重复 {self.duplicates} 行，跳过 {self.skipped} 行）"
        )
        if self.rolled_back:
            text += "；因有错误行且选择了“全部正确才导入”，本文件未导入任何数据"
        return text


# ---------------------------------------------------------------- derived values


# An application published with no grant and no status data is presumed pending only this long after filing (the
# request for substantive examination is due within 3 years of filing, 专利法第三十五条); after that nothing supports
# 审中 and the status is unknown (状态未知).
PENDING_PRESUMPTION_YEARS = 5


def legal_status_of(
    *, patent_type: str, kind: str, grant_date, application_date, has_publication: bool, today=None
) -> str:
    """Status from what an export shows: granted and within term = valid; recently published only = pending (presumption);
    an old publication with no grant and no status = unknown."""
    today = today or timezone.localdate()
    term_end = legalstate.term_end(application_date=application_date, patent_type=patent_type)
    if grant_date:
        return LegalStatus.VALID if term_end is None or today < term_end else LegalStatus.INVALID
    if has_publication:
        if term_end is not None and today >= term_end:
            return LegalStatus.INVALID
        if application_date and (today - application_date).days > PENDING_PRESUMPTION_YEARS * 366:
            return LegalStatus.UNKNOWN
        return LegalStatus.PENDING
    return LegalStatus.UNKNOWN


def _status_from_words(words: list[str]) -> str | None:
    """Current status from a source's status words: any lapse/rejection/withdrawal wins, then valid, then pending."""
    codes = {STATUS_WORDS.get(w) for w in words}
    if codes & {LegalEventCode.STATUS_LAPSED, LegalEventCode.REJECTION, LegalEventCode.WITHDRAWAL}:
        return LegalStatus.INVALID
    if LegalEventCode.STATUS_VALID in codes:
        return LegalStatus.VALID
    if LegalEventCode.STATUS_PENDING in codes:
        return LegalStatus.PENDING
    return None


def _store_status_events(items, *, source: str, as_of: dt.date, as_of_given: bool) -> None:
    """One event per status word read, dated by the source's 状态截至 date and flagged: the event date is unknown."""
    basis = "来源导出日期" if as_of_given else "导入日期（来源未给出导出日期）"
    ids = list({pid for pid, _, _ in items})
    have = set(
        LegalEvent.objects.filter(bulk.among("patent_id", ids), date_is_as_of=True, date=as_of).values_list(
            "patent_id", "code", "description"
        )
    )
    new, seen = [], set()
    for pid, code, text in items:
        description = f"来源状态“{text}”，状态截至{as_of:%Y-%m-%d}（{basis}），事件发生日期未知"
        key = (pid, code, description)
        if key in have or key in seen:
            continue
        seen.add(key)
        new.append(
            SimpleNamespace(
                patent_id=pid,
                code=code,
                date=as_of,
                description=description,
                source=source[:40],
                reference="",
                date_is_as_of=True,
                created_at=None,
            )
        )
    if new:
        bulk.insert(LegalEvent, new)


def _attribution_for(fields: dict, first_name: str) -> attribution.Attribution:
    return attribution.attribute(fields.get("address") or "", fields.get("postcode") or "", first_name or "")


# ---------------------------------------------------------------- batch upsert


def _after_batch(batch_no: int) -> None:
    """Hook called after each committed batch (tests inject failures here to simulate a killed import)."""


@dataclass
class _BatchPlan:
    """What one batch will write, gathered record by record before anything is stored."""

    today: dt.date
    stored: dict[str, Patent]  # id -> the record as stored, or as created by an earlier row of this batch
    stored_links: dict[str, list[str]]  # id -> its applicant names in order
    applicant_rows: dict[str, dict]  # name -> the stored Applicant's values
    new_applicants: dict[str, Applicant] = field(default_factory=dict)
    applicant_updates: dict[str, dict] = field(default_factory=dict)  # name -> better region of a stored applicant
    created: dict[str, Patent] = field(default_factory=dict)  # records new in this batch
    updated: dict[str, Patent] = field(default_factory=dict)  # stored records that changed
    update_fields: set[str] = field(default_factory=set)
    first_applicant: dict[str, str] = field(default_factory=dict)  # id -> name, for first_applicant and applicant_type
    links: dict[str, list[str]] = field(default_factory=dict)  # id -> applicant names in order (links to write)
    relinked: set[str] = field(default_factory=set)  # records stored before this batch whose links are replaced
    events: list[tuple] = field(default_factory=list)  # (id, code, date, publication number)
    status_events: list[tuple] = field(default_factory=list)  # (id, code, status words)
    changed_ids: list[str] = field(default_factory=list)


APPLICANT_COLUMNS = (
    "id",
    "name",
    "entity_type",
    "entity_type_manual",
    "region_code",
    "region_method",
    "region_confidence",
    "address",
)
# Fields of a stored record that a later file never overwrites: provenance, and what a file merely repeats.
KEPT_ON_MERGE = ("source", "source_file", "is_synthetic")


def apply_batch(recs: list[records.Record], *, result: ImportResult, today=None) -> list[str]:
    """Upsert one batch of records with applicants, publications and events; returns ids created or changed."""
    _key_by_stored_publication(recs)
    plan = _load_plan(recs, today=today or timezone.localdate())
    for r in recs:
        obj = plan.stored.get(r.id)
        if obj is None:
            obj = _plan_new_record(plan, r, result)
        else:
            _plan_merge(plan, r, obj, result)
        _plan_status_words(plan, r, obj)
        _plan_publication_events(plan, r, obj)
    _write_applicants(plan)
    _write_patents(plan)
    count_changes = _write_links(plan)
    _write_publications(recs)
    _write_events(plan, result)
    _update_applicant_counts(count_changes)
    return list(dict.fromkeys(plan.changed_ids))


def _key_by_stored_publication(recs: list[records.Record]) -> None:
    """A record without an application number whose publication is stored under another record (e.g. a CNKI row
    keyed by its publication number) takes that record's id."""
    pub_numbers = [p[0] for r in recs for p in r.publications]
    if not pub_numbers:
        return
    stored = Publication.objects.filter(bulk.among("number", pub_numbers)).order_by()
    owner_of = dict(stored.values_list("number", "patent_id"))
    for r in recs:
        if "application_number" in r.fields:
            continue  # an application number identifies the record by itself
        for number, _, _ in r.publications:
            owner = owner_of.get(number)
            if owner and owner != r.id:
                r.id = owner


def _load_plan(recs: list[records.Record], *, today: dt.date) -> _BatchPlan:
    """The stored records, their applicant links and the stored applicants that the batch names."""
    stored = {p.id: p for p in Patent.objects.filter(bulk.among("pk", [r.id for r in recs])).order_by()}
    stored_links: dict[str, list[str]] = {}
    if stored:
        links = (
            PatentApplicant.objects.filter(bulk.among("patent_id", stored))
            .order_by("patent_id", "order")
            .values_list("patent_id", "applicant__name")
        )
        for pid, name in links:
            stored_links.setdefault(pid, []).append(name)
    names = {n for r in recs for n in r.applicants}
    rows = {}
    if names:
        named = Applicant.objects.filter(bulk.among("name", names)).order_by()
        rows = {row["name"]: row for row in named.values(*APPLICANT_COLUMNS)}
    plan = _BatchPlan(today=today, stored=stored, stored_links=stored_links, applicant_rows=rows)
    for r in recs:
        for name in r.applicants:
            if name not in rows and name not in plan.new_applicants:
                plan.new_applicants[name] = bulk.new(
                    Applicant, name=name, entity_type=attribution.infer_entity_type(name)
                )
    return plan


def _status_of(plan: _BatchPlan, obj: Patent, r: records.Record) -> str:
    return legal_status_of(
        patent_type=obj.patent_type,
        kind=r.kind,
        grant_date=obj.grant_date,
        application_date=obj.application_date,
        has_publication=bool(obj.publication_number),
        today=plan.today,
    )


def _plan_new_record(plan: _BatchPlan, r: records.Record, result: ImportResult) -> Patent:
    f = r.fields
    if "publication_number" not in f and r.grant_publication:
        f["publication_number"], f["publication_date"] = r.grant_publication
    obj = bulk.new(Patent, id=r.id, **f)
    if not obj.patent_type:
        obj.patent_type = ""
    first = r.applicants[0] if r.applicants else ""
    attr = _attribution_for(f, first)
    _set_region(obj, attr)
    obj.legal_status = _status_of(plan, obj, r)
    plan.first_applicant[r.id] = first
    plan.created[r.id] = obj
    plan.stored[r.id] = obj  # a later row of this batch with the same id merges into it
    plan.stored_links[r.id] = list(r.applicants)
    if r.applicants:
        plan.links[r.id] = list(r.applicants)
    _note_applicant_region(first, attr, f, plan.applicant_rows, plan.new_applicants, plan.applicant_updates)
    plan.changed_ids.append(r.id)
    result.created += 1
    if attr.attributed:
        result.attributed += 1
    return obj


def _merged_fields(obj: Patent, fields: dict) -> set[str]:
    """Set the non-blank values of a row on a stored record; returns the names of the fields that changed."""
    changed = set()
    for k, v in fields.items():
        if k in KEPT_ON_MERGE or v in (None, "", []):
            continue
        if (
            k in ("publication_number", "publication_date")
            and obj.publication_number
            and obj.publication_number != fields.get("publication_number")
        ):
            continue  # keep the first publication (A); later documents are listed under Publication
        if getattr(obj, k) != v:
            setattr(obj, k, v)
            changed.add(k)
    return changed


def _plan_merge(plan: _BatchPlan, r: records.Record, obj: Patent, result: ImportResult) -> None:
    changed = _merged_fields(obj, r.fields)
    if r.applicants and plan.stored_links.get(r.id, []) != r.applicants:
        plan.links[r.id] = list(r.applicants)
        plan.stored_links[r.id] = list(r.applicants)
        if r.id not in plan.created:
            plan.relinked.add(r.id)
        changed.add("applicants_text")
    if changed:
        first = r.applicants[0] if r.applicants else (plan.stored_links.get(r.id) or [""])[0]
        if obj.region_method != RegionMethod.MANUAL and changed & {"address", "postcode", "applicants_text"}:
            attr = _attribution_for({"address": obj.address, "postcode": obj.postcode}, first)
            _set_region(obj, attr)
            _note_applicant_region(
                first, attr, {"address": obj.address}, plan.applicant_rows, plan.new_applicants, plan.applicant_updates
            )
        obj.legal_status = _status_of(plan, obj, r)
        plan.first_applicant[r.id] = first
        plan.update_fields |= changed
        if r.id not in plan.created:
            plan.updated.setdefault(r.id, obj)
        plan.changed_ids.append(r.id)
        result.updated += 1
    else:
        result.unchanged += 1
    if obj.region_code:
        result.attributed += 1


def _plan_status_words(plan: _BatchPlan, r: records.Record, obj: Patent) -> None:
    """A status the source states (有效, 未缴年费终止失效…) overrides the derived one and is kept as an event."""
    if not r.statuses:
        return
    status = _status_from_words(r.statuses)
    if status and obj.legal_status != status:
        obj.legal_status = status
        if r.id not in plan.created:
            plan.update_fields.add("legal_status")
            # unchanged otherwise: it keeps its first applicant
            plan.first_applicant.setdefault(r.id, (r.applicants or plan.stored_links.get(r.id) or [""])[0])
            plan.updated.setdefault(r.id, obj)
    for text in r.statuses:
        plan.status_events.append((r.id, STATUS_WORDS.get(text, LegalEventCode.STATUS_OTHER), text))


def _plan_publication_events(plan: _BatchPlan, r: records.Record, obj: Patent) -> None:
    for number, kind, day in r.publications:
        if day:
            # utility models and designs are published once, on grant
            granted = kind in records.GRANT_KINDS or (
                not kind and obj.patent_type in (PatentType.UTILITY, PatentType.DESIGN)
            )
            plan.events.append((r.id, LegalEventCode.GRANT if granted else LegalEventCode.PUBLICATION, day, number))


def _write_applicants(plan: _BatchPlan) -> None:
    """New applicants first (records point at them), then better regions of stored ones."""
    if plan.new_applicants:
        bulk.insert(Applicant, plan.new_applicants.values(), ignore_conflicts=True, conflict_fields=("name",))
        inserted = Applicant.objects.filter(bulk.among("name", plan.new_applicants)).order_by()
        for row in inserted.values(*APPLICANT_COLUMNS):
            plan.applicant_rows[row["name"]] = row
    objs = [
        Applicant(id=plan.applicant_rows[name]["id"], name=name, **upd)
        for name, upd in plan.applicant_updates.items()
        if name in plan.applicant_rows and name not in plan.new_applicants
    ]
    if objs:
        Applicant.objects.bulk_update(
            objs, ["region_code", "region_method", "region_confidence", "address"], batch_size=1000
        )


def _write_patents(plan: _BatchPlan) -> None:
    for pid, obj in itertools.chain(plan.created.items(), plan.updated.items()):
        row = plan.applicant_rows.get(plan.first_applicant[pid])
        obj.first_applicant_id = row["id"] if row else None
        obj.applicant_type = row["entity_type"] if row else EntityType.UNKNOWN
    if plan.created:
        bulk.insert(Patent, plan.created.values())
    if plan.updated:
        fields = sorted(plan.update_fields | set(DERIVED_FIELDS) | {"updated_at"})
        now = timezone.now()
        for obj in plan.updated.values():
            obj.updated_at = now
        Patent.objects.bulk_update(list(plan.updated.values()), fields, batch_size=500)


def _write_links(plan: _BatchPlan) -> Counter:
    """Replace the applicant links of relinked records, add those of new ones; returns applicant id -> change of
    its patent count (counted incrementally: a full recount grows with the store)."""
    delta: Counter = Counter()
    if plan.relinked:
        old = PatentApplicant.objects.filter(bulk.among("patent_id", plan.relinked))
        delta.subtract(old.values_list("applicant_id", flat=True))
        old.delete()
    links = []
    for pid, names in plan.links.items():
        for order, name in enumerate(names, start=1):
            row = plan.applicant_rows.get(name)
            if row:
                links.append(SimpleNamespace(patent_id=pid, applicant_id=row["id"], order=order))
                delta[row["id"]] += 1
    if links:
        bulk.insert(PatentApplicant, links)
    return delta


def _write_publications(recs: list[records.Record]) -> None:
    pubs = [SimpleNamespace(patent_id=r.id, number=n, kind=k, date=d) for r in recs for n, k, d in r.publications]
    if pubs:
        bulk.insert(Publication, pubs, ignore_conflicts=True, conflict_fields=("number",))


def _write_events(plan: _BatchPlan, result: ImportResult) -> None:
    """Publication and grant events not stored yet, and the source's status words."""
    if plan.events:
        stored_before = list({e[0] for e in plan.events} - set(plan.created))  # records created now have no events yet
        have = (
            set(
                LegalEvent.objects.filter(
                    bulk.among("patent_id", stored_before), code__in=[LegalEventCode.PUBLICATION, LegalEventCode.GRANT]
                ).values_list("patent_id", "code", "date")
            )
            if stored_before
            else set()
        )
        new_events, seen = [], set()
        for pid, code, day, number in plan.events:
            key = (pid, code, day)
            if key in have or key in seen:
                continue
            seen.add(key)
            new_events.append(
                SimpleNamespace(
                    patent_id=pid,
                    code=code,
                    date=day,
                    description=f"{'授权公告' if code == LegalEventCode.GRANT else '公开'} {number}",
                    source=EVENT_SOURCE,
                    reference=number,
                    date_is_as_of=False,
                    created_at=None,
                )
            )
        if new_events:
            bulk.insert(LegalEvent, new_events)
    if plan.status_events:
        _store_status_events(
            plan.status_events,
            source=result.file,
            as_of=result.status_as_of or plan.today,
            as_of_given=result.status_as_of is not None,
        )


def _update_applicant_counts(delta: Counter) -> None:
    by_change: dict[int, list[int]] = {}  # one UPDATE per distinct change
    for applicant_id, change in delta.items():
        if change:
            by_change.setdefault(change, []).append(applicant_id)
    for change, applicant_ids in by_change.items():
        Applicant.objects.filter(bulk.among("pk", applicant_ids)).update(patent_count=F("patent_count") + change)


def _set_region(obj: Patent, attr: attribution.Attribution) -> None:
    obj.region_code, obj.city_code, obj.province_code = attr.region_code, attr.city_code, attr.province_code
    obj.region_method, obj.region_confidence, obj.region_note = attr.method, attr.confidence, attr.reason[:60]


def _note_applicant_region(name, attr, fields, app_rows, new_applicants, updates) -> None:
    """The first applicant takes the record's region when it is better than what the applicant has."""
    if not name or not attr.attributed:
        return
    if name in new_applicants:
        a = new_applicants[name]
        if attr.confidence > a.region_confidence:
            a.region_code, a.region_method, a.region_confidence = attr.region_code, attr.method, attr.confidence
            a.address = (fields.get("address") or "")[:300]
        return
    row = app_rows.get(name)
    if row is None or row["region_method"] == RegionMethod.MANUAL:
        return
    current = updates.get(name, {}).get("region_confidence", row["region_confidence"])
    if attr.confidence > current:
        updates[name] = {
            "region_code": attr.region_code,
            "region_method": attr.method,
            "region_confidence": attr.confidence,
            "address": (fields.get("address") or row.get("address") or "")[:300],
        }


def recount_applicants(*, ids=None) -> int:
    """Set Applicant.patent_count from the links (for the given applicants, or all)."""
    qs = Applicant.objects.all()
    if ids is not None:
        ids = list(ids)
        total = 0
        for i in range(0, len(ids), 900):
            total += _recount(qs.filter(pk__in=ids[i : i + 900]))
        return total
    return _recount(qs)


def _recount(qs) -> int:
    counts = (
        PatentApplicant.objects.filter(applicant=OuterRef("pk"))
        .order_by()
        .values("applicant")
        .annotate(c=Count("*"))
        .values("c")
    )
    return qs.update(patent_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))


# ---------------------------------------------------------------- file import


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def resolve_mapping(*, fmt: str, headers: list[str], mapping: ColumnMapping | None) -> tuple[dict, str]:
    """The column mapping and source label for a detected format; InputError when required columns are missing."""
    if fmt == "cnipa":
        cols, label = {k: v for k, v in records.CNIPA_MAPPING.items() if v in headers}, "cnipa"
        need = ["申请号", "名称"]
    elif fmt == "cnki_listing":
        cols, label, need = (
            {k: v for k, v in records.CNKI_LISTING_MAPPING.items() if v in headers},
            "cnki",
            ["publication_number", "title"],
        )
    elif fmt == "cnki_spider":
        cols, label, need = dict(records.CNKI_SPIDER_MAPPING), "cnki", ["title", "applicants"]
    elif fmt == "jsonl":
        return dict(records.JSONL_MAPPING), "sipo_jsonl"
    else:
        if mapping is None:
            raise InputError(
                f"未识别的文件格式（列标题：{'、'.join(h for h in headers[:8] if h)}…）：请选择一个已保存的列映射，或先在“列映射管理”中新建",
                field="列映射",
            )
        # headers are read normalised (ASCII brackets as full-width): compare the mapping's column names the same way
        cols = {k: readers._norm_header(v) for k, v in mapping.columns.items() if v}
        need = [v for k, v in cols.items() if k in ("title",)]
        absent = [v for v in cols.values() if v not in headers]
        if absent:
            raise InputError(
                f"列映射“{mapping.name}”所需的列在文件中不存在：{'、'.join(absent)}（第1行列标题）",
                field="列标题",
                line=1,
            )
        if not any(k in cols for k in records.REQUIRED_ANY):
            raise InputError(f"列映射“{mapping.name}”未指定申请号或公开（公告）号所在的列", field="列映射")
        label = mapping.source_label or "csv"
    missing = [c for c in need if c not in headers]
    if missing:
        raise InputError(f"文件缺少必需的列：{'、'.join(missing)}（第1行列标题应包含这些列）", field="列标题", line=1)
    return cols, label


BULK_CACHE_KIB = 262_144  # 256 MB page cache instead of SQLite's 2 MB: index updates stay in memory


@contextmanager
def _bulk_connection():
    """For the length of an import on SQLite: a larger page cache, restored afterwards (web workers run imports too)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cache = cur.execute("PRAGMA cache_size").fetchone()[0]
        cur.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {int(cache)}")


def import_file(
    *,
    path,
    fmt: str = "auto",
    mode: str = "lenient",
    mapping: ColumnMapping | None = None,
    user=None,
    progress: Callable | None = None,
    batch_size: int | None = None,
    display_name: str = "",
    job=None,
    send_signal: bool = True,
    status_as_of: dt.date | None = None,
) -> ImportResult:
    """Import one file (CNIPA export, CNKI listing, SIPO JSONL or mapped CSV/XLSX) with the chosen mode.

    `batch_size` defaults to BATCH_SIZE rows, LARGE_BATCH_SIZE for files over LARGE_IMPORT_BYTES."""
    path = Path(path)
    if mode not in MODES:
        raise InputError(f"未知的导入模式“{mode}”：应为 lenient 或 all-or-nothing", field="mode")
    name = display_name or path.name
    src = readers.open_source(path)
    detected = readers.detect_format(src)
    if fmt == "cnki" and detected not in ("cnki_listing", "cnki_spider"):
        raise InputError(f"文件“{name}”不是中国知网专利列表（列标题：{'、'.join(src.headers[:6])}…）", field="格式")
    if fmt == "cnipa" and detected != "cnipa":
        raise InputError(f"文件“{name}”不是国家知识产权局25列导出格式：缺少“申请号”“名称”等列", field="格式", line=1)
    if fmt == "jsonl" and detected != "jsonl":
        raise InputError(f"文件“{name}”不是JSONL（每行一个JSON对象）", field="格式")
    if fmt == "csv" and mapping is not None:
        detected = "csv"
    cols, source_label = resolve_mapping(fmt=detected, headers=src.headers, mapping=mapping)
    run = ImportRun.objects.create(
        file_name=name[:300],
        file_sha256=_file_digest(path),
        file_size=src.size,
        format=detected,
        encoding=src.encoding,
        mode=mode,
        mapping=mapping,
        created_by=user if user and user.is_authenticated else None,
        job=job,
    )
    result = ImportResult(run_id=run.pk, file=name, format=detected, encoding=src.encoding, status_as_of=status_as_of)
    if batch_size is None:
        batch_size = LARGE_BATCH_SIZE if src.size > LARGE_IMPORT_BYTES else BATCH_SIZE
    try:
        with _bulk_connection():
            _run_import(
                src,
                run=run,
                result=result,
                cols=cols,
                fmt=detected,
                source_label=source_label,
                mode=mode,
                mapping=mapping,
                progress=progress,
                batch_size=batch_size,
                name=name,
                send_signal=send_signal,
            )
    except BaseException as exc:
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=f"导入中断：{exc}"[:2000],
            read=result.read,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            rejected=result.rejected,
        )
        raise
    return result


def _run_import(src, *, run, result, cols, fmt, source_label, mode, mapping, progress, batch_size, name, send_signal):
    seen: dict[str, int] = {}
    batch_no = 0
    date_format = mapping.date_format if mapping else ""
    list_sep = mapping.list_separator if mapping else ";"
    today = timezone.localdate()
    all_or_nothing = mode == "all-or-nothing"
    pending_ids: list[str] = []

    def flush(batch):
        nonlocal batch_no
        if all_or_nothing:
            with transaction.atomic():
                pending_ids.extend(apply_batch(batch, result=result, today=today))
        else:
            with transaction.atomic():
                changed = apply_batch(batch, result=result, today=today)
                if changed and send_signal:
                    transaction.on_commit(lambda ids=changed: patents_changed.send(sender=Patent, ids=ids, deleted=[]))
        batch.clear()
        collect_garbage()  # after the batch is let go: a collection walks every container still alive
        batch_no += 1
        ImportRun.objects.filter(pk=run.pk).update(
            read=result.read,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            rejected=result.rejected,
            duplicates=result.duplicates,
        )
        _after_batch(batch_no)

    def report():
        if progress:
            total = src.total or src.size
            progress(
                src.position,
                total=total,
                message=f"已读取 {result.read} 行，新增 {result.created}，更新 {result.updated}，拒绝 {result.rejected}",
            )

    def batches():
        """Parsed and validated records, batch_size at a time; bad rows and duplicates go to the report."""
        batch: list[records.Record] = []
        for line, row in readers.iter_rows(src):
            result.read += 1
            if isinstance(row, readers.RowShapeError):
                result.rejected += 1
                result.errors.append(
                    records.RowError(
                        line,
                        "整行",
                        f"{row.actual}列",
                        f"列数不对：应为{row.expected}列（与第1行列标题一致），实际{row.actual}列；可能缺列或多了未加引号的逗号",
                    )
                )
                continue
            if isinstance(row, ValueError):
                result.rejected += 1
                result.errors.append(records.RowError(line, "整行", "", str(row)))
                continue
            office = records.foreign_office(row, cols)
            if office:
                result.skipped += 1
                result.errors.append(
                    records.RowError(
                        line,
                        "公开（公告）号",
                        office[1],
                        f"{office[0]}的文献（非中国国家知识产权局），不计入中国专利统计，已跳过",
                        "提示",
                    )
                )
                continue
            if fmt == "cnki_spider" and (row.get("database") or "").strip() == "海外专利":
                result.skipped += 1
                result.errors.append(
                    records.RowError(
                        line,
                        "database",
                        "海外专利",
                        "境外专利（无中国申请号/公开号），不属于本库收录范围，已跳过",
                        "提示",
                    )
                )
                continue
            rec, errs = records.build_record(
                row,
                line=line,
                mapping=cols,
                source=source_label,
                source_file=name,
                fmt=fmt,
                date_format=date_format,
                list_sep=list_sep,
                today=today,
            )
            if errs:
                result.rejected += 1
                result.errors.extend(errs)
                continue
            key = rec.id + "|" + ",".join(p[0] for p in rec.publications)
            first_line = seen.get(key)
            if first_line is not None:
                result.duplicates += 1
                result.errors.append(
                    records.RowError(
                        line,
                        "记录号",
                        rec.id,
                        f"与第{first_line}行是同一条专利（{rec.id}），已按第{first_line}行导入，本行未重复计入",
                        "提示",
                    )
                )
                continue
            seen[key] = line
            batch.append(rec)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def body():
        # On PostgreSQL the next batch is parsed in a thread while the server writes this one (the importer and
        # its server process took turns: each waited while the other worked). On SQLite the writes run in this
        # process, and a second batch in memory would only add to its peak.
        source = batches()
        if connection.vendor == "postgresql":
            source = prefetch.ahead(source, name="import-reader")
        for batch in source:
            flush(batch)
            report()
        report()

    with gcbatch.between_batches() as collect_garbage:
        _run_body(
            body,
            result=result,
            all_or_nothing=all_or_nothing,
            pending_ids=pending_ids,
            send_signal=send_signal,
            large=src.size > LARGE_IMPORT_BYTES,
        )
    _finish(run, result, name=name)


def _run_body(body, *, result, all_or_nothing, pending_ids, send_signal, large):
    """Run an import's body in the chosen mode: one transaction rolled back on any rejected row, or batch by batch."""
    if all_or_nothing:
        try:
            with transaction.atomic():
                body()
                if result.rejected:
                    raise _Rollback()
                if pending_ids and send_signal:
                    ids = list(pending_ids)
                    transaction.on_commit(lambda: patents_changed.send(sender=Patent, ids=ids, deleted=[]))
        except _Rollback:
            result.rolled_back = True
            result.created = result.updated = result.unchanged = result.attributed = 0
    elif send_signal:
        # listeners may work in a helper process while the next batches are parsed
        with bulk_session(large=large):
            body()
    else:
        body()


def error_rows(result: ImportResult, name: str):
    """The rows of an error report (ERROR_HEADERS) for one imported file."""
    for e in result.errors:
        yield [name, e.line, e.field, e.value, e.reason, e.severity]


def write_error_report(*, result: ImportResult, path, name: str) -> int:
    """Excel report of every rejected row and every notice (duplicates, skipped rows) of an import."""
    notes = [
        f"导入文件：{name}",
        f"结果：{result.summary()}",
        "“拒绝”的行未导入，请改正后重新导入（重新导入不会产生重复记录）；“提示”的行无需处理。",
    ]
    return write_workbook(path, [Sheet("错误与提示", ERROR_HEADERS, error_rows(result, name), notes=notes)])


def _finish(run: ImportRun, result: ImportResult, *, name: str) -> None:
    error_file = ""
    if result.errors:
        folder = shared_dir() / "patents" / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"import-{run.pk}-errors.xlsx"
        write_error_report(result=result, path=target, name=name)
        error_file = str(target.relative_to(shared_dir()))
        result.error_file = str(target)
    preview = [
        {"line": e.line, "field": e.field, "value": e.value, "reason": e.reason, "severity": e.severity}
        for e in result.errors[:200]
    ]
    status = ImportStatus.ROLLED_BACK if result.rolled_back else ImportStatus.DONE
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        read=result.read,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        duplicates=result.duplicates,
        skipped=result.skipped,
        rejected=result.rejected,
        attributed=result.attributed,
        message=result.summary(),
        error_file=error_file,
        errors_preview=preview,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    audit.record(
        AuditAction.IMPORT,
        obj=run,
        object_repr=f"专利数据导入：{name}"[:300],
        after={
            "format": result.format,
            "mode": run.mode,
            "sha256": run.file_sha256,
            "read": result.read,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "duplicates": result.duplicates,
            "skipped": result.skipped,
            "rejected": result.rejected,
            "rolled_back": result.rolled_back,
        },
        reason=result.summary(),
    )


def import_files(
    *,
    paths,
    fmt: str = "auto",
    mode: str = "lenient",
    mapping=None,
    user=None,
    progress_factory=None,
    errors_path=None,
    batch_size: int | None = None,
) -> list[ImportResult]:
    """Import several files in order; optionally write one combined error workbook."""
    results = []
    for p in paths:
        progress = progress_factory(Path(p)) if progress_factory else None
        results.append(
            import_file(
                path=p, fmt=fmt, mode=mode, mapping=mapping, user=user, progress=progress, batch_size=batch_size
            )
        )
    if errors_path:
        sheets = [
            Sheet(
                f"{i + 1}-{Path(r.file).stem}"[:31],
                ERROR_HEADERS,
                error_rows(r, r.file),
                notes=[f"导入文件：{r.file}", r.summary()],
            )
            for i, r in enumerate(results)
        ]
        write_workbook(errors_path, sheets)
    return results


def run_upload_job(
    *,
    progress,
    path: str,
    display_name: str,
    mode: str,
    mapping_id: int | None = None,
    fmt: str = "auto",
    status_as_of: str | None = None,
) -> dict:
    """Background job for a web upload: the same import_file() as the command line."""
    from django.urls import reverse

    from ipplatform.core.context import current_user
    from ipplatform.core.models import BackgroundJob

    mapping = ColumnMapping.objects.get(pk=mapping_id) if mapping_id else None
    job_id = getattr(progress, "job_id", None)
    job = BackgroundJob.objects.filter(pk=job_id).first() if job_id else None
    if job is not None and job.attempts > 1:
        # the worker of an earlier attempt died mid-file: its run stops here; this attempt imports the file again,
        # and the batches that attempt committed come back as unchanged records (the import is idempotent)
        ImportRun.objects.filter(job=job, status=ImportStatus.RUNNING).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            message=f"导入中断：执行进程失去响应，已由第 {job.attempts} 次执行续做",
        )
    try:
        result = import_file(
            path=path,
            fmt=fmt,
            mode=mode,
            mapping=mapping,
            user=current_user(),
            progress=progress,
            display_name=display_name,
            job=job,
            status_as_of=dt.date.fromisoformat(status_as_of) if status_as_of else None,
        )
    except InputError as exc:
        from ipplatform.core.context import current_user as cu

        run = ImportRun.objects.create(
            file_name=display_name[:300],
            mode=mode,
            status=ImportStatus.ROLLED_BACK,
            message=exc.message,
            created_by=cu(),
            job=job,
            finished_at=timezone.now(),
            errors_preview=[
                {"line": exc.line or "", "field": exc.field, "value": "", "reason": exc.message, "severity": "拒绝"}
            ],
        )
        return {"url": reverse("patents:import_detail", args=[run.pk]), "summary": f"未导入：{exc.message}"}
    return {"url": reverse("patents:import_detail", args=[result.run_id]), "summary": result.summary()}


# ---------------------------------------------------------------- staff edits and lists


def update_applicant(
    *, applicant: Applicant, entity_type: str | None = None, region_code: str | None = None, user=None, reason: str = ""
) -> Applicant:
    """Staff correction of an applicant's type or region; propagated to the patents it files first (audited)."""
    from ipplatform.core.models import Division

    with transaction.atomic():
        fields = []
        if entity_type is not None and entity_type != applicant.entity_type:
            if entity_type not in EntityType.values:
                raise InputError(f"未知的申请人类型“{entity_type}”", field="entity_type")
            applicant.entity_type, applicant.entity_type_manual = entity_type, True
            fields += ["entity_type", "entity_type_manual"]
        elif entity_type is not None and not applicant.entity_type_manual:
            applicant.entity_type_manual = True
            fields.append("entity_type_manual")
        if region_code is not None:
            region_code = region_code.strip()
            if region_code and not Division.objects.filter(revision=attribution.REVISION, code=region_code).exists():
                raise InputError(f"区划代码“{region_code}”不在GB/T 2260（2015年版）中", field="region_code")
            if region_code != applicant.region_code or applicant.region_method != RegionMethod.MANUAL:
                applicant.region_code = region_code
                applicant.region_method = RegionMethod.MANUAL if region_code else RegionMethod.NONE
                applicant.region_confidence = 1.0 if region_code else 0
                fields += ["region_code", "region_method", "region_confidence"]
        if not fields:
            return applicant
        applicant.save(update_fields=fields)  # the audit trail records the change (post_save)
        patents = Patent.objects.filter(first_applicant=applicant)
        changed_ids = []
        if "entity_type" in fields:
            changed_ids += list(patents.exclude(applicant_type=applicant.entity_type).values_list("id", flat=True))
            patents.update(applicant_type=applicant.entity_type, updated_at=timezone.now())
        if "region_code" in fields:
            # only records not placed by their own address follow the applicant's manual region
            weak = patents.filter(
                region_method__in=[RegionMethod.NONE, RegionMethod.APPLICANT_NAME, RegionMethod.MANUAL]
            )
            code = applicant.region_code
            city = city_code_of(code)
            changed_ids += list(weak.values_list("id", flat=True))
            weak.update(
                region_code=code,
                city_code=city,
                province_code=province_code_of(code),
                region_method=RegionMethod.MANUAL if code else RegionMethod.NONE,
                region_confidence=1.0 if code else 0,
                region_note=(f"按申请人人工指定：{reason}" if reason else "按申请人人工指定")[:60] if code else "",
                updated_at=timezone.now(),
            )
        if changed_ids:
            ids = list(dict.fromkeys(changed_ids))
            transaction.on_commit(lambda: patents_changed.send(sender=Patent, ids=ids, deleted=[]))
    return applicant


def unattributed_summary() -> dict:
    """Counts of records without a region, by reason and by source."""
    qs = Patent.objects.filter(region_code="")
    by_reason = list(qs.values("region_note").annotate(n=Count("id")).order_by("-n"))
    by_source = list(qs.values("source").annotate(n=Count("id")).order_by("-n"))
    total = Patent.objects.count()
    return {
        "total": total,
        "unattributed": qs.count(),
        "by_reason": by_reason,
        "by_source": by_source,
        "weak": Patent.objects.filter(region_method=RegionMethod.APPLICANT_NAME).count(),
    }


def region_counts() -> dict:
    """How many records got a region, by method."""
    return dict(Patent.objects.values_list("region_method").annotate(n=Count("id")).order_by())


PRESUMPTION_NOTE = VALIDITY_PRESUMPTION


def reattribute(*, include_attributed: bool = True, progress=None, batch_size: int = 5000) -> dict:
    """Recompute region attribution of stored records (manual assignments kept); returns counts before/after."""
    attribution.clear_cache()
    qs = Patent.objects.exclude(region_method=RegionMethod.MANUAL)
    if not include_attributed:
        qs = qs.filter(region_code="")
    total = qs.count()
    before = Patent.objects.exclude(region_code="").count()
    done, last, changed_total = 0, "", 0
    fields = ["region_code", "city_code", "province_code", "region_method", "region_confidence", "region_note"]
    while True:
        rows = list(
            qs.filter(pk__gt=last)
            .order_by("pk")
            .values("pk", "address", "postcode", "applicants_text", *fields)[:batch_size]
        )
        if not rows:
            break
        last = rows[-1]["pk"]
        updates = []
        for row in rows:
            first = (row["applicants_text"] or "").split("; ")[0]
            attr = attribution.attribute(row["address"] or "", row["postcode"] or "", first)
            new = (attr.region_code, attr.city_code, attr.province_code, attr.method, attr.confidence, attr.reason[:60])
            if new != tuple(row[f] for f in fields):
                p = Patent(id=row["pk"])
                for f, v in zip(fields, new):
                    setattr(p, f, v)
                p.updated_at = timezone.now()
                updates.append(p)
        with transaction.atomic():
            if updates:
                Patent.objects.bulk_update(updates, fields + ["updated_at"], batch_size=1000)
                ids = [p.id for p in updates]
                transaction.on_commit(lambda ids=ids: patents_changed.send(sender=Patent, ids=ids, deleted=[]))
        changed_total += len(updates)
        done += len(rows)
        if progress:
            progress(done, total=total)
    return {
        "checked": done,
        "changed": changed_total,
        "attributed_before": before,
        "attributed_after": Patent.objects.exclude(region_code="").count(),
    }
