from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipplatform.core.downloads import attachment
from ipplatform.core.labels import label_actors, people, person_label, system_label
from ipplatform.core.navigation import gated_roles
from ipplatform.core.tables import Table, col
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import audit, inputs, jobs, population, regions
from .enums import AuditAction, JobStatus, Role
from .forms import LoginForm, PopulationImportForm
from .inputs import InputError
from .models import (
    AuditEvent,
    BackgroundJob,
    IPCEntry,
    Notification,
    Population,
    TechField,
)
from .scopes import get_in_scope, require_roles, scope_of

AUDIT_VIEWERS = {Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER}


# Where a role lands after login when no other page was asked for (a city bureau lands on its own city).
ROLE_LANDING = {Role.CITY_OFFICER: "analytics:my_city", Role.COUNTY_OFFICER: "analytics:my_city"}


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        requested = self.get_redirect_url()
        if requested:
            return requested
        landing = ROLE_LANDING.get(self.request.user.role)
        if landing:
            try:
                return reverse(landing)
            except NoReverseMatch:
                pass
        return super().get_success_url()


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    from . import workbench
    from .navigation import items_for

    user = request.user
    return render(
        request,
        "core/home.html",
        {
            "scope": scope_of(user),
            "todos": workbench.todo_items(user)[: workbench.TODO_LIMIT],
            "recent": workbench.recent_items(user),
            "shortcuts": workbench.shortcuts(items_for(user)),
            "cockpit": workbench.cockpit_sections(user) if workbench.is_leader(user) else None,
        },
    )


def _audit_queryset(request):
    qs = AuditEvent.objects.all()
    f = request.GET
    if f.get("user"):
        qs = qs.filter(actor_name__icontains=f["user"].strip())
    if f.get("action"):
        qs = qs.filter(action=f["action"])
    if f.get("object"):
        term = f["object"].strip()
        qs = qs.filter(Q(object_type__icontains=term) | Q(object_id=term) | Q(object_repr__icontains=term))
    for key, lookup in (("date_from", "created_at__date__gte"), ("date_to", "created_at__date__lte")):
        if f.get(key):
            try:
                qs = qs.filter(**{lookup: inputs.parse_date(f[key], field=key, label="日期")})
            except InputError as exc:
                messages.error(request, exc.message)
    return qs


AUDIT_HEADERS = [
    "序号",
    "时间",
    "用户",
    "IP地址",
    "操作",
    "对象类型",
    "对象ID",
    "对象",
    "修改前",
    "修改后",
    "说明",
    "哈希",
]


def _audit_row(e: AuditEvent, names: dict[int, str]):
    return [
        e.seq,
        timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        names.get(e.actor_id) or (e.actor_name if e.actor_id else system_label(e.actor_name)),
        e.ip,
        e.get_action_display(),
        e.object_type,
        e.object_id,
        e.object_repr,
        e.before,
        e.after,
        e.reason,
        e.hash,
    ]


@login_required
def password_change(request):
    """Every signed-in user changes their own password (the old one first; the password policy applies)."""
    from django.contrib.auth import get_user_model, update_session_auth_hash
    from django.contrib.auth.forms import PasswordChangeForm

    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user.must_change_password:
            get_user_model().objects.filter(pk=user.pk).update(must_change_password=False)
            user.must_change_password = False
        update_session_auth_hash(request, user)  # stay signed in on this browser
        audit.record(AuditAction.UPDATE, obj=user, reason="用户修改了自己的密码")
        messages.success(request, "密码已修改")
        return redirect("home")
    return render(request, "registration/password_change.html", {"form": form})


AUDIT_COLUMNS = [
    col("seq", "序号", "seq"),
    col("time", "时间", "created_at"),
    col("user", "用户", "actor_name"),
    col("ip", "IP", "ip", optional=True),
    col("action", "操作", "action"),
    col("object", "对象", "object_type", "object_id"),
    col("changes", "变更内容", optional=True),
    col("reason", "说明", optional=True),
]


@login_required
@gated_roles(AUDIT_VIEWERS)
def audit_list(request):
    table = Table(
        request,
        _audit_queryset(request),
        columns=AUDIT_COLUMNS,
        unfiltered=AuditEvent.objects.all(),
        tiebreak="-seq",
        default_per_page=50,
        noun="审计记录",
        name="audit",
    )
    qs = table.export_queryset()
    if request.GET.get("export") == "xlsx":
        audit.record(
            AuditAction.EXPORT,
            object_type="core.auditevent",
            object_repr="审计日志导出",
            reason=request.GET.urlencode(),
        )
        names = {
            pk: person_label(u) for pk, u in people(qs.order_by().values_list("actor_id", flat=True).distinct()).items()
        }
        rows = (_audit_row(e, names) for e in qs.iterator())
        data = workbook_bytes([Sheet("审计日志", AUDIT_HEADERS, rows)])
        return attachment(data, "audit-log.xlsx")
    page = table.page
    page.object_list = label_actors(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {"table": table, "page": page, "actions": AuditAction.choices, "query": query.urlencode()},
    )


@login_required
@gated_roles(AUDIT_VIEWERS)
def audit_verify(request):
    report = audit.verify_chain()
    return render(request, "core/audit_verify.html", {"report": report})


@login_required
def job_detail(request, pk: int):
    job = get_in_scope(BackgroundJob.objects.all(), request.user, pk=pk)
    if (
        job.status == JobStatus.RUNNING
        and job.heartbeat_at
        and (timezone.now() - job.heartbeat_at).total_seconds() > settings.JOB_LEASE
    ):
        jobs.reap_stale_jobs()  # its worker died: show it failed or queued again, never 运行中 forever
        job.refresh_from_db()
    template = "core/_job_status.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def notifications(request):
    items = request.user.notifications.all()[:200]
    return render(request, "core/notifications.html", {"items": items})


@login_required
@require_POST
def notification_read(request, pk: int):
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url or "core:notifications")


def ipc_browser(request):
    code = request.GET.get("code", "").strip().upper()
    term = request.GET.get("q", "").strip()
    current = IPCEntry.objects.filter(code=code).first() if code else None
    if term:
        children = IPCEntry.objects.filter(Q(code__istartswith=term) | Q(title_zh__icontains=term))[:200]
    elif current:
        children = IPCEntry.objects.filter(parent=current.code)
    else:
        children = IPCEntry.objects.filter(level="section")
    trail = []
    node = current
    while node is not None:
        trail.insert(0, node)
        node = IPCEntry.objects.filter(code=node.parent).first() if node.parent else None
    fields = TechField.objects.filter(patterns__ipc_prefix__in=_prefixes(code)).distinct() if code else []
    return render(
        request,
        "core/ipc_browser.html",
        {"current": current, "children": children, "trail": trail, "term": term, "fields": fields},
    )


def _prefixes(code: str) -> list[str]:
    out = [code[:4]]
    if "/" in code:
        out.append(code.split("/")[0] + "/")
    return out


@login_required
def regions_page(request):
    rows = []
    pop = {(p.region_code, p.year): p for p in Population.objects.all()}
    for code, name in regions.cities(regions.REVISION_2015):
        rows.append(
            {
                "code": code,
                "name": name,
                "current": regions.to_current(code),
                "p2010": pop.get((code, 2010)),
                "p2015": pop.get((code, 2015)),
                "p2020": pop.get((code, 2020)),
            }
        )
    current = regions.current_cities()
    years = sorted({p.year for p in pop.values()})
    can_edit = request.user.is_superuser or request.user.role == Role.PROVINCE_ADMIN
    return render(
        request,
        "core/regions.html",
        {
            "rows": rows,
            "current": current,
            "years": years,
            "can_edit": can_edit,
            "province": [pop.get(("370000", y)) for y in years],
        },
    )


@login_required
def population_import(request):
    require_roles(request.user, {Role.PROVINCE_ADMIN})
    form = PopulationImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = population.import_workbook(
            form.cleaned_data["file"],
            source=form.cleaned_data["source"],
            all_or_nothing=form.cleaned_data["mode"] == "all",
        )
        if result.errors:
            messages.error(
                request,
                f"共{len(result.errors)}行有误"
                + ("，未导入任何数据" if result.committed == 0 else f"，其余{result.committed}行已导入"),
            )
        else:
            messages.success(request, f"已导入{result.committed}行人口数据")
    return render(request, "core/population_import.html", {"form": form, "result": result})


@login_required
def population_template(request):
    data = workbook_bytes(
        [Sheet("常住人口", population.TEMPLATE_HEADERS, [["370200", "青岛市", 2015, 9097000, "《山东统计年鉴2016》"]])]
    )
    return attachment(data, "population-template.xlsx")
