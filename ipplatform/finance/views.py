"""Pages of 质押融资与价值评估 (thin: parsing, scope checks and rendering; rules live in services / valuations / subsidies)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.shortcuts import render as render_page
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipplatform.core import inputs
from ipplatform.core.decorators import input_errors_as_messages
from ipplatform.core.downloads import DOCX, attachment
from ipplatform.core.enums import OrgKind, Role
from ipplatform.core.inputs import InputError, parse_date
from ipplatform.core.models import Organization, TechField
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.regions import display_name
from ipplatform.core.scopes import get_in_scope, restrict
from ipplatform.core.tables import Table, col
from ipplatform.core.tabs import select as select_tab
from ipplatform.core.tabs import url as tab_url
from ipplatform.core.workflow import history
from ipplatform.lib.xlsx import Sheet, workbook_bytes
from ipplatform.programmes import services as programme_services
from ipplatform.programmes.enums import AppStatus
from ipplatform.programmes.models import Application, Call, ProgrammeType
from ipplatform.programmes.models import PaymentBatch as EnginePaymentBatch

from . import indicators as ind
from . import pledges, services, subsidies, valuations
from . import subsidy_programmes as sp
from . import value_model as vm
from .enums import PledgeState, RuleMode, Scenario, SubsidyKind
from .models import (
    CoveredLoan,
    DefaultReport,
    Pledge,
    RiskFund,
    SubsidyRule,
    Valuation,
    ValuationItem,
    ValuationReport,
    ValueModelVersion,
)

PLEDGOR_KINDS = (OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE)


def _require(ok: bool, message: str = "您的角色无权使用此功能") -> None:
    if not ok:
        raise PermissionDenied(message)


def render(request, template: str, context: dict):
    """Django's render with the finance tabs the user may see (decided in services, not by role names in templates)."""
    user = request.user
    tabs = {"figures": services.can_see_programme_figures(user), "subsidies": services.can_see_subsidies(user)}
    return render_page(request, template, {"tabs": tabs, **context})


def _history(obj) -> list[dict]:
    """Workflow history with Chinese state and step names and people by name and unit."""
    return [
        {
            "at": h.at,
            "actor_name": h.actor_label,
            "source": h.source_label,
            "target": h.target_label,
            "reason": h.reason,
            "transition": h.transition_label,
        }
        for h in history(obj)
    ]


def action_view(func):
    """POST actions: an InputError becomes a Chinese message on the page it came from."""
    return login_required(require_POST(input_errors_as_messages(func, fallback="finance:home")))


# ---------------------------------------------------------------- overview


@login_required
def home(request):
    user = request.user
    scoped_pledges = restrict(Pledge.objects.all(), user)
    apps = programme_services.applications_for(user).filter(call__programme__code__in=sp.CODES)
    by_state = dict(scoped_pledges.values_list("state").annotate(n=Count("pk")))
    todo = services.todo_for(user=user)
    registered = scoped_pledges.filter(registered_on__isnull=False)
    totals = registered.aggregate(n=Count("pk"), amount=Sum("debt_amount"))
    return render(
        request,
        "finance/home.html",
        {
            "by_state": [(PledgeState(s).label, by_state.get(s, 0), s) for s in PledgeState.values],
            "todo": todo,
            "totals": totals,
            "active": scoped_pledges.filter(state=PledgeState.REGISTERED).count(),
            "subsidy_total": apps.filter(status__in=[AppStatus.APPROVED, AppStatus.PAID]).aggregate(s=Sum("amount"))[
                "s"
            ],
            "valuations": restrict(Valuation.objects.all(), user).count(),
            "is_bank": services.is_bank_user(user),
            "is_reviewer": services.is_reviewer(user),
            "is_enterprise": services.is_enterprise_user(user),
        },
    )


# ---------------------------------------------------------------- pledges


def _pledge_queryset(request):
    qs = restrict(Pledge.objects.all(), request.user).select_related("pledgor", "pledgee")
    f = request.GET
    if f.get("state"):
        qs = qs.filter(state=f["state"])
    if f.get("bank"):
        qs = qs.filter(pledgee_id=f["bank"])
    if f.get("city"):
        qs = qs.filter(city_code=f["city"])
    if f.get("q"):
        term = f["q"].strip()
        qs = qs.filter(
            Q(number__icontains=term)
            | Q(pledgor__name__icontains=term)
            | Q(items__patent__id__icontains=services.normalize_number(term))
            | Q(items__patent__title__icontains=term)
        ).distinct()
    for key, lookup in (("from", "registered_on__gte"), ("to", "registered_on__lte")):
        if f.get(key):
            try:
                qs = qs.filter(**{lookup: inputs.parse_date(f[key], field=key, label="日期")})
            except InputError as exc:
                messages.error(request, exc.message)
    return qs


PLEDGE_COLUMNS = [
    col("number", "登记号", "number"),
    col("pledgor", "出质人", "pledgor__name"),
    col("pledgee", "质权人", "pledgee__name"),
    col("patents", "专利数", "n_patents", num=True),
    col("debt", "债权（万元）", "debt_amount", num=True),
    col("term", "债务履行期", "debt_end", optional=True),
    col("state", "状态", "state"),
    col("due", "审查期限", "due_on", optional=True),
    col("registered", "登记日", "registered_on"),
]


@login_required
def pledge_list(request):
    table = Table(
        request,
        _pledge_queryset(request).annotate(n_patents=Count("items")).order_by("-created_at"),
        columns=PLEDGE_COLUMNS,
        unfiltered=restrict(Pledge.objects.all(), request.user),
        unscoped=Pledge.objects.all(),
        noun="质押登记",
        unit="笔",
        name="pledges",
    )
    qs = table.export_queryset()
    if request.GET.get("export") == "xlsx":
        services.record_export(what="质押登记簿导出", reason=request.GET.urlencode())
        sheet = Sheet(
            "专利权质押登记簿",
            pledges.REGISTRY_HEADERS,
            pledges.registry_rows(qs.order_by("registered_on", "pk") if not request.GET.get("sort") else qs),
            notes=["专利权质押登记簿（平台导出）；金额单位：万元"],
        )
        return attachment(workbook_bytes([sheet]), "pledge-registry.xlsx")
    page = table.page
    query = request.GET.copy()
    query.pop("page", None)
    banks = Organization.objects.filter(kind=OrgKind.BANK).order_by("name")
    cities = sorted({c for c in restrict(Pledge.objects.all(), request.user).values_list("city_code", flat=True) if c})
    return render(
        request,
        "finance/pledge_list.html",
        {
            "table": table,
            "page": page,
            "states": PledgeState.choices,
            "banks": banks,
            "cities": [(c, display_name(c)) for c in cities],
            "query": query.urlencode(),
            "f": request.GET,
            "can_create": services.is_bank_user(request.user),
        },
    )


@login_required
@gated(Gate(lambda u: services.is_staff(u) or u.role == Role.FINANCE_USER))
def pledge_stats(request):
    stats = pledges.registry_stats(qs=_pledge_queryset(request))
    if request.GET.get("export") == "xlsx":
        services.record_export(what="质押统计导出", reason=request.GET.urlencode())
        return attachment(workbook_bytes(pledges.export_stats(stats=stats)), "pledge-statistics.xlsx")
    month = stats["month"]
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": ["笔数", "金额（万元）"]},
        "xAxis": {"type": "category", "data": [r[0] for r in month]},
        "yAxis": [{"type": "value", "name": "笔数"}, {"type": "value", "name": "万元"}],
        "series": [
            {"name": "笔数", "type": "bar", "data": [r[1] for r in month]},
            {"name": "金额（万元）", "type": "line", "yAxisIndex": 1, "data": [float(r[2]) for r in month]},
        ],
    }
    query = request.GET.copy()
    return render(
        request,
        "finance/pledge_stats.html",
        {"stats": stats, "option": option, "notes": pledges.STATS_NOTES, "query": query.urlencode(), "f": request.GET},
    )


def _pledge_patents(request) -> tuple[list, list]:
    """Patents from the typed list and/or the uploaded Excel list, with the rows in error."""
    patents, errors = [], []
    upload = request.FILES.get("patent_file")
    if upload:
        result = services.parse_patent_list(upload)
        patents += result.patents
        errors += [dict(e, source=upload.name) for e in result.errors]
    typed = services.parse_patent_numbers(request.POST.get("patent_numbers", ""))
    patents += [p for p in typed.patents if p.pk not in {x.pk for x in patents}]
    errors += [dict(e, source="手工填写") for e in typed.errors]
    return patents, errors


def _pledge_data(request) -> dict:
    post = request.POST
    data = {
        "contract_number": post.get("contract_number", "").strip(),
        "contract_date": parse_date(
            post.get("contract_date"), field="contract_date", label="合同签订日", required=False
        ),
        "debt_amount": post.get("debt_amount", "").strip() or None,
        "debt_start": parse_date(post.get("debt_start"), field="debt_start", label="债务履行期起", required=False),
        "debt_end": parse_date(post.get("debt_end"), field="debt_end", label="债务履行期止", required=False),
        "disbursed_on": parse_date(post.get("disbursed_on"), field="disbursed_on", label="放款日", required=False),
        "security_scope": post.get("security_scope", "").strip(),
        "co_owner_consent": bool(post.get("co_owner_consent")),
        "risks_confirmed": bool(post.get("risks_confirmed")),
    }
    if post.get("loan_rate"):
        data["loan_rate"] = inputs.parse_decimal(
            post["loan_rate"],
            field="loan_rate",
            label="贷款年利率（%）",
            min_value=0,
            max_value=100,
            places=3,
            rounding=True,
        )
    if post.get("valuation"):
        valuation = inputs.parse_id(post["valuation"], field="valuation", label="估值记录")
        data["valuation"] = restrict(Valuation.objects.all(), request.user).filter(pk=valuation).first()
    return data


def _pledge_form_context(request, pledge=None, **extra):
    return {
        "pledgors": Organization.objects.filter(kind__in=PLEDGOR_KINDS, is_active=True).order_by("kind", "name"),
        "valuations": restrict(Valuation.objects.filter(pvd__isnull=False), request.user)[:100],
        "pledge": pledge,
        "threshold": pledges.EXCEL_THRESHOLD,
        "v": request.POST or {},
        **extra,
    }


@login_required
def pledge_new(request):
    _require(services.is_bank_user(request.user), "只有银行用户可以提交质押登记")
    if request.method == "POST":
        errors = []
        try:
            pledgor = Organization.objects.filter(pk=request.POST.get("pledgor") or 0, kind__in=PLEDGOR_KINDS).first()
            if pledgor is None:
                raise InputError("请选择出质人", field="pledgor")
            patents, errors = _pledge_patents(request)
            if len(patents) > pledges.EXCEL_THRESHOLD and not request.FILES.get("patent_file"):
                raise InputError(
                    f"出质专利超过{pledges.EXCEL_THRESHOLD}件时请使用Excel专利清单导入", field="patent_file"
                )
            if errors and request.POST.get("mode") != "partial":
                raise InputError(
                    f"专利清单有{len(errors)}行错误，未提交任何内容（可改正后重新提交，或选择“仅提交正确的行”）",
                    field="patent_file",
                )
            pledge = pledges.create_pledge(
                by=request.user, pledgor=pledgor, patents=patents, data=_pledge_data(request)
            )
        except InputError as exc:
            return render(
                request, "finance/pledge_form.html", _pledge_form_context(request, error=exc, row_errors=errors)
            )
        if errors:
            messages.warning(
                request,
                f"已按正确的{len(patents)}件专利提交，{len(errors)}行有误未纳入："
                + "；".join(f"第{e['line']}行 {e['value']} {e['reason']}" for e in errors[:20]),
            )
        messages.success(request, "质押登记已创建，已通知出质人确认")
        return redirect("finance:pledge_detail", pk=pledge.pk)
    return render(request, "finance/pledge_form.html", _pledge_form_context(request))


@login_required
def pledge_edit(request, pk: int):
    pledge = get_in_scope(Pledge.objects.select_related("pledgor", "pledgee"), request.user, pk=pk)
    _require(
        services.is_bank_user(request.user) and request.user.organization_id == pledge.pledgee_id,
        "只有质权人银行可以修改",
    )
    if request.method == "POST":
        errors = []
        try:
            patents, errors = _pledge_patents(request)
            if errors:
                raise InputError(f"专利清单有{len(errors)}行错误，未作修改", field="patent_file")
            pledges.update_pledge(pledge=pledge, by=request.user, data=_pledge_data(request), patents=patents or None)
        except InputError as exc:
            return render(
                request, "finance/pledge_form.html", _pledge_form_context(request, pledge, error=exc, row_errors=errors)
            )
        messages.success(request, "登记内容已修改")
        return redirect("finance:pledge_detail", pk=pledge.pk)
    initial = {
        k: getattr(pledge, k) or ""
        for k in (
            "contract_number",
            "contract_date",
            "debt_amount",
            "debt_start",
            "debt_end",
            "loan_rate",
            "disbursed_on",
            "security_scope",
        )
    }
    initial.update(
        co_owner_consent=pledge.co_owner_consent,
        risks_confirmed=pledge.risks_confirmed,
        valuation=pledge.valuation_id or "",
        patent_numbers="\n".join(i.patent.display_number for i in pledge.items.select_related("patent")),
    )
    ctx = _pledge_form_context(request, pledge)
    ctx["v"] = initial
    return render(request, "finance/pledge_form.html", ctx)


@login_required
def pledge_template(request):
    data = workbook_bytes([Sheet("出质专利清单", services.PATENT_LIST_HEADERS, [], notes=[])])
    return attachment(data, "pledge-patent-list-template.xlsx")


@login_required
def pledge_detail(request, pk: int):
    pledge = get_in_scope(
        Pledge.objects.select_related("pledgor", "pledgee", "valuation", "created_by"), request.user, pk=pk
    )
    user = request.user
    items = list(
        pledge.items.select_related("patent").prefetch_related(
            "patent__applicant_links__applicant", "patent__legal_events"
        )
    )
    fields = dict(TechField.objects.values_list("number", "name_zh"))
    rows = [
        {
            "item": i,
            "patent": i.patent,
            "field": fields.get(i.tech_field, "—"),
            "owners": "；".join(a.name for a in services.applicants_of(i.patent)),
            "co_owners": services.co_owners(organization=pledge.pledgor, patent=i.patent),
            "exclusive": services.exclusive_licence(patent_id=i.patent_id),
        }
        for i in items
    ]
    live = (
        [c.as_dict() for c in pledges.check_pledge(pledge)]
        if pledge.state in (PledgeState.DRAFT, PledgeState.SUBMITTED, PledgeState.RESUBMITTED, PledgeState.DEFECT)
        else pledge.checks
    )
    rights = pledges.rights_for(user=user, pledge=pledge)
    has_actions = any(rights.values())
    tabs, tab = select_tab(
        request,
        [
            ("overview", "概况"),
            *([("handle", "办理")] if has_actions else []),
            ("materials", "材料/审查"),
            ("history", "流转记录"),
        ],
    )
    s = pledge.state
    return render(
        request,
        "finance/pledge_detail.html",
        {
            "pledge": pledge,
            "tabs": tabs,
            "tab": tab,
            "has_actions": has_actions,
            "rows": rows,
            "checks": live,
            "history": _history(pledge),
            "changes": pledge.changes.all(),
            "events": [
                (
                    r["patent"],
                    [e for e in r["patent"].legal_events.all() if e.reference == f"finance.pledge:{pledge.pk}"],
                )
                for r in rows
            ],
            **rights,
            "changeable": pledges.CHANGEABLE,
            "late": pledge.due_on
            and s in (PledgeState.SUBMITTED, PledgeState.RESUBMITTED)
            and pledge.due_on < timezone.localdate(),
            "funds": RiskFund.objects.all()
            if s == PledgeState.REGISTERED and not hasattr(pledge, "covered_loan")
            else [],
            "rules": pledges.RULES,
            "effects": pledges.EFFECT_LABELS,
            "valuation_url": (
                f"/finance/valuations/new/?pledge={pledge.pk}&organization={pledge.pledgor_id}&patents="
                + "%0A".join(r["patent"].pk for r in rows)
            )
            if rights["can_commission_valuation"]
            else "",
        },
    )


def _pledge_url(pk) -> str:
    """Back to the pledge's handling tab (the page opens the overview when nothing is left to do)."""
    return tab_url("finance:pledge_detail", pk, "handle", "actions")


@action_view
def pledge_action(request, pk: int):
    pledge = get_in_scope(Pledge.objects.select_related("pledgor", "pledgee"), request.user, pk=pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()
    kwargs = {}
    if action == "confirm":
        kwargs = {
            "co_owner_consent": bool(request.POST.get("co_owner_consent")),
            "risks_confirmed": bool(request.POST.get("risks_confirmed")),
        }
    elif action in ("defect", "refuse", "register", "resubmit", "dispose"):
        kwargs = {"reason": reason}
    elif action == "cancel":
        repaid_on = parse_date(request.POST.get("repaid_on"), field="repaid_on", label="还清日", required=False)
        kwargs = {"reason": reason, "repaid_on": repaid_on}
    elif action == "change":
        changes = {
            "debt_amount": request.POST.get("debt_amount", "").strip(),
            "debt_end": parse_date(
                request.POST.get("debt_end"), field="debt_end", label="债务履行期止", required=False
            ),
            "security_scope": request.POST.get("security_scope", "").strip(),
        }
        pledges.change_pledge(pledge=pledge, by=request.user, changes=changes, reason=reason)
        messages.success(request, "变更登记已办理")
        return redirect(_pledge_url(pk))
    elif action == "cnipa":
        pledges.record_cnipa_registration(
            pledge=pledge,
            by=request.user,
            registration_no=request.POST.get("registration_no", ""),
            registered_on=request.POST.get("registered_on", ""),
        )
        messages.success(request, "已登记国家知识产权局质押登记，质权自该登记日设立")
        return redirect(_pledge_url(pk))
    elif action == "cover":
        fund = get_object_or_404(RiskFund, pk=request.POST.get("fund") or 0)
        subsidies.cover_loan(fund=fund, pledge=pledge, by=request.user)
        messages.success(request, f"已纳入“{fund.name}”")
        return redirect(_pledge_url(pk))
    pledges.act(pledge=pledge, action=action, by=request.user, **kwargs)
    messages.success(request, f"已办理：{pledge.status_text}")
    return redirect(_pledge_url(pk))


# ---------------------------------------------------------------- valuations


@login_required
def valuation_list(request):
    qs = (
        restrict(Valuation.objects.all(), request.user)
        .select_related("organization", "model_version", "created_by")
        .annotate(n=Count("items"))
        .order_by("-created_at")
    )
    if request.GET.get("export") == "xlsx":
        services.record_export(what="价值评估清单导出")
        rows = (
            [
                v.pk,
                v.title,
                v.get_scenario_display(),
                v.organization.name if v.organization else "",
                v.n,
                v.as_of,
                v.lvd,
                v.tvd,
                v.evd,
                v.pvd,
                vm.grade(v.pvd),
                v.composite_index,
                str(v.model_version),
                v.get_state_display(),
            ]
            for v in qs
        )
        return attachment(
            workbook_bytes(
                [
                    Sheet(
                        "专利价值评估",
                        [
                            "编号",
                            "名称",
                            "场景",
                            "委托单位",
                            "专利数",
                            "基准日",
                            "LVD",
                            "TVD",
                            "EVD",
                            "PVD",
                            "评级",
                            "综合指数",
                            "模型版本",
                            "状态",
                        ],
                        rows,
                    )
                ]
            ),
            "valuations.xlsx",
        )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request, "finance/valuation_list.html", {"page": page, "can_create": valuations.can_appraise(request.user)}
    )


@login_required
def valuation_new(request):
    _require(valuations.can_appraise(request.user), "您的角色不能开展专利价值评估")
    if request.method == "POST":
        typed = services.parse_patent_numbers(request.POST.get("patent_numbers", ""))
        try:
            if typed.errors:
                raise InputError(
                    "；".join(f"第{e['line']}项 {e['value']}：{e['reason']}" for e in typed.errors),
                    field="patent_numbers",
                )
            org = Organization.objects.filter(pk=request.POST.get("organization") or 0).first()
            v = valuations.create_valuation(
                by=request.user,
                title=request.POST.get("title", ""),
                scenario=request.POST.get("scenario", ""),
                patents=typed.patents,
                organization=org,
                as_of=parse_date(request.POST.get("as_of"), field="as_of", label="评估基准日", required=False),
            )
        except InputError as exc:
            return render(
                request,
                "finance/valuation_form.html",
                {
                    "error": exc,
                    "v": request.POST,
                    "scenarios": Scenario.choices,
                    "orgs": Organization.objects.filter(kind__in=PLEDGOR_KINDS),
                },
            )
        pledge = pledges.link_valuation(pledge_id=request.POST.get("pledge"), valuation=v, by=request.user)
        if pledge is not None:
            messages.info(request, f"评估完成后，报告将作为质押登记{pledge.display_number}的价值评估报告")
        first = v.items.first()
        return redirect("finance:valuation_score", pk=v.pk, item=first.pk)
    initial = {
        "patent_numbers": request.GET.get("patents", ""),
        "scenario": request.GET.get("scenario", Scenario.PLEDGE),
        "organization": request.GET.get("organization", ""),
        "pledge": request.GET.get("pledge", ""),
    }
    return render(
        request,
        "finance/valuation_form.html",
        {"v": initial, "scenarios": Scenario.choices, "orgs": Organization.objects.filter(kind__in=PLEDGOR_KINDS)},
    )


@login_required
def valuation_detail(request, pk: int):
    v = get_in_scope(
        Valuation.objects.select_related("organization", "valuer_org", "model_version", "created_by"),
        request.user,
        pk=pk,
    )
    items = list(v.items.select_related("patent"))
    return render(
        request,
        "finance/valuation_detail.html",
        {
            "v": v,
            "items": items,
            "grade": vm.grade(v.pvd),
            "reports": v.reports.defer("content"),
            "pledges": v.pledges.all(),
            "can_score": valuations.can_score(request.user, v),
            "note": ind.COMPOSITE_NOTE,
            "item_grades": {i.pk: vm.grade(i.pvd) for i in items},
        },
    )


@login_required
def valuation_score(request, pk: int, item: int):
    v = get_in_scope(Valuation.objects.select_related("model_version"), request.user, pk=pk)
    it = get_object_or_404(ValuationItem.objects.select_related("patent"), pk=item, valuation=v)
    error = None
    if request.method == "POST":
        scores = {i.code: request.POST.get(f"s_{i.code}") for i in vm.INDICATORS}
        comments = {i.code: request.POST.get(f"c_{i.code}", "").strip() for i in vm.INDICATORS}
        try:
            valuations.score_item(item=it, by=request.user, scores=scores, comments=comments)
        except InputError as exc:
            error = exc
        else:
            nxt = v.items.filter(pk__gt=it.pk, pvd__isnull=True).first()
            messages.success(request, f"{it.patent.display_number}评分已保存：PVD {it.pvd}（{vm.grade(it.pvd)}）")
            return (
                redirect("finance:valuation_score", pk=v.pk, item=nxt.pk)
                if nxt
                else redirect("finance:valuation_detail", pk=v.pk)
            )
    current = dict(it.scores or {})
    suggested = valuations.suggested_scores(it)
    if request.method == "POST":
        current = {i.code: request.POST.get(f"s_{i.code}") for i in vm.INDICATORS}
    data = it.indicators or {}
    fields = dict(TechField.objects.values_list("number", "name_zh"))
    indicator_rows = [
        {
            "label": label,
            "unit": unit,
            "value": data.get("values", {}).get(code),
            "max": data.get("maxima", {}).get(code),
            "norm": data.get("normalised", {}).get(code),
            "in_index": in_index,
        }
        for code, label, unit, in_index in ind.INDICATORS
    ]
    groups = []
    for g, label in (
        ("legal", "法律价值度（LVD）"),
        ("technical", "技术价值度（TVD）"),
        ("economic", "经济价值度（EVD）"),
    ):
        rows = []
        for i in vm.INDICATORS:
            if i.group != g:
                continue
            value = current.get(i.code, suggested.get(i.code))
            rows.append(
                {
                    "ind": i,
                    "weight": v.model_version.weights.get(i.code),
                    "value": "" if value is None else str(value),
                    "suggested": suggested.get(i.code),
                    "comment": (it.comments or {}).get(i.code, ""),
                    "levels": [(lvl, i.guidance[lvl]) for lvl in vm.SCORE_LEVELS],
                }
            )
        groups.append({"label": label, "rows": rows})
    return render(
        request,
        "finance/valuation_score.html",
        {
            "v": v,
            "it": it,
            "groups": groups,
            "error": error,
            "indicator_rows": indicator_rows,
            "data": data,
            "field": fields.get(data.get("field"), "未能确定技术领域"),
            "note": ind.COMPOSITE_NOTE,
            "items": v.items.select_related("patent"),
            "m": v.model_version,
            "can_score": valuations.can_score(request.user, v),
        },
    )


@action_view
def valuation_report(request, pk: int):
    v = get_in_scope(Valuation.objects.all(), request.user, pk=pk)
    _require(valuations.can_score(request.user, v), "只有评估人可以生成报告")
    report = valuations.generate_report(valuation=v, by=request.user)
    messages.success(request, f"已生成评估报告第{report.version}版")
    return redirect("finance:valuation_detail", pk=pk)


@login_required
def report_download(request, pk: int):
    report = get_object_or_404(ValuationReport.objects.select_related("valuation"), pk=pk)
    get_in_scope(Valuation.objects.all(), request.user, pk=report.valuation_id)
    return attachment(bytes(report.content), report.filename, DOCX)


@login_required
@gated(Gate(lambda u: services.is_staff(u) or u.role in (Role.FINANCE_USER, Role.EXPERT)))
def model_weights(request):
    scenario = request.GET.get("scenario") or request.POST.get("scenario") or Scenario.PLEDGE
    if scenario not in Scenario.values:
        scenario = Scenario.PLEDGE
    error = None
    if request.method == "POST":
        weights = {i.code: request.POST.get(f"w_{i.code}", "") for i in vm.INDICATORS}
        try:
            valuations.save_model_version(
                scenario=scenario,
                alpha=request.POST.get("alpha"),
                beta=request.POST.get("beta"),
                gamma=request.POST.get("gamma"),
                weights=weights,
                note=request.POST.get("note", ""),
                by=request.user,
            )
        except InputError as exc:
            error = exc
        else:
            messages.success(request, "已发布新版本权重；此前的评估仍按其原版本计算")
            return redirect(f"{request.path}?scenario={scenario}")
    current = valuations.current_model(scenario=scenario)
    rows = [
        {
            "ind": i,
            "group": i.group,
            "weight": request.POST.get(f"w_{i.code}") if error else current.weights.get(i.code),
        }
        for i in vm.INDICATORS
    ]
    return render(
        request,
        "finance/model_weights.html",
        {
            "standard": vm.NATIONAL_STANDARD,
            "scenario": scenario,
            "scenarios": Scenario.choices,
            "current": current,
            "rows": rows,
            "error": error,
            "versions": ValueModelVersion.objects.filter(scenario=scenario).select_related("created_by"),
            "can_edit": valuations.can_edit_weights(request.user),
            "post": request.POST if error else None,
        },
    )


# ---------------------------------------------------------------- subsidies (on the programme engine)


def _subsidy_qs(request):
    """The user's 贴息 and 保险补贴 applications (programmes.services.applications_for scopes them: an enterprise its
    own, a city bureau its city's, the office all)."""
    qs = programme_services.applications_for(request.user).filter(call__programme__code__in=sp.CODES)
    qs = qs.select_related("call__programme", "organization").prefetch_related("payment_lines__batch")
    f = request.GET
    if f.get("kind") in sp.CODES:
        qs = qs.filter(call__programme__code=f["kind"])
    if f.get("status") in AppStatus.values:
        qs = qs.filter(status=f["status"])
    if f.get("year") and inputs.is_year(f["year"]):
        qs = qs.filter(call__year=int(f["year"]))
    return qs


SUBSIDY_HEADERS = [
    "申报编号",
    "项目",
    "申报单位",
    "属地",
    "年度",
    "所涉事项",
    "实付利息/实缴保费（万元）",
    "核定金额（元）",
    "状态",
    "当前环节",
    "公示期",
    "兑付批次",
]


def _batch_numbers(a) -> str:
    return "、".join(line.batch.number for line in a.payment_lines.all())


@login_required
@gated(Gate(lambda u: services.is_staff(u) or services.is_enterprise_user(u)))
def subsidy_list(request):
    qs = _subsidy_qs(request)
    if request.GET.get("export") == "xlsx":
        services.record_export(what="补助申请导出", reason=request.GET.urlencode())
        rows = (
            [
                a.pk,
                a.call.programme.name,
                a.organization.name,
                display_name(a.region_code),
                a.call.year,
                a.subject_label,
                a.data.get("interest_paid") or a.data.get("premium_paid") or "",
                a.amount,
                a.get_status_display(),
                a.stage_label,
                f"{a.call.notice_start}至{a.call.notice_end}" if a.call.notice_start else "",
                _batch_numbers(a),
            ]
            for a in qs
        )
        return attachment(
            workbook_bytes(
                [
                    Sheet(
                        "贴息与保险补贴申报",
                        SUBSIDY_HEADERS,
                        rows,
                        notes=["核定金额单位：元（按补助政策规则以万元计算后折算）"],
                    )
                ]
            ),
            "subsidies.xlsx",
        )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    user = request.user
    return render(
        request,
        "finance/subsidy_list.html",
        {
            "page": page,
            "statuses": AppStatus.choices,
            "kinds": [(t.code, t.name) for t in ProgrammeType.objects.filter(code__in=sp.CODES)],
            "f": request.GET,
            "query": query.urlencode(),
            "can_apply": services.is_enterprise_user(user),
            "open_calls": _open_calls(),
            "can_administer": services.can_administer_subsidies(user),
        },
    )


def _open_calls():
    today = timezone.localdate()
    return Call.objects.filter(programme__code__in=sp.CODES, opens_on__lte=today, closes_on__gte=today).select_related(
        "programme"
    )


@login_required
def subsidy_new(request):
    """Applying is the engine's: to the open call of the programme (质押融资贴息 or 专利保险补贴)."""
    _require(services.is_enterprise_user(request.user), "只有企业用户可以申请")
    kind = request.GET.get("kind")
    code = {"interest": sp.PLEDGE_INTEREST, "premium": sp.PATENT_INSURANCE}.get(kind, kind)
    call = _open_calls().filter(programme__code=code if code in sp.CODES else sp.PLEDGE_INTEREST).first()
    if call is None:
        messages.warning(request, "当前没有开放申报的贴息或保险补贴，请关注省局发布的年度申报通知")
        return redirect("programmes:index")
    return redirect("programmes:call", pk=call.pk)


@login_required
def subsidy_detail(request, pk: int):
    """An application is the engine's record: its page is the programme application page."""
    a = get_in_scope(sp.subsidy_applications(), request.user, pk=pk)
    return redirect("programmes:application", pk=a.pk)


def public_notice(request):
    """The 公示 of 贴息 and 保险补贴 (open to everyone): each call's notice page on the engine, with its objection form."""
    today = timezone.localdate()
    calls = Call.objects.filter(programme__code__in=sp.CODES, notice_start__isnull=False).select_related("programme")
    return render_page(
        request,
        "finance/public_notice.html",
        {
            "current": calls.filter(notice_end__gte=today, notice_closed=False).order_by("notice_end", "pk"),
            "recent": calls.exclude(notice_end__gte=today, notice_closed=False).order_by("-notice_end", "pk")[:20],
        },
    )


@login_required
@gated(Gate(services.is_staff))
def rule_list(request):
    error = None
    if request.method == "POST":
        try:
            subsidies.save_rule(by=request.user, data=request.POST)
        except InputError as exc:
            error = exc
        else:
            messages.success(request, "政策规则已发布（同地区、同年度、同类型的旧版本自动停用）")
            return redirect("finance:rules")
    rules = SubsidyRule.objects.all()
    return render(
        request,
        "finance/rules.html",
        {
            "rules": [
                (
                    r,
                    subsidies.rule_text(r),
                    subsidies.rule_region(r),
                )
                for r in rules
            ],
            "error": error,
            "v": request.POST if error else {"year": timezone.localdate().year, "region_code": "370000"},
            "kinds": SubsidyKind.choices,
            "modes": RuleMode.choices,
            "can_edit": services.is_reviewer(request.user),
        },
    )


def _visible_subsidies(user):
    return restrict(sp.subsidy_applications(), user)


@login_required
@gated(Gate(services.is_staff))
def batch_list(request):
    """集中兑付 batches that pay 贴息 or 保险补贴 (made on the engine's call page, also together with 专利资助); a city
    bureau sees the batches that pay its own city's applications."""
    batches = (
        EnginePaymentBatch.objects.filter(lines__applications__in=_visible_subsidies(request.user))
        .select_related("call")
        .distinct()
    )
    return render(
        request,
        "finance/batches.html",
        {
            "batches": batches,
            "unpaid": [c for c in programme_services.calls_with_unpaid() if c.programme.code in sp.CODES],
            "office": programme_services.is_office(request.user),
        },
    )


@login_required
def batch_detail(request, pk: int):
    """A batch as the finance office's sheet: the office's page is the engine's; a city bureau sees its own lines."""
    _require(services.is_staff(request.user))
    batch = get_object_or_404(
        EnginePaymentBatch.objects.filter(lines__applications__call__programme__code__in=sp.CODES).distinct(), pk=pk
    )
    if not batch.lines.filter(applications__in=_visible_subsidies(request.user)).exists():
        raise PermissionDenied("该兑付批次没有您所辖地区的申报")
    if programme_services.is_office(request.user):
        target = reverse("programmes:batch", kwargs={"pk": batch.pk})
        return redirect(target + ("?export=xlsx" if request.GET.get("export") == "xlsx" else ""))
    sheet = programme_services.batch_sheet(batch, visible=restrict(Application.objects.all(), request.user))
    if request.GET.get("export") == "xlsx":
        services.record_export(what=f"兑付批次{batch.number}导出（本地区）")
        return attachment(workbook_bytes([sheet]), f"payment-batch-{batch.number}.xlsx")
    return render(request, "finance/batch_detail.html", {"batch": batch, "sheet": sheet})


# ---------------------------------------------------------------- risk compensation fund


@login_required
@gated(Gate(lambda u: services.is_staff(u) or u.role == Role.FINANCE_USER))
def fund(request):
    funds = []
    for f in RiskFund.objects.all():
        loans = restrict(CoveredLoan.objects.filter(fund=f), request.user).select_related("pledge__pledgor", "bank")
        reports = restrict(DefaultReport.objects.filter(loan__fund=f), request.user).select_related(
            "loan__pledge__pledgor", "loan__bank"
        )
        funds.append(
            {
                "fund": f,
                "balance": subsidies.fund_balance(f),
                "committed": subsidies.committed(f),
                "loans": loans,
                "reports": reports,
                "contributions": f.contributions.all(),
                "covered_total": loans.aggregate(s=Sum("principal"))["s"],
            }
        )
    return render(
        request,
        "finance/fund.html",
        {
            "funds": funds,
            "is_reviewer": services.is_reviewer(request.user),
            "bank_org": request.user.organization_id if services.is_bank_user(request.user) else None,
        },
    )


@action_view
def fund_action(request):
    action = request.POST.get("action")
    if action == "default":
        loan = get_in_scope(CoveredLoan.objects.select_related("fund"), request.user, pk=request.POST.get("loan") or 0)
        subsidies.report_default(
            loan=loan,
            by=request.user,
            outstanding=request.POST.get("outstanding"),
            recovered=request.POST.get("recovered") or 0,
            description=request.POST.get("description", ""),
        )
    elif action in ("approve", "reject", "pay"):
        report = get_in_scope(
            DefaultReport.objects.select_related("loan__fund"), request.user, pk=request.POST.get("report") or 0
        )
        if action == "pay":
            subsidies.pay_default(report=report, by=request.user)
        else:
            subsidies.decide_default(
                report=report, by=request.user, approve=action == "approve", reason=request.POST.get("reason", "")
            )
    elif action == "contribute":
        f = get_object_or_404(RiskFund, pk=request.POST.get("fund") or 0)
        subsidies.add_contribution(
            fund=f,
            by=request.user,
            amount=request.POST.get("amount"),
            source=request.POST.get("source", ""),
            date=parse_date(request.POST.get("date"), field="date", label="到账日期", required=False),
        )
    else:
        raise InputError(f"未知的操作“{action}”", field="action")
    messages.success(request, "已办理")
    return redirect("finance:fund")
