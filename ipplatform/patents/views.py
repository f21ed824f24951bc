"""Staff pages of the patent store: uploads with background import, history, applicants, unattributed records, mappings."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ipplatform.core import audit, jobs
from ipplatform.core.downloads import XLSX, attachment
from ipplatform.core.enums import PROVINCE_ROLES, STAFF_ROLES, AuditAction
from ipplatform.core.inputs import InputError
from ipplatform.core.navigation import gated_roles
from ipplatform.core.regions import name_of
from ipplatform.core.scopes import get_in_scope, require_roles, restrict
from ipplatform.core.storage import shared_dir
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import services
from .enums import EntityType, RegionMethod
from .forms import ApplicantEditForm, MappingForm, UploadForm
from .models import Applicant, ColumnMapping, ImportRun, Patent
from .records import FIELDS
from .synthetic import SYNTHETIC_NOTE

STAFF_ONLY = "您的角色无权使用此功能（仅限知识产权局工作人员）"


def _page(request, qs, per=50):
    return Paginator(qs, per).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()


@login_required
@gated_roles(PROVINCE_ROLES, STAFF_ONLY)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        folder = shared_dir() / "patents" / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^\w.\-]+", "_", Path(f.name).name)[-120:]
        target = folder / f"{uuid.uuid4().hex[:12]}-{safe}"
        with open(target, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        mapping = form.cleaned_data.get("mapping")
        job = jobs.submit(
            kind="patents.import",
            title=f"导入专利数据：{f.name}",
            func_path="ipplatform.patents.services.run_upload_job",
            kwargs={
                "path": str(target),
                "display_name": f.name,
                "mode": form.cleaned_data["mode"],
                "mapping_id": mapping.pk if mapping else None,
                "fmt": form.cleaned_data["format"],
                "status_as_of": form.cleaned_data["status_as_of"].isoformat()
                if form.cleaned_data.get("status_as_of")
                else None,
            },
            user=request.user,
            run_inline=getattr(settings, "PATENTS_IMPORT_INLINE", False),
        )
        return redirect("core:job", job.pk)
    recent = restrict(ImportRun.objects.all(), request.user)[:5]
    return render(request, "patents/upload.html", {"form": form, "recent": recent, "modes": services.MODES})


@login_required
@gated_roles(STAFF_ROLES, STAFF_ONLY)
def import_history(request):
    qs = restrict(ImportRun.objects.select_related("created_by", "mapping"), request.user)
    return render(request, "patents/import_history.html", {"page": _page(request, qs)})


@login_required
def import_detail(request, pk: int):
    require_roles(request.user, STAFF_ROLES, STAFF_ONLY)
    run = get_in_scope(ImportRun.objects.all(), request.user, pk=pk)
    return render(
        request,
        "patents/import_detail.html",
        {"run": run, "more": max(0, run.rejected + run.duplicates + run.skipped - len(run.errors_preview))},
    )


@login_required
def import_errors(request, pk: int):
    require_roles(request.user, STAFF_ROLES, STAFF_ONLY)
    run = get_in_scope(ImportRun.objects.all(), request.user, pk=pk)
    if not run.error_file:
        raise Http404("该次导入没有错误报告")
    path = shared_dir() / run.error_file
    if not path.exists():
        raise Http404("错误报告文件已不存在")
    audit.record(AuditAction.EXPORT, obj=run, reason="下载导入错误报告")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"导入{run.pk}-错误报告.xlsx", content_type=XLSX)


@login_required
@gated_roles(STAFF_ROLES, STAFF_ONLY)
def applicants(request):
    qs = restrict(Applicant.objects.all(), request.user)
    q = request.GET.get("q", "").strip()
    if q:
        from .records import norm_name

        qs = qs.filter(Q(name__icontains=norm_name(q)) | Q(name__icontains=q))
    etype = request.GET.get("type", "")
    if etype in EntityType.values:
        qs = qs.filter(entity_type=etype)
    region = request.GET.get("region", "").strip()
    if region == "none":
        qs = qs.filter(region_code="")
    elif region:
        qs = qs.filter(region_code__startswith=region.rstrip("0") or region)
    qs = qs.order_by("-patent_count", "name")
    synthetic = Patent.objects.filter(is_synthetic=True).exists()
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                a.name,
                a.get_entity_type_display(),
                "是" if a.entity_type_manual else "",
                a.region_code,
                name_of(a.region_code),
                a.get_region_method_display(),
                a.region_confidence,
                a.patent_count,
            ]
            for a in qs.iterator(chunk_size=2000)
        )
        notes = ["申请人/专利权人（名称已规范化：全半角、括号、繁简、空格）", "区划代码为申请时（2015年版）代码"]
        if synthetic:
            notes.append("专利数含模拟数据：" + SYNTHETIC_NOTE)
        audit.record(
            AuditAction.EXPORT,
            object_type="patents.applicant",
            object_repr="申请人列表导出",
            reason=_query_without_page(request),
        )
        data = workbook_bytes(
            [
                Sheet(
                    "申请人",
                    ["名称", "类型", "类型经人工确认", "区划代码", "地区", "归属方法", "置信度", "专利数"],
                    rows,
                    notes=notes,
                )
            ]
        )
        return attachment(data, "申请人.xlsx")
    page = _page(request, qs)
    for a in page:
        a.region_name = name_of(a.region_code) if a.region_code else ""
    return render(
        request,
        "patents/applicants.html",
        {
            "page": page,
            "q": q,
            "types": EntityType.choices,
            "etype": etype,
            "region": region,
            "query": _query_without_page(request),
            "synthetic": synthetic,
            "can_edit": request.user.is_superuser or request.user.role in PROVINCE_ROLES,
        },
    )


@login_required
def applicant_edit(request, pk: int):
    require_roles(request.user, PROVINCE_ROLES, STAFF_ONLY)
    applicant = get_in_scope(Applicant.objects.all(), request.user, pk=pk)
    form = ApplicantEditForm(
        request.POST or None, initial={"entity_type": applicant.entity_type, "region_code": applicant.region_code}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_applicant(
                applicant=applicant,
                entity_type=form.cleaned_data["entity_type"],
                region_code=form.cleaned_data["region_code"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except InputError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已更新申请人“{applicant.name}”，其作为第一申请人的专利已同步")
            return redirect(f"{reverse('patents:applicants')}?q={quote(applicant.name)}")
    first_patents = Patent.objects.filter(first_applicant=applicant).order_by("-application_date")[:20]
    return render(
        request,
        "patents/applicant_edit.html",
        {"applicant": applicant, "form": form, "patents": first_patents, "region_name": name_of(applicant.region_code)},
    )


@login_required
@gated_roles(STAFF_ROLES, STAFF_ONLY)
def unattributed(request):
    base = (
        restrict(Patent.objects.all(), request.user)
        if not (request.user.is_superuser or request.user.role in PROVINCE_ROLES)
        else Patent.objects.all()
    )
    qs = base.filter(region_code="")
    reason = request.GET.get("reason")
    source = request.GET.get("source", "")
    if reason is not None and "reason" in request.GET:
        qs = qs.filter(region_note=reason)
    if source:
        qs = qs.filter(source=source)
    qs = qs.order_by("source", "id").only(
        "id",
        "title",
        "applicants_text",
        "address",
        "postcode",
        "source",
        "region_note",
        "is_synthetic",
        "application_date",
    )
    summary = services.unattributed_summary()
    synthetic = qs.filter(is_synthetic=True).exists()
    if request.GET.get("export") == "xlsx":
        rows = (
            [
                p.id,
                p.title,
                p.applicants_text,
                p.address,
                p.postcode,
                p.source,
                p.region_note,
                "模拟数据" if p.is_synthetic else "真实",
            ]
            for p in qs.iterator(chunk_size=2000)
        )
        notes = [
            f"未归属地区的专利记录：{summary['unattributed']} / {summary['total']} 条；按地址、邮编均无法确定，未作猜测"
        ]
        if synthetic:
            notes.append(SYNTHETIC_NOTE)
        audit.record(
            AuditAction.EXPORT,
            object_type="patents.patent",
            object_repr="未归属记录导出",
            reason=_query_without_page(request),
        )
        return attachment(
            workbook_bytes(
                [
                    Sheet(
                        "未归属记录",
                        ["记录号", "名称", "申请人", "地址", "邮编", "来源", "原因", "数据性质"],
                        rows,
                        notes=notes,
                    )
                ]
            ),
            "未归属记录.xlsx",
        )
    return render(
        request,
        "patents/unattributed.html",
        {
            "page": _page(request, qs),
            "summary": summary,
            "synthetic": synthetic,
            "query": _query_without_page(request),
            "reason": reason,
            "source": source,
            "methods": services.region_counts(),
            "method_labels": dict(RegionMethod.choices),
        },
    )


@login_required
@gated_roles(STAFF_ROLES, STAFF_ONLY)
def mappings(request):
    items = ColumnMapping.objects.all()
    return render(
        request,
        "patents/mappings.html",
        {
            "items": items,
            "fields": FIELDS,
            "can_edit": request.user.is_superuser or request.user.role in PROVINCE_ROLES,
        },
    )


@login_required
def mapping_edit(request, pk: int | None = None):
    require_roles(request.user, PROVINCE_ROLES, STAFF_ONLY)
    instance = ColumnMapping.objects.filter(pk=pk).first() if pk else None
    if pk and instance is None:
        raise Http404("列映射不存在")
    form = MappingForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        if not obj.pk:
            obj.created_by = request.user
        obj.save()  # audited automatically
        messages.success(request, f"已保存列映射“{obj.name}”")
        return redirect("patents:mappings")
    col_fields = [form[f"col_{k}"] for k in FIELDS]
    return render(request, "patents/mapping_edit.html", {"form": form, "instance": instance, "col_fields": col_fields})


@login_required
@require_POST
def mapping_delete(request, pk: int):
    require_roles(request.user, PROVINCE_ROLES, STAFF_ONLY)
    obj = ColumnMapping.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404("列映射不存在")
    name = obj.name
    obj.delete()
    messages.success(request, f"已删除列映射“{name}”（以前的导入记录保留）")
    return redirect("patents:mappings")
