"""Search pages: thin views over services."""

from __future__ import annotations

import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipplatform.core import regions
from ipplatform.core.enums import PROVINCE_ROLES
from ipplatform.core.inputs import InputError
from ipplatform.core.models import IPCEntry
from ipplatform.core.navigation import gated_roles
from ipplatform.core.tables import PAGE_SIZES, parse_per_page

from . import query as ql
from . import services

VIEWS = {"list": "列表", "table": "表格"}
MAX_SELECTED = 1000


def _params(request) -> dict:
    view = request.GET.get("view", "list")
    return {
        "q": request.GET.get("q", "").strip(),
        "city": request.GET.get("city", "").strip(),
        "sort": request.GET.get("sort", "relevance"),
        "view": view if view in VIEWS else "list",
        "per_page": parse_per_page(request.GET.get("per_page")),
    }


def _selected(request) -> list[str] | None:
    """The ticked result ids of "export selected" (None for "export all")."""
    if not request.GET.get("selected"):
        return None
    ids = [i.strip() for i in request.GET.getlist("ids") if i.strip()]
    if not ids:
        raise InputError("请先勾选要导出的专利，或使用“导出全部”", field="ids")
    if len(ids) > MAX_SELECTED or any(len(i) > 40 for i in ids):
        raise InputError(f"一次最多导出所选的{MAX_SELECTED}件专利，请改用“导出全部”", field="ids")
    return ids


def _url(**params) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v})


DATE_COLUMNS = (
    ("ad", "申请日", "application_date"),
    ("pd", "公开日", "publication_date"),
    ("gd", "授权日", "grant_date"),
)


def _date_headers(sort: str, base: dict) -> list[dict]:
    """The table view's date headers: a click sorts by that date, newest first, and a second click reverses it."""
    out = []
    for key, label, field in DATE_COLUMNS:
        direction = "desc" if sort == f"{key}_desc" else "asc" if sort == f"{key}_asc" else ""
        nxt = f"{key}_asc" if direction == "desc" else f"{key}_desc"
        out.append({"label": label, "field": field, "direction": direction, "url": _url(**{**base, "sort": nxt})})
    return out


def search(request):
    p = _params(request)
    ctx = {
        "p": p,
        "sorts": services.sort_choices(),
        "fields": ql.FIELDS,
        "cities": regions.cities(),
        "examples": EXAMPLES[:6],
        "error": None,
        "result": None,
    }
    if p["city"]:
        ctx["city_name"] = regions.display_name(p["city"])
    if p["q"]:
        try:
            result = services.search(
                query=p["q"],
                user=request.user,
                city_code=p["city"] or None,
                sort=p["sort"],
                cursor=request.GET.get("cursor") or None,
                limit=p["per_page"],
                facets=True,
                record_history=True,
            )
            for facet in result.facets.values():
                for item in facet["items"]:
                    item["url"] = _url(
                        q=services.refine(query=p["q"], clause=item["clause"]),
                        city=p["city"],
                        sort=p["sort"],
                        view=p["view"] if p["view"] != "list" else "",
                        per_page=p["per_page"] if p["per_page"] != PAGE_SIZES[0] else "",
                    )
            ctx["result"] = result
            ctx["has_synthetic"] = any(h["is_synthetic"] for h in result.hits)
            keep = {
                "view": p["view"] if p["view"] != "list" else "",
                "per_page": p["per_page"] if p["per_page"] != PAGE_SIZES[0] else "",
            }
            base = {"q": p["q"], "city": p["city"], "sort": p["sort"], **keep}
            ctx["view_urls"] = [
                (key, label, _url(**{**base, "view": key if key != "list" else ""}), key == p["view"])
                for key, label in VIEWS.items()
            ]
            ctx["size_urls"] = [
                (n, _url(**{**base, "per_page": n if n != PAGE_SIZES[0] else ""}), n == p["per_page"])
                for n in PAGE_SIZES
            ]
            ctx["date_headers"] = _date_headers(p["sort"], base)
            if result.next_cursor:
                ctx["next_url"] = _url(**base, cursor=result.next_cursor)
            ctx["export_csv"] = "export/" + _url(**base, format="csv")
            ctx["export_xlsx"] = "export/" + _url(**base, format="xlsx")
            ctx["first_url"] = _url(**base)
            ctx["page_from"] = result.offset + 1
            ctx["page_to"] = result.offset + len(result.hits)
        except InputError as exc:
            ctx["error"] = exc.message
            ctx["error_caret"] = ql.caret(p["q"], exc.position) if exc.position is not None else ""
    if request.user.is_authenticated:
        ctx["history"] = services.history(user=request.user, limit=10)
        ctx["saved"] = services.saved_searches(user=request.user)[:10]
    from ipplatform.patents.models import VALIDITY_PRESUMPTION

    ctx["validity_presumption"] = VALIDITY_PRESUMPTION
    return render(request, "search/search.html", ctx)


EXAMPLES = [
    ("石墨烯 电池", "不指定字段：在名称、摘要、主权项和申请人中检索，空格表示“与”"),
    ("名称=(石墨烯 AND 电池) AND 申请日>=2015-01-01", "字段检索与日期比较"),
    ("PA=海尔 AND AD=[20150101 TO 20151231]", "英文字段代码与日期范围"),
    ("分类号=H01M AND 地区=青岛市", "IPC小类包含其下所有大组和小组；地市包含所辖县区"),
    ("TI=(电池 5W 隔膜)", "邻近：“隔膜”在“电池”之后5个字以内；5D 表示不限先后"),
    ('名称=固定+装置 OR 名称="LED 灯"', "截词：+ 任意个字符，? 零或一个字符，# 恰好一个字符；引号内为短语"),
    ("(电池 或 电容) 非 外观", "中文运算符：与、或、非；优先级 非 > 与 > 或"),
    ("#1 AND 类型=发明", "引用本人第1次检索的结果（需登录）"),
    ("申请号=201611077462.9", "申请号可带或不带CN、小数点和校验位；公开号可省略文献类型字母"),
    ("法律状态=有效 AND 申请人类型=大专院校", "法律状态与申请人类型"),
]


def help_page(request):
    return render(request, "search/help.html", {"fields": ql.FIELDS, "examples": EXAMPLES})


@login_required
def export(request):
    p = _params(request)
    fmt = request.GET.get("format", "xlsx")
    try:
        if fmt not in ("xlsx", "csv"):
            raise InputError("导出格式应为 xlsx 或 csv", field="format")
        if not p["q"]:
            raise InputError("请先输入检索式", field="q")
        ids, notes = services.prepare_export(
            query=p["q"], city_code=p["city"] or None, user=request.user, selected=_selected(request)
        )
    except InputError as exc:
        messages.error(request, f"导出失败：{exc.message}")
        return redirect("search:search")
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    if fmt == "csv":
        resp = StreamingHttpResponse(services.csv_stream(ids=ids, notes=notes), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''patent-search-{stamp}.csv"
        return resp
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    services.write_xlsx(path=tmp, ids=ids, notes=notes)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=f"专利检索结果-{stamp}.xlsx")


@login_required
def history_page(request):
    if request.method == "POST":
        n = services.clear_history(user=request.user)
        messages.success(request, f"已清空检索历史 {n} 条")
        return redirect("search:history")
    return render(request, "search/history.html", {"history": services.history(user=request.user, limit=500)})


@login_required
def saved_page(request):
    if request.method == "POST":
        try:
            obj = services.save_search(
                user=request.user,
                name=request.POST.get("name", ""),
                query=request.POST.get("q", ""),
                city_code=request.POST.get("city", ""),
            )
            messages.success(request, f"已保存检索式“{obj.name}”（当前命中 {obj.last_total} 件）")
        except InputError as exc:
            messages.error(request, f"保存失败：{exc.message}")
        return redirect("search:saved")
    return render(request, "search/saved.html", {"saved": services.saved_searches(user=request.user)})


@login_required
@require_POST
def saved_run(request, pk: int):
    s = services.run_saved(user=request.user, pk=pk)
    return redirect(reverse("search:search") + _url(q=s.query, city=s.city_code))


@login_required
@require_POST
def saved_delete(request, pk: int):
    services.delete_saved(user=request.user, pk=pk)
    messages.success(request, "已删除保存的检索式")
    return redirect("search:saved")


def ipc_children(request):
    """IPC picker: the children of a code (or the eight sections) with Chinese titles (htmx fragment)."""
    code = request.GET.get("code", "").strip().upper()
    qs = IPCEntry.objects.filter(parent=code) if code else IPCEntry.objects.filter(level="section")
    entry = IPCEntry.objects.filter(code=code).first() if code else None
    return render(request, "search/_ipc_children.html", {"entries": list(qs.order_by("code")[:400]), "entry": entry})


def patent_detail(request, pk: str):
    from ipplatform.patents.models import VALIDITY_PRESUMPTION

    data = services.patent_detail(pk=pk)
    data["validity_presumption"] = VALIDITY_PRESUMPTION
    return render(request, "search/patent_detail.html", data)


# ---------------------------------------------------------------- semantic search

SEMANTIC_EXAMPLES = [
    "一种利用发动机余热给电动汽车电池保温的装置，冬季低温时也能保持续航",
    "益生菌制成片剂后活菌数下降，需要一种在低温下包衣、储存稳定的制备方法",
    "A sensor that detects water leaks in buildings and sends an alarm over a wireless network",
    "建筑外墙保温板的安装结构，施工方便、不易脱落",
]


def semantic_search(request):
    """语义检索: a paragraph finds the closest patents; an optional query-language filter narrows first."""
    from . import semantic

    p = {
        "text": request.GET.get("text", "").strip(),
        "filter": request.GET.get("filter", "").strip(),
        "city": request.GET.get("city", "").strip(),
        "mode": request.GET.get("mode", "hybrid"),
    }
    ctx = {
        "p": p,
        "modes": list(semantic.MODES.items()),
        "cities": regions.cities(),
        "examples": SEMANTIC_EXAMPLES,
        "result": None,
        "error": None,
    }
    if p["text"]:
        try:
            ctx["result"] = semantic.semantic_search(
                text=p["text"],
                filter_query=p["filter"],
                mode=p["mode"],
                city_code=p["city"] or None,
                user=request.user,
                limit=20,
            )
            ctx["has_synthetic"] = any(h["is_synthetic"] for h in ctx["result"].hits)
        except InputError as exc:
            ctx["error"] = exc.message
            if exc.position is not None and exc.field is None:
                ctx["error_caret"] = ql.caret(p["filter"], exc.position)
    else:
        ctx["coverage"] = semantic.coverage()
    return render(request, "search/semantic.html", ctx)


@login_required
@gated_roles(PROVINCE_ROLES, "语义索引管理仅限省局工作人员")
def semantic_status(request):
    """Coverage of the vector index and the embedding job (province staff start it)."""
    from ipplatform.core import jobs
    from ipplatform.core.enums import PROVINCE_ROLES, JobStatus, Role
    from ipplatform.core.models import BackgroundJob
    from ipplatform.core.scopes import require_roles

    from . import semantic

    require_roles(request.user, PROVINCE_ROLES, "语义索引管理仅限省局工作人员")
    operators = {Role.PROVINCE_ADMIN, Role.DEPARTMENT_STAFF}
    may_run = request.user.role in operators
    running = BackgroundJob.objects.filter(
        kind__in=["semantic_embed", "semantic_rebuild"], status__in=[JobStatus.PENDING, JobStatus.RUNNING]
    ).first()
    if request.method == "POST":
        require_roles(request.user, operators, "仅系统管理员和处室工作人员可启动向量计算")
        if running:
            messages.error(request, f"已有任务在运行：{running.title}（任务 {running.pk}），请等待其完成")
            return redirect("core:job", pk=running.pk)
        action = request.POST.get("action")
        if action == "embed":
            job = jobs.submit(
                kind="semantic_embed",
                title="计算专利语义向量（可中断续算）",
                func_path="ipplatform.search.semantic.embed_pending",
                kwargs={},
                user=request.user,
            )
        elif action == "rebuild":
            job = jobs.submit(
                kind="semantic_rebuild",
                title="重建语义索引",
                func_path="ipplatform.search.semantic.rebuild_vectors",
                kwargs={},
                user=request.user,
            )
        else:
            messages.error(request, "未知操作")
            return redirect("search:semantic_status")
        return redirect("core:job", pk=job.pk)
    ctx = {
        "coverage": semantic.coverage(),
        "index": semantic.get_vector_backend().stats(),
        "may_run": may_run,
        "running": running,
        "jobs": BackgroundJob.objects.filter(kind__in=["semantic_embed", "semantic_rebuild"]).order_by("-pk")[:10],
    }
    return render(request, "search/semantic_status.html", ctx)
