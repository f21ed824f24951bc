"""Pages of 质押融资与价值评估 (thin: parsing, scope checks and rendering; rules live in services / valuations / subsidies)."""
from __future__ import annotations

from functools import wraps

from django.utils import timezone
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ipplatform.core import inputs
from ipplatform.core.inputs import InputError
from ipplatform.core.enums import OrgKind, Role, STAFF_ROLES
from ipplatform.core.models import Organization, TechField
from ipplatform.core.regions import name_of
from ipplatform.core.scopes import get_in_scope, restrict
from ipplatform.core.workflow import history
from ipplatform.core.downloads import DOCX, attachment
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import indicators as ind
from . import services, subsidies, valuations
from . import value_model as vm
from .enums import PledgeState, RuleMode, Scenario, SubsidyKind, SubsidyState
from .models import (
    CoveredLoan, DefaultReport, PaymentBatch, Pledge, RiskFund, SubsidyApplication, SubsidyObjection, SubsidyRule, Valuation,
    ValuationItem, ValuationReport, ValueModelVersion,
)

PLEDGOR_KINDS = (OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE)


def _date(value, label: str, field: str):
    return inputs.parse_date(value, field=field, label=label, required=False)


def _require(ok: bool, message: str = "您的角色无权使用此功能") -> None:
    if not ok:
        raise PermissionDenied(message)


def _staff(user) -> bool:
    return user.is_superuser or user.role in STAFF_ROLES


def _history(obj) -> list[dict]:
    """Workflow history with state labels."""
    labels = {str(k): str(v) for k, v in type(obj)._meta.get_field("state").choices}
    return [{"at": h.at, "actor_name": h.actor_name, "source": labels.get(h.source, h.source), "target": labels.get(h.target, h.target),
             "reason": h.reason, "transition": h.transition} for h in history(obj)]


def action_view(func):
    """POST actions: an InputError becomes a Chinese message on the page it came from."""

    @wraps(func)
    def wrapper(request, *args, **kwargs):
        try:
            return func(request, *args, **kwargs)
        except InputError as exc:
            messages.error(request, exc.message)
            return redirect(inputs.back_url(request, reverse("finance:home")))

    return login_required(require_POST(wrapper))


# ---------------------------------------------------------------- overview


@login_required
def home(request):
    user = request.user
    pledges = restrict(Pledge.objects.all(), user)
    apps = restrict(SubsidyApplication.objects.all(), user)
    by_state = dict(pledges.values_list("state").annotate(n=Count("pk")))
    todo = []
    if services.is_reviewer(user):
        for p in pledges.filter(state__in=[PledgeState.SUBMITTED, PledgeState.RESUBMITTED]).select_related("pledgor").order_by("due_on"):
            todo.append({"url": f"/finance/pledges/{p.pk}/", "text": f"质押登记审查：{p.pledgor.name}", "due": p.due_on,
                         "late": p.due_on and p.due_on < timezone.localdate()})
        for a in apps.filter(state__in=[SubsidyState.SUBMITTED, SubsidyState.NOTICE]).select_related("applicant"):
            todo.append({"url": f"/finance/subsidies/{a.pk}/", "text": f"{a.get_kind_display()}：{a.applicant.name}（{a.get_state_display()}）",
                         "due": a.notice_end, "late": False})
    if services.is_enterprise_user(user):
        for p in pledges.filter(state=PledgeState.DRAFT, pledgor=user.organization).select_related("pledgee"):
            todo.append({"url": f"/finance/pledges/{p.pk}/", "text": f"请确认{p.pledgee.name}提交的质押登记", "due": None, "late": False})
    if services.is_bank_user(user):
        for p in pledges.filter(state=PledgeState.DEFECT, pledgee=user.organization).select_related("pledgor"):
            todo.append({"url": f"/finance/pledges/{p.pk}/", "text": f"补正通知：{p.pledgor.name}", "due": None, "late": False})
    registered = pledges.filter(registered_on__isnull=False)
    totals = registered.aggregate(n=Count("pk"), amount=Sum("debt_amount"))
    return render(request, "finance/home.html", {
        "by_state": [(PledgeState(s).label, by_state.get(s, 0), s) for s in PledgeState.values], "todo": todo, "totals": totals,
        "active": pledges.filter(state=PledgeState.REGISTERED).count(),
        "subsidy_total": apps.filter(state__in=[SubsidyState.APPROVED, SubsidyState.PAID]).aggregate(s=Sum("amount"))["s"],
        "valuations": restrict(Valuation.objects.all(), user).count(),
        "is_bank": services.is_bank_user(user), "is_reviewer": services.is_reviewer(user), "is_enterprise": services.is_enterprise_user(user),
    })


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
        qs = qs.filter(Q(number__icontains=term) | Q(pledgor__name__icontains=term) | Q(items__patent__id__icontains=services.normalize_number(term))
                       | Q(items__patent__title__icontains=term)).distinct()
    for key, lookup in (("from", "registered_on__gte"), ("to", "registered_on__lte")):
        if f.get(key):
            try:
                qs = qs.filter(**{lookup: inputs.parse_date(f[key], field=key, label="日期")})
            except InputError as exc:
                messages.error(request, exc.message)
    return qs


@login_required
def pledge_list(request):
    qs = _pledge_queryset(request)
    if request.GET.get("export") == "xlsx":
        services.record_export(what="质押登记簿导出", reason=request.GET.urlencode())
        sheet = Sheet("专利权质押登记簿", services.REGISTRY_HEADERS, services.registry_rows(qs.order_by("registered_on", "pk")),
                      notes=["专利权质押登记簿（平台导出）；金额单位：万元"])
        return attachment(workbook_bytes([sheet]), "pledge-registry.xlsx")
    page = Paginator(qs.annotate(n_patents=Count("items")).order_by("-created_at"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    banks = Organization.objects.filter(kind=OrgKind.BANK).order_by("name")
    cities = sorted({c for c in restrict(Pledge.objects.all(), request.user).values_list("city_code", flat=True) if c})
    return render(request, "finance/pledge_list.html", {
        "page": page, "states": PledgeState.choices, "banks": banks, "cities": [(c, name_of(c) or c) for c in cities],
        "query": query.urlencode(), "f": request.GET, "can_create": services.is_bank_user(request.user)})


@login_required
def pledge_stats(request):
    _require(_staff(request.user) or request.user.role == Role.FINANCE_USER)
    stats = services.registry_stats(qs=_pledge_queryset(request))
    if request.GET.get("export") == "xlsx":
        services.record_export(what="质押统计导出", reason=request.GET.urlencode())
        return attachment(workbook_bytes(services.export_stats(stats=stats)), "pledge-statistics.xlsx")
    month = stats["month"]
    option = {
        "tooltip": {"trigger": "axis"}, "legend": {"data": ["笔数", "金额（万元）"]},
        "xAxis": {"type": "category", "data": [r[0] for r in month]},
        "yAxis": [{"type": "value", "name": "笔数"}, {"type": "value", "name": "万元"}],
        "series": [{"name": "笔数", "type": "bar", "data": [r[1] for r in month]},
                   {"name": "金额（万元）", "type": "line", "yAxisIndex": 1, "data": [float(r[2]) for r in month]}],
    }
    query = request.GET.copy()
    return render(request, "finance/pledge_stats.html", {"stats": stats, "option": option, "notes": services.STATS_NOTES,
                                                          "query": query.urlencode(), "f": request.GET})


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
        "contract_date": _date(post.get("contract_date"), "合同签订日", "contract_date"),
        "debt_amount": post.get("debt_amount", "").strip() or None,
        "debt_start": _date(post.get("debt_start"), "债务履行期起", "debt_start"),
        "debt_end": _date(post.get("debt_end"), "债务履行期止", "debt_end"),
        "disbursed_on": _date(post.get("disbursed_on"), "放款日", "disbursed_on"),
        "security_scope": post.get("security_scope", "").strip(),
        "co_owner_consent": bool(post.get("co_owner_consent")),
        "risks_confirmed": bool(post.get("risks_confirmed")),
    }
    if post.get("loan_rate"):
        data["loan_rate"] = inputs.parse_decimal(post["loan_rate"], field="loan_rate", label="贷款年利率（%）", min_value=0,
                                                 max_value=100, places=3, rounding=True)
    if post.get("valuation"):
        valuation = inputs.parse_id(post["valuation"], field="valuation", label="估值记录")
        data["valuation"] = restrict(Valuation.objects.all(), request.user).filter(pk=valuation).first()
    return data


def _pledge_form_context(request, pledge=None, **extra):
    return {"pledgors": Organization.objects.filter(kind__in=PLEDGOR_KINDS, is_active=True).order_by("kind", "name"),
            "valuations": restrict(Valuation.objects.filter(pvd__isnull=False), request.user)[:100], "pledge": pledge,
            "threshold": services.EXCEL_THRESHOLD, "v": request.POST or {}, **extra}


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
            if len(patents) > services.EXCEL_THRESHOLD and not request.FILES.get("patent_file"):
                raise InputError(f"出质专利超过{services.EXCEL_THRESHOLD}件时请使用Excel专利清单导入", field="patent_file")
            if errors and request.POST.get("mode") != "partial":
                raise InputError(f"专利清单有{len(errors)}行错误，未提交任何内容（可改正后重新提交，或选择“仅提交正确的行”）", field="patent_file")
            pledge = services.create_pledge(by=request.user, pledgor=pledgor, patents=patents, data=_pledge_data(request))
        except InputError as exc:
            return render(request, "finance/pledge_form.html", _pledge_form_context(request, error=exc, row_errors=errors))
        if errors:
            messages.warning(request, f"已按正确的{len(patents)}件专利提交，{len(errors)}行有误未纳入：" +
                             "；".join(f"第{e['line']}行 {e['value']} {e['reason']}" for e in errors[:20]))
        messages.success(request, "质押登记已创建，已通知出质人确认")
        return redirect("finance:pledge_detail", pk=pledge.pk)
    return render(request, "finance/pledge_form.html", _pledge_form_context(request))


@login_required
def pledge_edit(request, pk: int):
    pledge = get_in_scope(Pledge.objects.select_related("pledgor", "pledgee"), request.user, pk=pk)
    _require(services.is_bank_user(request.user) and request.user.organization_id == pledge.pledgee_id, "只有质权人银行可以修改")
    if request.method == "POST":
        errors = []
        try:
            patents, errors = _pledge_patents(request)
            if errors:
                raise InputError(f"专利清单有{len(errors)}行错误，未作修改", field="patent_file")
            services.update_pledge(pledge=pledge, by=request.user, data=_pledge_data(request), patents=patents or None)
        except InputError as exc:
            return render(request, "finance/pledge_form.html", _pledge_form_context(request, pledge, error=exc, row_errors=errors))
        messages.success(request, "登记内容已修改")
        return redirect("finance:pledge_detail", pk=pledge.pk)
    initial = {k: getattr(pledge, k) or "" for k in ("contract_number", "contract_date", "debt_amount", "debt_start", "debt_end",
                                                     "loan_rate", "disbursed_on", "security_scope")}
    initial.update(co_owner_consent=pledge.co_owner_consent, risks_confirmed=pledge.risks_confirmed, valuation=pledge.valuation_id or "",
                   patent_numbers="\n".join(i.patent.display_number for i in pledge.items.select_related("patent")))
    ctx = _pledge_form_context(request, pledge)
    ctx["v"] = initial
    return render(request, "finance/pledge_form.html", ctx)


@login_required
def pledge_template(request):
    data = workbook_bytes([Sheet("出质专利清单", services.PATENT_LIST_HEADERS, [], notes=[])])
    return attachment(data, "pledge-patent-list-template.xlsx")


@login_required
def pledge_detail(request, pk: int):
    pledge = get_in_scope(Pledge.objects.select_related("pledgor", "pledgee", "valuation", "created_by"), request.user, pk=pk)
    user = request.user
    items = list(pledge.items.select_related("patent").prefetch_related("patent__applicant_links__applicant", "patent__legal_events"))
    fields = dict(TechField.objects.values_list("number", "name_zh"))
    rows = [{"item": i, "patent": i.patent, "field": fields.get(i.tech_field, "—"),
             "owners": "；".join(a.name for a in services.applicants_of(i.patent)),
             "co_owners": services.co_owners(organization=pledge.pledgor, patent=i.patent),
             "exclusive": services.exclusive_licence(patent_id=i.patent_id)} for i in items]
    live = [c.as_dict() for c in services.check_pledge(pledge)] if pledge.state in (
        PledgeState.DRAFT, PledgeState.SUBMITTED, PledgeState.RESUBMITTED, PledgeState.DEFECT) else pledge.checks
    is_pledgee = services.is_bank_user(user) and user.organization_id == pledge.pledgee_id
    is_pledgor = services.is_enterprise_user(user) and user.organization_id == pledge.pledgor_id
    reviewer = services.is_reviewer(user)
    s = pledge.state
    return render(request, "finance/pledge_detail.html", {
        "pledge": pledge, "rows": rows, "checks": live, "history": _history(pledge), "changes": pledge.changes.all(),
        "events": [(r["patent"], [e for e in r["patent"].legal_events.all() if e.reference == f"finance.pledge:{pledge.pk}"]) for r in rows],
        "can_confirm": is_pledgor and s == PledgeState.DRAFT, "can_edit": is_pledgee and s in (PledgeState.DRAFT, PledgeState.DEFECT),
        "can_resubmit": (is_pledgee or is_pledgor) and s == PledgeState.DEFECT,
        "can_review": reviewer and s in (PledgeState.SUBMITTED, PledgeState.RESUBMITTED),
        "can_refuse": reviewer and s in (PledgeState.SUBMITTED, PledgeState.RESUBMITTED, PledgeState.DEFECT),
        "can_manage": (reviewer or is_pledgee) and s == PledgeState.REGISTERED, "changeable": services.CHANGEABLE,
        "can_record_cnipa": (reviewer or is_pledgee) and s == PledgeState.REGISTERED and not pledge.cnipa_registered_on,
        "late": pledge.due_on and s in (PledgeState.SUBMITTED, PledgeState.RESUBMITTED) and pledge.due_on < timezone.localdate(),
        "funds": RiskFund.objects.all() if s == PledgeState.REGISTERED and not hasattr(pledge, "covered_loan") else [],
        "rules": services.RULES, "effects": services.EFFECT_LABELS,
        "valuation_url": (f"/finance/valuations/new/?pledge={pledge.pk}&organization={pledge.pledgor_id}&patents="
                          + "%0A".join(r["patent"].pk for r in rows))
        if is_pledgee and s in (PledgeState.DRAFT, PledgeState.DEFECT) and not pledge.valuation_id else "",
    })


@action_view
def pledge_action(request, pk: int):
    pledge = get_in_scope(Pledge.objects.select_related("pledgor", "pledgee"), request.user, pk=pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "").strip()
    kwargs = {}
    if action == "confirm":
        kwargs = {"co_owner_consent": bool(request.POST.get("co_owner_consent")), "risks_confirmed": bool(request.POST.get("risks_confirmed"))}
    elif action in ("defect", "refuse", "register", "resubmit", "dispose"):
        kwargs = {"reason": reason}
    elif action == "cancel":
        kwargs = {"reason": reason, "repaid_on": _date(request.POST.get("repaid_on"), "还清日", "repaid_on")}
    elif action == "change":
        changes = {"debt_amount": request.POST.get("debt_amount", "").strip(), "debt_end": _date(request.POST.get("debt_end"), "债务履行期止", "debt_end"),
                   "security_scope": request.POST.get("security_scope", "").strip()}
        services.change_pledge(pledge=pledge, by=request.user, changes=changes, reason=reason)
        messages.success(request, "变更登记已办理")
        return redirect("finance:pledge_detail", pk=pk)
    elif action == "cnipa":
        services.record_cnipa_registration(pledge=pledge, by=request.user, registration_no=request.POST.get("registration_no", ""),
                                           registered_on=request.POST.get("registered_on", ""))
        messages.success(request, "已登记国家知识产权局质押登记，质权自该登记日设立")
        return redirect("finance:pledge_detail", pk=pk)
    elif action == "cover":
        fund = get_object_or_404(RiskFund, pk=request.POST.get("fund") or 0)
        subsidies.cover_loan(fund=fund, pledge=pledge, by=request.user)
        messages.success(request, f"已纳入“{fund.name}”")
        return redirect("finance:pledge_detail", pk=pk)
    services.act(pledge=pledge, action=action, by=request.user, **kwargs)
    messages.success(request, f"已办理：{pledge.status_text}")
    return redirect("finance:pledge_detail", pk=pk)


# ---------------------------------------------------------------- valuations


@login_required
def valuation_list(request):
    qs = restrict(Valuation.objects.all(), request.user).select_related("organization", "model_version", "created_by").annotate(n=Count("items")).order_by("-created_at")
    if request.GET.get("export") == "xlsx":
        services.record_export(what="价值评估清单导出")
        rows = ([v.pk, v.title, v.get_scenario_display(), v.organization.name if v.organization else "", v.n, v.as_of, v.lvd, v.tvd, v.evd, v.pvd,
                 vm.grade(v.pvd), v.composite_index, str(v.model_version), v.get_state_display()] for v in qs)
        return attachment(workbook_bytes([Sheet("专利价值评估", ["编号", "名称", "场景", "委托单位", "专利数", "基准日", "LVD", "TVD", "EVD", "PVD", "评级",
                                                       "综合指数", "模型版本", "状态"], rows)]), "valuations.xlsx")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "finance/valuation_list.html", {"page": page, "can_create": valuations.can_appraise(request.user)})


@login_required
def valuation_new(request):
    _require(valuations.can_appraise(request.user), "您的角色不能开展专利价值评估")
    if request.method == "POST":
        typed = services.parse_patent_numbers(request.POST.get("patent_numbers", ""))
        try:
            if typed.errors:
                raise InputError("；".join(f"第{e['line']}项 {e['value']}：{e['reason']}" for e in typed.errors), field="patent_numbers")
            org = Organization.objects.filter(pk=request.POST.get("organization") or 0).first()
            v = valuations.create_valuation(by=request.user, title=request.POST.get("title", ""), scenario=request.POST.get("scenario", ""),
                                            patents=typed.patents, organization=org, as_of=_date(request.POST.get("as_of"), "评估基准日", "as_of"))
        except InputError as exc:
            return render(request, "finance/valuation_form.html", {"error": exc, "v": request.POST, "scenarios": Scenario.choices,
                                                                    "orgs": Organization.objects.filter(kind__in=PLEDGOR_KINDS)})
        link = request.POST.get("pledge")
        if link and inputs.is_id(link):
            pledge = restrict(Pledge.objects.all(), request.user).filter(pk=link, pledgee_id=request.user.organization_id,
                                                                         state__in=[PledgeState.DRAFT, PledgeState.DEFECT]).first()
            if pledge is not None:
                pledge.valuation = v
                pledge.save(update_fields=["valuation", "updated_at"])
                messages.info(request, f"评估完成后，报告将作为质押登记{pledge.display_number}的价值评估报告")
        first = v.items.first()
        return redirect("finance:valuation_score", pk=v.pk, item=first.pk)
    initial = {"patent_numbers": request.GET.get("patents", ""), "scenario": request.GET.get("scenario", Scenario.PLEDGE),
               "organization": request.GET.get("organization", ""), "pledge": request.GET.get("pledge", "")}
    return render(request, "finance/valuation_form.html", {"v": initial, "scenarios": Scenario.choices,
                                                            "orgs": Organization.objects.filter(kind__in=PLEDGOR_KINDS)})


@login_required
def valuation_detail(request, pk: int):
    v = get_in_scope(Valuation.objects.select_related("organization", "valuer_org", "model_version", "created_by"), request.user, pk=pk)
    items = list(v.items.select_related("patent"))
    return render(request, "finance/valuation_detail.html", {
        "v": v, "items": items, "grade": vm.grade(v.pvd), "reports": v.reports.defer("content"), "pledges": v.pledges.all(),
        "can_score": request.user.is_superuser or v.created_by_id == request.user.pk or services.is_reviewer(request.user),
        "note": ind.COMPOSITE_NOTE, "item_grades": {i.pk: vm.grade(i.pvd) for i in items}})


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
            return redirect("finance:valuation_score", pk=v.pk, item=nxt.pk) if nxt else redirect("finance:valuation_detail", pk=v.pk)
    current = dict(it.scores or {})
    suggested = valuations.suggested_scores(it)
    if request.method == "POST":
        current = {i.code: request.POST.get(f"s_{i.code}") for i in vm.INDICATORS}
    data = it.indicators or {}
    fields = dict(TechField.objects.values_list("number", "name_zh"))
    indicator_rows = [{"label": label, "unit": unit, "value": data.get("values", {}).get(code), "max": data.get("maxima", {}).get(code),
                       "norm": data.get("normalised", {}).get(code), "in_index": in_index} for code, label, unit, in_index in ind.INDICATORS]
    groups = []
    for g, label in (("legal", "法律价值度（LVD）"), ("technical", "技术价值度（TVD）"), ("economic", "经济价值度（EVD）")):
        rows = []
        for i in vm.INDICATORS:
            if i.group != g:
                continue
            value = current.get(i.code, suggested.get(i.code))
            rows.append({"ind": i, "weight": v.model_version.weights.get(i.code), "value": "" if value is None else str(value),
                         "suggested": suggested.get(i.code), "comment": (it.comments or {}).get(i.code, ""),
                         "levels": [(lvl, i.guidance[lvl]) for lvl in vm.SCORE_LEVELS]})
        groups.append({"label": label, "rows": rows})
    return render(request, "finance/valuation_score.html", {
        "v": v, "it": it, "groups": groups, "error": error, "indicator_rows": indicator_rows, "data": data,
        "field": fields.get(data.get("field"), "未能确定技术领域"), "note": ind.COMPOSITE_NOTE, "items": v.items.select_related("patent"),
        "m": v.model_version,
        "can_score": request.user.is_superuser or v.created_by_id == request.user.pk or services.is_reviewer(request.user)})


@action_view
def valuation_report(request, pk: int):
    v = get_in_scope(Valuation.objects.all(), request.user, pk=pk)
    _require(request.user.is_superuser or v.created_by_id == request.user.pk or services.is_reviewer(request.user), "只有评估人可以生成报告")
    report = valuations.generate_report(valuation=v, by=request.user)
    messages.success(request, f"已生成评估报告第{report.version}版")
    return redirect("finance:valuation_detail", pk=pk)


@login_required
def report_download(request, pk: int):
    report = get_object_or_404(ValuationReport.objects.select_related("valuation"), pk=pk)
    get_in_scope(Valuation.objects.all(), request.user, pk=report.valuation_id)
    return attachment(bytes(report.content), report.filename, DOCX)


@login_required
def model_weights(request):
    _require(_staff(request.user) or request.user.role in (Role.FINANCE_USER, Role.EXPERT))
    scenario = request.GET.get("scenario") or request.POST.get("scenario") or Scenario.PLEDGE
    if scenario not in Scenario.values:
        scenario = Scenario.PLEDGE
    error = None
    if request.method == "POST":
        weights = {i.code: request.POST.get(f"w_{i.code}", "") for i in vm.INDICATORS}
        try:
            valuations.save_model_version(scenario=scenario, alpha=request.POST.get("alpha"), beta=request.POST.get("beta"),
                                          gamma=request.POST.get("gamma"), weights=weights, note=request.POST.get("note", ""), by=request.user)
        except InputError as exc:
            error = exc
        else:
            messages.success(request, "已发布新版本权重；此前的评估仍按其原版本计算")
            return redirect(f"{request.path}?scenario={scenario}")
    current = valuations.current_model(scenario=scenario)
    rows = [{"ind": i, "group": i.group, "weight": request.POST.get(f"w_{i.code}") if error else current.weights.get(i.code)} for i in vm.INDICATORS]
    return render(request, "finance/model_weights.html", {"standard": vm.NATIONAL_STANDARD,
        "scenario": scenario, "scenarios": Scenario.choices, "current": current, "rows": rows, "error": error,
        "versions": ValueModelVersion.objects.filter(scenario=scenario).select_related("created_by"),
        "can_edit": valuations.can_edit_weights(request.user), "post": request.POST if error else None})


# ---------------------------------------------------------------- subsidies


def _subsidy_qs(request):
    qs = restrict(SubsidyApplication.objects.all(), request.user).select_related("applicant", "rule", "pledge", "batch")
    if request.GET.get("state"):
        qs = qs.filter(state=request.GET["state"])
    if request.GET.get("kind"):
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("year"):
        qs = qs.filter(year=request.GET["year"]) if inputs.is_id(request.GET["year"]) else qs
    return qs


SUBSIDY_HEADERS = ["编号", "类型", "企业", "所在地市", "年度", "质押登记号", "贷款金额", "实付利息", "实缴保费", "适用政策", "核定金额（万元）", "状态",
                   "公示期", "兑付批次"]


@login_required
def subsidy_list(request):
    _require(_staff(request.user) or services.is_enterprise_user(request.user))
    qs = _subsidy_qs(request)
    if request.GET.get("export") == "xlsx":
        services.record_export(what="补助申请导出", reason=request.GET.urlencode())
        rows = ([a.pk, a.get_kind_display(), a.applicant.name, name_of(a.region_code[:4] + "00"), a.year, a.pledge.number if a.pledge else "",
                 a.loan_amount, a.interest_paid, a.premium_paid, str(a.rule or ""), a.amount, a.get_state_display(),
                 f"{a.notice_start}至{a.notice_end}" if a.notice_start else "", a.batch.number if a.batch else ""] for a in qs)
        return attachment(workbook_bytes([Sheet("贴息与保费补助申请", SUBSIDY_HEADERS, rows, notes=["金额单位：万元"])]), "subsidies.xlsx")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "finance/subsidy_list.html", {"page": page, "states": SubsidyState.choices, "kinds": SubsidyKind.choices,
                                                          "f": request.GET, "query": query.urlencode(),
                                                          "can_apply": services.is_enterprise_user(request.user)})


@login_required
def subsidy_new(request):
    _require(services.is_enterprise_user(request.user), "只有企业用户可以申请")
    org = request.user.organization
    kind = request.POST.get("kind") or request.GET.get("kind") or SubsidyKind.INTEREST
    pledges = Pledge.objects.filter(pledgor=org, registered_on__isnull=False).select_related("pledgee")
    insurers = Organization.objects.filter(kind=OrgKind.INSURER)
    if request.method == "POST":
        post = request.POST
        try:
            data = {"year": post.get("year"), "bank_account": post.get("bank_account"), "loan_amount": post.get("loan_amount"),
                    "interest_paid": post.get("interest_paid"), "loan_start": _date(post.get("loan_start"), "计息起始日", "loan_start"),
                    "loan_end": _date(post.get("loan_end"), "计息截止日", "loan_end"), "policy_number": post.get("policy_number"),
                    "premium_paid": post.get("premium_paid"),
                    "pledge": pledges.filter(pk=post.get("pledge") or 0).first(), "insurer": insurers.filter(pk=post.get("insurer") or 0).first()}
            app = subsidies.create_application(by=request.user, kind=kind, data=data)
            reasons = subsidies.submit_application(application=app, by=request.user)
        except InputError as exc:
            return render(request, "finance/subsidy_form.html", {"error": exc, "v": post, "kind": kind, "kinds": SubsidyKind.choices,
                                                                  "pledges": pledges, "insurers": insurers, "org": org})
        if reasons:
            messages.warning(request, "申请已提交，但按政策条件不符合：" + "；".join(reasons))
        else:
            messages.success(request, f"申请已提交，按政策计算补助{app.amount}万元，待审核")
        return redirect("finance:subsidy_detail", pk=app.pk)
    rules = [subsidies.select_rule(kind=k, region_code=org.region_code, year=timezone.localdate().year) for k in SubsidyKind.values]
    return render(request, "finance/subsidy_form.html", {"v": {"year": timezone.localdate().year}, "kind": kind, "kinds": SubsidyKind.choices,
                                                          "pledges": pledges, "insurers": insurers, "org": org,
                                                          "rules": [(r, subsidies.rule_text(r)) for r in rules if r]})


@login_required
def subsidy_detail(request, pk: int):
    a = get_in_scope(SubsidyApplication.objects.select_related("applicant", "rule", "pledge", "batch", "insurer"), request.user, pk=pk)
    reviewer = subsidies.can_review(request.user, a)
    return render(request, "finance/subsidy_detail.html", {
        "a": a, "history": _history(a), "objections": a.objections.all(), "can_review": reviewer and a.state == SubsidyState.SUBMITTED,
        "can_notice": reviewer and a.state == SubsidyState.NOTICE, "can_approve": services.is_reviewer(request.user) and a.state == SubsidyState.NOTICE,
        "notice_over": a.notice_end and timezone.localdate() > a.notice_end,
        "can_resubmit": a.state == SubsidyState.RETURNED and request.user.organization_id == a.applicant_id,
        "rule_text": subsidies.rule_text(a.rule) if a.rule else ""})


@action_view
def subsidy_action(request, pk: int):
    a = get_in_scope(SubsidyApplication.objects.select_related("applicant"), request.user, pk=pk)
    action = request.POST.get("action")
    opinion = request.POST.get("opinion", "").strip()
    if action in ("pass", "return", "reject"):
        subsidies.review_application(application=a, by=request.user, decision=action, opinion=opinion)
    elif action == "objection":
        subsidies.record_objection(application=a, by=request.user, objector=request.POST.get("objector", ""), content=request.POST.get("content", ""),
                                   received_on=_date(request.POST.get("received_on"), "收到日期", "received_on"))
    elif action in ("uphold", "dismiss"):
        obj = get_object_or_404(SubsidyObjection, pk=request.POST.get("objection") or 0, application=a)
        subsidies.resolve_objection(objection=obj, by=request.user, upheld=action == "uphold", resolution=request.POST.get("resolution", ""))
    elif action == "approve":
        subsidies.approve_application(application=a, by=request.user, reason=opinion)
    elif action == "resubmit":
        subsidies.submit_application(application=a, by=request.user)
    else:
        raise InputError(f"未知的操作“{action}”", field="action")
    messages.success(request, "已办理")
    return redirect("finance:subsidy_detail", pk=pk)


def public_notice(request):
    """Public notice of subsidies under review (open to everyone, as the notice must be)."""
    today = timezone.localdate()
    current = (SubsidyApplication.objects.filter(state=SubsidyState.NOTICE, notice_end__gte=today)
               .select_related("applicant", "rule").order_by("notice_end", "pk"))
    recent = (SubsidyApplication.objects.filter(notice_start__isnull=False, notice_end__lt=today)
              .select_related("applicant").order_by("-notice_end", "pk")[:50])
    return render(request, "finance/public_notice.html", {"current": current, "recent": recent, "days": subsidies.NOTICE_WORKING_DAYS})


@login_required
def rule_list(request):
    _require(_staff(request.user))
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
    return render(request, "finance/rules.html", {
        "rules": [(r, subsidies.rule_text(r), name_of(r.region_code) or ("全省" if r.region_code == subsidies.PROVINCE else r.region_code)) for r in rules],
        "error": error, "v": request.POST if error else {"year": timezone.localdate().year, "region_code": "370000"},
        "kinds": SubsidyKind.choices, "modes": RuleMode.choices, "can_edit": services.is_reviewer(request.user)})


@login_required
def batch_list(request):
    _require(_staff(request.user))
    if request.method == "POST":
        try:
            ids = [i for i in request.POST.getlist("applications") if inputs.is_id(i)]
            apps = list(restrict(SubsidyApplication.objects.filter(pk__in=ids), request.user))
            batch = subsidies.create_batch(by=request.user, title=request.POST.get("title", ""), applications=apps)
        except InputError as exc:
            messages.error(request, exc.message)
            return redirect("finance:batches")
        messages.success(request, f"已编制兑付批次{batch.number}")
        return redirect("finance:batch_detail", pk=batch.pk)
    ready = restrict(SubsidyApplication.objects.filter(state=SubsidyState.APPROVED, batch__isnull=True), request.user).select_related("applicant", "rule")
    batches = restrict(PaymentBatch.objects.all(), request.user).annotate(n=Count("applications"), total=Sum("applications__amount"))
    return render(request, "finance/batches.html", {"ready": ready, "batches": batches, "can_edit": services.is_reviewer(request.user)})


@login_required
def batch_detail(request, pk: int):
    _require(_staff(request.user))
    batch = get_in_scope(PaymentBatch.objects.all(), request.user, pk=pk)
    if request.GET.get("export") == "xlsx":
        services.record_export(what=f"兑付批次{batch.number}导出")
        return attachment(workbook_bytes([subsidies.batch_sheet(batch, user=request.user)]), f"payment-batch-{batch.number}.xlsx")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "export":
                subsidies.export_batch(batch=batch, by=request.user)
            elif request.POST.get("action") == "paid":
                subsidies.pay_batch(batch=batch, by=request.user, paid_on=_date(request.POST.get("paid_on"), "兑付日", "paid_on"))
        except InputError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已办理")
        return redirect("finance:batch_detail", pk=pk)
    sheet = subsidies.batch_sheet(batch, user=request.user)
    return render(request, "finance/batch_detail.html", {"batch": batch, "sheet": sheet, "history": _history(batch),
                                                          "can_edit": services.is_reviewer(request.user)})


# ---------------------------------------------------------------- risk compensation fund


@login_required
def fund(request):
    _require(_staff(request.user) or request.user.role == Role.FINANCE_USER)
    funds = []
    for f in RiskFund.objects.all():
        loans = restrict(CoveredLoan.objects.filter(fund=f), request.user).select_related("pledge__pledgor", "bank")
        reports = restrict(DefaultReport.objects.filter(loan__fund=f), request.user).select_related("loan__pledge__pledgor", "loan__bank")
        funds.append({"fund": f, "balance": subsidies.fund_balance(f), "committed": subsidies.committed(f), "loans": loans,
                      "reports": reports, "contributions": f.contributions.all(),
                      "covered_total": loans.aggregate(s=Sum("principal"))["s"]})
    return render(request, "finance/fund.html", {"funds": funds, "is_reviewer": services.is_reviewer(request.user),
                                                  "bank_org": request.user.organization_id if services.is_bank_user(request.user) else None})


@action_view
def fund_action(request):
    action = request.POST.get("action")
    if action == "default":
        loan = get_in_scope(CoveredLoan.objects.select_related("fund"), request.user, pk=request.POST.get("loan") or 0)
        subsidies.report_default(loan=loan, by=request.user, outstanding=request.POST.get("outstanding"), recovered=request.POST.get("recovered") or 0,
                                 description=request.POST.get("description", ""))
    elif action in ("approve", "reject", "pay"):
        report = get_in_scope(DefaultReport.objects.select_related("loan__fund"), request.user, pk=request.POST.get("report") or 0)
        if action == "pay":
            subsidies.pay_default(report=report, by=request.user)
        else:
            subsidies.decide_default(report=report, by=request.user, approve=action == "approve", reason=request.POST.get("reason", ""))
    elif action == "contribute":
        f = get_object_or_404(RiskFund, pk=request.POST.get("fund") or 0)
        subsidies.add_contribution(fund=f, by=request.user, amount=request.POST.get("amount"), source=request.POST.get("source", ""),
                                   date=_date(request.POST.get("date"), "到账日期", "date"))
    else:
        raise InputError(f"未知的操作“{action}”", field="action")
    messages.success(request, "已办理")
    return redirect("finance:fund")

