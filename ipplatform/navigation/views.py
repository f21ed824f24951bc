"""Pages of 专利导航 (thin: rules live in services.py and the analyses package)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ipplatform.core import audit, jobs
from ipplatform.core.downloads import DOCX, XLSX, attachment
from ipplatform.core.enums import AuditAction, Role
from ipplatform.core.inputs import InputError, back_url, is_id, parse_id, parse_int
from ipplatform.core.models import TechField
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.scopes import get_in_scope

from . import analyses, documents, services
from .enums import Combine, ManualAction, ReportStatus, SubjectKind
from .models import CheckSheet, ManualEntry, Report

DEFAULT_KEYS = ["trend", "lifecycle", "ipc_subclass", "applicants", "regions", "effect_matrix"]


ANALYSTS = Gate(
    lambda user: user.is_superuser or user.role != Role.PUBLIC, "社会公众账号无权使用专利导航分析，请使用机构账号登录"
)


def _require_analyst(user) -> None:
    ANALYSTS.require(user)


def _get_db(request, pk: int, *, edit: bool = False):
    db = services.visible_databases(request.user).filter(pk=pk).first()
    if db is None:
        from django.http import Http404

        raise Http404("专题库不存在或不在您的数据范围内")
    if edit and not services.can_edit_database(request.user, db):
        raise PermissionDenied("您无权修改该专题库：仅创建人或省局工作人员（共享专题库）可修改")
    return db


@login_required
@gated(ANALYSTS)
def index(request):
    dbs = services.visible_databases(request.user).select_related("created_by")
    return render(
        request,
        "navigation/index.html",
        {
            "presets": [d for d in dbs if d.is_preset],
            "own": [d for d in dbs if not d.is_preset],
            "kinds": SubjectKind.choices,
        },
    )


@login_required
def db_edit(request, pk: int | None = None):
    _require_analyst(request.user)
    db = _get_db(request, pk, edit=True) if pk else None
    fields = list(TechField.objects.all())
    error = None
    if request.method == "POST":
        f = request.POST
        try:
            db = services.save_database(
                db=db,
                user=request.user,
                name=f.get("name", ""),
                description=f.get("description", ""),
                query=f.get("query", ""),
                ipc_text=f.get("ipc_prefixes", ""),
                tech_fields=[int(x) for x in f.getlist("tech_fields") if is_id(x)],
                combine=f.get("combine", Combine.UNION),
                is_shared=bool(f.get("is_shared")),
                auto_refresh=bool(f.get("auto_refresh")),
            )
        except InputError as exc:
            error = exc
        else:
            if f.get("refresh_now"):
                return _start_refresh(request, db)
            messages.success(request, f"专题库“{db.name}”已保存")
            return redirect("navigation:db_detail", db.pk)
    initial = {
        "name": request.POST.get("name", db.name if db else ""),
        "description": request.POST.get("description", db.description if db else ""),
        "query": request.POST.get("query", db.query if db else request.GET.get("query", "")),
        "ipc_prefixes": request.POST.get("ipc_prefixes", "\n".join(db.ipc_prefixes) if db else ""),
        "tech_fields": (
            [int(x) for x in request.POST.getlist("tech_fields") if is_id(x)]
            if request.method == "POST"
            else (db.tech_fields if db else [])
        ),
        "combine": request.POST.get("combine", db.combine if db else Combine.UNION),
        "is_shared": bool(request.POST.get("is_shared"))
        if request.method == "POST"
        else (db.is_shared if db else False),
        "auto_refresh": bool(request.POST.get("auto_refresh"))
        if request.method == "POST"
        else (db.auto_refresh if db else True),
    }
    return render(
        request,
        "navigation/db_edit.html",
        {"db": db, "fields": fields, "initial": initial, "error": error, "combines": Combine.choices},
    )


def _start_refresh(request, db):
    job = jobs.submit(
        kind="navigation.refresh",
        title=f"更新专题库：{db.name}",
        func_path="ipplatform.navigation.services.refresh_database",
        kwargs={"db_id": db.pk},
        user=request.user,
        run_inline=services.corpus_size() <= services.INLINE_CORPUS,
    )
    job.refresh_from_db()
    if job.status == "done":
        messages.success(request, job.result["summary"])
        return redirect("navigation:db_detail", db.pk)
    if job.status == "failed":
        messages.error(request, "专题库更新失败：" + job.error.split("\n")[0])
        return redirect("navigation:db_detail", db.pk)
    return redirect("core:job", job.pk)


@login_required
@require_POST
def db_refresh(request, pk: int):
    db = _get_db(request, pk, edit=True)
    return _start_refresh(request, db)


@login_required
@require_POST
def db_delete(request, pk: int):
    db = _get_db(request, pk, edit=True)
    if db.is_preset:
        messages.error(request, "预置专题库不能删除，可编辑其定义")
        return redirect("navigation:db_detail", db.pk)
    name = db.name
    db.delete()
    messages.success(request, f"专题库“{name}”已删除")
    return redirect("navigation:index")


@login_required
def db_detail(request, pk: int):
    _require_analyst(request.user)
    db = _get_db(request, pk)
    from ipplatform.patents.models import Patent

    members = Patent.objects.filter(navigation_memberships__db=db).order_by("-application_date", "id")
    term = request.GET.get("q", "").strip()
    if term:
        members = members.filter(title__icontains=term)
    page = Paginator(
        members.only(
            "id",
            "title",
            "patent_type",
            "application_date",
            "applicants_text",
            "ipc_main",
            "legal_status",
            "is_synthetic",
        ),
        20,
    ).get_page(request.GET.get("page"))
    manual_ids = dict(ManualEntry.objects.filter(db=db).values_list("patent_id", "action"))
    return render(
        request,
        "navigation/db_detail.html",
        {
            "db": db,
            "page": page,
            "term": term,
            "definition": services.rule_description(db),
            "manual_ids": manual_ids,
            "manual_entries": db.manual_entries.select_related("created_by")[:200],
            "sheets": db.check_sheets.all()[:20],
            "can_edit": services.can_edit_database(request.user, db),
            "synthetic": members.filter(is_synthetic=True).exists(),
            "error": request.session.pop("nav_error", None),
        },
    )


@login_required
@require_POST
def db_manual(request, pk: int):
    db = _get_db(request, pk, edit=True)
    try:
        if request.POST.get("remove"):
            services.remove_manual(db=db, entry_id=parse_id(request.POST["remove"], field="remove", label="调整记录"))
            messages.success(request, "已撤销该人工调整")
        else:
            ids = services.resolve_ids(text=request.POST.get("ids", ""))
            action = request.POST.get("action", ManualAction.INCLUDE)
            n = services.set_manual(db=db, ids=ids, action=action, note=request.POST.get("note", ""), user=request.user)
            messages.success(request, f"已{ManualAction(action).label}{n}件，今后更新专题库时保留该调整")
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect(back_url(request, reverse("navigation:db_detail", args=[db.pk])))


@login_required
def db_members_xlsx(request, pk: int):
    _require_analyst(request.user)
    db = _get_db(request, pk)
    from ipplatform.lib.xlsx import Sheet, workbook_bytes
    from ipplatform.patents.models import Patent

    qs = Patent.objects.filter(navigation_memberships__db=db).order_by("id")
    manual = dict(ManualEntry.objects.filter(db=db).values_list("patent_id", "action"))
    notes = [
        f"专题库：{db.name}",
        f"定义：{services.rule_description(db)}",
        f"数据截止日期：{db.data_cutoff or '未知'}",
    ]
    if qs.filter(is_synthetic=True).exists():
        notes.insert(0, "模拟数据：本表包含合成的模拟数据")
    rows = (
        [
            p.id,
            p.title,
            p.get_patent_type_display(),
            p.application_date,
            p.applicants_text,
            p.ipc_main,
            p.get_legal_status_display(),
            "人工纳入" if manual.get(p.id) == ManualAction.INCLUDE else "规则命中",
            "是" if p.is_synthetic else "",
        ]
        for p in qs.iterator(chunk_size=2000)
    )
    data = workbook_bytes(
        [
            Sheet(
                "专题库收录清单",
                ["记录号", "名称", "类型", "申请日", "申请人", "主分类号", "法律状态", "来源", "模拟数据"],
                rows,
                notes=notes,
            )
        ]
    )
    audit.record(AuditAction.EXPORT, obj=db, reason="导出专题库收录清单")
    return attachment(data, f"{db.name}-收录清单.xlsx", XLSX)


@login_required
@require_POST
def check_new(request, pk: int):
    _require_analyst(request.user)
    db = _get_db(request, pk)
    try:
        size = parse_int(
            request.POST.get("size"), field="size", label="样本量", min_value=1, max_value=100000, default=50
        )
        sheet = services.create_check_sheet(db=db, size=size, user=request.user)
    except InputError as exc:
        messages.error(request, exc.message)
        return redirect("navigation:db_detail", db.pk)
    return redirect("navigation:check_detail", sheet.pk)


def _get_sheet(request, pk: int) -> CheckSheet:
    sheet = get_in_scope(CheckSheet.objects.select_related("db"), request.user, pk=pk)
    _get_db(request, sheet.db_id)
    return sheet


@login_required
def check_detail(request, pk: int):
    _require_analyst(request.user)
    sheet = _get_sheet(request, pk)
    if request.method == "POST":
        try:
            if "recall_ids" in request.POST:
                ids = services.set_recall_list(sheet=sheet, text=request.POST.get("recall_ids", ""))
                messages.success(request, f"已保存查全率标准样本{len(ids)}件")
            else:
                marks = {}
                for item in sheet.items.all():
                    v = request.POST.get(f"item_{item.pk}", "")
                    marks[item.pk] = True if v == "1" else False if v == "0" else None
                services.mark_items(sheet=sheet, marks=marks)
                messages.success(request, "标注已保存")
        except InputError as exc:
            messages.error(request, exc.message)
        return redirect("navigation:check_detail", sheet.pk)
    items = sheet.items.select_related("patent")
    return render(
        request,
        "navigation/check_detail.html",
        {
            "sheet": sheet,
            "items": items,
            "stats": services.sheet_stats(sheet=sheet),
            "recall_text": "\n".join(sheet.recall_ids),
        },
    )


@login_required
def check_xlsx(request, pk: int):
    sheet = _get_sheet(request, pk)
    from ipplatform.lib.xlsx import Sheet, workbook_bytes

    stats = services.sheet_stats(sheet=sheet)
    precision = f"{stats['precision']:.1%}" if stats["precision"] is not None else "未标注"
    notes = [
        f"专题库：{sheet.db.name}；抽样时收录{sheet.member_count}件；随机种子{sheet.seed}；数据截止{sheet.data_cutoff or '未知'}",
        f"已标注{stats['judged']}/{stats['sample']}件，相关{stats['relevant']}件，查准率{precision}（95%置信区间{stats['low']:.1%}—{stats['high']:.1%}）",
    ]
    rows = [
        [
            i.patent_id,
            i.patent.title,
            i.patent.applicants_text,
            i.patent.ipc_main,
            {True: "相关", False: "不相关", None: "未标注"}[i.relevant],
            i.note,
        ]
        for i in sheet.items.select_related("patent")
    ]
    data = workbook_bytes(
        [Sheet("查准率核查表", ["记录号", "名称", "申请人", "主分类号", "判定", "备注"], rows, notes=notes)]
    )
    return attachment(data, f"{sheet.db.name}-核查表{sheet.pk}.xlsx", XLSX)


def _subject_from_request(request):
    kind = request.GET.get("kind", "")
    value = request.GET.get("value", "")
    if not kind:
        return None, None
    try:
        return services.resolve_subject(kind=kind, value=value, user=request.user), None
    except InputError as exc:
        return None, exc


@login_required
@gated(ANALYSTS)
def analyze(request):
    subject, error = _subject_from_request(request)
    key = request.GET.get("a", "trend")
    if key not in analyses.ANALYSES:
        error, key = error or InputError(f"未知的分析项“{key}”", field="a"), "trend"
    result = None
    if subject is not None:
        try:
            # One pass over the subject computes every analysis (the rows are read once), so switching tabs is served from the cache.
            result = services.compute(subject=subject, keys=list(analyses.ANALYSES))[key]
        except InputError as exc:
            error = exc
        if result is not None and request.GET.get("export") == "xlsx":
            audit.record(
                AuditAction.EXPORT,
                object_type="navigation.analysis",
                object_repr=f"{subject.label} · {result['title']}",
                reason=request.GET.urlencode(),
            )
            return attachment(
                documents.analysis_excel(result, subject_label=subject.label), f"{result['title']}.xlsx", XLSX
            )
    base_qs = urlencode({"kind": request.GET.get("kind", ""), "value": request.GET.get("value", "")})
    return render(
        request,
        "navigation/analyze.html",
        {
            "subject": subject,
            "error": error,
            "key": key,
            "result": result,
            "analyses": [(k, v[0]) for k, v in analyses.ANALYSES.items()],
            "kinds": SubjectKind.choices,
            "kind": request.GET.get("kind", SubjectKind.DATABASE),
            "value": request.GET.get("value", ""),
            "base_qs": base_qs,
            "dbs": services.visible_databases(request.user).filter(refreshed_at__isnull=False),
        },
    )


@login_required
def effect_terms_page(request):
    _require_analyst(request.user)
    error = None
    text = services.effect_terms_text()
    if request.method == "POST":
        text = request.POST.get("terms", "")
        try:
            n = services.save_effect_terms(text=text)
        except InputError as exc:
            error = exc
        else:
            messages.success(request, f"功效词表已保存（{n}个功效词），新计算的技术功效矩阵将使用新词表")
            return redirect("navigation:effect_terms")
    return render(request, "navigation/effect_terms.html", {"text": text, "error": error})


@login_required
@gated(ANALYSTS)
def report_list(request):
    reports = services.visible_reports(request.user).select_related("created_by")
    return render(
        request, "navigation/report_list.html", {"reports": Paginator(reports, 20).get_page(request.GET.get("page"))}
    )


def _run_generation(request, report):
    subject = services.resolve_subject(kind=report.subject_kind, value=report.subject_value, user=report.created_by)
    inline = services.subject_size(subject=subject) <= services.INLINE_LIMIT
    job = jobs.submit(
        kind="navigation.report",
        title=f"生成导航报告：{report.title}",
        func_path="ipplatform.navigation.services.generate_report",
        kwargs={"report_id": report.pk},
        user=request.user,
        run_inline=inline,
    )
    if inline:
        job.refresh_from_db()
        if job.status == "failed":
            messages.error(request, "报告生成失败：" + job.error.split("\n")[0])
        return redirect("navigation:report_detail", report.pk)
    return redirect("core:job", job.pk)


@login_required
def report_new(request):
    _require_analyst(request.user)
    error = None
    chosen = request.POST.getlist("analyses") if request.method == "POST" else DEFAULT_KEYS
    if request.method == "POST":
        f = request.POST
        try:
            report = services.create_report(
                user=request.user,
                kind=f.get("kind", ""),
                value=f.get("value", ""),
                title=f.get("title", ""),
                keys=chosen,
                introduction=f.get("introduction", ""),
                commentary={k: f.get(f"comment_{k}", "") for k in analyses.ANALYSES},
                conclusion=f.get("conclusion", ""),
            )
        except InputError as exc:
            error = exc
        else:
            return _run_generation(request, report)
    src = request.POST if request.method == "POST" else request.GET
    return render(
        request,
        "navigation/report_new.html",
        {
            "error": error,
            "kinds": SubjectKind.choices,
            "kind": src.get("kind", SubjectKind.DATABASE),
            "value": src.get("value", ""),
            "title": src.get("title", ""),
            "introduction": src.get("introduction", ""),
            "conclusion": src.get("conclusion", ""),
            "analyses": [(k, v[0], k in chosen, src.get(f"comment_{k}", "")) for k, v in analyses.ANALYSES.items()],
            "dbs": services.visible_databases(request.user).filter(refreshed_at__isnull=False),
        },
    )


def _get_report(request, pk: int):
    return get_in_scope(Report.objects.select_related("created_by", "db"), request.user, pk=pk)


@login_required
def report_detail(request, pk: int):
    _require_analyst(request.user)
    report = _get_report(request, pk)
    if request.method == "POST":
        report.title = request.POST.get("title", report.title).strip()[:200] or report.title
        report.introduction = request.POST.get("introduction", "")
        report.conclusion = request.POST.get("conclusion", "")
        report.commentary = {
            k: request.POST.get(f"comment_{k}", "")
            for k in report.analyses
            if request.POST.get(f"comment_{k}", "").strip()
        }
        report.save()
        messages.success(request, "评述已保存")
        return redirect("navigation:report_detail", report.pk)
    results = services.report_results(report)
    sections = [(r, report.commentary.get(r["key"], ""), f"chart_{i}") for i, r in enumerate(results)]
    return render(
        request,
        "navigation/report_detail.html",
        {"report": report, "sections": sections, "ready": report.status == ReportStatus.READY},
    )


@login_required
@require_POST
def report_regenerate(request, pk: int):
    report = _get_report(request, pk)
    try:
        return _run_generation(request, report)
    except InputError as exc:
        messages.error(request, exc.message)
        return redirect("navigation:report_detail", report.pk)


@login_required
@require_POST
def report_delete(request, pk: int):
    report = _get_report(request, pk)
    if not (request.user.is_superuser or report.created_by_id == request.user.pk):
        raise PermissionDenied("只有报告创建人可以删除报告")
    title = report.title
    report.delete()
    messages.success(request, f"报告“{title}”已删除")
    return redirect("navigation:reports")


def _ready_report(request, pk: int):
    report = _get_report(request, pk)
    if report.status != ReportStatus.READY:
        raise InputError("报告尚未生成，请先生成报告", field="report")
    return report


@login_required
def report_docx(request, pk: int):
    try:
        report = _ready_report(request, pk)
    except InputError as exc:
        messages.error(request, exc.message)
        return redirect("navigation:report_detail", pk)
    data = documents.word_bytes(report)
    audit.record(AuditAction.EXPORT, obj=report, reason="导出Word报告")
    return attachment(data, f"{report.title}.docx", DOCX)


@login_required
def report_xlsx(request, pk: int):
    try:
        report = _ready_report(request, pk)
    except InputError as exc:
        messages.error(request, exc.message)
        return redirect("navigation:report_detail", pk)
    data = documents.excel_bytes(report)
    audit.record(AuditAction.EXPORT, obj=report, reason="导出Excel报告")
    return attachment(data, f"{report.title}.xlsx", XLSX)
