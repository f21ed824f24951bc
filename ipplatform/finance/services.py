"""Finance services shared by pledges, valuations and subsidies: roles, patent look-up and ownership, the patent list
import, the to-do list of the finance home page, exports and reminders. Pledge registration itself is in `pledges`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ipplatform.core import audit, notify
from ipplatform.core.enums import STAFF_ROLES, AuditAction, OrgKind, Role
from ipplatform.core.models import Organization, User
from ipplatform.core.scopes import is_admin_or_department, restrict
from ipplatform.core.workbench import Item as WorkbenchItem
from ipplatform.lib.textnorm import normalize_name
from ipplatform.orgs.services import holder_check
from ipplatform.patents import legalstate
from ipplatform.patents.models import Patent

from .enums import REVIEW_STATES, PledgeState
from .models import Pledge

REVIEW_DEPARTMENT = "协调管理处"


# ---------------------------------------------------------------- roles


def is_reviewer(user) -> bool:
    """Province staff who register pledges and review subsidies: administrators and 协调管理处."""
    return is_admin_or_department(user, {REVIEW_DEPARTMENT})


def is_city_reviewer(user) -> bool:
    """City bureau staff (first review of subsidies in their city)."""
    return getattr(user, "is_authenticated", False) and user.role == Role.CITY_OFFICER and user.organization is not None


def is_bank_user(user) -> bool:
    """A finance user of a bank."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role == Role.FINANCE_USER
        and user.organization is not None
        and user.organization.kind == OrgKind.BANK
    )


def is_enterprise_user(user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.role in (Role.ENTERPRISE_USER, Role.UNIVERSITY_USER)
        and user.organization is not None
    )


def is_staff(user) -> bool:
    """Office staff (province, city and department) and administrators."""
    return getattr(user, "is_authenticated", False) and (user.is_superuser or user.role in STAFF_ROLES)


def can_see_programme_figures(user) -> bool:
    """Pledge statistics and the risk compensation fund are not shown to enterprise and university users."""
    return getattr(user, "is_authenticated", False) and (
        user.is_superuser or user.role not in (Role.ENTERPRISE_USER, Role.UNIVERSITY_USER)
    )


def can_see_subsidies(user) -> bool:
    """Banks' users see pledges and valuations; interest and premium subsidies are the enterprises' and the office's."""
    return getattr(user, "is_authenticated", False) and user.role != Role.FINANCE_USER


def can_administer_subsidies(user) -> bool:
    """Policy rules and payment batches (their pages are for staff)."""
    return is_staff(user)


def reviewers():
    """Users who receive registration and subsidy review notices."""
    return User.objects.filter(is_active=True).filter(
        Q(role=Role.DEPARTMENT_STAFF, organization__name=REVIEW_DEPARTMENT) | Q(role=Role.PROVINCE_ADMIN)
    )


# ---------------------------------------------------------------- patents and ownership


def normalize_number(text: str) -> str:
    """Application/publication number as stored in Patent.id: no CN, no dot or spaces, upper case."""
    value = re.sub(r"[\s.．。]", "", str(text or "")).upper()
    if value.startswith("ZL"):
        value = value[2:]
    if value.startswith("CN"):
        value = value[2:]
    return value


def find_patent(number: str) -> Patent | None:
    """The patent with this application number, patent number or publication number."""
    key = normalize_number(number)
    if not key:
        return None
    return (
        Patent.objects.filter(pk=key).first()
        or Patent.objects.filter(application_number__in=[key, f"CN{key}"]).first()
        or Patent.objects.filter(publication_number__in=[key, f"CN{key}"]).first()
    )


def applicants_of(patent: Patent) -> list:
    return [link.applicant for link in patent.applicant_links.select_related("applicant").order_by("order")]


def is_patentee(*, organization: Organization, patent: Patent, on: dt.date | None = None) -> bool:
    """True when the organisation is a patentee of record through its verified applicant-name claims (orgs.services.holder_check)."""
    return holder_check(org=organization, patent=patent, on=on).ok


def co_owners(*, organization: Organization, patent: Patent, on: dt.date | None = None) -> list[str]:
    """Names of the other patentees of record (co-owners) of the patent."""
    result = holder_check(org=organization, patent=patent, on=on)
    return result.others if result.ok else result.holder_names


def exclusive_licence(*, patent_id: str, on: dt.date | None = None) -> bool:
    """Whether a recorded exclusive or sole licence (LICENSE legal event) is open on the day (legalstate)."""
    patent = Patent.objects.prefetch_related("legal_events").get(pk=patent_id)
    return legalstate.exclusive_licence_event(patent=patent, on=on or timezone.localdate()) is not None


# ---------------------------------------------------------------- patent list (Excel) import

PATENT_LIST_HEADERS = ["申请号（或专利号）", "专利名称（核对用，可空）"]


@dataclass
class PatentListResult:
    patents: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # {"line", "field", "value", "reason"}


def parse_patent_numbers(text: str) -> PatentListResult:
    """Patent numbers typed one per line (or separated by ; , 、)."""
    result = PatentListResult()
    seen = set()
    for line, raw in enumerate(re.split(r"[\n;；,，、]+", text or ""), start=1):
        raw = raw.strip()
        if not raw:
            continue
        patent = find_patent(raw)
        if patent is None:
            result.errors.append({"line": line, "field": "申请号", "value": raw, "reason": "平台专利库中没有此申请号"})
        elif patent.pk in seen:
            result.errors.append({"line": line, "field": "申请号", "value": raw, "reason": "重复"})
        else:
            seen.add(patent.pk)
            result.patents.append(patent)
    return result


def parse_patent_list(fileobj) -> PatentListResult:
    """Read the Excel patent list (first sheet, header row 1): every bad row is reported with its line and field."""
    from ipplatform.lib import sheetread

    result = PatentListResult()
    name = getattr(fileobj, "name", "") or "上传文件"
    seen: dict[str, int] = {}
    try:
        _read_patent_list(
            sheetread.rows(fileobj, max_rows=PATENT_LIST_MAX_ROWS, max_cols=10, max_cell_chars=500), result, seen
        )
    except sheetread.SheetUnreadable:
        result.errors.append(
            {"line": 0, "field": "文件", "value": name, "reason": "无法读取该Excel文件，请使用模板（.xlsx）"}
        )
    except sheetread.SheetTooLarge as exc:
        result.errors.append({"line": exc.line or 0, "field": "文件", "value": name, "reason": str(exc)})
    return result


PATENT_LIST_MAX_ROWS = 2000  # a pledge contract lists tens of patents; far more is not a patent list
MAX_ROW_ERRORS = 200  # errors listed on the page; the rest are counted


def _read_patent_list(rows, result, seen) -> None:
    for line, row in enumerate(rows, start=1):
        if line == 1 or row is None or all(v in (None, "") for v in row):
            continue
        if len(result.errors) >= MAX_ROW_ERRORS:
            result.errors.append(
                {
                    "line": line,
                    "field": "文件",
                    "value": "",
                    "reason": f"错误超过{MAX_ROW_ERRORS}条，其余行未检查：请按模板修改后重新上传",
                }
            )
            return
        row = list(row) + [None, None]
        number, title = row[0], row[1]
        text = str(number or "").strip()
        if not text:
            result.errors.append({"line": line, "field": PATENT_LIST_HEADERS[0], "value": "", "reason": "申请号为空"})
            continue
        if not re.fullmatch(r"[0-9X]{8,14}", normalize_number(text)) and not re.fullmatch(
            r"[0-9]{6,10}[A-Z][0-9]?", normalize_number(text)
        ):
            result.errors.append(
                {
                    "line": line,
                    "field": PATENT_LIST_HEADERS[0],
                    "value": text,
                    "reason": "申请号格式不正确（应如 201510123456.7 或 ZL201510123456.7）",
                }
            )
            continue
        patent = find_patent(text)
        if patent is None:
            result.errors.append(
                {"line": line, "field": PATENT_LIST_HEADERS[0], "value": text, "reason": "平台专利库中没有此申请号"}
            )
            continue
        if patent.pk in seen:
            result.errors.append(
                {"line": line, "field": PATENT_LIST_HEADERS[0], "value": text, "reason": f"与第{seen[patent.pk]}行重复"}
            )
            continue
        if title and normalize_name(str(title)) != normalize_name(patent.title):
            result.errors.append(
                {
                    "line": line,
                    "field": PATENT_LIST_HEADERS[1],
                    "value": title,
                    "reason": f"名称与专利库不一致（库中为“{patent.title}”）",
                }
            )
            continue
        seen[patent.pk] = line
        result.patents.append(patent)


# ---------------------------------------------------------------- the home page's to-do list


TodoItem = WorkbenchItem  # the workbench's to-do entry (core.workbench collects every app's)


def todo_for(*, user, today: dt.date | None = None) -> list[TodoItem]:
    """What waits for this user, by role: reviewers review pledges and subsidies, the pledgor confirms the bank's draft,
    the bank answers defect notices. Only objects inside the user's scope are listed."""
    today = today or timezone.localdate()
    pledges = restrict(Pledge.objects.all(), user)
    items: list[TodoItem] = []

    def pledge_url(pledge):
        return reverse("finance:pledge_detail", args=[pledge.pk])

    if is_reviewer(user):
        for p in pledges.filter(state__in=REVIEW_STATES).select_related("pledgor").order_by("due_on"):
            items.append(
                TodoItem(
                    pledge_url(p), f"质押登记审查：{p.pledgor.name}", p.due_on, bool(p.due_on and p.due_on < today)
                )
            )
    if is_reviewer(user) or is_city_reviewer(user):
        items += _subsidy_todo(user=user, today=today)
    if is_enterprise_user(user):
        for p in pledges.filter(state=PledgeState.DRAFT, pledgor=user.organization).select_related("pledgee"):
            items.append(TodoItem(pledge_url(p), f"请确认{p.pledgee.name}提交的质押登记"))
    if is_bank_user(user):
        for p in pledges.filter(state=PledgeState.DEFECT, pledgee=user.organization).select_related("pledgor"):
            items.append(TodoItem(pledge_url(p), f"补正通知：{p.pledgor.name}"))
    return items


def _subsidy_todo(*, user, today: dt.date) -> list[TodoItem]:
    """贴息 and 保险补贴 applications (on the programme engine) at a stage this user acts at."""
    from ipplatform.programmes import services as programme_services
    from ipplatform.programmes.enums import AppStatus

    from .subsidy_programmes import CODES

    out = []
    waiting = programme_services.applications_for(user).filter(call__programme__code__in=CODES, status=AppStatus.ACTIVE)
    for a in waiting.select_related("call__programme", "organization"):
        stage = a.call.programme.stage(a.stage) or {}
        if not programme_services.can_act(user, application=a, actor=stage.get("actor", "")):
            continue
        due = a.call.notice_end if stage.get("notice") else None
        out.append(
            TodoItem(
                reverse("programmes:application", args=[a.pk]),
                f"{a.call.programme.name}：{a.organization.name}（{stage.get('label', a.stage)}）",
                due,
                bool(due and due < today),
            )
        )
    return out


def record_export(*, what: str, reason: str = "") -> None:
    audit.record(AuditAction.EXPORT, object_type="finance.pledge", object_repr=what, reason=reason)


def send_reminders(*, today: dt.date | None = None) -> int:
    """Remind reviewers of registrations past their 3-working-day deadline and of notices that have ended; returns the count sent."""
    today = today or timezone.localdate()
    sent = 0
    people = list(reviewers())
    for p in Pledge.objects.filter(state__in=REVIEW_STATES, due_on__lt=today).select_related("pledgor"):
        sent += notify.notify_many(
            users=people,
            title=f"质押登记已超过审查期限（{p.due_on}）：{p.pledgor.name}",
            kind="finance.overdue",
            url=f"/finance/pledges/{p.pk}/",
            dedupe_key=f"finance.pledge.overdue:{p.pk}:{p.due_on}",
        )
    from ipplatform.programmes.models import Call

    from .subsidy_programmes import CODES

    notice_over = Call.objects.filter(programme__code__in=CODES, notice_closed=False, notice_end__lt=today)
    for call in notice_over:
        sent += notify.notify_many(
            users=people,
            title=f"补助公示期已满（{call.notice_end}），待结束公示并作出资助决定：{call.title}",
            kind="finance.notice",
            url=reverse("programmes:call", args=[call.pk]),
            dedupe_key=f"finance.subsidy.notice_end:call{call.pk}:{call.notice_end}",
        )
    return sent


# Other apps (workplan, and the orgs and lib tests) use the pledge functions under their historical home here;
# resolving them lazily keeps `pledges` → `services` a one-way import.
_MOVED_TO_PLEDGES = frozenset({"check_pledge", "confirm_pledge", "create_pledge", "register_pledge", "registry_stats"})


def __getattr__(name: str):
    if name in _MOVED_TO_PLEDGES:
        from . import pledges

        return getattr(pledges, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
