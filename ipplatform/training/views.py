"""Learning platform pages (thin: rules live in services.py, exams.py, stats.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ipplatform.core import audit, scopes
from ipplatform.core.decorators import input_errors_as_messages
from ipplatform.core.downloads import DOCX, attachment
from ipplatform.core.enums import AuditAction, Role
from ipplatform.core.inputs import InputError, is_id, parse_date
from ipplatform.core.navigation import Gate, gated, gated_roles
from ipplatform.lib import markup
from ipplatform.lib.xlsx import workbook_bytes

from . import documents, exams, media, question_import, services, stats
from .enums import Audience, EnrolState, RecordCategory, RecordSource, TargetKind, Topic
from .forms import (
    ChapterForm,
    CourseForm,
    ExamForm,
    QuestionForm,
    QuestionImportForm,
    TrainingBaseForm,
    TrainingClassForm,
)
from .models import (
    Attempt,
    Attendance,
    Certificate,
    Chapter,
    ChapterProgress,
    Course,
    Enrolment,
    Exam,
    QuestionBank,
    TrainingBase,
    TrainingClass,
    TrainingRecord,
)


def _years():
    this = timezone.localdate().year
    return list(range(this, 2014, -1))


# ---------------------------------------------------------------- catalogue and learning


@login_required
def index(request):
    f = request.GET
    courses = services.catalogue(
        user=request.user, audience=f.get("audience", ""), topic=f.get("topic", ""), q=f.get("q", "").strip()[:100]
    )
    mine = {e.course_id: e for e in Enrolment.objects.filter(user=request.user)}
    return render(
        request,
        "training/index.html",
        {
            "courses": [(c, mine.get(c.pk)) for c in courses[:200]],
            "Audience": Audience,
            "Topic": Topic,
            "f": f,
            "manager": services.is_manager(request.user),
        },
    )


@login_required
def course_detail(request, pk: int):
    course = services.get_course(user=request.user, pk=pk)
    enrolment = services.enrolment_of(user=request.user, course=course)
    done = {}
    if enrolment:
        done = {p.chapter_id: p for p in enrolment.progress.all()}
    chapters = []
    for ch in course.chapters.all():
        ok, why = services.chapter_open(enrolment=enrolment, chapter=ch) if enrolment else (False, "请先报名")
        chapters.append({"chapter": ch, "progress": done.get(ch.pk), "open": ok, "why": why})
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "enrolment": enrolment,
            "chapters": chapters,
            "exams": course.exams.filter(published=True),
            "summary": services.course_progress(enrolment=enrolment) if enrolment else None,
            "deadline": services.deadline_status(enrolment) if enrolment else "",
            "manager": services.is_manager(request.user),
            "certificate": Certificate.objects.filter(user=request.user, course=course).first(),
        },
    )


@login_required
@require_POST
def enrol(request, pk: int):
    course = services.get_course(user=request.user, pk=pk)
    try:
        e = services.enrol(user=request.user, course=course)
        messages.success(
            request, "报名成功，可以开始学习" if e.state == EnrolState.ACTIVE else "已提交报名，等待管理员审核"
        )
    except InputError as e:
        messages.error(request, e.message)
    return redirect("training:course", pk=pk)


@login_required
def chapter(request, pk: int):
    ch = get_object_or_404(Chapter.objects.select_related("course"), pk=pk)
    services.get_course(user=request.user, pk=ch.course_id)
    if services.enrolment_of(user=request.user, course=ch.course) is None and services.is_manager(request.user):
        progress = ChapterProgress(chapter=ch)  # a manager previews the chapter: nothing is recorded
    else:
        progress = services.start_chapter(user=request.user, chapter=ch)
    chapters = list(ch.course.chapters.all())
    idx = chapters.index(ch)
    return render(
        request,
        "training/chapter.html",
        {
            "ch": ch,
            "course": ch.course,
            "progress": progress,
            "body": markup.render(ch.body),
            "prev": chapters[idx - 1] if idx else None,
            "next": chapters[idx + 1] if idx + 1 < len(chapters) else None,
            "is_pdf": ch.file and ch.file.name.lower().endswith(".pdf"),
            "office": ch.file and Path(ch.file.name).suffix.lower() in media.OFFICE_SUFFIXES,
            "config": {
                "chapter": ch.pk,
                "kind": ch.kind,
                "report": reverse("training:progress", args=[ch.pk]),
                "presence": reverse("training:presence", args=[ch.pk]),
                "position": progress.position,
                "frontier": progress.frontier,
                "noSkip": ch.course.no_skip,
                "duration": ch.duration_seconds,
                "idleMinutes": ch.course.idle_check_minutes,
                "completed": progress.completed_at is not None,
            },
        },
    )


def _chapter_for_learner(request, pk: int) -> Chapter:
    ch = get_object_or_404(Chapter.objects.select_related("course"), pk=pk)
    services.get_course(user=request.user, pk=ch.course_id)
    if services.is_manager(request.user):
        return ch
    enrolment = services.enrolment_of(user=request.user, course=ch.course)
    if enrolment is None:
        raise PermissionDenied("请先报名该课程")
    ok, why = services.chapter_open(enrolment=enrolment, chapter=ch)
    if not ok:
        raise PermissionDenied(why)
    return ch


@login_required
@require_POST
def progress(request, pk: int):
    ch = get_object_or_404(Chapter.objects.select_related("course"), pk=pk)
    try:
        services.require_open(user=request.user, chapter=ch)
    except PermissionDenied as e:
        return JsonResponse({"error": str(e)}, status=403)
    try:
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise InputError("请求体应为JSON对象")
        state = services.report_progress(
            user=request.user, chapter=ch, start=data.get("start"), end=data.get("end"), position=data.get("position")
        )
    except json.JSONDecodeError:
        return JsonResponse({"error": "请求体不是有效的JSON"}, status=400)
    except InputError as e:
        return JsonResponse(e.as_dict(), status=400)
    except PermissionDenied as e:
        return JsonResponse({"error": str(e)}, status=403)
    return JsonResponse(state)


@login_required
@require_POST
def presence(request, pk: int):
    ch = get_object_or_404(Chapter.objects.select_related("course"), pk=pk)
    try:
        services.confirm_presence(user=request.user, chapter=ch)
    except PermissionDenied as e:
        return JsonResponse({"error": str(e)}, status=403)
    return JsonResponse({"ok": True})


@login_required
def chapter_media(request, pk: int):
    """The chapter's stored file, with HTTP range support (video seeking)."""
    ch = _chapter_for_learner(request, pk)
    if not ch.file:
        raise Http404("该章节没有文件")
    path = Path(ch.file.path)
    if not path.exists():
        raise Http404("文件不存在")
    return media.ranged_response(request, path)


@login_required
def chapter_preview(request, pk: int):
    """A document inline in the browser: PDFs as they are, Office files converted to PDF once by LibreOffice."""
    ch = _chapter_for_learner(request, pk)
    if not ch.file:
        raise Http404("该章节没有文件")
    path = Path(ch.file.path)
    if path.suffix.lower() == ".pdf":
        response = media.ranged_response(request, path, "application/pdf")
    else:
        if not ch.preview_pdf:
            pdf = media.convert_to_pdf(path)
            if pdf is None:
                raise Http404("本机未安装LibreOffice，无法在线预览该文档，请下载后阅读")
            from django.core.files.base import ContentFile

            ch.preview_pdf.save(path.stem + ".pdf", ContentFile(pdf), save=True)
        response = media.ranged_response(request, Path(ch.preview_pdf.path), "application/pdf")
    response["Content-Disposition"] = "inline"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def chapter_download(request, pk: int):
    ch = _chapter_for_learner(request, pk)
    if not ch.file:
        raise Http404("该章节没有文件")
    return FileResponse(ch.file.open("rb"), as_attachment=True, filename=ch.file_name or Path(ch.file.name).name)


@login_required
def mine(request):
    enrolments = services.my_enrolments(user=request.user)
    rows = [
        {"e": e, "p": services.course_progress(enrolment=e), "status": services.deadline_status(e)} for e in enrolments
    ]
    year = timezone.localdate().year
    records = TrainingRecord.objects.filter(user=request.user).order_by("-date")
    return render(
        request,
        "training/mine.html",
        {
            "rows": rows,
            "records": records,
            "certificates": Certificate.objects.filter(user=request.user),
            "hours_year": services.hours_total(r for r in records if r.year == year),
            "year": year,
            "attempts": Attempt.objects.filter(user=request.user).select_related("exam").order_by("-started_at")[:50],
        },
    )


# ---------------------------------------------------------------- exams and certificates


@login_required
def exam(request, pk: int):
    ex = get_object_or_404(Exam.objects.select_related("course"), pk=pk)
    if request.method == "POST" and request.POST.get("start"):
        try:
            attempt = exams.start_attempt(user=request.user, exam=ex)
        except InputError as e:
            messages.error(request, e.message)
            return redirect("training:exam", pk=pk)
        return redirect("training:attempt", pk=attempt.pk)
    if not ex.published and not services.is_manager(request.user):
        raise PermissionDenied("考试尚未发布")
    return render(
        request, "training/exam.html", {"exam": ex, "attempts": exams.attempts_of(user=request.user, exam=ex)}
    )


@login_required
def attempt(request, pk: int):
    at = scopes.get_in_scope(Attempt.objects.select_related("exam"), request.user, pk=pk)
    mine_ = at.user_id == request.user.pk
    if (
        at.state == "in_progress"
        and mine_
        and services.now() > at.deadline + dt.timedelta(seconds=exams.SUBMIT_GRACE_SECONDS)
    ):
        at = exams.finish(attempt=at, answers=None)
    if request.method == "POST":
        if not mine_:
            raise PermissionDenied("只能提交本人的试卷")
        try:
            at = exams.finish(attempt=at, answers=exams.answers_from_post(at, request.POST))
        except InputError as e:
            messages.error(request, e.message)
        return redirect("training:attempt", pk=at.pk)
    remaining = max(0, int((at.deadline - services.now()).total_seconds()))
    used = Attempt.objects.filter(exam=at.exam, user=at.user).count()
    show_answers = at.passed or bool(
        at.exam.max_attempts and used >= at.exam.max_attempts
    )  # no answer key while retakes remain
    return render(
        request,
        "training/attempt.html",
        {
            "at": at,
            "paper": exams.paper(at),
            "remaining": remaining,
            "mine": mine_,
            "show_answers": show_answers,
            "certificate": getattr(at, "certificate", None) if at.passed else None,
        },
    )


def _certificate(request, code: str) -> Certificate:
    cert = get_object_or_404(Certificate.objects.select_related("user"), code=code)
    scopes.require_in_scope(request.user, cert)
    return cert


@login_required
def certificate_file(request, code: str, fmt: str):
    cert = _certificate(request, code)
    url = request.build_absolute_uri(reverse("training:verify"))
    audit.record(AuditAction.EXPORT, obj=cert, reason=f"下载结业证书（{fmt}）")
    if fmt == "pdf":
        return attachment(documents.certificate_pdf(cert, url), f"结业证书-{cert.code}.pdf", "application/pdf")
    return attachment(documents.certificate_docx(cert, url), f"结业证书-{cert.code}.docx", DOCX)


def verify(request):
    """Public certificate verification (no login): the holder's name masked, the course, hours and date."""
    code = request.GET.get("code", "").strip()[:40]
    cert = exams.verify(code) if code else None
    return render(
        request,
        "training/verify.html",
        {"code": code, "cert": cert, "masked": exams.mask_name(cert.holder_name) if cert else ""},
    )


# ---------------------------------------------------------------- management


@login_required
@gated(Gate(services.is_manager, "只有省局系统管理员和处室工作人员可以管理课程、题库、考试和培训班"))
def manage(request):
    return render(
        request,
        "training/manage.html",
        {
            "courses": Course.objects.all(),
            "pending": Enrolment.objects.filter(state=EnrolState.PENDING).select_related("user", "course"),
            "banks": QuestionBank.objects.all(),
            "exams": Exam.objects.select_related("course"),
            "assignments": scopes.restrict(services.Assignment.objects.select_related("course"), request.user)[:100],
            "TargetKind": TargetKind,
            "today": timezone.localdate(),
            "roles": Role.choices,
        },
    )


def _form_page(request, form, title, back):
    return render(request, "training/form.html", {"form": form, "title": title, "back": back})


@login_required
def course_edit(request, pk: int | None = None):
    services.require_manager(request.user)
    course = get_object_or_404(Course, pk=pk) if pk else Course(created_by=request.user)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("training:course", pk=form.instance.pk)
    return _form_page(request, form, "编辑课程" if pk else "新建课程", reverse("training:manage"))


@login_required
def chapter_add(request, pk: int):
    services.require_manager(request.user)
    course = get_object_or_404(Course, pk=pk)
    form = ChapterForm(
        request.POST or None, request.FILES or None, instance=Chapter(course=course, order=course.chapters.count() + 1)
    )
    if request.method == "POST" and form.is_valid():
        if request.FILES.get("file"):
            form.instance.file_name = request.FILES["file"].name[:200]
        form.save()
        return redirect("training:course", pk=course.pk)
    return _form_page(request, form, f"添加章节 · {course.title}", reverse("training:course", args=[course.pk]))


@login_required
@require_POST
@input_errors_as_messages(fallback="training:manage")
def assign(request):
    services.require_manager(request.user)
    raw = request.POST.get("course") or ""
    course = Course.objects.filter(pk=int(raw)).first() if is_id(raw) else None
    if course is None:
        raise InputError("请选择要指派的课程", field="course")
    deadline = parse_date(request.POST.get("deadline"), field="deadline", label="完成期限")
    a = services.assign(
        by=request.user,
        course=course,
        target_kind=request.POST.get("target_kind", ""),
        target_value=request.POST.get("target_value", ""),
        deadline=deadline,
        note=request.POST.get("note", ""),
    )
    messages.success(request, f"已下达学习任务：{a}，{a.enrolments.count()}人")
    return redirect("training:manage")


@login_required
@require_POST
@input_errors_as_messages(fallback="training:manage")
def enrolment_decide(request, pk: int):
    e = get_object_or_404(Enrolment, pk=pk)
    services.decide_enrolment(by=request.user, enrolment=e, approve=request.POST.get("approve") == "1")
    return redirect("training:manage")


@login_required
def bank_detail(request, pk: int | None = None):
    services.require_manager(request.user)
    if pk is None:
        name = request.POST.get("name", "").strip()[:200]
        if request.method != "POST" or not name:
            messages.error(request, "请填写题库名称")
            return redirect("training:manage")
        bank = QuestionBank.objects.create(name=name, created_by=request.user)
        return redirect("training:bank", pk=bank.pk)
    bank = get_object_or_404(QuestionBank, pk=pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.bank = bank
        form.save()
        messages.success(request, "已添加试题")
        return redirect("training:bank", pk=bank.pk)
    return render(
        request,
        "training/bank.html",
        {"bank": bank, "form": form, "questions": bank.questions.all(), "import_form": QuestionImportForm()},
    )


@login_required
def bank_template(request):
    services.require_manager(request.user)
    return attachment(question_import.template_bytes(), "试题导入模板.xlsx")


@login_required
@require_POST
def bank_import(request, pk: int):
    services.require_manager(request.user)
    bank = get_object_or_404(QuestionBank, pk=pk)
    import_form = QuestionImportForm(request.POST, request.FILES)
    result = None
    if import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            if upload.size > question_import.MAX_BYTES:
                raise InputError(f"{upload.name}超过{question_import.MAX_BYTES // 1024 // 1024} MB", field="file")
            result = question_import.import_questions(
                bank=bank, data=upload.read(), filename=upload.name, mode=import_form.cleaned_data["mode"]
            )
        except InputError as e:
            import_form.add_error("file", e.message)
    if result is not None and result.created:
        messages.success(
            request, f"已导入{result.created}道试题" + (f"，{len(result.errors)}行有错未导入" if result.errors else "")
        )
    elif result is not None:
        messages.error(request, f"{len(result.errors)}行有错，未导入任何试题（全部成功才导入）")
    status = 200 if result is not None and result.created else 400  # nothing imported: the page shows why
    return render(
        request,
        "training/bank.html",
        {
            "bank": bank,
            "form": QuestionForm(),
            "questions": bank.questions.all(),
            "import_form": import_form,
            "import_result": result,
        },
        status=status,
    )


@login_required
def exam_edit(request, pk: int | None = None):
    services.require_manager(request.user)
    ex = get_object_or_404(Exam, pk=pk) if pk else Exam()
    initial = {"rules_text": json.dumps(ex.rules, ensure_ascii=False)} if pk else {}
    form = ExamForm(request.POST or None, instance=ex, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("training:exam", pk=form.instance.pk)
    return _form_page(request, form, "编辑考试" if pk else "新建考试", reverse("training:manage"))


# ---------------------------------------------------------------- records, classes, bases


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
@gated_roles(services.RECORD_VIEWER_ROLES, "只有省局、市局和县局工作人员可以查看培训统计")
def records(request):
    year = _year(request)
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, object_type="training.trainingrecord", object_repr=f"{year}年培训学时统计")
        return attachment(workbook_bytes(stats.workbook(user=request.user, year=year)), f"培训学时统计-{year}.xlsx")
    return render(
        request,
        "training/records.html",
        {
            "year": year,
            "years": _years(),
            "people": stats.per_person(user=request.user, year=year)[:300],
            "cities": stats.by_city(user=request.user, year=year),
            "orgs": stats.by_organization(user=request.user, year=year)[:100],
            "courses": stats.by_course(user=request.user, year=year),
            "categories": RecordCategory.choices,
            "basis": stats.BASIS,
            "scope": scopes.scope_of(request.user),
        },
    )


@login_required
@gated_roles(services.RECORD_VIEWER_ROLES, "只有省局、市局和县局工作人员可以查看培训班")
def classes(request):
    form = TrainingClassForm(request.POST or None)
    if request.method == "POST":
        services.require_manager(request.user)
        if form.is_valid():
            form.instance.created_by = request.user
            form.instance.organizer = request.user.organization
            form.save()
            return redirect("training:class", pk=form.instance.pk)
    base_form = TrainingBaseForm()
    return render(
        request,
        "training/classes.html",
        {
            "classes": scopes.restrict(TrainingClass.objects.select_related("base"), request.user)[:200],
            "bases": scopes.restrict(TrainingBase.objects.all(), request.user),
            "form": form,
            "base_form": base_form,
            "manager": services.is_manager(request.user),
        },
    )


@login_required
@require_POST
def base_add(request):
    services.require_manager(request.user)
    form = TrainingBaseForm(request.POST)
    if form.is_valid():
        form.save()
        messages.success(request, f"已登记培训基地“{form.instance.name}”")
    else:
        messages.error(
            request,
            "；".join(f"{form.fields[k].label if k in form.fields else k}：{v[0]}" for k, v in form.errors.items()),
        )
    return redirect("training:classes")


@login_required
def class_detail(request, pk: int):
    tc = scopes.get_in_scope(TrainingClass.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        services.require_manager(request.user)
        from ipplatform.core.models import User

        with transaction.atomic():
            for username in request.POST.get("add", "").replace("，", ",").split(","):
                username = username.strip()
                if not username:
                    continue
                u = User.objects.filter(username=username).first()
                if u is None:
                    messages.error(request, f"用户名“{username}”不存在，未加入学员名单")
                    continue
                Attendance.objects.get_or_create(training_class=tc, user=u)
            present = set(request.POST.getlist("present"))
            if request.POST.get("mark"):
                for a in tc.attendance.all():
                    a.present = str(a.pk) in present
                    a.hours = tc.hours if a.present else 0
                    a.marked_by = request.user
                    a.save()
                    if a.present:
                        TrainingRecord.objects.get_or_create(
                            user=a.user,
                            training_class=tc,
                            defaults={
                                "year": tc.end_date.year,
                                "date": tc.end_date,
                                "category": tc.category,
                                "source": RecordSource.CLASS,
                                "hours": tc.hours,
                                "title": tc.title,
                            },
                        )
                    else:
                        TrainingRecord.objects.filter(user=a.user, training_class=tc).delete()
        return redirect("training:class", pk=pk)
    return render(
        request,
        "training/class.html",
        {
            "tc": tc,
            "attendance": tc.attendance.select_related("user", "user__organization"),
            "manager": services.is_manager(request.user),
        },
    )
