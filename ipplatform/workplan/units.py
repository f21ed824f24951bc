"""Responsible units: matching the plan's unit names to organisations, expanding “各…” collectives, and changing a
task's units after the import."""

from __future__ import annotations

from django.db import transaction

from ipplatform.core import audit, cache, regions
from ipplatform.core.enums import AuditAction, OrgKind
from ipplatform.core.inputs import InputError, is_id
from ipplatform.core.models import Organization
from ipplatform.lib.textnorm import fold

from . import parser
from .access import require_importer
from .enums import UnitRole
from .models import Assignment, ProgressReport, Task, UnitAlias

UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.CITY_BUREAU, OrgKind.PROVINCE_OFFICE, OrgKind.COUNTY_BUREAU)


def parse_unit_id(value, *, field: str) -> int | None:
    """A numeric id from form input, None when empty; InputError otherwise."""
    if value in (None, ""):
        return None
    if not is_id(value):
        raise InputError(f"“{value}”不是有效的机构编号", field=field)
    return int(value)


def unit_candidates() -> list[Organization]:
    return list(
        Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("kind", "region_code", "name")
    )


def match_unit(
    name: str, *, resolutions: dict | None = None, candidates: list[Organization] | None = None
) -> Organization | None:
    """The organisation a unit name refers to: administrator's mapping, alias, exact or normalised name, or city name."""
    resolutions = resolutions or {}
    if name in resolutions and resolutions[name]:
        return Organization.objects.filter(pk=resolutions[name]).first()
    alias = UnitAlias.objects.filter(name=name).select_related("organization").first()
    if alias is not None:
        return alias.organization
    candidates = candidates if candidates is not None else unit_candidates()
    key = fold(name).replace(" ", "")
    for prefix in ("山东省知识产权局", "省知识产权局", "省局"):
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
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


def expand_task_units(
    task: dict, *, resolutions: dict, candidates=None, depts=None, cities=None, narrowed: dict | None = None
) -> list[dict]:
    """Rows {name, org, role, via, kind, confirmed} for one parsed task, lead first; unresolved named units kept with org
    None. “各有关…” collectives expand to the units the administrator chose in the preview (confirmed), or, until then,
    to every candidate marked unconfirmed."""
    narrowed = narrowed or {}
    candidates = candidates if candidates is not None else unit_candidates()
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
        add(
            u["text"],
            match_unit(u["text"], resolutions=resolutions, candidates=candidates),
            UnitRole.LEAD if u["lead"] else UnitRole.COOP,
        )
    for u in collective:
        members = depts if u["kind"] in (parser.ALL_DEPARTMENTS, parser.RELEVANT_DEPARTMENTS) else cities
        chosen = narrowed.get(narrow_key(task.get("number"), u["text"])) if u["kind"] in RELEVANT_KINDS else None
        for org in members:
            if chosen is not None and org.pk not in chosen:
                continue
            add(
                org.name,
                org,
                UnitRole.COOP,
                via=u["text"],
                kind=u["kind"],
                confirmed=chosen is not None or u["kind"] not in RELEVANT_KINDS,
            )
    return rows


def collective_members(kind: str, *, depts=None, cities=None) -> list[Organization]:
    if kind in (parser.ALL_DEPARTMENTS, parser.RELEVANT_DEPARTMENTS):
        return depts if depts is not None else departments()
    return cities if cities is not None else city_bureaus()


# ---------------------------------------------------------------- responsible units after import


def change_recorded(obj, *, by, reason: str, **changes) -> None:
    """Change fields of one object and record who changed them, from what, to what and why as one audit event.

    The row is written with a queryset update on purpose: a save() would add a second, anonymous event from the
    save signal (it knows neither the actor outside a request nor the reason)."""
    before = {field: getattr(obj, field) for field in changes}
    type(obj).objects.filter(pk=obj.pk).update(**changes)
    cache.invalidate("workplan")  # an update sends no save signal: the cached board would not see the change
    for field, value in changes.items():
        setattr(obj, field, value)
    audit.record(AuditAction.UPDATE, obj=obj, actor=by, before=before, after=changes, reason=reason)


def add_assignment(*, task: Task, user, organization_id, role: str = UnitRole.COOP) -> Assignment:
    """Add a responsible unit to a task (e.g. choose the 有关 cities)."""
    require_importer(user)
    org = Organization.objects.filter(
        pk=parse_unit_id(organization_id, field="organization") or 0, kind__in=UNIT_KINDS + (OrgKind.OTHER,)
    ).first()
    if org is None:
        raise InputError("请选择有效的责任单位", field="organization")
    if role not in UnitRole.values:
        raise InputError(f"职责“{role}”无效", field="role")
    if task.assignments.filter(organization=org).exists():
        raise InputError(f"{org.name}已是该任务的责任单位", field="organization")
    with transaction.atomic():
        if role == UnitRole.LEAD:
            for former in task.assignments.filter(role=UnitRole.LEAD):
                change_recorded(former, by=user, reason=f"{org.name}改为牵头单位", role=UnitRole.COOP)
        order = (task.assignments.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        return Assignment.objects.create(
            task=task, organization=org, unit_name=org.name, role=role, order=0 if role == UnitRole.LEAD else order
        )


def remove_assignment(*, assignment: Assignment, user) -> None:
    """Remove a responsible unit that has filed nothing for the task."""
    require_importer(user)
    if (
        assignment.organization_id
        and ProgressReport.objects.filter(task=assignment.task, organization_id=assignment.organization_id).exists()
    ):
        raise InputError(f"{assignment.organization.name}已报送进展，不能移除", field="assignment")
    assignment.delete()


def confirm_collective(*, task: Task, user, via: str) -> int:
    """Confirm the units left in a “各有关…” group of a task (after removing those that do not take part); returns how many."""
    require_importer(user)
    qs = task.assignments.filter(via=via, confirmed=False)
    if not qs.exists():
        raise InputError(f"该任务没有待确认的“{via}”单位", field="via")
    pending = list(qs)
    with transaction.atomic():
        for assignment in pending:
            change_recorded(assignment, by=user, reason=f"确认“{via}”的单位", confirmed=True)
        audit.record(
            AuditAction.UPDATE,
            obj=task,
            actor=user,
            after={"via": via, "confirmed": len(pending)},
            reason=f"确认“{via}”的{len(pending)}个单位",
        )
    return len(pending)


def map_assignment(*, assignment: Assignment, user, organization_id) -> Assignment:
    """Resolve an unresolved unit on an imported task; the name is remembered for next year's import."""
    require_importer(user)
    org = Organization.objects.filter(
        pk=parse_unit_id(organization_id, field="organization") or 0, kind__in=UNIT_KINDS + (OrgKind.OTHER,)
    ).first()
    if org is None:
        raise InputError("请选择有效的责任单位", field="organization")
    if assignment.task.assignments.filter(organization=org).exclude(pk=assignment.pk).exists():
        raise InputError(f"{org.name}已是该任务的责任单位", field="organization")
    with transaction.atomic():
        assignment.organization = org
        assignment.save()
        UnitAlias.objects.update_or_create(name=assignment.unit_name, defaults={"organization": org})
    return assignment
