"""Programme pages; every object goes through core.scopes, every rule lives in services.py and flows.py."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ipplatform.core import audit
from ipplatform.core.decorators import input_errors_as_messages
from ipplatform.core.downloads import DOCX, XLSX, attachment
from ipplatform.core.enums import AuditAction
from ipplatform.core.inputs import InputError, is_id, parse_decimal, parse_int
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.scopes import get_in_scope
from ipplatform.core.storage import shared_dir
from ipplatform.core.tabs import select as select_tab
from ipplatform.core.tabs import url as tab_url
from ipplatform.core.workflow import history
from ipplatform.lib.xlsx import workbook_bytes
from ipplatform.patents.enums import PatentType

from . import checks, defaults, documents, eligibility, flows, hooks, indicators, policies, services, typeconfig
from .enums import Actor, AppStatus, CheckKind, CheckState, ClaimKind, ObjectionState
from .models import (
    Application,
    Attachment,
    Call,
    CheckReport,
    ClaimItem,
    Objection,
    PaymentBatch,
    Policy,
    ProgrammeType,
    ReviewAssignment,
)


def _date(value: str, field: str, default: dt.date | None = None) -> dt.date:
    if not value:
        if default is not None:
            return default
        raise InputError("请填写日期", field=field)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("日期格式应为YYYY-MM-DD", field=field)


def _export(request, sheet, filename: str, what: str):
    audit.record(AuditAction.EXPORT, object_type="programmes.application", object_repr=what)
    return attachment(workbook_bytes([sheet]), filename, XLSX)


@login_required
def index(request):
    """Calls: an applicant sees the open ones with its eligibility; staff see every call with its progress."""
    user = request.user
    on = services.today()
    open_calls = services.calls_for_applicant(user=user, on=on) if services.acts_for_body(user) else []
    calls = Call.objects.select_related("programme", "policy") if not services.is_applicant(user) else []
    mine = services.applications_for(user)[:50] if services.is_applicant(user) else []
    return render(
        request,
        "programmes/index.html",
        {"open_calls": open_calls, "calls": calls, "mine": mine, "today": on, "office": services.is_office(user)},
    )


@login_required
@input_errors_as_messages(fallback="programmes:index")
def call_new(request):
    """The office opens a call (年度申报) of a programme: dates, budget, guide and, for awards, the quotas per level."""
    services.require_office(request.user)
    defaults.ensure_programmes()
    if request.method != "POST":
        return render(
            request,
            "programmes/call_new.html",
            {"programmes": ProgrammeType.objects.filter(is_active=True), "year": services.today().year},
        )
    programme = get_object_or_404(ProgrammeType, pk=request.POST.get("programme") or 0)
    year = parse_int(request.POST.get("year"), field="year", label="年度", min_value=1900, max_value=2100)
    budget = parse_decimal(request.POST.get("budget") or "0", field="budget", label="预算（元）", max_value=10**12)
    quotas = {}
    for level in programme.decision.get("levels", []):
        quota = parse_int(
            request.POST.get(f"quota_{level}", "").strip(),
            field=f"quota_{level}",
            label=f"“{level}”名额",
            max_value=10000,
            required=False,
        )
        if quota is not None:
            quotas[level] = quota
    title = request.POST.get("title", "").strip() or f"{year}年度{programme.name}"
    call = services.create_call(
        by=request.user,
        programme=programme,
        year=year,
        title=title[:200],
        opens_on=_date(request.POST.get("opens_on", ""), "opens_on"),
        closes_on=_date(request.POST.get("closes_on", ""), "closes_on"),
        budget=budget,
        guide=request.POST.get("guide", ""),
        quotas=quotas,
    )
    messages.success(request, f"已发布{call.title}")
    return redirect("programmes:call", pk=call.pk)


@login_required
def call_detail(request, pk):
    call = get_object_or_404(Call.objects.select_related("programme", "policy"), pk=pk)
    user, on = request.user, services.today()
    checks = (
        eligibility.evaluate(programme=call.programme, org=user.organization, on=on)
        if services.acts_for_body(user)
        else []
    )
    visible = services.applications_for(user).filter(call=call)
    amounts = []
    if call.policy:
        for key, amount in call.policy.amounts.items():
            patent_type, kind = key.split(":")
            amounts.append((PatentType(patent_type).label, ClaimKind(kind).label, amount))
    ctx = {
        "call": call,
        "checks": checks,
        "amounts": amounts,
        "eligible": checks and all(c.ok for c in checks),
        "open": call.is_open(on),
        "office": services.is_office(user),
        "applicant": services.acts_for_body(user),
        "today": on,
        "check_rounds": call.check_rounds.annotate(n=Count("reports")) if services.is_office(user) else [],
        "check_kinds": CheckKind.choices,
        "count": visible.count(),
        "committed": services.committed(call),
        "batches": call.batches.all() if services.is_office(user) else [],
        "other_unpaid": services.calls_with_unpaid(exclude=call) if services.is_office(user) else [],
        "unpaid": services.unpaid_approved(call).count() if services.is_office(user) else 0,
        "objections": Objection.objects.filter(application__call=call) if services.is_office(user) else [],
        "in_review": call.applications.filter(status=AppStatus.ACTIVE, stage="review").count(),
        "in_notice": sum(
            1
            for a in call.applications.filter(status=AppStatus.ACTIVE)
            if (call.programme.stage(a.stage) or {}).get("notice")
        ),
        "at_decision": call.applications.filter(status=AppStatus.ACTIVE, stage="decision").count(),
    }
    return render(request, "programmes/call.html", ctx)


@login_required
def call_applications(request, pk):
    """A call's applications the user may see (a bureau: its area), with an Excel export."""
    call = get_object_or_404(Call, pk=pk)
    if not (services.is_office(request.user) or request.user.role in services.BUREAU_ROLES):
        raise PermissionDenied("申报清单仅供知识产权管理部门查看")
    rows = services.applications_for(request.user).filter(call=call).order_by("rank", "pk")
    stage = request.GET.get("stage", "")
    if stage:
        rows = rows.filter(stage=stage, status=AppStatus.ACTIVE)
    if request.GET.get("export") == "xlsx":
        return _export(
            request,
            services.applications_sheet(call=call, rows=rows),
            f"{call.title}申报清单.xlsx",
            f"{call.title}申报清单",
        )
    return render(request, "programmes/applications.html", {"call": call, "rows": rows, "stage": stage})


@login_required
def applications(request):
    """Every application the user may see, across calls (an enterprise: its own)."""
    rows = services.applications_for(request.user)
    if request.GET.get("export") == "xlsx":
        return _export(request, services.applications_sheet(call=None, rows=rows), "项目申报清单.xlsx", "项目申报清单")
    return render(request, "programmes/applications.html", {"call": None, "rows": rows[:500]})


@login_required
@require_POST
@input_errors_as_messages(fallback="programmes:index")
def apply(request, pk):
    call = get_object_or_404(Call, pk=pk)
    app = services.start_application(by=request.user, call=call, title=request.POST.get("title", ""))
    messages.success(request, "已创建申报草稿，请填写申报表后提交")
    return redirect("programmes:application", pk=app.pk)


@login_required
def application_detail(request, pk):
    app = get_in_scope(
        Application.objects.select_related("call__programme", "call__policy", "organization"), request.user, pk=pk
    )
    user = request.user
    programme = app.call.programme
    stage = programme.stage(app.stage) if app.stage else None
    can_check = bool(
        app.status == AppStatus.ACTIVE
        and stage
        and stage["actor"] in (Actor.CITY, Actor.OFFICE)
        and not stage.get("notice")
        and stage["code"] not in ("decision", "payment", "certificate")
        and services.can_act(user, application=app, actor=stage["actor"])
    )
    owner = services.is_owner(user, app)
    editable = owner and app.status in (AppStatus.DRAFT, AppStatus.RETURNED)
    fields = [dict(spec, value=app.data.get(spec["name"])) for spec in programme.form_fields]
    office = services.is_office(user)
    reviews = list(app.reviews.select_related("expert")) if office else []
    deciding = office and app.status == AppStatus.ACTIVE and app.stage == "decision"
    decide = deciding and programme.decision.get("kind") == "funding"
    recognize = deciding and programme.decision.get("kind") == "recognition"
    can_claw = office and app.status in (AppStatus.APPROVED, AppStatus.PAID)
    can_withdraw = owner and app.status in (AppStatus.DRAFT, AppStatus.ACTIVE, AppStatus.RETURNED)
    check_reports = list(checks.reports_for(user).filter(application=app).order_by("-round__due_on"))
    clawbacks = list(app.clawbacks.all())
    files = list(app.files.all())
    steps = history(app)
    # the tabs: what the application says, its files, what this user may do now, reviews and checks, the record
    tabs, tab = select_tab(
        request,
        [
            ("content", "申报内容"),
            *([("files", "附件材料", len(files))] if programme.attachments else []),
            *([("handle", "办理")] if editable or can_withdraw or can_check or decide or recognize or can_claw else []),
            *(
                [("review", "评审与验收", len(reviews) + len(check_reports))]
                if reviews or check_reports or clawbacks
                else []
            ),
            ("history", "流转记录", len(steps)),
        ],
        # a reviewer's work is the handling tab; an applicant's is the form
        default="handle" if can_check or decide or recognize else None,
    )
    computed, computed_error = None, ""
    if app.status in (AppStatus.DRAFT, AppStatus.ACTIVE, AppStatus.RETURNED) and not app.decision_note:
        try:  # a scheme whose amount rule lives in another app shows its computation before the decision
            computed = hooks.amount(app)
        except InputError as exc:
            computed_error = str(exc)
    return render(
        request,
        "programmes/application.html",
        {
            "app": app,
            "computed": computed,
            "computed_error": computed_error,
            "subject_url": hooks.link(app),
            "programme": programme,
            "stage": stage,
            "fields": fields,
            "editable": editable,
            "can_check": can_check,
            "can_withdraw": can_withdraw,
            "owner": owner,
            "office": office,
            "missing": services.missing(application=app) if editable else [],
            "items": app.items.select_related("patent"),
            "files": files,
            "claim_kinds": ClaimKind.choices,
            "decide": decide,
            "recognize": recognize,
            "indicators": indicators.for_application(app) if app.status != AppStatus.DRAFT or owner else [],
            "check_reports": check_reports,
            "cap_left": services.cap_left(application=app),
            "reviews": reviews,
            "clawbacks": clawbacks,
            "can_claw": can_claw,
            "history": steps,
            "tabs": tabs,
            "tab": tab,
            "panels": {t.key for t in tabs},
            "stages": programme.stages,
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="programmes:index")
def application_edit(request, pk):
    """The applicant's edits: form answers, patents claimed, attachments."""
    app = get_in_scope(Application.objects.select_related("call__programme"), request.user, pk=pk)
    services.require_owner(request.user, app)
    what = request.POST.get("what", "form")
    if what == "claim":
        item = services.add_claim(
            by=request.user,
            application=app,
            patent_number=request.POST.get("patent", ""),
            kind=request.POST.get("kind", ""),
        )
        messages.success(request, f"已加入申报：{item.patent.display_number}（{item.amount}元）")
    elif what == "unclaim":
        item = get_object_or_404(ClaimItem, pk=request.POST.get("item") or 0, application=app)
        services.remove_claim(by=request.user, item=item)
        messages.success(request, "已撤下该专利")
    elif what == "file":
        upload = request.FILES.get("file")
        if upload is None:
            raise InputError("请选择要上传的文件", field="file")
        services.attach(by=request.user, application=app, code=request.POST.get("code", ""), upload=upload)
        messages.success(request, "附件已上传")
    else:
        services.save_form(by=request.user, application=app, raw=request.POST, title=request.POST.get("title", ""))
        messages.success(request, "申报表已保存")
    return redirect(_application_url(app, "files" if what == "file" else "content"))


@login_required
@require_POST
@input_errors_as_messages(fallback="programmes:index")
def application_action(request, pk):
    """Steps on one application: submit / withdraw (applicant), check (bureau, office), decide, claw back (office)."""
    app = get_in_scope(Application.objects.select_related("call__programme"), request.user, pk=pk)
    action, reason = request.POST.get("action", ""), request.POST.get("reason", "")
    if action == "submit":
        flows.submit(application=app, by=request.user)
        messages.success(request, "已提交申报")
    elif action == "withdraw":
        flows.withdraw(application=app, by=request.user, reason=reason)
        messages.success(request, "已撤回申报")
    elif action in flows.CHECK_ACTIONS:
        flows.check(application=app, by=request.user, action=action, reason=reason)
        messages.success(request, f"审查结论已记录：{flows.CHECK_ACTIONS[action]}")
    elif action in ("approve", "refuse"):
        flows.decide_funding(application=app, by=request.user, approve=action == "approve", reason=reason)
        messages.success(request, "资助决定已记录")
    elif action in ("recognize", "not_recognize"):
        flows.decide_recognition(
            application=app,
            by=request.user,
            approve=action == "recognize",
            level=request.POST.get("level", ""),
            reason=reason,
        )
        messages.success(request, "决定已记录")
    elif action == "claw_back":
        amount = parse_decimal(request.POST.get("amount"), field="amount", label="追回金额（元）", max_value=10**12)
        flows.claw_back(application=app, by=request.user, amount=amount, reason=reason)
        messages.success(request, "追回决定已记录")
    else:
        raise InputError("请选择要办理的操作")
    return redirect(_application_url(app, "handle"))


def _application_url(app, tab: str) -> str:
    """The application page with the tab of the form just used open (a tab no longer offered falls back)."""
    return tab_url("programmes:application", app.pk, tab)


@login_required
def attachment_download(request, pk):
    item = get_in_scope(Attachment.objects.select_related("application"), request.user, pk=pk)
    path = shared_dir() / item.path
    if not path.is_file():
        raise Http404("附件文件不存在")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=item.filename)


@login_required
@require_POST
@input_errors_as_messages(fallback="programmes:index")
def call_action(request, pk):
    """Call-level steps of the office: draw experts, aggregate scores, 公示, close it, decide awards, payment batch."""
    services.require_office(request.user)
    call = get_object_or_404(Call.objects.select_related("programme"), pk=pk)
    action = request.POST.get("action", "")
    if action == "assign_experts":
        messages.success(request, f"已抽取专家{flows.assign_experts(call=call, by=request.user)}人次")
    elif action == "finish_review":
        messages.success(request, f"已汇总{len(flows.finish_review(call=call, by=request.user))}件申报的评分并排名")
    elif action == "publish_notice":
        flows.publish_notice(
            call=call, by=request.user, start=_date(request.POST.get("start", ""), "start", services.today())
        )
        messages.success(
            request, f"公示期{call.notice_start}至{call.notice_end}（{call.programme.notice_days}个工作日）"
        )
    elif action == "close_notice":
        messages.success(request, f"公示结束，{flows.close_notice(call=call, by=request.user)}件申报进入决定环节")
    elif action == "decide_awards":
        apps = flows.decide_awards(call=call, by=request.user)
        messages.success(request, f"授奖决定已作出：获奖{sum(1 for a in apps if a.status == AppStatus.APPROVED)}项")
    elif action == "open_checks":
        rnd = checks.open_round(
            call=call,
            by=request.user,
            kind=request.POST.get("kind", ""),
            due_on=_date(request.POST.get("due_on", ""), "due_on"),
        )
        messages.success(request, f"已启动{rnd.title}，{rnd.reports.count()}个项目须在{rnd.due_on}前提交报告")
    elif action == "create_batch":
        ids = [i for i in request.POST.getlist("with") if is_id(i)]
        batch = flows.create_batch(call=call, by=request.user, with_calls=Call.objects.filter(pk__in=ids))
        messages.success(request, f"已生成兑付批次{batch.number}")
        return redirect("programmes:batch", pk=batch.pk)
    else:
        raise InputError("请选择要办理的操作")
    return redirect("programmes:call", pk=call.pk)


@login_required
def call_document(request, pk):
    """The decision document (Word) of a call: the approved applications with their levels or amounts."""
    services.require_office(request.user)
    call = get_object_or_404(Call.objects.select_related("programme"), pk=pk)
    audit.record(AuditAction.EXPORT, obj=call, reason="决定文件（Word）")
    return attachment(documents.decision_docx(call), f"{call.title}决定.docx", DOCX)


def _notice_rows(pk):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=pk)
    if not call.notice_start:
        raise Http404("该年度申报尚未公示")
    rows = [
        a
        for a in call.applications.select_related("organization").order_by("rank", "pk")
        if (call.programme.stage(a.stage) or {}).get("notice")
        or a.status in (AppStatus.APPROVED, AppStatus.PAID)
        or a.stage == "decision"
    ]
    for a in rows:  # before the decision, a scheme with an amount rule (hooks.py) shows the amount it computes
        a.proposed = a.amount
        if a.proposed is None:
            try:
                computed = hooks.amount(a)
            except InputError:
                computed = None
            a.proposed = computed[0] if computed else None
    return call, rows


def notice_document(request, pk):
    """The 公示名单 as a Word notice (public, like the notice page)."""
    call, rows = _notice_rows(pk)
    audit.record(AuditAction.EXPORT, obj=call, reason="公示名单（Word）")
    return attachment(documents.notice_docx(call, rows), f"{call.title}公示名单.docx", DOCX)


def notice(request, pk):
    """The public 公示 page of a call (no sign-in): the applications shown and an objection form while it runs."""
    call, rows = _notice_rows(pk)
    return render(
        request,
        "programmes/notice.html",
        {"call": call, "rows": rows, "running": flows.in_notice(call, services.today())},
    )


@require_POST
def objection_new(request, pk):
    """A public objection to an application during its 公示."""
    app = get_object_or_404(Application.objects.select_related("call__programme"), pk=pk)
    try:
        flows.raise_objection(
            application=app,
            name=request.POST.get("name", ""),
            contact=request.POST.get("contact", ""),
            text=request.POST.get("text", ""),
        )
        messages.success(request, "异议已收到，省知识产权局将核查并答复")
    except InputError as exc:
        messages.error(request, exc.message)
    return redirect("programmes:notice", pk=app.call_id)


@login_required
@require_POST
@input_errors_as_messages(fallback="programmes:index")
def objection_handle(request, pk):
    services.require_office(request.user)
    objection = get_in_scope(Objection.objects.select_related("application"), request.user, pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in ("upheld", "dismissed"):
        raise InputError("请选择异议是否成立", field="decision")
    flows.handle_objection(
        objection=objection, by=request.user, upheld=decision == "upheld", response=request.POST.get("response", "")
    )
    messages.success(request, f"异议已处理：{ObjectionState(decision).label}")
    return redirect("programmes:call", pk=objection.application.call_id)


@login_required
def certificate(request, pk):
    """The award certificate (Word) of an awarded application."""
    app = get_in_scope(Application.objects.select_related("call__programme", "organization"), request.user, pk=pk)
    if not app.certificate_no or app.status not in (AppStatus.APPROVED, AppStatus.PAID):
        raise Http404("该申报没有获奖证书")
    return attachment(documents.certificate_docx(app), f"{app.call.title}证书{app.certificate_no}.docx", DOCX)


@login_required
def reviews(request):
    """An expert's review assignments (the office: all)."""
    rows = services.reviews_for(request.user).order_by("submitted_at", "-pk")
    return render(request, "programmes/reviews.html", {"rows": rows, "office": services.is_office(request.user)})


@login_required
def review_detail(request, pk):
    review = get_in_scope(
        ReviewAssignment.objects.select_related("application__call__programme", "application__organization", "expert"),
        request.user,
        pk=pk,
    )
    app = review.application
    criteria = app.call.programme.review.get("criteria", [])
    rows = [dict(c, value=review.scores.get(c["code"], "")) for c in criteria]
    return render(
        request,
        "programmes/review.html",
        {
            "review": review,
            "app": app,
            "criteria": rows,
            "mine": review.expert.user_id == request.user.pk,
            "fields": [
                dict(s, value=app.data.get(s["name"]))
                for s in app.call.programme.form_fields
                if s["name"] not in ("contact", "phone", "bank", "account")
            ],
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="programmes:reviews")
def review_submit(request, pk):
    review = get_in_scope(
        ReviewAssignment.objects.select_related("application__call__programme", "expert"), request.user, pk=pk
    )
    flows.submit_review(review=review, by=request.user, scores=request.POST, comment=request.POST.get("comment", ""))
    messages.success(request, f"评分已提交：{review.total}分")
    return redirect("programmes:reviews")


@login_required
def batch_detail(request, pk):
    services.require_office(request.user)
    batch = get_object_or_404(PaymentBatch.objects.select_related("call"), pk=pk)
    if request.GET.get("export") == "xlsx":
        flows.mark_exported(batch=batch, by=request.user)
        return attachment(workbook_bytes([services.batch_sheet(batch)]), f"兑付清单{batch.number}.xlsx", XLSX)
    return render(
        request,
        "programmes/batch.html",
        {
            "batch": batch,
            "lines": batch.lines.select_related("organization").prefetch_related("applications"),
            "today": services.today(),
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="programmes:index")
def batch_action(request, pk):
    services.require_office(request.user)
    batch = get_object_or_404(PaymentBatch, pk=pk)
    flows.confirm_paid(
        batch=batch,
        by=request.user,
        paid_on=_date(request.POST.get("paid_on", ""), "paid_on"),
        voucher=request.POST.get("voucher", ""),
    )
    messages.success(request, f"批次{batch.number}已确认兑付")
    return redirect(reverse("programmes:batch", kwargs={"pk": batch.pk}))


@login_required
def check_report(request, pk):
    """One 验收 / 年度复核 report: the applicant fills and submits it, the office records pass or fail."""
    report = get_in_scope(
        CheckReport.objects.select_related("round__call__programme", "application__organization"), request.user, pk=pk
    )
    user = request.user
    fields = [
        dict(spec, value=report.data.get(spec["name"])) for spec in checks.check_fields(report.round.call.programme)
    ]
    return render(
        request,
        "programmes/check_report.html",
        {
            "report": report,
            "app": report.application,
            "fields": fields,
            "editable": services.is_owner(user, report.application)
            and report.state in (CheckState.PENDING, CheckState.SUBMITTED),
            "judge": services.is_office(user) and report.state == CheckState.SUBMITTED,
            "office": services.is_office(user),
        },
    )


@login_required
@require_POST
@input_errors_as_messages(fallback="programmes:index")
def check_report_action(request, pk):
    report = get_in_scope(CheckReport.objects.select_related("application"), request.user, pk=pk)
    action = request.POST.get("action", "")
    if action == "submit":
        checks.submit_report(report=report, by=request.user, raw=request.POST, upload=request.FILES.get("file"))
        messages.success(request, "报告已提交")
    elif action in ("pass", "fail"):
        checks.record_result(
            report=report, by=request.user, passed=action == "pass", reason=request.POST.get("reason", "")
        )
        messages.success(request, "结论已记录")
    else:
        raise InputError("请选择要办理的操作")
    return redirect("programmes:check_report", pk=report.pk)


@login_required
def check_report_file(request, pk):
    report = get_in_scope(CheckReport.objects.all(), request.user, pk=pk)
    path = shared_dir() / report.file_path if report.file_path else None
    if path is None or not path.is_file():
        raise Http404("报告附件不存在")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=report.filename)


# the menu entry asks the same check (core.navigation)
OFFICE_GATE = Gate(services.is_office, "仅省知识产权局可以办理此操作")


@login_required
@gated(OFFICE_GATE)
def types(request):
    """The programme types (office): each opens in the guided editor."""
    rows = [(t, typeconfig.DECISION_KINDS.get(t.decision.get("kind"), "")) for t in ProgrammeType.objects.all()]
    return render(request, "programmes/types.html", {"rows": rows})


EXTRA_ROWS = 3


@login_required
@gated(OFFICE_GATE)
@input_errors_as_messages(fallback="programmes:types")
def type_edit(request, pk):
    """The guided editor of one programme type: form fields, attachments, eligibility, stages, review, decision."""
    programme = get_object_or_404(ProgrammeType, pk=pk)
    if request.method == "POST":
        try:
            typeconfig.save(programme=programme, by=request.user, post=request.POST)
        except InputError as exc:
            programme.refresh_from_db()
            ctx = _editor_context(programme, error=exc)
            ctx.update(typeconfig.posted_rows(request.POST))  # the rows as typed, so nothing is lost
            return render(request, "programmes/type_edit.html", ctx, status=400)
        messages.success(request, f"“{programme.name}”已保存")
        return redirect("programmes:type_edit", pk=programme.pk)
    return render(request, "programmes/type_edit.html", _editor_context(programme))


@login_required
@gated(OFFICE_GATE)
def type_policies(request, pk):
    """The yearly funding policies (资助政策) of a programme that pays per patent, and the form for a new year."""
    programme = get_object_or_404(ProgrammeType, pk=pk, claims_patents=True)
    error = None
    if request.method == "POST":
        try:
            policy = policies.save_policy(programme=programme, by=request.user, post=request.POST)
        except InputError as exc:
            error = exc
        else:
            messages.success(request, f"{policy.year}年度资助政策已新增")
            return redirect("programmes:type_policies", pk=programme.pk)
    rows = [
        (p, [p.amounts.get(key, "") for key, _, _ in policies.amount_cells()], policies.applications_under(p))
        for p in programme.policies.order_by("-year")
    ]
    latest = rows[0][0] if rows else None
    if error is not None:
        values = policies.form_values(None, post=request.POST)
    elif latest is not None:
        # The amounts are a starting point; name, basis and the 模拟数据 flag describe one text and are not carried.
        values = policies.form_values(latest) | {
            "year": latest.year + 1,
            "title": "",
            "basis": "",
            "is_simulated": False,
        }
    else:
        values = {}
    ctx = {
        "programme": programme,
        "rows": rows,
        "cells": policies.form_cells(values),
        "values": values,
        "error": error,
        "action": reverse("programmes:type_policies", args=[programme.pk]),
    }
    return render(request, "programmes/type_policies.html", ctx, status=400 if error else 200)


@login_required
@gated(OFFICE_GATE)
def policy_edit(request, pk, policy_pk):
    """One year's policy: editable until an application is made under it, then shown with the reason it is frozen."""
    programme = get_object_or_404(ProgrammeType, pk=pk, claims_patents=True)
    policy = get_object_or_404(Policy, pk=policy_pk, programme=programme)
    error = None
    if request.method == "POST":
        try:
            saved = policies.save_policy(programme=programme, by=request.user, post=request.POST, policy=policy)
        except InputError as exc:
            error = exc
        else:
            messages.success(request, f"{saved.year}年度资助政策已保存")
            return redirect("programmes:type_policies", pk=programme.pk)
    frozen = policies.frozen_reason(policy)
    values = policies.form_values(policy, post=request.POST if error else None)
    ctx = {
        "programme": programme,
        "policy": policy,
        "cells": policies.form_cells(values),
        "values": values,
        "frozen": frozen,
        "calls": policy.calls.order_by("-year", "-pk"),
        "error": error,
        "action": reverse("programmes:policy_edit", args=[programme.pk, policy.pk]),
    }
    return render(request, "programmes/policy_edit.html", ctx, status=400 if error else 200)


def _editor_context(programme: ProgrammeType, error: InputError | None = None) -> dict:
    blank = [{}] * EXTRA_ROWS
    rules = [
        {"rule": r.get("rule", ""), "params": "；".join(f"{k}={_param_text(v)}" for k, v in r.items() if k != "rule")}
        for r in programme.eligibility
    ]
    return {
        "programme": programme,
        "fields": [dict(f, choices_text="｜".join(f.get("choices", []))) for f in programme.form_fields] + blank,
        "attachments": [dict(a, exts_text="、".join(a.get("exts", []))) for a in programme.attachments] + blank,
        "rules": rules + blank,
        "stages": list(programme.stages) + blank,
        "criteria": list(programme.review.get("criteria", [])) + blank,
        "review": programme.review,
        "decision": programme.decision,
        "levels_text": "、".join(programme.decision.get("levels", [])),
        "field_types": typeconfig.FIELD_TYPES,
        "decision_kinds": typeconfig.DECISION_KINDS,
        "rule_kinds": [(k, eligibility.LABELS[k], v) for k, v in typeconfig.RULE_PARAMS.items()],
        "actors": Actor.choices,
        "error": error,
    }


def _param_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
