"""Business rules of work-plan supervision: import, unit resolution, milestones, reports, 督办, board figures."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
from dataclasses import asdict
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ipplatform.core.inputs import is_id
from ipplatform.core import audit, regions
from ipplatform.core.api import InputError
from ipplatform.core.enums import AuditAction, OrgKind, Role
from ipplatform.core.models import Organization, User
from ipplatform.core.notify import notify
from ipplatform.core.scopes import restrict
from ipplatform.core.workflow import run_transition
from ipplatform.lib.textnorm import fold

from . import links, parser, periods
from .enums import HEALTH_CSS, Frequency, Health, ReminderState, ReportState, TaskState, UnitRole
from .models import (
    Assignment, Milestone, Plan, PlanImport, PlanTarget, ProgressReport, Reminder, ReportAttachment, Section, Task, UnitAlias,
)

log = logging.getLogger(__name__)

OFFICE_NAME = "山东省知识产权局"
SUPERVISING_DEPARTMENT = "办公室"
BUILTIN_PLAN = Path(__file__).resolve().parents[2] / "data" / "workplan" / "shandong_2015_work_plan.txt"
UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.CITY_BUREAU, OrgKind.PROVINCE_OFFICE, OrgKind.COUNTY_BUREAU)
MAX_ATTACHMENT = 20 * 1024 * 1024
ATTACHMENT_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt", ".zip", ".ofd", ".wps", ".et"}
LATE_MARGIN = 25  # percentage points behind the year's elapsed share that count as 滞后


# ---------------------------------------------------------------- roles


def is_supervisor(user) -> bool:
    """Province leadership, administrators and 办公室 see and supervise every task."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role in (Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER):
        return True
    org = user.organization
    return user.role == Role.DEPARTMENT_STAFF and org is not None and org.name == SUPERVISING_DEPARTMENT


def can_import(user) -> bool:
    """Only administrators import plans and resolve units."""
    return user.is_authenticated and (user.is_superuser or user.role == Role.PROVINCE_ADMIN)


def require_supervisor(user) -> None:
    """403 unless the user supervises the plan."""
    if not is_supervisor(user):
        raise PermissionDenied("仅局领导、系统管理员和办公室可以使用督导功能")


def require_importer(user) -> None:
    """403 unless the user may import plans."""
    if not can_import(user):
        raise PermissionDenied("仅系统管理员可以导入工作要点和落实责任单位")


# ---------------------------------------------------------------- reading uploads


def read_upload(*, name: str, data: bytes) -> tuple[str, parser.ParsedPlan, str]:
    """(format, parsed plan, plain text) of an uploaded .txt/.docx/.xlsx/.xls file; InputError with the place on bad input."""
    suffix = Path(name or "").suffix.lower()
    if not data:
        raise InputError(f"文件“{name}”为空", field="file")
    try:
        if suffix in (".txt", ""):
            text = decode_text(data)
            return "text", parser.parse_plan(text), text
        if suffix == ".docx":
            text = docx_text(data)
            return "docx", parser.parse_plan(text), text
        if suffix in (".xlsx", ".xls"):
            rows = spreadsheet_rows(data, suffix=suffix)
            plan = parser.parse_rows(rows)
            return suffix[1:], plan, "\n".join("\t".join(c or "" for c in cells) for _, cells in rows)
    except parser.PlanParseError as exc:
        raise InputError(f"文件“{name}”{exc.message}", field="file", line=exc.line)
    raise InputError(f"不支持的文件格式“{suffix}”：请上传 .txt、.docx、.xlsx 或 .xls 文件", field="file")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 text."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("文本文件编码无法识别：请另存为 UTF-8 或 GB18030 编码", field="file")


def docx_text(data: bytes) -> str:
    """Paragraph text of a Word document, one paragraph a line (tables included, row by row)."""
    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except Exception:
        raise InputError("无法读取Word文件：文件已损坏或不是 .docx 格式（旧版 .doc 请先另存为 .docx）", field="file")
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append("".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def spreadsheet_rows(data: bytes, *, suffix: str) -> list[tuple[int, list[str]]]:
    """Rows after the header of the first sheet: (row number, [部分, 任务, 工作内容, 责任单位])."""
    from ipplatform.lib import sheetread

    try:
        raw = list(sheetread.rows(data, suffix=suffix, max_rows=5000, max_cols=30, max_cell_chars=5000, max_seconds=60))
    except sheetread.SheetTooLarge as exc:
        raise InputError(str(exc), field="file", line=exc.line)
    except sheetread.SheetUnreadable:
        raise InputError(f"无法读取Excel文件：文件已损坏或不是 {suffix} 格式", field="file")
    header_row = None
    for i, row in enumerate(raw[:10]):
        cells = [str(c).strip() if c is not None else "" for c in row]
        if all(h in cells for h in parser.EXCEL_HEADERS):
            header_row = i
            columns = [cells.index(h) for h in parser.EXCEL_HEADERS]
            break
    if header_row is None:
        raise InputError("Excel表头不正确：前10行中应有一行包含“部分、任务、工作内容、责任单位”四列（可下载导入模板）", field="file", line=1)
    out = []
    for i in range(header_row + 1, len(raw)):
        row = list(raw[i])
        cells = [row[c] if c < len(row) else None for c in columns]
        out.append((i + 1, ["" if v is None else str(v).strip() for v in cells]))
    return out


def excel_template() -> bytes:
    """An import template with the header and two example rows."""
    from ipplatform.lib.xlsx import Sheet, workbook_bytes

    rows = [
        ["总体要求", "", "实现全省发明专利申请量和授权量增长15%以上，力争万人有效发明专利拥有量达到5件。", ""],
        ["一、强化宏观筹划，提高知识产权支撑经济社会发展能力", "积极推进省部合作会商", "召开省部合作会商第一次工作会议，签署省部会商议定书。", "办公室及各处室、单位"],
        ["一、强化宏观筹划，提高知识产权支撑经济社会发展能力", "扎实推进《山东省专利事业发展战略推进计划》的制定和落实", "推动我省推进计划的制定……", "协调管理处，各市知识产权局"],
    ]
    return workbook_bytes([Sheet("工作要点", parser.EXCEL_HEADERS, rows)])


# ---------------------------------------------------------------- staging and preview


def _parsed_to_json(plan: parser.ParsedPlan) -> dict:
    return {
        "preamble": plan.preamble,
        "warnings": plan.warnings,
        "targets": parser.parse_targets(plan.preamble),
        "sections": [asdict(s) for s in plan.sections],
    }


def stage_import(*, user, year, title: str = "", name: str, data: bytes, frequency: str = Frequency.MONTHLY) -> PlanImport:
    """Parse an uploaded plan and keep it for preview (nothing is created yet)."""
    require_importer(user)
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        raise InputError(f"年度“{year}”不是有效年份，应为四位数字，如 2015", field="year")
    if not 2000 <= year <= 2100:
        raise InputError(f"年度“{year}”超出范围（2000—2100）", field="year")
    if frequency not in Frequency.values:
        raise InputError(f"报送周期“{frequency}”无效，应为按月或按季度", field="frequency")
    existing = Plan.objects.filter(year=year).first()
    if existing is not None:
        raise InputError(f"{year}年工作要点已导入（“{existing.title}”），同一年度只能有一份工作要点", field="year")
    kind, parsed, text = read_upload(name=name, data=data)
    imp = PlanImport.objects.create(
        year=year, title=(title or "").strip() or f"{year}年全省知识产权工作要点", source_name=name[:200], source_kind=kind,
        source_text=text, sha256=hashlib.sha256(data).hexdigest(), parsed=_parsed_to_json(parsed), frequency=frequency, created_by=user,
    )
    return imp


def stage_builtin(*, user, frequency: str = Frequency.MONTHLY) -> PlanImport:
    """Stage the 2015 plan shipped in data/workplan/."""
    return stage_import(user=user, year=2015, title="山东省知识产权局2015年全省知识产权工作要点", name=BUILTIN_PLAN.name,
                        data=BUILTIN_PLAN.read_bytes(), frequency=frequency)


def _as_id(value, *, field: str) -> int | None:
    """A numeric id from form input, None when empty; InputError otherwise."""
    if value in (None, ""):
        return None
    if not is_id(value):
        raise InputError(f"“{value}”不是有效的机构编号", field=field)
    return int(value)


def _unit_candidates() -> list[Organization]:
    return list(Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("kind", "region_code", "name"))


def match_unit(name: str, *, resolutions: dict | None = None, candidates: list[Organization] | None = None) -> Organization | None:
    """The organisation a unit name refers to: administrator's mapping, alias, exact or normalised name, or city name."""
    resolutions = resolutions or {}
    if name in resolutions and resolutions[name]:
        return Organization.objects.filter(pk=resolutions[name]).first()
    alias = UnitAlias.objects.filter(name=name).select_related("organization").first()
    if alias is not None:
        return alias.organization
    candidates = candidates if candidates is not None else _unit_candidates()
    key = fold(name).replace(" ", "")
    for prefix in ("山东省知识产权局", "省知识产权局", "省局"):
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix):]
    variants = {key}
    if key.endswith("市局"):
        variants.add(key[:-1] + "知识产权局")
    if key.endswith("知识产权局") and "市" not in key:
        variants.add(key.replace("知识产权局", "市知识产权局"))
    if not key.endswith("局") and len(key) <= 4:
        variants |= {f"{key}知识产权局", f"{key}市知识产权局"}
    for org in candidates:
        names = {fold(org.name)}
        if org.short_name and org.kind != OrgKind.PROVINCE_OFFICE:
            names.add(fold(org.short_name))
        if names & variants:
            return org
    return None


def departments() -> list[Organization]:
    """The provincial office's departments and directly affiliated units."""
    return list(Organization.objects.filter(kind=OrgKind.DEPARTMENT, is_active=True).order_by("pk"))


def city_bureaus(year: int | None = None) -> list[Organization]:
    """The city bureaus of the province (the 2015 cities, 莱芜 included)."""
    codes = [c for c, _ in regions.cities(regions.REVISION_2015)]
    qs = Organization.objects.filter(kind=OrgKind.CITY_BUREAU, is_active=True)
    if codes:
        qs = qs.filter(region_code__in=codes)
    return list(qs.order_by("region_code"))


RELEVANT_KINDS = (parser.RELEVANT_DEPARTMENTS, parser.RELEVANT_CITIES)


def narrow_key(task_number, via: str) -> str:
    return f"{task_number}|{via}"


def expand_task_units(task: dict, *, resolutions: dict, candidates=None, depts=None, cities=None, narrowed: dict | None = None) -> list[dict]:
    """Rows {name, org, role, via, kind, confirmed} for one parsed task, lead first; unresolved named units kept with org
    None. “各有关…” collectives expand to the units the administrator chose in the preview (confirmed), or, until then,
    to every candidate marked unconfirmed."""
    narrowed = narrowed or {}
    candidates = candidates if candidates is not None else _unit_candidates()
    depts = depts if depts is not None else departments()
    cities = cities if cities is not None else city_bureaus()
    rows: list[dict] = []
    seen: set[int] = set()

    def add(name, org, role, via="", kind=parser.NAMED, confirmed=True):
        if org is not None:
            if org.pk in seen:
                return
            seen.add(org.pk)
        rows.append({"name": name, "org": org, "role": role, "via": via, "kind": kind, "confirmed": confirmed})

    named = [u for u in task["units"] if u["kind"] == parser.NAMED]
    collective = [u for u in task["units"] if u["kind"] != parser.NAMED]
    for u in named:
        add(u["text"], match_unit(u["text"], resolutions=resolutions, candidates=candidates), UnitRole.LEAD if u["lead"] else UnitRole.COOP)
    for u in collective:
        members = depts if u["kind"] in (parser.ALL_DEPARTMENTS, parser.RELEVANT_DEPARTMENTS) else cities
        chosen = narrowed.get(narrow_key(task.get("number"), u["text"])) if u["kind"] in RELEVANT_KINDS else None
        for org in members:
            if chosen is not None and org.pk not in chosen:
                continue
            add(org.name, org, UnitRole.COOP, via=u["text"], kind=u["kind"], confirmed=chosen is not None or u["kind"] not in RELEVANT_KINDS)
    return rows


def collective_members(kind: str, *, depts=None, cities=None) -> list[Organization]:
    if kind in (parser.ALL_DEPARTMENTS, parser.RELEVANT_DEPARTMENTS):
        return depts if depts is not None else departments()
    return cities if cities is not None else city_bureaus()


def narrow_collective(*, imp: PlanImport, task_number: int, via: str, organization_ids, by) -> list[Organization]:
    """Choose, in the preview, which units a “各有关…” collective of one task means; the choice is saved with the import."""
    require_importer(by)
    if imp.state != "preview":
        raise InputError("该导入已确认或取消，不能再修改", field="task")
    task = next((t for s in imp.parsed["sections"] for t in s["tasks"] if str(t["number"]) == str(task_number)), None)
    if task is None:
        raise InputError(f"第{task_number}项任务不在本次导入中", field="task")
    unit = next((u for u in task["units"] if u["text"] == via and u["kind"] in RELEVANT_KINDS), None)
    if unit is None:
        raise InputError(f"第{task_number}项任务没有“{via}”这一需要限定的统称", field="via")
    members = {o.pk: o for o in collective_members(unit["kind"])}
    ids = []
    for raw in organization_ids:
        oid = _as_id(raw, field="organization")
        if oid not in members:
            raise InputError(f"所选机构（编号{raw}）不属于“{via}”的范围", field="organization")
        ids.append(oid)
    narrowed = dict(imp.narrowed or {})
    narrowed[narrow_key(task["number"], via)] = sorted(set(ids))
    imp.narrowed = narrowed
    imp.save(update_fields=["narrowed"])
    return [members[i] for i in sorted(set(ids))]


def preview(imp: PlanImport) -> dict:
    """What committing the import would create: sections, tasks with their units, counts, unresolved names."""
    data = imp.parsed
    candidates, depts, cities = _unit_candidates(), departments(), city_bureaus()
    sections, unresolved, assignments, warnings, unconfirmed = [], {}, 0, list(data.get("warnings", [])), 0
    for s in data["sections"]:
        tasks = []
        for t in s["tasks"]:
            units = expand_task_units(t, resolutions=imp.resolutions, candidates=candidates, depts=depts, cities=cities, narrowed=imp.narrowed)
            assignments += len(units)
            unconfirmed += sum(1 for u in units if not u["confirmed"])
            choices = []
            for u in t["units"]:
                if u["kind"] in RELEVANT_KINDS:
                    chosen = (imp.narrowed or {}).get(narrow_key(t["number"], u["text"]))
                    choices.append({"via": u["text"], "narrowed": chosen is not None,
                                    "members": [{"org": o, "selected": chosen is not None and o.pk in chosen}
                                                for o in collective_members(u["kind"], depts=depts, cities=cities)]})
            for u in units:
                if u["org"] is None:
                    unresolved.setdefault(u["name"], []).append(t["number"])
            warnings.extend(t["warnings"])
            tasks.append({**t, "unit_rows": units, "lead_row": next((u for u in units if u["role"] == UnitRole.LEAD), None),
                          "coop_named": [u for u in units if u["role"] == UnitRole.COOP and not u["via"]],
                          "collective": sorted({(u["via"], u["kind"]) for u in units if u["via"]}),
                          "collective_count": sum(1 for u in units if u["via"]), "narrow_choices": choices,
                          "unconfirmed_count": sum(1 for u in units if not u["confirmed"]),
                          "links": [links.BY_KEY[k].label for k in links.links_for_text(t["lead"] + t["body"])]})
        sections.append({**s, "tasks": tasks})
    return {
        "sections": sections, "section_count": len(sections), "task_count": sum(len(s["tasks"]) for s in sections),
        "assignment_count": assignments, "unconfirmed_count": unconfirmed, "unresolved": [{"name": k, "tasks": v} for k, v in unresolved.items()],
        "warnings": warnings, "targets": data.get("targets", []), "preamble": data.get("preamble", ""),
    }


def resolve_unit(*, imp: PlanImport, name: str, by, organization_id=None, create_kind: str = "", create_name: str = "") -> Organization | None:
    """Map an unresolved unit name of a preview to an organisation, or create the organisation; None clears the mapping."""
    require_importer(by)
    if imp.state != "preview":
        raise InputError("该导入已确认或取消，不能再修改单位对应", field="name")
    names = {u["text"] for s in imp.parsed["sections"] for t in s["tasks"] for u in t["units"]}
    if name not in names:
        raise InputError(f"单位“{name}”不在本次导入的责任单位中", field="name")
    org = None
    if create_kind:
        if create_kind not in (OrgKind.DEPARTMENT, OrgKind.CITY_BUREAU, OrgKind.COUNTY_BUREAU, OrgKind.OTHER):
            raise InputError(f"机构类型“{create_kind}”不可用于责任单位", field="create_kind")
        new_name = (create_name or name).strip()
        if not new_name:
            raise InputError("新建机构的名称不能为空", field="create_name")
        office = Organization.objects.filter(kind=OrgKind.PROVINCE_OFFICE).order_by("pk").first()
        region = "370000"
        if create_kind in (OrgKind.CITY_BUREAU, OrgKind.COUNTY_BUREAU):
            raise InputError("市、县知识产权局须在后台“机构”中建立并填写区划代码后再选择", field="create_kind")
        org, _ = Organization.objects.get_or_create(kind=create_kind, name=new_name, defaults={
            "parent": office if create_kind == OrgKind.DEPARTMENT else None, "region_code": region, "short_name": new_name[:60]})
    elif _as_id(organization_id, field="organization"):
        org = Organization.objects.filter(pk=_as_id(organization_id, field="organization"), kind__in=UNIT_KINDS + (OrgKind.OTHER,)).first()
        if org is None:
            raise InputError(f"所选机构（编号{organization_id}）不存在或不能作为责任单位", field="organization")
    resolutions = dict(imp.resolutions)
    if org is None:
        resolutions.pop(name, None)
    else:
        resolutions[name] = org.pk
    imp.resolutions = resolutions
    imp.save(update_fields=["resolutions"])
    return org


def commit_import(*, imp: PlanImport, by, reason: str = "") -> Plan:
    """Create the plan, its sections, tasks and responsible units from a confirmed preview."""
    require_importer(by)
    with transaction.atomic():
        imp = PlanImport.objects.select_for_update().get(pk=imp.pk)
        if Plan.objects.filter(year=imp.year).exists():
            raise InputError(f"{imp.year}年工作要点已导入，不能重复导入", field="year")
        view = preview(imp)
        plan = Plan.objects.create(year=imp.year, title=imp.title, preamble=view["preamble"], source_name=imp.source_name,
                                   sha256=imp.sha256, frequency=imp.frequency, imported_by=by)
        for t in view["targets"]:
            PlanTarget.objects.create(plan=plan, key=t["key"], label=t["label"], target=t["target"], unit=t["unit"], text=t["text"][:300])
        for s in view["sections"]:
            section = Section.objects.create(plan=plan, number=s["number"], numeral=s["numeral"], title=s["title"][:300], intro=s["intro"])
            for t in s["tasks"]:
                task = Task.objects.create(
                    plan=plan, section=section, number=t["number"], lead=t["lead"][:300], body=t["body"], units_text=t["units_text"][:300],
                    source_line=t["line"], frequency=imp.frequency, links=links.links_for_text(t["lead"] + t["body"]),
                )
                Assignment.objects.bulk_create([
                    Assignment(task=task, organization=u["org"], unit_name=u["name"][:200], role=u["role"], via=u["via"][:60], order=i,
                               confirmed=u["confirmed"])
                    for i, u in enumerate(t["unit_rows"])
                ])
        for name, org_id in imp.resolutions.items():
            if org_id:
                UnitAlias.objects.update_or_create(name=name, defaults={"organization_id": org_id})
        imp.plan = plan
        run_transition(imp, "commit", by=by, reason=reason or f"导入{view['section_count']}个部分、{view['task_count']}项任务")
        imp.save()
        audit.record(AuditAction.IMPORT, obj=plan, actor=by, reason=(
            f"{imp.source_name}：{view['section_count']}个部分，{view['task_count']}项任务，{view['assignment_count']}个责任单位分工，"
            f"{len(view['unresolved'])}个单位待落实"))
    _announce_plan(plan)
    return plan


def cancel_import(*, imp: PlanImport, by, reason: str = "") -> None:
    """Discard a preview."""
    require_importer(by)
    with transaction.atomic():
        run_transition(imp, "cancel", by=by, reason=reason or "放弃导入")
        imp.save()


def _announce_plan(plan: Plan) -> None:
    counts: dict[int, list[int]] = {}
    for a in Assignment.objects.filter(task__plan=plan, organization__isnull=False):
        lead_coop = counts.setdefault(a.organization_id, [0, 0])
        lead_coop[0 if a.role == UnitRole.LEAD else 1] += 1
    users = User.objects.filter(organization_id__in=counts, is_active=True)
    for u in users:
        lead, coop = counts[u.organization_id]
        notify(user=u, title=f"{plan.year}年工作要点已下达", body=f"贵单位牵头{lead}项、配合{coop}项任务，请分解节点并按期报送进展。",
               url=f"/workplan/?plan={plan.pk}", kind="工作要点", dedupe_key=f"workplan-plan-{plan.pk}")


# ---------------------------------------------------------------- visibility


def visible_tasks(user, plan: Plan | None = None):
    """Tasks the user may see: all for supervisors, else the tasks of the user's unit (city bureaus: of their city)."""
    qs = Task.objects.all()
    if plan is not None:
        qs = qs.filter(plan=plan)
    if not is_supervisor(user):
        qs = restrict(qs, user)
    return qs.select_related("section", "plan").order_by("plan", "number")


def get_task(user, pk) -> Task:
    """One task, 404 if missing, 403 if outside the user's scope."""
    task = Task.objects.select_related("plan", "section").filter(pk=pk).first()
    if task is None:
        from django.http import Http404

        raise Http404("工作任务不存在")
    if not is_supervisor(user) and not restrict(Task.objects.filter(pk=pk), user).exists():
        raise PermissionDenied("无权访问该工作任务：不是贵单位承担的任务")
    return task


def user_assignment(user, task: Task) -> Assignment | None:
    """The user's own unit's assignment on a task, if any."""
    if not user.is_authenticated or user.organization_id is None:
        return None
    return task.assignments.filter(organization_id=user.organization_id).first()


def is_lead_of(user, task: Task) -> bool:
    a = user_assignment(user, task)
    return a is not None and a.role == UnitRole.LEAD


def visible_reports(user, task: Task | None = None):
    """Reports the user may read: supervisors all; a unit its own; the lead unit those of its co-operators."""
    qs = ProgressReport.objects.all()
    if task is not None:
        qs = qs.filter(task=task)
    if not is_supervisor(user):
        own = Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
        lead_tasks = Assignment.objects.filter(organization_id=user.organization_id, role=UnitRole.LEAD).values("task_id") if user.organization_id else []
        qs = qs.filter(own | Q(task_id__in=lead_tasks) | Q(submitted_by=user))
    return qs.select_related("organization", "task", "submitted_by").order_by("-period_end", "organization__region_code", "organization__name")


def get_report(user, pk) -> ProgressReport:
    """One report, 404/403 like get_task."""
    report = ProgressReport.objects.select_related("task", "organization").filter(pk=pk).first()
    if report is None:
        from django.http import Http404

        raise Http404("进展报告不存在")
    if not visible_reports(user).filter(pk=pk).exists():
        raise PermissionDenied("无权查看该进展报告：仅报送单位、牵头单位和督导部门可以查看")
    return report


def visible_reminders(user):
    """督办 records: supervisors all, units their own."""
    qs = Reminder.objects.select_related("task", "organization", "sent_by", "acknowledged_by")
    if is_supervisor(user):
        return qs
    return qs.filter(organization_id=user.organization_id) if user.organization_id else qs.none()


# ---------------------------------------------------------------- milestones


def _acting_unit(user, task: Task, organization_id=None) -> Organization:
    """The unit a user acts for on a task: its own assigned unit; supervisors may act for any assigned unit."""
    if organization_id and is_supervisor(user):
        a = task.assignments.filter(organization_id=organization_id).select_related("organization").first()
        if a is None:
            raise InputError("所选单位不是该任务的责任单位", field="organization")
        return a.organization
    a = user_assignment(user, task)
    if a is None:
        if is_supervisor(user):
            lead = task.assignments.filter(role=UnitRole.LEAD, organization__isnull=False).select_related("organization").first()
            if lead is not None:
                return lead.organization
        raise PermissionDenied("贵单位不是该任务的责任单位")
    return a.organization


def parse_date(value, *, field: str, label: str) -> dt.date:
    """A YYYY-MM-DD date or a Chinese InputError naming the field."""
    from ipplatform.core.inputs import parse_date as parse

    return parse(value, field=field, label=label)


def add_milestone(*, task: Task, user, title: str, due_date, organization_id=None) -> Milestone:
    """Add a dated milestone of the user's unit to a task."""
    org = _acting_unit(user, task, organization_id)
    title = (title or "").strip()
    if not title:
        raise InputError("节点名称不能为空", field="title")
    due = parse_date(due_date, field="due_date", label="计划完成日期")
    if not (task.plan.year - 1 <= due.year <= task.plan.year + 1):
        raise InputError(f"计划完成日期{due}不在{task.plan.year}年度前后一年之内", field="due_date")
    with transaction.atomic():
        m = Milestone.objects.create(task=task, organization=org, title=title[:200], due_date=due, created_by=user)
        _start_task(task, by=user, reason=f"分解节点“{title[:30]}”")
    return m


def finish_milestone(*, milestone: Milestone, user, done_on=None, reason: str = "") -> Milestone:
    """Mark a milestone reached (its unit or a supervisor)."""
    if not (is_supervisor(user) or user.organization_id == milestone.organization_id):
        raise PermissionDenied("只有节点所属单位或督导部门可以更新该节点")
    done = parse_date(done_on or timezone.localdate(), field="done_on", label="实际完成日期")
    with transaction.atomic():
        run_transition(milestone, "finish", by=user, reason=reason or f"{done}完成")
        milestone.done_on = done
        milestone.save()
    return milestone


def _start_task(task: Task, *, by, reason: str) -> None:
    fresh = Task.objects.select_for_update().get(pk=task.pk)
    if fresh.state == TaskState.NOT_STARTED:
        run_transition(fresh, "start", by=by, reason=reason)
        fresh.save()


# ---------------------------------------------------------------- progress reports

FIGURE_RE = re.compile(r"^(?P<name>[^:：=,，\t]+)[:：=,，\t]\s*(?P<value>-?[\d,，]+(?:\.\d+)?)\s*(?P<unit>\S*)$")


def parse_figures(text: str) -> list[dict]:
    """'专利质押融资金额：12.5 亿元' per line -> [{name, value, unit}]; InputError names the bad line."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        m = FIGURE_RE.match(line)
        if not m:
            raise InputError(f"报送数据第{n}行“{line[:30]}”格式不正确，应为“指标名称：数值 单位”，如“质押融资金额：12.5 亿元”", field="figures", line=n)
        digits = m.group("value").replace(",", "").replace("，", "")
        if len(digits) > 16 or not digits.lstrip("-").replace(".", "", 1).isascii():
            raise InputError(f"报送数据第{n}行的数值“{digits[:20]}”超出范围或不是阿拉伯数字", field="figures", line=n)
        value = float(digits)
        out.append({"name": m.group("name").strip(), "value": int(value) if value.is_integer() else value, "unit": m.group("unit")})
    return out


def figures_text(figures) -> str:
    return "\n".join(f"{f['name']}：{f['value']} {f.get('unit', '')}".rstrip() for f in figures or [])


def reportable_periods(task: Task, *, today: dt.date | None = None) -> list[periods.Period]:
    """Periods a report may be filed for now: those of the plan year that have started."""
    today = today or timezone.localdate()
    return [p for p in periods.periods_of(task.plan.year, task.frequency) if p.start <= today]


def file_report(*, task: Task, user, period_key: str, percent, text: str, figures: str = "", files=(), organization_id=None) -> ProgressReport:
    """File (or, after it was returned, revise) the unit's progress report for one period."""
    org = _acting_unit(user, task, organization_id)
    period = periods.parse_key(period_key)
    if period is None or period.start.year != task.plan.year:
        raise InputError(f"报送期“{period_key}”无效：应为{task.plan.year}年度的月份（如{task.plan.year}-03）或季度（如{task.plan.year}-Q1）", field="period")
    expected = periods.period_of(period.start, task.frequency)
    if expected.key != period.key:
        raise InputError(f"该任务{task.get_frequency_display()}，报送期应为“{expected.key}”一类的格式，而不是“{period_key}”", field="period")
    if period.start > timezone.localdate():
        raise InputError(f"{period.label}尚未开始，不能提前报送", field="period")
    try:
        pct = int(str(percent).strip().rstrip("%％"))
    except (TypeError, ValueError):
        raise InputError(f"完成进度“{percent}”不是整数，应为0—100", field="percent")
    if not 0 <= pct <= 100:
        raise InputError(f"完成进度{pct}超出范围，应为0—100", field="percent")
    text = (text or "").strip()
    if not text:
        raise InputError("进展情况不能为空：请说明本期完成的工作、存在的问题和下步打算", field="text")
    figs = parse_figures(figures)
    checked = [_check_file(f) for f in files or []]
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().filter(task=task, organization=org, period_key=period.key).first()
        if report is not None and report.state != ReportState.RETURNED:
            raise InputError(f"{org.name}已报送{period.label}的进展（{report.get_state_display()}），如需修改请联系牵头单位退回", field="period")
        if report is None:
            report = ProgressReport(task=task, organization=org, period_key=period.key, period_start=period.start, period_end=period.end)
        else:
            run_transition(report, "resubmit", by=user, reason="修改后重新报送")
        report.percent, report.text, report.figures = pct, text, figs
        report.submitted_by, report.submitted_at = user, timezone.now()
        report.save()
        for upload, digest, data in checked:
            att = ReportAttachment(report=report, name=upload.name[:200], size=len(data), sha256=digest)
            att.file.save(Path(upload.name).name[-100:], ContentFile(data), save=False)
            att.save()
        _start_task(task, by=user, reason=f"{org.name}报送{period.label}进展")
    lead = task.assignments.filter(role=UnitRole.LEAD).exclude(organization=org).first()
    if lead is not None and lead.organization_id:
        for u in User.objects.filter(organization_id=lead.organization_id, is_active=True):
            notify(user=u, title=f"{org.name}报送了任务{task.number}的进展", body=f"{period.label}：完成{pct}%",
                   url=f"/workplan/reports/{report.pk}/", kind="工作要点", dedupe_key=f"workplan-report-{report.pk}-{report.submitted_at:%Y%m%d%H%M%S}")
    return report


def _check_file(upload) -> tuple:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise InputError(f"附件“{upload.name}”的类型{suffix or '（无扩展名）'}不允许，可上传：{'、'.join(sorted(ATTACHMENT_TYPES))}", field="files")
    if upload.size > MAX_ATTACHMENT:
        raise InputError(f"附件“{upload.name}”超过20MB", field="files")
    data = upload.read()
    return upload, hashlib.sha256(data).hexdigest(), data


def can_review(user, report: ProgressReport) -> bool:
    """Supervisors review any report; the lead unit reviews its co-operators' reports, not its own."""
    return is_supervisor(user) or (is_lead_of(user, report.task) and report.organization_id != user.organization_id)


def review_report(*, report: ProgressReport, user, decision: str, note: str = "") -> ProgressReport:
    """The lead unit or a supervisor accepts a report or returns it for more detail."""
    if not can_review(user, report):
        raise PermissionDenied("只有牵头单位（审阅配合单位的报告）或督导部门可以审阅进展报告")
    if decision not in ("accept", "return_for_revision"):
        raise InputError(f"审阅操作“{decision}”无效", field="decision")
    note = (note or "").strip()
    if decision == "return_for_revision" and not note:
        raise InputError("退回补充时须说明需要补充的内容", field="note")
    with transaction.atomic():
        run_transition(report, decision, by=user, reason=note or "已审阅")
        report.review_note = note
        report.save()
    if decision == "return_for_revision":
        for u in User.objects.filter(organization_id=report.organization_id, is_active=True):
            notify(user=u, title=f"任务{report.task.number}的进展报告被退回补充", body=note, url=f"/workplan/reports/{report.pk}/",
                   kind="工作要点", dedupe_key=f"workplan-return-{report.pk}-{timezone.now():%Y%m%d%H%M%S}")
    return report


def complete_task(*, task: Task, user, reason: str) -> Task:
    """The lead unit (or a supervisor) declares the task completed."""
    if not (is_supervisor(user) or is_lead_of(user, task)):
        raise PermissionDenied("只有牵头单位或督导部门可以确认任务完成")
    if not (reason or "").strip():
        raise InputError("请填写完成情况说明", field="reason")
    with transaction.atomic():
        run_transition(task, "complete", by=user, reason=reason.strip())
        task.completed_on = timezone.localdate()
        task.save()
    return task


def reopen_task(*, task: Task, user, reason: str) -> Task:
    """A supervisor reopens a task found not done."""
    require_supervisor(user)
    if not (reason or "").strip():
        raise InputError("请填写重新打开的理由", field="reason")
    with transaction.atomic():
        run_transition(task, "reopen", by=user, reason=reason.strip())
        task.completed_on = None
        task.save()
    return task


# ---------------------------------------------------------------- responsible units after import


def add_assignment(*, task: Task, user, organization_id, role: str = UnitRole.COOP) -> Assignment:
    """Add a responsible unit to a task (e.g. choose the 有关 cities)."""
    require_importer(user)
    org = Organization.objects.filter(pk=_as_id(organization_id, field="organization") or 0, kind__in=UNIT_KINDS + (OrgKind.OTHER,)).first()
    if org is None:
        raise InputError("请选择有效的责任单位", field="organization")
    if role not in UnitRole.values:
        raise InputError(f"职责“{role}”无效", field="role")
    if task.assignments.filter(organization=org).exists():
        raise InputError(f"{org.name}已是该任务的责任单位", field="organization")
    with transaction.atomic():
        if role == UnitRole.LEAD:
            task.assignments.filter(role=UnitRole.LEAD).update(role=UnitRole.COOP)
        order = (task.assignments.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        return Assignment.objects.create(task=task, organization=org, unit_name=org.name, role=role, order=0 if role == UnitRole.LEAD else order)


def remove_assignment(*, assignment: Assignment, user) -> None:
    """Remove a responsible unit that has filed nothing for the task."""
    require_importer(user)
    if assignment.organization_id and ProgressReport.objects.filter(task=assignment.task, organization_id=assignment.organization_id).exists():
        raise InputError(f"{assignment.organization.name}已报送进展，不能移除", field="assignment")
    assignment.delete()


def confirm_collective(*, task: Task, user, via: str) -> int:
    """Confirm the units left in a “各有关…” group of a task (after removing those that do not take part); returns how many."""
    require_importer(user)
    qs = task.assignments.filter(via=via, confirmed=False)
    if not qs.exists():
        raise InputError(f"该任务没有待确认的“{via}”单位", field="via")
    n = qs.update(confirmed=True)
    audit.record(AuditAction.UPDATE, obj=task, actor=user, after={"via": via, "confirmed": n}, reason=f"确认“{via}”的{n}个单位")
    return n


def set_frequency(*, task: Task, user, frequency: str) -> Task:
    """Change how often a task is reported (monthly/quarterly) while nothing has been filed."""
    require_supervisor(user)
    if frequency not in Frequency.values:
        raise InputError(f"报送周期“{frequency}”无效，应为按月或按季度", field="frequency")
    if frequency != task.frequency and task.reports.exists():
        raise InputError(f"该任务已有{task.get_frequency_display()}的进展报告，不能再改变报送周期", field="frequency")
    old = task.get_frequency_display()
    task.frequency = frequency
    task.save(update_fields=["frequency"])
    audit.record(AuditAction.UPDATE, obj=task, actor=user, before={"frequency": old}, after={"frequency": task.get_frequency_display()}, reason="调整报送周期")
    return task


def map_assignment(*, assignment: Assignment, user, organization_id) -> Assignment:
    """Resolve an unresolved unit on an imported task; the name is remembered for next year's import."""
    require_importer(user)
    org = Organization.objects.filter(pk=_as_id(organization_id, field="organization") or 0, kind__in=UNIT_KINDS + (OrgKind.OTHER,)).first()
    if org is None:
        raise InputError("请选择有效的责任单位", field="organization")
    if assignment.task.assignments.filter(organization=org).exclude(pk=assignment.pk).exists():
        raise InputError(f"{org.name}已是该任务的责任单位", field="organization")
    with transaction.atomic():
        assignment.organization = org
        assignment.save()
        UnitAlias.objects.update_or_create(name=assignment.unit_name, defaults={"organization": org})
    return assignment


# ---------------------------------------------------------------- 督办


def send_reminder(*, task: Task, by, organization_ids, message: str, reply_by=None) -> list[Reminder]:
    """督办: remind units of a task; each unit's users are notified and must acknowledge."""
    if not (is_supervisor(by) or is_lead_of(by, task)):
        raise PermissionDenied("只有督导部门或牵头单位可以督办")
    message = (message or "").strip()
    if not message:
        raise InputError("督办事项不能为空", field="message")
    ids = [int(i) for i in organization_ids or [] if is_id(i)]
    units = list(Organization.objects.filter(pk__in=task.assignments.filter(organization_id__in=ids).values("organization_id")))
    if not units:
        raise InputError("请至少选择一个该任务的责任单位", field="organization")
    due = parse_date(reply_by, field="reply_by", label="签收期限") if reply_by else None
    out = []
    with transaction.atomic():
        for org in units:
            r = Reminder.objects.create(task=task, organization=org, message=message, reply_by=due, sent_by=by, sent_at=timezone.now())
            out.append(r)
    for r in out:
        for u in User.objects.filter(organization_id=r.organization_id, is_active=True):
            notify(user=u, title=f"督办：任务{task.number}“{task.lead[:24]}”", body=message + (f"（请于{due}前签收）" if due else ""),
                   url=f"/workplan/reminders/{r.pk}/", kind="督办", dedupe_key=f"workplan-reminder-{r.pk}")
    return out


def remind_missing(*, plan: Plan, by, as_of: dt.date | None = None, message: str = "", reply_by=None) -> int:
    """督办 every unit that has not reported for the due period (one reminder per task and unit, one notice per unit)."""
    require_supervisor(by)
    data = board(plan=plan, user=by, as_of=as_of)
    due = parse_date(reply_by, field="reply_by", label="签收期限") if reply_by else None
    open_pairs = set(Reminder.objects.filter(task__plan=plan, state=ReminderState.SENT).values_list("task_id", "organization_id"))
    per_unit: dict[int, list] = {}
    with transaction.atomic():
        for item in data["missing"]:
            task, org_id = item["task"], item["assignment"].organization_id
            if (task.pk, org_id) in open_pairs:
                continue
            text = (message or "").strip() or f"贵单位尚未报送{item['period'].label}的进展，请尽快报送并说明情况。"
            Reminder.objects.create(task=task, organization_id=org_id, message=text, reply_by=due, sent_by=by, sent_at=timezone.now())
            per_unit.setdefault(org_id, []).append(task.number)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    for org_id, numbers in per_unit.items():
        for u in User.objects.filter(organization_id=org_id, is_active=True):
            notify(user=u, title=f"督办：{len(numbers)}项任务未按期报送进展", body=f"任务{'、'.join(map(str, numbers))}" + (f"，请于{due}前签收" if due else ""),
                   url="/workplan/reminders/?state=sent", kind="督办", dedupe_key=f"workplan-missing-{plan.pk}-{org_id}-{stamp}")
    return sum(len(v) for v in per_unit.values())


def acknowledge_reminder(*, reminder: Reminder, user, response: str) -> Reminder:
    """The reminded unit acknowledges with its answer (recorded with who and when)."""
    if user.organization_id != reminder.organization_id:
        raise PermissionDenied("只有被督办单位可以签收")
    response = (response or "").strip()
    if not response:
        raise InputError("请填写签收答复（落实措施或说明）", field="response")
    with transaction.atomic():
        run_transition(reminder, "acknowledge", by=user, reason=response)
        reminder.acknowledged_by, reminder.acknowledged_at, reminder.response = user, timezone.now(), response
        reminder.save()
    if reminder.sent_by_id:
        notify(user=reminder.sent_by, title=f"{reminder.organization.name}已签收督办", body=response,
               url=f"/workplan/reminders/{reminder.pk}/", kind="督办", dedupe_key=f"workplan-ack-{reminder.pk}")
    return reminder


# ---------------------------------------------------------------- supervision figures


def default_as_of(plan: Plan) -> dt.date:
    """Today within the plan year; the year's end for past plans, its start for future ones."""
    today = timezone.localdate()
    return min(max(today, dt.date(plan.year, 1, 1)), dt.date(plan.year, 12, 31))


def _health(*, state: str, percent: int | None, reported: bool, overdue: int, done_milestones: int, expected: float) -> str:
    if state == TaskState.COMPLETED:
        return Health.COMPLETED
    if not reported and not done_milestones:
        return Health.LATE if overdue else Health.NOT_STARTED
    if overdue or (percent is not None and percent + LATE_MARGIN < expected):
        return Health.LATE
    return Health.ON_TRACK


def board(*, plan: Plan, user, as_of: dt.date | None = None, section: int | None = None, organization_id: int | None = None) -> dict:
    """Supervision figures at a date: per task, per unit, missing reports of the due period, overdue milestones, open 督办."""
    as_of = as_of or default_as_of(plan)
    expected = periods.year_fraction(plan.year, as_of) * 100
    tasks = list(visible_tasks(user, plan).prefetch_related("assignments__organization"))
    if section:
        tasks = [t for t in tasks if t.section.number == section]
    if organization_id:
        tasks = [t for t in tasks if any(a.organization_id == organization_id for a in t.assignments.all())]
    task_ids = [t.pk for t in tasks]
    reports = list(ProgressReport.objects.filter(task_id__in=task_ids, period_start__lte=as_of).select_related("organization"))
    milestones = list(Milestone.objects.filter(task_id__in=task_ids).select_related("organization", "task"))
    reminders = list(Reminder.objects.filter(task_id__in=task_ids).select_related("organization", "task"))
    latest: dict[tuple[int, int], ProgressReport] = {}
    period_done: set[tuple[int, int, str]] = set()
    for r in reports:
        key = (r.task_id, r.organization_id)
        if key not in latest or r.period_end > latest[key].period_end:
            latest[key] = r
        period_done.add((r.task_id, r.organization_id, r.period_key))
    rows, unit_rows, missing, overdue_list = [], {}, [], []
    unconfirmed_total = 0
    for t in tasks:
        all_assigns = list(t.assignments.all())
        # unconfirmed “各有关…” expansions are not counted, unless the unit has reported on the task (that confirms it)
        assigns = [a for a in all_assigns if a.confirmed or (t.pk, a.organization_id) in latest]
        unconfirmed_total += len(all_assigns) - len(assigns)
        due = periods.due_period(plan.year, t.frequency, as_of)
        t_miles = [m for m in milestones if m.task_id == t.pk]
        t_overdue = [m for m in t_miles if m.due_date < as_of and (m.done_on is None or m.done_on > as_of)]
        overdue_list.extend(t_overdue)
        lead = next((a for a in assigns if a.role == UnitRole.LEAD), None)
        lead_report = latest.get((t.pk, lead.organization_id)) if lead and lead.organization_id else None
        unit_latest = [latest[(t.pk, a.organization_id)] for a in assigns if (t.pk, a.organization_id) in latest]
        percent = lead_report.percent if lead_report else (round(sum(r.percent for r in unit_latest) / len(unit_latest)) if unit_latest else None)
        task_missing = []
        if due and t.state != TaskState.COMPLETED:
            for a in assigns:
                if a.organization_id and (t.pk, a.organization_id, due.key) not in period_done:
                    task_missing.append(a)
                    missing.append({"task": t, "assignment": a, "period": due})
        health = _health(state=t.state, percent=percent, reported=bool(unit_latest), overdue=len(t_overdue),
                         done_milestones=sum(1 for m in t_miles if m.done_on and m.done_on <= as_of), expected=expected)
        open_rem = [r for r in reminders if r.task_id == t.pk and r.state == ReminderState.SENT]
        rows.append({"task": t, "lead": lead, "coops": [a for a in assigns if a.role == UnitRole.COOP], "percent": percent,
                     "health": health, "health_label": Health(health).label, "css": HEALTH_CSS[health], "last_report": max((r.submitted_at for r in unit_latest), default=None),
                     "missing": task_missing, "overdue": t_overdue, "open_reminders": open_rem, "due": due,
                     "unresolved": [a for a in assigns if a.organization_id is None],
                     "unconfirmed": [a for a in all_assigns if a not in assigns]})
        for a in assigns:
            if a.organization_id is None:
                continue
            u = unit_rows.setdefault(a.organization_id, {"org": a.organization, "lead": 0, "coop": 0, Health.ON_TRACK: 0, Health.LATE: 0,
                                                         Health.NOT_STARTED: 0, Health.COMPLETED: 0, "missing": 0, "overdue": 0, "open_reminders": 0})
            u["lead" if a.role == UnitRole.LEAD else "coop"] += 1
            mine = latest.get((t.pk, a.organization_id))
            my_miles = [m for m in t_miles if m.organization_id == a.organization_id]
            my_overdue = [m for m in t_overdue if m.organization_id == a.organization_id]
            u[_health(state=t.state, percent=mine.percent if mine else None, reported=mine is not None, overdue=len(my_overdue),
                      done_milestones=sum(1 for m in my_miles if m.done_on and m.done_on <= as_of), expected=expected)] += 1
            u["missing"] += 1 if a in task_missing else 0
            u["overdue"] += len(my_overdue)
            u["open_reminders"] += sum(1 for r in open_rem if r.organization_id == a.organization_id)
    sections = []
    for s in plan.sections.all():
        srows = [r for r in rows if r["task"].section_id == s.pk]
        if srows:
            sections.append({"section": s, "rows": srows, "counts": {h: sum(1 for r in srows if r["health"] == h) for h in Health.values}})
    counts = {h: sum(1 for r in rows if r["health"] == h) for h in Health.values}
    units = sorted(unit_rows.values(), key=lambda u: (u["org"].kind != OrgKind.DEPARTMENT, u["org"].region_code, u["org"].pk))
    return {"plan": plan, "as_of": as_of, "expected": round(expected), "rows": rows, "sections": sections, "units": units, "counts": counts,
            "missing": missing, "overdue": overdue_list, "reminders": reminders, "health_labels": dict(Health.choices),
            "unconfirmed_total": unconfirmed_total}


TARGET_STATUS_LABELS = {"met": "已达成", "on_track": "预计可达成", "behind": "落后", "no_data": "无数据", "insufficient": "数据不足"}


def targets_with_measurements(plan: Plan, *, city_code: str | None = None) -> tuple[list[dict], str]:
    """The plan's headline targets with the statistics service's measured values when that service exists."""
    measured: dict[str, dict] = {}
    note = ""
    try:
        from ipplatform.analytics import services as analytics_services

        status_fn = getattr(analytics_services, "target_status")
    except (ImportError, AttributeError):
        status_fn = None
        note = "统计服务尚未接入：仅显示目标值"
    if status_fn is not None:
        try:
            measured = {row["key"]: row for row in status_fn(year=plan.year, city_code=city_code)}
        except Exception:
            log.exception("analytics.target_status failed")
            note = "统计服务暂时不可用：仅显示目标值"
    out = []
    for t in plan.targets.all():
        m = measured.get(t.key)
        out.append({"key": t.key, "label": t.label, "target": t.target, "unit": t.unit, "text": t.text,
                    "value": m.get("value") if m else None, "status": m.get("status") if m else "",
                    "status_label": TARGET_STATUS_LABELS.get(m.get("status"), m.get("status") or "") if m else "", "basis": m.get("basis", "") if m else "",
                    "measured_unit": m.get("unit", t.unit) if m else t.unit})
    return out, note
