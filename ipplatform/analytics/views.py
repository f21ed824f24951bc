"""Pages of the statistics module: thin wrappers around services (figures) and echarts (chart options)."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipplatform.core import audit
from ipplatform.core.downloads import attachment
from ipplatform.core.enums import STAFF_ROLES, AuditAction, Role, ScopeLevel
from ipplatform.core.inputs import InputError, is_year
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.regions import city_code_of, display_name
from ipplatform.core.scopes import get_in_scope, restrict, scope_of
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import echarts, services
from .enums import Divisions
from .models import StatReport


def allowed_city(user) -> str | None:
    """None for users who may see the whole province; the city code for city and county bureau users."""
    if not (user.is_superuser or user.role in STAFF_ROLES):
        raise PermissionDenied("统计监测仅向省局、市局和县局工作人员开放")
    scope = scope_of(user)
    if scope.level in (ScopeLevel.PROVINCE, ScopeLevel.DEPARTMENT):
        return None
    if scope.level in (ScopeLevel.CITY, ScopeLevel.COUNTY) and scope.region_prefix:
        return city_code_of(scope.region_prefix.ljust(6, "0"))  # the prefix: "3702" (city) or "370211" (county)
    raise PermissionDenied("您的账号未关联地区，无法查看统计")


def _may_see_statistics(user) -> bool:
    allowed_city(user)  # refuses (PermissionDenied with the reason) users outside the bureaus
    return True


STATISTICS_USERS = Gate(_may_see_statistics, "统计监测仅向省局、市局和县局工作人员开放")


def check_city_access(user, city_code: str | None) -> None:
    own = allowed_city(user)
    if own is None:
        return
    if not city_code:
        raise PermissionDenied("市、县局用户只能查看本市统计，请进入本市统计监测")
    if city_code != own:
        raise PermissionDenied("无权查看其他地市的统计：超出您的数据范围")


def is_admin(user) -> bool:
    return user.is_superuser or user.role == Role.PROVINCE_ADMIN


def _params(request) -> dict:
    g = request.GET
    return {
        "year": g.get("year") or None,
        "date_from": g.get("date_from") or None,
        "date_to": g.get("date_to") or None,
        "valid_date": g.get("valid_date") or None,
        "divisions": g.get("divisions") or None,
        "include_synthetic": g.get("synthetic") in ("1", "on", "true"),
    }


def xlsx_response(tables, filename: str, *, only: str | None = None, reason: str = "") -> HttpResponse:
    chosen = [t for t in tables if not only or t.key == only]
    if not chosen:
        raise Http404(f"没有名为“{only}”的表格")
    audit.record(
        AuditAction.EXPORT, object_type="analytics.table", object_repr=f"统计表导出：{filename}", reason=reason
    )
    data = workbook_bytes([Sheet(t.title, t.headers, t.rows, notes=[f"口径：{n}" for n in t.notes]) for t in chosen])
    return attachment(data, f"{filename}.xlsx")


def _query_without(request, *keys) -> str:
    q = request.GET.copy()
    for k in keys:
        q.pop(k, None)
    return q.urlencode()


def _render_dashboard(request, city_code: str | None):
    check_city_access(request.user, city_code)
    params = _params(request)
    template = "analytics/dashboard.html"
    ctx = {
        "city_code": city_code,
        "params": params,
        "years": list(range(timezone.localdate().year, services.FIRST_YEAR - 1, -1)),
        "divisions_choices": Divisions.choices,
        "query": _query_without(request, "export", "table"),
        "is_admin": is_admin(request.user),
        "cities_2015": services.city_list(Divisions.Y2015),
        "own_city": allowed_city(request.user),
    }
    try:
        dash = services.cached_dashboard(city_code=city_code, **params)
    except InputError as exc:
        ctx["error"] = exc
        return render(request, template, ctx, status=400)
    if request.GET.get("export") == "xlsx":
        tables = services.dashboard_tables(dash)
        name = f"stats-{city_code or '370000'}-{dash['period']['start']}-{dash['period']['end']}"
        return xlsx_response(tables, name, only=request.GET.get("table") or None, reason=request.GET.urlencode())
    highlight = city_code or ""

    @functools.cache
    def parts() -> dict:
        """What the dashboard's body shows beyond `dash`: built only when its cached fragment (keyed in
        dashboard.html by scope, filters, query and the admin right) is not there."""
        return {
            "tables": {t.key: t for t in services.dashboard_tables(dash)},
            "trend_option": echarts.trend_option(dash["trend"]),
            "map_option": echarts.map_option(
                dash["cities"],
                divisions=dash["scope"]["divisions"],
                year=dash["period"]["end"].year,
                highlight=highlight,
            ),
            "map": _map(dash),
            "empty": {
                "cities": not any(r["valid_invention"] for r in dash["cities"]),
                "apps": not any(r["invention_applications"] for r in dash["cities"]),
                "entity": not any(r["applications"] for r in dash["entity_split"]),
                "trend": not any(sum(v) for part in ("applications", "grants") for v in dash["trend"][part].values()),
            },
            "rank_option": echarts.ranking_option(
                dash["cities"], key="valid_invention_per_10k", label="万人有效发明专利", highlight=highlight
            ),
            "rank_apps_option": echarts.ranking_option(
                dash["cities"], key="invention_applications", label="发明专利申请量", highlight=highlight
            ),
            "entity_option": echarts.pie_option(dash["entity_split"], title="按申请人类型"),
            "recent": _recent_patents(city_code, dash) if city_code else None,
        }

    ctx["dash"] = dash
    # the template calls these only when it renders the fragment
    ctx.update({key: functools.partial(lambda k: parts()[k], key) for key in PARTS})
    return render(request, template, ctx)


PARTS = ("tables", "trend_option", "map_option", "map", "empty", "rank_option", "rank_apps_option", "entity_option",
         "recent")  # fmt: skip


def _map(dash: dict) -> dict:
    choice = echarts.map_choice(divisions=dash["scope"]["divisions"], year=dash["period"]["end"].year)
    return {
        **choice,
        "note": echarts.map_note(choice, divisions=dash["scope"]["divisions"], year=dash["period"]["end"].year),
    }


def _recent_patents(city_code: str, dash: dict):
    """The latest applications of the city in the period (first applicant's region), for links to the records."""
    from ipplatform.patents.models import Patent

    areas = services.areas_of(city_code, dash["scope"]["divisions"])
    qs = Patent.objects.filter(
        city_code__in=areas, application_date__gte=dash["period"]["start"], application_date__lte=dash["period"]["end"]
    )
    if not dash["include_synthetic"]:
        qs = qs.filter(is_synthetic=False)
    items = list(
        qs.order_by("-application_date", "id").only(
            "id",
            "application_number",
            "publication_number",
            "title",
            "patent_type",
            "application_date",
            "applicants_text",
            "is_synthetic",
        )[:15]
    )
    for p in items:
        try:
            p.detail_url = reverse("search:patent_detail", args=[p.pk])
        except NoReverseMatch:
            p.detail_url = f"/patents/{p.pk}/"
    return items


@login_required
@gated(Gate(lambda u: allowed_city(u) is None, "市、县局用户只能查看本市统计，请进入本市统计监测"))
def province(request):
    return _render_dashboard(request, None)


@login_required
@gated(STATISTICS_USERS)
def city(request, code: str):
    return _render_dashboard(request, code)


@login_required
@gated(STATISTICS_USERS)
def my_city(request):
    """Landing page: a city or county bureau user goes to its own city, provincial users to the province."""
    own = allowed_city(request.user)
    url = reverse("analytics:city", args=[own]) if own else reverse("analytics:province")
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@login_required
@gated(Gate(lambda u: allowed_city(u) is None, "区域发展评价由省局使用；市局请查看本市统计监测中的全省位次"))
def comparison(request):
    params = _params(request)
    ctx = {
        "params": params,
        "years": list(range(timezone.localdate().year, services.FIRST_YEAR, -1)),
        "divisions_choices": Divisions.choices,
        "is_admin": is_admin(request.user),
        "query": _query_without(request, "export", "table"),
    }
    try:
        comp = services.cached_comparison(
            year=params["year"], divisions=params["divisions"], include_synthetic=params["include_synthetic"]
        )
    except InputError as exc:
        ctx["error"] = exc
        return render(request, "analytics/comparison.html", ctx, status=400)
    tables = services.comparison_tables(comp)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(tables, f"comparison-{comp['year']}", reason=request.GET.urlencode())
    ctx.update(
        {
            "comp": comp,
            "table": tables[0],
            "index_option": echarts.index_option(comp["rows"]),
            "weights": services.ensure_weights(),
        }
    )
    return render(request, "analytics/comparison.html", ctx)


@login_required
@require_POST
def weights_update(request):
    if not is_admin(request.user):
        raise PermissionDenied("只有系统管理员可以修改综合指数权重")
    try:
        services.update_weights(values=request.POST, user=request.user)
        messages.success(request, "权重已保存（修改已记入审计日志）")
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('analytics:comparison')}?{request.POST.get('back', '')}")


@login_required
@gated(STATISTICS_USERS)
def reports(request):
    own = allowed_city(request.user)
    if request.method == "POST":
        city_code = request.POST.get("city") or None
        if own is not None:
            city_code = own
        try:
            report = services.request_report(
                year=request.POST.get("year"),
                city_code=city_code,
                divisions=request.POST.get("divisions"),
                include_synthetic=request.POST.get("synthetic") in ("1", "on"),
                user=request.user,
            )
        except InputError as exc:
            messages.error(request, exc.message)
            return redirect("analytics:reports")
        return redirect("core:job", pk=report.job_id)
    items = (
        restrict(StatReport.objects.select_related("created_by"), request.user)
        if own
        else StatReport.objects.select_related("created_by")
    )
    return render(
        request,
        "analytics/reports.html",
        {
            "items": items[:100],
            "own_city": own,
            "cities": services.city_list(Divisions.Y2015),
            "years": list(range(timezone.localdate().year, services.FIRST_YEAR - 1, -1)),
            "default_year": services.default_year(),
            "divisions_choices": Divisions.choices,
        },
    )


@login_required
def report_download(request, pk: int):
    own = allowed_city(request.user)
    qs = StatReport.objects.all()
    report = get_in_scope(qs, request.user, pk=pk) if own else qs.filter(pk=pk).first()
    if report is None:
        raise Http404("报告不存在")
    path = services.report_path(report)
    if path is None:
        raise Http404("报告尚未生成或文件已不存在")
    audit.record(AuditAction.EXPORT, obj=report, reason="下载年度专利统计分析报告")
    scope = display_name(report.city_code, empty="山东省")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{scope}{report.year}年度专利统计分析报告.docx")


# ---------------------------------------------------------------- official statistics (reference data)


@login_required
@gated(STATISTICS_USERS)
def official(request):
    """Every imported official figure with its source and period; administrators import tables and set the threshold."""
    from ipplatform.core.models import OfficialFigure

    from . import reconcile

    allowed_city(request.user)  # staff only
    qs = OfficialFigure.objects.all()
    region, year = request.GET.get("region", "").strip(), request.GET.get("year", "").strip()
    if region:
        qs = qs.filter(region_code=region)
    if is_year(year):
        qs = qs.filter(year=int(year))
    regions_present = (
        OfficialFigure.objects.values_list("region_code", "region_name").distinct().order_by("region_code")
    )
    return render(
        request,
        "analytics/official.html",
        {
            "items": qs.order_by("region_code", "-year", "period_end", "measure", "patent_type")[:500],
            "total": qs.count(),
            "region": region,
            "year": year,
            "regions": regions_present,
            "is_admin": is_admin(request.user),
            "threshold": reconcile.coverage_threshold(),
            "years": sorted(set(OfficialFigure.objects.values_list("year", flat=True)), reverse=True),
        },
    )


@login_required
def official_import(request):
    """Administrators import official statistics tables (long shape, or a CNIPA monthly table with its year/period/measure)."""
    from ipplatform.core import official as official_stats

    if not is_admin(request.user):
        raise PermissionDenied("只有系统管理员可以导入官方统计数据")
    result, error = None, None
    if request.method == "POST":
        upload = request.FILES.get("file")
        meta = {
            k: request.POST.get(k, "").strip()
            for k in ("year", "period", "measure", "scope", "source_title", "source_url", "note")
        }
        try:
            if upload is None:
                raise InputError("请选择要导入的文件（.csv、.csv.gz 或 .xlsx）", field="file")
            if upload.size > official_stats.MAX_BYTES:
                raise InputError(f"文件“{upload.name}”超过{official_stats.MAX_BYTES // 1024 // 1024} MB", field="file")
            result = official_stats.import_table(
                upload.read(), filename=upload.name[:200], meta=meta, all_or_nothing=request.POST.get("mode") == "all"
            )
        except InputError as exc:
            error = exc
    return render(
        request,
        "analytics/official_import.html",
        {"result": result, "error": error, "post": request.POST, "measures": official_stats.MEASURES},
        status=400 if error else 200,
    )


@login_required
@require_POST
def official_policy(request):
    from .models import StatsPolicy

    if not is_admin(request.user):
        raise PermissionDenied("只有系统管理员可以修改覆盖率阈值")
    raw = request.POST.get("coverage_threshold", "").strip()
    try:
        value = float(raw)
        if not 0 < value <= 100:
            raise ValueError
    except ValueError:
        messages.error(request, f"覆盖率阈值“{raw}”无效：应为大于0、不超过100的数字（百分比）")
        return redirect("analytics:official")
    policy, _ = StatsPolicy.objects.get_or_create(pk=1)
    policy.coverage_threshold, policy.updated_by = round(value, 1), request.user
    policy.save()
    messages.success(request, f"覆盖率阈值已设为{value:g}%（修改已记入审计日志）")
    return redirect("analytics:official")
