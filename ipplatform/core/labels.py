"""Chinese names for the codes that reach users: workflow states and steps, and people by name and unit.

The one place that turns a stored code into what a page shows: `state_label(model, "state", "in_progress")` →
"办理中", `transition_label(model, "file_case")` → "立案", `person_label(user)` → "王芳（济南市市场监督管理局）".
A code without a Chinese name is never shown raw: steps fall back to "变更状态", states to "（未命名状态）".
"""

from __future__ import annotations

import re
from functools import lru_cache

from .enums import OrgKind

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ASCII_CODE = re.compile(r"^[a-z][a-z0-9_]*$")

# Steps whose method has no Chinese docstring; a model may refine them with a `transition_labels` dict.
TRANSITION_LABELS = {
    "accept": "受理",
    "acknowledge": "签收",
    "adopt": "采用",
    "answer": "答复",
    "approve": "批准",
    "cancel": "注销",
    "change": "变更登记",
    "close": "关闭",
    "commit": "确认导入",
    "complete": "完成",
    "decide": "作出决定",
    "decline": "不予采用",
    "dispose": "处置",
    "expire": "期满",
    "export": "报送财务",
    "finish": "完成",
    "mark_matched": "对接成功",
    "mark_paid": "拨付完成",
    "mediate": "调解",
    "negotiate": "进入谈判",
    "notify_defect": "通知补正",
    "pay": "支付",
    "publish": "公示",
    "register": "登记",
    "reject": "不予通过",
    "reopen": "重新开放",
    "resubmit": "重新提交",
    "resume": "恢复",
    "resume_after_police_decline": "公安机关不予立案后继续办理",
    "return_for_info": "退回补充材料",
    "return_for_revision": "退回修改",
    "revise": "重新修改",
    "revoke": "撤销",
    "sign_contract": "签订合同",
    "start": "开始办理",
    "submit": "提交",
    "submit_registration": "提交登记/备案",
    "suspend": "暂停",
    "terminate": "终止",
    "uphold_objection": "异议成立",
    "verify": "核实",
    "withdraw": "撤回",
}


def _choices(model, field: str) -> dict[str, str]:
    try:
        f = model._meta.get_field(field)
    except Exception:  # noqa: BLE001 (a history row may name a field that was renamed since)
        return {}
    return {str(k): str(v) for k, v in (getattr(f, "choices", None) or [])}  # relations have no choices


def state_label(model, field: str, value) -> str:
    """The Chinese name of a state value of `model.field`."""
    value = "" if value is None else str(value)
    if model is not None:
        label = _choices(model, field).get(value)
        if label:
            return label
    if not value:
        return "—"
    return value if _CJK.search(value) or not _ASCII_CODE.match(value) else "（未命名状态）"


@lru_cache(maxsize=512)
def _docstring_label(model, name: str) -> str:
    method = getattr(model, name, None) if model is not None else None
    doc = (getattr(method, "__doc__", None) or "").strip().splitlines()
    first = doc[0].strip().rstrip("。.") if doc else ""
    if first and _CJK.match(first) and len(first) <= 30:
        return re.sub(r"（.*?）$", "", first)  # the explanation in brackets stays in the code
    return ""


def transition_label(model, name: str) -> str:
    """The Chinese name of a workflow step (the transition method's name)."""
    own = getattr(model, "transition_labels", None) or {}
    if name and _CJK.search(name):
        return name  # flows that record their steps by their Chinese name (programmes: 批准资助, 公示)
    return own.get(name) or _docstring_label(model, name) or TRANSITION_LABELS.get(name) or "变更状态"


def system_label(name: str) -> str:
    """Who acted when no user did: a scheduled job, an import, the system."""
    return name if _CJK.search(name or "") else "系统（自动）"


def person_label(user) -> str:
    """A person as users know them: real name, then their unit; the login name only when no name is on file."""
    name = (getattr(user, "real_name", "") or user.get_full_name() or "").strip() or user.get_username()
    org = getattr(user, "organization", None)
    if org is None:
        return name
    own = org.short_name or org.name
    for prefix in {own, org.name}:  # "协调管理处 张科长" of 协调管理处: the unit is named once, after the person
        if name.startswith(prefix + " ") and name[len(prefix) :].strip():
            name = name[len(prefix) :].strip()
    parent = org.parent if org.kind == OrgKind.DEPARTMENT and org.parent_id else None
    unit = f"{parent.name}·{own}" if parent is not None else org.name
    return f"{name}（{unit}）"


def people(ids) -> dict[int, object]:
    """Users by id with their units, in one query (for lists of history rows or audit events)."""
    from .models import User

    ids = {i for i in ids if i}
    return {u.pk: u for u in User.objects.filter(pk__in=ids).select_related("organization__parent")} if ids else {}


def _model_of(object_type: str):
    from django.apps import apps

    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field_label(model, name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name)) if model is not None else name
    except Exception:  # noqa: BLE001 (a recorded field may have been removed since)
        return name


def _plain(value) -> str:
    """JSON kept on a record (form data, form definitions) as text without its internal keys: a field definition by
    its label, other objects by their values, lists joined."""
    if isinstance(value, dict):
        if value.get("label"):
            return str(value["label"])
        return "；".join(_plain(v) for v in value.values() if v not in (None, "", [], {}))
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    return str(value)


def _value_label(model, name: str, value):
    if value in (None, ""):
        return value
    if isinstance(value, (dict, list)):
        return _plain(value)
    if model is not None:
        label = _choices(model, name).get(str(value))
        if label:
            return label
    return value


def audit_changes(event) -> list[tuple[str, object, object]]:
    """(field name, before, after) of an audit event in Chinese: verbose field names, choice labels for codes."""
    model = _model_of(event.object_type)
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys(list(before) + list(after)))
    return [
        (_field_label(model, k), _value_label(model, k, before.get(k, "")), _value_label(model, k, after.get(k, "")))
        for k in keys
    ]


def audit_reason(event) -> str:
    """The note of an audit event; a workflow step recorded as "file_case: …" reads "立案：…"."""
    from .enums import AuditAction

    reason = event.reason or ""
    if event.action != AuditAction.TRANSITION:
        return reason
    name, sep, rest = reason.partition(":")
    if _ASCII_CODE.match(name.strip() or "-"):
        label = transition_label(_model_of(event.object_type), name.strip())
        return f"{label}：{rest.strip()}" if sep and rest.strip() else label
    return reason


def label_actors(events) -> list:
    """Events (audit events or history rows with actor_id/actor_name) with `actor_label` set, users in one query."""
    events = list(events)
    users = people(e.actor_id for e in events)
    for e in events:
        user = users.get(e.actor_id)
        e.actor_label = person_label(user) if user else (e.actor_name if e.actor_id else system_label(e.actor_name))
    return events


NOTIFICATION_KINDS = {
    "protection": "维权执法",
    "protection_deadline": "办案期限",
    "training": "培训",
    "credit": "知识产权信用",
    "census": "状况普查",
    "finance.subsidy": "专利资助",
    "finance.pledge": "质押融资",
    "orgs.fee": "专利年费",
    "market": "展示交易",
}


def notification_kind(kind: str) -> str:
    """The category of a notification in Chinese (apps pass codes such as "finance.pledge" or Chinese words)."""
    kind = kind or ""
    return NOTIFICATION_KINDS.get(kind) or (kind if _CJK.search(kind) else "通知")
