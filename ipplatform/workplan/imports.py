"""Importing a plan: stage an upload, preview what it would create, map unit names, then commit or cancel."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path

from django.db import transaction

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction, OrgKind
from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization, User
from ipplatform.core.notify import notify
from ipplatform.core.workflow import run_transition

from . import links, parser
from .access import require_importer
from .enums import Frequency, UnitRole
from .models import Assignment, Plan, PlanImport, PlanTarget, Section, Task, UnitAlias
from .units import (
    RELEVANT_KINDS,
    UNIT_KINDS,
    city_bureaus,
    collective_members,
    departments,
    expand_task_units,
    narrow_key,
    parse_unit_id,
    unit_candidates,
)
from .uploads import read_upload

BUILTIN_PLAN = Path(__file__).resolve().parents[2] / "data" / "workplan" / "shandong_2015_work_plan.txt"


def _parsed_to_json(plan: parser.ParsedPlan) -> dict:
    return {
        "preamble": plan.preamble,
        "warnings": plan.warnings,
        "targets": parser.parse_targets(plan.preamble),
        "sections": [asdict(s) for s in plan.sections],
    }


def stage_import(
    *, user, year, title: str = "", name: str, data: bytes, frequency: str = Frequency.MONTHLY
) -> PlanImport:
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
        year=year,
        title=(title or "").strip() or f"{year}年全省知识产权工作要点",
        source_name=name[:200],
        source_kind=kind,
        source_text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        parsed=_parsed_to_json(parsed),
        frequency=frequency,
        created_by=user,
    )
    return imp


def stage_builtin(*, user, frequency: str = Frequency.MONTHLY) -> PlanImport:
    """Stage the 2015 plan shipped in data/workplan/."""
    return stage_import(
        user=user,
        year=2015,
        title="山东省知识产权局2015年全省知识产权工作要点",
        name=BUILTIN_PLAN.name,
        data=BUILTIN_PLAN.read_bytes(),
        frequency=frequency,
    )


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
        oid = parse_unit_id(raw, field="organization")
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
    candidates, depts, cities = unit_candidates(), departments(), city_bureaus()
    sections, unresolved, assignments, warnings, unconfirmed = [], {}, 0, list(data.get("warnings", [])), 0
    for s in data["sections"]:
        tasks = []
        for t in s["tasks"]:
            units = expand_task_units(
                t, resolutions=imp.resolutions, candidates=candidates, depts=depts, cities=cities, narrowed=imp.narrowed
            )
            assignments += len(units)
            unconfirmed += sum(1 for u in units if not u["confirmed"])
            choices = []
            for u in t["units"]:
                if u["kind"] in RELEVANT_KINDS:
                    chosen = (imp.narrowed or {}).get(narrow_key(t["number"], u["text"]))
                    choices.append(
                        {
                            "via": u["text"],
                            "narrowed": chosen is not None,
                            "members": [
                                {"org": o, "selected": chosen is not None and o.pk in chosen}
                                for o in collective_members(u["kind"], depts=depts, cities=cities)
                            ],
                        }
                    )
            for u in units:
                if u["org"] is None:
                    unresolved.setdefault(u["name"], []).append(t["number"])
            warnings.extend(t["warnings"])
            tasks.append(
                {
                    **t,
                    "unit_rows": units,
                    "lead_row": next((u for u in units if u["role"] == UnitRole.LEAD), None),
                    "coop_named": [u for u in units if u["role"] == UnitRole.COOP and not u["via"]],
                    "collective": sorted({(u["via"], u["kind"]) for u in units if u["via"]}),
                    "collective_count": sum(1 for u in units if u["via"]),
                    "narrow_choices": choices,
                    "unconfirmed_count": sum(1 for u in units if not u["confirmed"]),
                    "links": [links.BY_KEY[k].label for k in links.links_for_text(t["lead"] + t["body"])],
                }
            )
        sections.append({**s, "tasks": tasks})
    return {
        "sections": sections,
        "section_count": len(sections),
        "task_count": sum(len(s["tasks"]) for s in sections),
        "assignment_count": assignments,
        "unconfirmed_count": unconfirmed,
        "unresolved": [{"name": k, "tasks": v} for k, v in unresolved.items()],
        "warnings": warnings,
        "targets": data.get("targets", []),
        "preamble": data.get("preamble", ""),
    }


def resolve_unit(
    *, imp: PlanImport, name: str, by, organization_id=None, create_kind: str = "", create_name: str = ""
) -> Organization | None:
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
        org, _ = Organization.objects.get_or_create(
            kind=create_kind,
            name=new_name,
            defaults={
                "parent": office if create_kind == OrgKind.DEPARTMENT else None,
                "region_code": region,
                "short_name": new_name[:60],
            },
        )
    elif parse_unit_id(organization_id, field="organization"):
        org = Organization.objects.filter(
            pk=parse_unit_id(organization_id, field="organization"), kind__in=UNIT_KINDS + (OrgKind.OTHER,)
        ).first()
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
        plan = Plan.objects.create(
            year=imp.year,
            title=imp.title,
            preamble=view["preamble"],
            source_name=imp.source_name,
            sha256=imp.sha256,
            frequency=imp.frequency,
            imported_by=by,
        )
        for t in view["targets"]:
            PlanTarget.objects.create(
                plan=plan, key=t["key"], label=t["label"], target=t["target"], unit=t["unit"], text=t["text"][:300]
            )
        for s in view["sections"]:
            section = Section.objects.create(
                plan=plan, number=s["number"], numeral=s["numeral"], title=s["title"][:300], intro=s["intro"]
            )
            for t in s["tasks"]:
                task = Task.objects.create(
                    plan=plan,
                    section=section,
                    number=t["number"],
                    lead=t["lead"][:300],
                    body=t["body"],
                    units_text=t["units_text"][:300],
                    source_line=t["line"],
                    frequency=imp.frequency,
                    links=links.links_for_text(t["lead"] + t["body"]),
                )
                Assignment.objects.bulk_create(
                    [
                        Assignment(
                            task=task,
                            organization=u["org"],
                            unit_name=u["name"][:200],
                            role=u["role"],
                            via=u["via"][:60],
                            order=i,
                            confirmed=u["confirmed"],
                        )
                        for i, u in enumerate(t["unit_rows"])
                    ]
                )
        for name, org_id in imp.resolutions.items():
            if org_id:
                UnitAlias.objects.update_or_create(name=name, defaults={"organization_id": org_id})
        imp.plan = plan
        run_transition(
            imp, "commit", by=by, reason=reason or f"导入{view['section_count']}个部分、{view['task_count']}项任务"
        )
        imp.save()
        audit.record(
            AuditAction.IMPORT,
            obj=plan,
            actor=by,
            reason=(
                f"{imp.source_name}：{view['section_count']}个部分，{view['task_count']}项任务，{view['assignment_count']}个责任单位分工，"
                f"{len(view['unresolved'])}个单位待落实"
            ),
        )
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
        notify(
            user=u,
            title=f"{plan.year}年工作要点已下达",
            body=f"贵单位牵头{lead}项、配合{coop}项任务，请分解节点并按期报送进展。",
            url=f"/workplan/?plan={plan.pk}",
            kind="工作要点",
            dedupe_key=f"workplan-plan-{plan.pk}",
        )
