"""The guided editor of programme types: the posted rows of each section (form fields, attachments, eligibility
rules, stages, review criteria, decision) read, checked and turned into the ProgrammeType's data; every refusal says
which section, row and field is wrong (InputError with field=…)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction
from ipplatform.core.inputs import InputError

from . import eligibility, services
from .enums import Actor
from .models import ProgrammeType

FIELD_TYPES = {
    "text": "单行文本",
    "textarea": "多行文本",
    "integer": "整数",
    "decimal": "数字",
    "date": "日期",
    "choice": "单选",
    "bool": "是/否",
}
DECISION_KINDS = {
    "funding": "资助（核定金额、集中兑付）",
    "award": "奖励（按名额评定等级）",
    "recognition": "认定/验收/推荐/考核",
}
# the parameters each eligibility rule reads: name -> (kind, label)
RULE_PARAMS = {
    "org_kinds": {"kinds": ("list", "单位类型代码")},
    "region": {"prefix": ("text", "区划代码前缀")},
    "size": {"classes": ("list", "规模代码"), "or_sme": ("bool", "小微企业亦可")},
    "not_dishonest": {},
    "patents_held": {"min": ("int", "最少件数"), "types": ("list", "专利类型"), "granted": ("bool", "须已授权有效")},
    "no_recent_award": {"years": ("int", "年数"), "programme": ("text", "项目代码")},
    "status_held": {"labels": ("list", "称号")},
    "certified": {"standard": ("text", "标准"), "issued_within_years": ("int", "颁发年限")},
}
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
YES = ("1", "true", "on", "yes", "是")
# decision keys the editor does not show are kept as they are (e.g. checks, failing, not_above_field)
DECISION_EDITED = ("kind", "levels", "outcome", "amount", "amount_field", "max_amount", "certificate", "cert_prefix")


def _split(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"[、,，;；\s]+", text or "") if x.strip()]


def _rows(post, prefix: str, keys: tuple[str, ...]) -> list[tuple[int, dict]]:
    """The posted rows of a section (inputs named <prefix>-<key>, one per row, in order); blank rows are skipped."""
    columns = {k: post.getlist(f"{prefix}-{k}") for k in keys}
    n = max((len(v) for v in columns.values()), default=0)
    out = []
    for i in range(n):
        row = {k: (columns[k][i].strip() if i < len(columns[k]) else "") for k in keys}
        if any(row.values()) and (row.get(keys[0]) or row.get(keys[1])):
            out.append((i + 1, row))
    return out


def _number(value: str, *, where: str, field: str, integer: bool = False) -> Decimal | int | None:
    if value == "":
        return None
    try:
        number = int(value) if integer else Decimal(value)
    except (ValueError, InvalidOperation):
        raise InputError(f"{where}：“{value}”不是{'整数' if integer else '数字'}", field=field)
    if not integer and not number.is_finite():
        raise InputError(f"{where}：“{value}”不是有限的数字", field=field)
    return number


def _code(value: str, *, where: str, field: str, seen: set) -> str:
    if not CODE.match(value):
        raise InputError(
            f"{where}：代码“{value}”应以小写字母开头，只含小写字母、数字和下划线（不超过40字符）", field=field
        )
    if value in seen:
        raise InputError(f"{where}：代码“{value}”与前面的行重复", field=field)
    seen.add(value)
    return value


def _label(value: str, *, where: str, field: str) -> str:
    if not value:
        raise InputError(f"{where}：请填写名称", field=field)
    if len(value) > 100:
        raise InputError(f"{where}：名称不能超过100字", field=field)
    return value


def form_fields(post) -> list[dict]:
    out, seen = [], set()
    keys = ("name", "label", "type", "required", "min", "max", "max_length", "choices", "computed")
    for n, row in _rows(post, "field", keys):
        where = f"申报表字段第{n}行"
        spec = {
            "name": _code(row["name"], where=where, field=f"field-{n}-name", seen=seen),
            "label": _label(row["label"], where=where, field=f"field-{n}-label"),
            "type": row["type"],
            "required": row["required"] in YES,
        }
        if spec["type"] not in FIELD_TYPES:
            raise InputError(f"{where}：请选择字段类型（{'、'.join(FIELD_TYPES.values())}）", field=f"field-{n}-type")
        if spec["type"] in ("integer", "decimal"):
            low = _number(row["min"], where=where, field=f"field-{n}-min")
            high = _number(row["max"], where=where, field=f"field-{n}-max")
            if low is not None and high is not None and low > high:
                raise InputError(f"{where}：最小值{low}大于最大值{high}", field=f"field-{n}-min")
            spec.update(
                {k: (int(v) if v == int(v) else float(v)) for k, v in (("min", low), ("max", high)) if v is not None}
            )
        if spec["type"] in ("text", "textarea") and row["max_length"]:
            limit = _number(row["max_length"], where=where, field=f"field-{n}-max_length", integer=True)
            if not 1 <= limit <= 5000:
                raise InputError(f"{where}：字数上限应在1至5000之间", field=f"field-{n}-max_length")
            spec["max_length"] = limit
        if spec["type"] == "choice":
            spec["choices"] = [c.strip() for c in re.split(r"[|｜\n]+", row["choices"]) if c.strip()]
            if len(spec["choices"]) < 2:
                raise InputError(f"{where}：单选字段至少要有两个选项（用竖线“｜”分隔）", field=f"field-{n}-choices")
        if row["computed"]:
            spec["computed"] = row["computed"]
        out.append(spec)
    if not out:
        raise InputError("申报表至少要有一个字段", field="field-1-name")
    return out


def attachments(post) -> list[dict]:
    out, seen = [], set()
    for n, row in _rows(post, "att", ("code", "label", "required", "exts")):
        where = f"附件要求第{n}行"
        exts = [e.lower() if e.startswith(".") else f".{e.lower()}" for e in _split(row["exts"])]
        if any(not re.match(r"^\.[a-z0-9]{1,8}$", e) for e in exts):
            raise InputError(f"{where}：文件类型应写成 .pdf、.docx 这样的扩展名", field=f"att-{n}-exts")
        out.append(
            {
                "code": _code(row["code"], where=where, field=f"att-{n}-code", seen=seen),
                "label": _label(row["label"], where=where, field=f"att-{n}-label"),
                "required": row["required"] in YES,
                "exts": exts,
            }
        )
    return out


def _param(rule: str, text: str, *, where: str, field: str) -> dict:
    """`key=value；key=value` parameters of one rule, typed by RULE_PARAMS."""
    allowed, out = RULE_PARAMS[rule], {}
    for part in [p for p in re.split(r"[;；\n]+", text or "") if p.strip()]:
        if "=" not in part:
            raise InputError(f"{where}：参数“{part.strip()}”应写成 名称=值", field=field)
        key, value = (x.strip() for x in part.split("=", 1))
        if key not in allowed:
            names = "、".join(f"{k}（{label}）" for k, (_, label) in allowed.items()) or "无参数"
            raise InputError(f"{where}：规则“{eligibility.LABELS[rule]}”没有参数“{key}”，可用：{names}", field=field)
        kind = allowed[key][0]
        if kind == "list":
            out[key] = _split(value)
        elif kind == "int":
            out[key] = _number(value, where=where, field=field, integer=True)
        elif kind == "bool":
            out[key] = value in YES
        else:
            out[key] = value
    return out


def eligibility_rules(post) -> list[dict]:
    out = []
    for n, row in _rows(post, "rule", ("rule", "params")):
        where = f"申报条件第{n}行"
        if row["rule"] not in RULE_PARAMS:
            raise InputError(f"{where}：请选择条件类型", field=f"rule-{n}-rule")
        out.append({"rule": row["rule"], **_param(row["rule"], row["params"], where=where, field=f"rule-{n}-params")})
    return out


def stages(post) -> list[dict]:
    out, seen = [], set()
    for n, row in _rows(post, "stage", ("code", "label", "actor", "notice")):
        where = f"办理环节第{n}行"
        stage = {
            "code": _code(row["code"], where=where, field=f"stage-{n}-code", seen=seen),
            "label": _label(row["label"], where=where, field=f"stage-{n}-label"),
            "actor": row["actor"],
        }
        if stage["actor"] not in Actor.values:
            raise InputError(f"{where}：请选择办理人", field=f"stage-{n}-actor")
        if stage["actor"] == Actor.EXPERT and stage["code"] != "review":
            raise InputError(f"{where}：专家评审环节的代码应为 review", field=f"stage-{n}-code")
        if row["notice"] in YES:
            if stage["actor"] != Actor.OFFICE:
                raise InputError(f"{where}：公示环节由省知识产权局办理", field=f"stage-{n}-actor")
            stage["notice"] = True
        out.append(stage)
    if not any(s["code"] == "decision" for s in out):
        raise InputError("办理环节中须有代码为 decision 的决定环节", field="stage-1-code")
    if sum(1 for s in out if s.get("notice")) > 1:
        raise InputError("办理环节中只能有一个公示环节", field="stage-1-notice")
    if out[0]["actor"] == Actor.EXPERT or out[0].get("notice") or out[0]["code"] == "decision":
        raise InputError("第一个环节应为属地或省局的审查环节", field="stage-1-code")
    return out


def review(post, *, has_review: bool) -> dict:
    criteria, seen, total = [], set(), Decimal("0")
    for n, row in _rows(post, "crit", ("code", "label", "weight", "min", "max")):
        where = f"评审指标第{n}行"
        weight = _number(row["weight"], where=where, field=f"crit-{n}-weight")
        low = _number(row["min"] or "0", where=where, field=f"crit-{n}-min")
        high = _number(row["max"], where=where, field=f"crit-{n}-max")
        if weight is None or weight <= 0:
            raise InputError(f"{where}：权重应大于0", field=f"crit-{n}-weight")
        if high is None or low < 0 or high <= low:
            raise InputError(f"{where}：分值范围应为 0 ≤ 最低分 < 最高分", field=f"crit-{n}-max")
        total += weight
        criteria.append(
            {
                "code": _code(row["code"], where=where, field=f"crit-{n}-code", seen=seen),
                "label": _label(row["label"], where=where, field=f"crit-{n}-label"),
                "weight": int(weight) if weight == int(weight) else float(weight),
                "min": int(low) if low == int(low) else float(low),
                "max": int(high) if high == int(high) else float(high),
            }
        )
    if not has_review:
        return {"criteria": criteria} if criteria else {}
    if not criteria:
        raise InputError("有专家评审环节时须设置评审指标", field="crit-1-code")
    if total != 100:
        raise InputError(f"评审指标的权重合计应为100，现为{total}", field="crit-1-weight")
    experts = _number(post.get("experts", ""), where="评审设置", field="experts", integer=True)
    trim = _number(post.get("trim", "") or "0", where="评审设置", field="trim", integer=True)
    dispersion = _number(post.get("dispersion", "") or "15", where="评审设置", field="dispersion")
    if experts is None or not 1 <= experts <= 50:
        raise InputError("评审设置：评审专家人数应在1至50之间", field="experts")
    if trim < 0 or experts - 2 * trim < 1:
        raise InputError(f"评审设置：去掉最高、最低分各{trim}个后须至少剩1个分数", field="trim")
    if dispersion <= 0:
        raise InputError("评审设置：分歧标记阈值（标准差）应大于0", field="dispersion")
    return {
        "criteria": criteria,
        "experts": experts,
        "trim": trim,
        "dispersion": float(dispersion),
        "blind": post.get("blind", "") in YES,
        "expert_use": post.get("expert_use", "").strip()[:40],
    }


def decision(post, *, current: dict, field_names: set[str]) -> dict:
    out = {k: v for k, v in current.items() if k not in DECISION_EDITED and k != "org_status"}
    kind = post.get("decision_kind", "")
    if kind not in DECISION_KINDS:
        raise InputError("决定产出：请选择决定类型", field="decision_kind")
    out["kind"] = kind
    levels = _split(post.get("levels", ""))
    if kind == "award" and not levels:
        raise InputError("决定产出：奖励类项目须列出奖励等级（用顿号分隔）", field="levels")
    if levels:
        out["levels"] = levels
    for key in ("outcome", "cert_prefix"):
        if post.get(key, "").strip():
            out[key] = post[key].strip()[:60]
    if kind == "funding":
        amount = _number(post.get("amount", "").strip(), where="决定产出", field="amount")
        field = post.get("amount_field", "").strip()
        top = _number(post.get("max_amount", "").strip(), where="决定产出", field="max_amount")
        if field and field not in field_names:
            raise InputError(f"决定产出：金额字段“{field}”不是申报表的字段", field="amount_field")
        if amount is not None and amount <= 0:
            raise InputError("决定产出：定额资助金额应大于0", field="amount")
        if amount is not None:
            out["amount"] = str(amount)
        if field:
            out["amount_field"] = field
        if top is not None:
            out["max_amount"] = str(top)
    if post.get("certificate", "") in YES:
        out["certificate"] = True
    label = post.get("status_label", "").strip()
    if label:
        years = _number(post.get("status_years", "").strip(), where="决定产出", field="status_years", integer=True)
        if years is None or not 1 <= years <= 10:
            raise InputError("决定产出：称号有效期应为1至10年", field="status_years")
        out["org_status"] = {"label": label[:60], "years": years}
    return out


@transaction.atomic
def save(*, programme: ProgrammeType, by, post) -> ProgrammeType:
    """Check every section of the posted editor and save the programme type (the change is audited)."""
    services.require_office(by)
    name = (post.get("name") or "").strip()
    if not name or len(name) > 100:
        raise InputError("项目名称不能为空，不超过100字", field="name")
    days = _number(post.get("notice_days", "").strip() or "5", where="公示期", field="notice_days", integer=True)
    if not 1 <= days <= 30:
        raise InputError("公示期应为1至30个工作日", field="notice_days")
    fields = form_fields(post)
    stage_list = stages(post)
    values = {
        "name": name,
        "description": (post.get("description") or "").strip()[:5000],
        "notice_days": days,
        "is_active": post.get("is_active", "") in YES,
        "form_fields": fields,
        "attachments": attachments(post),
        "eligibility": eligibility_rules(post),
        "stages": stage_list,
        "review": review(post, has_review=any(s["code"] == "review" for s in stage_list)),
        "decision": decision(post, current=programme.decision, field_names={f["name"] for f in fields}),
    }
    before = audit.snapshot(programme)
    for key, value in values.items():
        setattr(programme, key, value)
    programme.save()
    audit.record(
        AuditAction.UPDATE,
        obj=programme,
        actor=by,
        before=before,
        after=audit.snapshot(programme),
        reason="项目类型编辑器",
    )
    return programme


def posted_rows(post) -> dict:
    """The editor's rows as posted (to show them again, with the error, when a save is refused)."""

    def section(prefix, keys, flags=()):
        columns = {k: post.getlist(f"{prefix}-{k}") for k in keys}
        n = max((len(v) for v in columns.values()), default=0)
        rows = [{k: (columns[k][i] if i < len(columns[k]) else "") for k in keys} for i in range(n)]
        for row in rows:
            for flag in flags:
                row[flag] = row[flag] in YES
        return rows

    fields = section(
        "field", ("name", "label", "type", "required", "min", "max", "max_length", "choices", "computed"), ("required",)
    )
    for row in fields:
        row["choices_text"] = row.pop("choices")
    atts = section("att", ("code", "label", "required", "exts"), ("required",))
    for row in atts:
        row["exts_text"] = row.pop("exts")
    return {
        "fields": fields,
        "attachments": atts,
        "rules": section("rule", ("rule", "params")),
        "stages": section("stage", ("code", "label", "actor", "notice"), ("notice",)),
        "criteria": section("crit", ("code", "label", "weight", "min", "max")),
    }
