"""Learning rules: enrolment and 学习任务, progress from real playback (skip prevention, idle check, resume),
completion and training hours. Exams and certificates are in exams.py, statistics in stats.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ipplatform.core import regions, scopes
from ipplatform.core.enums import PROVINCE_ROLES, Role
from ipplatform.core.inputs import InputError, is_id
from ipplatform.core.models import Organization, User

from .enums import ChapterKind, EnrolMode, EnrolState, RecordSource, TargetKind
from .models import Assignment, Chapter, ChapterProgress, Course, Enrolment, TrainingRecord

# Who runs the learning platform: courses, banks, exams, classes, 学习任务.
MANAGER_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.DEPARTMENT_STAFF})
# Who reads training statistics and records of others (within their data scope).
RECORD_VIEWER_ROLES = frozenset(PROVINCE_ROLES | {Role.CITY_OFFICER, Role.COUNTY_OFFICER})

SKIP_TOLERANCE = 3.0  # seconds a report may start beyond what was watched (buffering, rounding)
SPEED_ALLOWANCE = 1.5  # the most playback seconds credited per second of real time (1.5× playback rate)
FIRST_REPORT_MAX = 15.0  # seconds credited by a first report, before there is a previous report to measure from
REPORT_GAP_MAX = 60.0  # real seconds between reports that still count (a longer gap is a pause, not study)
COMPLETE_SLACK = 2.0  # a video counts as watched when at most this many seconds are left unwatched


def now():
    """The current time (a function so tests can move the clock)."""
    return timezone.now()


def is_manager(user) -> bool:
    """True for the platform's training administrators."""
    return user.is_authenticated and (user.is_superuser or user.role in MANAGER_ROLES)


def require_manager(user) -> None:
    """Refuse unless the user administers training."""
    scopes.require_roles(user, MANAGER_ROLES, "只有省局系统管理员和处室工作人员可以管理课程、题库、考试和培训班")


def catalogue(*, user, audience: str = "", topic: str = "", q: str = ""):
    """Published courses (all courses for managers), filtered by audience, topic and title."""
    qs = Course.objects.all() if is_manager(user) else Course.objects.filter(published=True)
    if audience:
        qs = qs.filter(audience=audience)
    if topic:
        qs = qs.filter(topic=topic)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return qs


def get_course(*, user, pk: int) -> Course:
    """A course the user may see (drafts only for managers)."""
    try:
        course = Course.objects.get(pk=pk)
    except Course.DoesNotExist:
        from django.http import Http404

        raise Http404("课程不存在")
    if not course.published and not is_manager(user):
        raise PermissionDenied("课程尚未发布")
    return course


# ---------------------------------------------------------------- enrolment and 学习任务


def enrolment_of(*, user, course: Course) -> Enrolment | None:
    """The user's enrolment in a course, if any."""
    return Enrolment.objects.filter(course=course, user=user).first()


@transaction.atomic
def enrol(*, user, course: Course, today: dt.date | None = None) -> Enrolment:
    """Self-enrolment: open courses start at once, approval courses wait for a manager; assigned-only courses refuse."""
    today = today or timezone.localdate()
    existing = enrolment_of(user=user, course=course)
    if existing and existing.state != EnrolState.REJECTED:
        return existing
    if not course.published:
        raise InputError("课程尚未发布，不能报名", field="course")
    if course.enrol_mode == EnrolMode.ASSIGNED:
        raise InputError("该课程仅限学习任务指派的人员学习，不接受自行报名", field="course")
    if course.enrol_deadline and today > course.enrol_deadline:
        raise InputError(f"报名已于{course.enrol_deadline:%Y年%m月%d日}截止", field="course")
    state = EnrolState.PENDING if course.enrol_mode == EnrolMode.APPROVAL else EnrolState.ACTIVE
    if existing:
        existing.state = state
        existing.save(update_fields=["state"])
        return existing
    return Enrolment.objects.create(course=course, user=user, state=state)


@transaction.atomic
def decide_enrolment(*, by, enrolment: Enrolment, approve: bool) -> Enrolment:
    """A manager approves or rejects a pending enrolment."""
    require_manager(by)
    if enrolment.state != EnrolState.PENDING:
        raise InputError(f"该报名当前为“{enrolment.get_state_display()}”，无需审核", field="state")
    enrolment.state = EnrolState.ACTIVE if approve else EnrolState.REJECTED
    enrolment.decided_by = by
    enrolment.save(update_fields=["state", "decided_by"])
    return enrolment


def assignment_targets(assignment: Assignment):
    """The active users an assignment reaches."""
    users = User.objects.filter(is_active=True)
    value = assignment.target_value
    if assignment.target_kind in (TargetKind.ORGANIZATION, TargetKind.DEPARTMENT):
        return users.filter(organization_id=int(value))
    if assignment.target_kind == TargetKind.CITY:
        return users.filter(organization__region_code__startswith=value[:4])
    return users.filter(role=value)


def _target_label(kind: str, value: str) -> str:
    if kind in (TargetKind.ORGANIZATION, TargetKind.DEPARTMENT):
        org = Organization.objects.filter(pk=int(value)).first()
        if org is None:
            raise InputError(f"单位ID {value} 不存在", field="target_value")
        return org.name
    if kind == TargetKind.CITY:
        name = regions.name_of(value)
        if not name or not value.endswith("00"):
            raise InputError(f"城市代码“{value}”不是山东省的市级区划代码", field="target_value")
        return name
    if value not in Role.values:
        raise InputError(f"角色“{value}”不存在", field="target_value")
    return Role(value).label


@transaction.atomic
def assign(*, by, course: Course, target_kind: str, target_value: str, deadline: dt.date, note: str = "") -> Assignment:
    """Create a 学习任务 and enrol everyone it reaches, with its deadline."""
    require_manager(by)
    if target_kind not in TargetKind.values:
        raise InputError("指派对象类型不正确", field="target_kind")
    target_value = (target_value or "").strip()
    if target_kind in (TargetKind.ORGANIZATION, TargetKind.DEPARTMENT) and not is_id(target_value):
        raise InputError("请填写单位ID（数字）", field="target_value")
    label = _target_label(target_kind, target_value)
    if deadline < timezone.localdate():
        raise InputError("完成期限不能早于今天", field="deadline")
    assignment = Assignment.objects.create(
        course=course,
        target_kind=target_kind,
        target_value=target_value,
        target_label=label,
        deadline=deadline,
        note=note[:300],
        created_by=by,
    )
    from django.urls import reverse

    from ipplatform.core.notify import notify

    for user in assignment_targets(assignment):
        _enrol_assigned(user=user, assignment=assignment)
        notify(
            user=user,
            title=f"学习任务：{course.title}",
            body=f"请于{deadline:%Y年%m月%d日}前学完。{note}".strip(),
            url=reverse("training:course", args=[course.pk]),
            kind="training",
            dedupe_key=f"training-assignment:{assignment.pk}",
        )
    return assignment


def _enrol_assigned(*, user, assignment: Assignment) -> Enrolment:
    enrolment, created = Enrolment.objects.get_or_create(
        course=assignment.course,
        user=user,
        defaults={"state": EnrolState.ACTIVE, "assignment": assignment, "deadline": assignment.deadline},
    )
    if not created and enrolment.state in (EnrolState.PENDING, EnrolState.REJECTED, EnrolState.ACTIVE):
        if enrolment.deadline is None or assignment.deadline < enrolment.deadline:
            enrolment.deadline = assignment.deadline
            enrolment.assignment = assignment
        if enrolment.state != EnrolState.ACTIVE:
            enrolment.state = EnrolState.ACTIVE
        enrolment.save(update_fields=["deadline", "assignment", "state"])
    return enrolment


def sync_assignments(*, user) -> int:
    """Enrol a user in the open 学习任务 that reach them (accounts created after the task was assigned)."""
    today = timezone.localdate()
    org = user.organization
    q = Q(target_kind=TargetKind.ROLE, target_value=user.role)
    if org is not None:
        q |= Q(target_kind__in=[TargetKind.ORGANIZATION, TargetKind.DEPARTMENT], target_value=str(org.pk))
        city = regions.city_code_of(org.region_code)
        if city:
            q |= Q(target_kind=TargetKind.CITY, target_value=city)
    added = 0
    for assignment in Assignment.objects.filter(q, deadline__gte=today).exclude(course__enrolments__user=user):
        _enrol_assigned(user=user, assignment=assignment)
        added += 1
    return added


def deadline_status(enrolment: Enrolment, today: dt.date | None = None) -> str:
    """完成/逾期完成/已逾期/剩余N天/'' for an enrolment with or without a deadline."""
    today = today or timezone.localdate()
    if enrolment.state == EnrolState.COMPLETED:
        return "逾期完成" if enrolment.completed_late else "已完成"
    if not enrolment.deadline:
        return ""
    if today > enrolment.deadline:
        return "已逾期"
    return f"剩余{(enrolment.deadline - today).days}天"


def my_enrolments(*, user):
    """The user's enrolments, newest first, after picking up new 学习任务."""
    sync_assignments(user=user)
    return Enrolment.objects.filter(user=user).select_related("course", "last_chapter").order_by("-enrolled_at")


# ---------------------------------------------------------------- progress


def chapter_open(*, enrolment: Enrolment, chapter: Chapter) -> tuple[bool, str]:
    """Whether a learner may open a chapter now, and why not."""
    if enrolment.state not in (EnrolState.ACTIVE, EnrolState.COMPLETED):
        return False, f"报名状态为“{enrolment.get_state_display()}”，暂不能学习"
    if not enrolment.course.no_skip:
        return True, ""
    earlier = Chapter.objects.filter(course=enrolment.course, order__lt=chapter.order).exclude(pk=chapter.pk)
    unfinished = (
        earlier.exclude(progress__enrolment=enrolment, progress__completed_at__isnull=False).order_by("order").first()
    )
    if unfinished is not None:
        return False, f"请先学完第{unfinished.order}章“{unfinished.title}”（本课程要求按顺序学习）"
    return True, ""


def progress_of(*, enrolment: Enrolment, chapter: Chapter) -> ChapterProgress:
    """The learner's progress row for a chapter (created on first open)."""
    progress, _ = ChapterProgress.objects.get_or_create(enrolment=enrolment, chapter=chapter)
    return progress


def _merge(intervals: list, a: float, b: float) -> list:
    out = []
    for x, y in sorted([*intervals, [a, b]]):
        if out and x <= out[-1][1] + 0.5:
            out[-1][1] = max(out[-1][1], y)
        else:
            out.append([x, y])
    return [[round(x, 2), round(y, 2)] for x, y in out]


def _contiguous(intervals: list) -> float:
    return intervals[0][1] if intervals and intervals[0][0] <= 0.5 else 0.0


def _as_float(value, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{field}应为数字（秒）", field=field)
    if number != number or number < 0 or number > 86400:
        raise InputError(f"{field}超出范围（0–86400秒）", field=field)
    return number


def require_open(*, user, chapter: Chapter) -> Enrolment:
    """The learner's enrolment when the chapter is open to them; 403 with the reason otherwise."""
    enrolment = enrolment_of(user=user, course=chapter.course)
    if enrolment is None:
        raise PermissionDenied("请先报名该课程")
    ok, why = chapter_open(enrolment=enrolment, chapter=chapter)
    if not ok:
        raise PermissionDenied(why)
    return enrolment


def start_chapter(*, user, chapter: Chapter) -> ChapterProgress:
    """Open a chapter: checks enrolment and order, marks presence and where to resume."""
    enrolment = require_open(user=user, chapter=chapter)
    progress = progress_of(enrolment=enrolment, chapter=chapter)
    progress.last_presence_at = now()
    progress.last_report_at = None
    progress.save(update_fields=["last_presence_at", "last_report_at"])
    enrolment.last_chapter = chapter
    enrolment.save(update_fields=["last_chapter"])
    return progress


def confirm_presence(*, user, chapter: Chapter) -> ChapterProgress:
    """The learner answered the idle check (仍在学习)."""
    progress = start_chapter(user=user, chapter=chapter)
    return progress


@transaction.atomic
def report_progress(*, user, chapter: Chapter, start=None, end=None, position=None) -> dict:
    """Credit real playback [start, end] (video) or reading time (documents, text) and say what the player may do.

    Rules, all on the server: a segment is credited only as fast as real time passes between reports (at most
    SPEED_ALLOWANCE× playback); on a no-skip course a segment that starts beyond what was watched is refused and the
    player is sent back; after idle_check_minutes without a presence confirmation nothing is credited until the learner
    confirms; the last position is kept for resuming."""
    enrolment = require_open(user=user, chapter=chapter)
    progress = ChapterProgress.objects.select_for_update().get_or_create(enrolment=enrolment, chapter=chapter)[0]
    course = chapter.course
    t = now()
    result = {"refused": "", "idle": False}
    if (
        course.idle_check_minutes
        and progress.last_presence_at
        and (t - progress.last_presence_at).total_seconds() > course.idle_check_minutes * 60
    ):
        result["idle"] = True
        progress.last_report_at = None
        progress.save(update_fields=["last_report_at"])
        return _state(progress, result)
    if progress.last_report_at is None:
        budget = FIRST_REPORT_MAX
    else:
        gap = (t - progress.last_report_at).total_seconds()
        budget = gap * SPEED_ALLOWANCE + 1.0 if gap <= REPORT_GAP_MAX else FIRST_REPORT_MAX
        progress.studied_seconds += min(max(gap, 0.0), REPORT_GAP_MAX)
    if chapter.kind == ChapterKind.VIDEO:
        duration = float(chapter.duration_seconds or 0)
        a = min(_as_float(start if start is not None else 0, "start"), duration)
        b = min(_as_float(end if end is not None else a, "end"), duration)
        if b < a:
            raise InputError("end 不能小于 start", field="end")
        if course.no_skip and a > progress.frontier + SKIP_TOLERANCE:
            progress.refused_skips += 1
            result["refused"] = f"本课程不允许快进：只能从已观看的 {int(progress.frontier)} 秒处继续"
        else:
            if b - a > budget:
                b = a + budget
                result["clipped"] = True
            if b > a:
                progress.intervals = _merge(progress.intervals, a, b)
                progress.frontier = _contiguous(progress.intervals)
        pos = _as_float(position if position is not None else b, "position")
        progress.position = min(pos, progress.frontier + SKIP_TOLERANCE) if course.no_skip else min(pos, duration)
        watched = progress.frontier if course.no_skip else progress.watched_seconds
        done = duration > 0 and watched >= duration - COMPLETE_SLACK
    else:
        done = progress.studied_seconds >= chapter.min_seconds
    progress.last_report_at = t
    if done and progress.completed_at is None:
        progress.completed_at = t
    progress.save()
    if done:
        _maybe_complete(enrolment)
    return _state(progress, result)


def _state(progress: ChapterProgress, extra: dict) -> dict:
    chapter = progress.chapter
    return {
        **extra,
        "frontier": round(progress.frontier, 1),
        "position": round(progress.position, 1),
        "watched": round(progress.watched_seconds, 1),
        "studied": round(progress.studied_seconds, 1),
        "required": chapter.required_seconds,
        "completed": progress.completed_at is not None,
        "course_completed": progress.enrolment.state == EnrolState.COMPLETED,
    }


def _maybe_complete(enrolment: Enrolment) -> None:
    if enrolment.state == EnrolState.COMPLETED:
        return
    total = enrolment.course.chapters.count()
    done = ChapterProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).count()
    if total and done >= total:
        t = now()
        enrolment.state = EnrolState.COMPLETED
        enrolment.completed_at = t
        enrolment.completed_late = bool(enrolment.deadline and timezone.localtime(t).date() > enrolment.deadline)
        enrolment.save(update_fields=["state", "completed_at", "completed_late"])
        course = enrolment.course
        TrainingRecord.objects.get_or_create(
            user=enrolment.user,
            course=course,
            defaults={
                "year": timezone.localtime(t).year,
                "date": timezone.localtime(t).date(),
                "category": course.record_category,
                "source": RecordSource.ONLINE,
                "hours": course.credit_hours,
                "title": course.title,
            },
        )
        if not course.exams.filter(issue_certificate=True).exists():
            from .exams import issue_certificate

            issue_certificate(user=enrolment.user, course=course)


def course_progress(*, enrolment: Enrolment) -> dict:
    """Chapters done, total and percent for a learner."""
    total = enrolment.course.chapters.count()
    done = ChapterProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).count()
    return {"done": done, "total": total, "percent": round(done * 100 / total) if total else 0}


def hours_total(rows) -> Decimal:
    return sum((r.hours for r in rows), Decimal("0"))


# ---------------------------------------------------------------- 学习任务 reminders
REMINDER_DAYS = (
    3  # calendar days before a 学习任务 deadline when learners are reminded (an internal rule, not a statute)
)


def _task_managers(enrolment: Enrolment) -> list:
    """Who hears about an overdue 学习任务: whoever assigned it, else the active training administrators."""
    creator = enrolment.assignment.created_by if enrolment.assignment_id else None
    if creator is not None and creator.is_active:
        return [creator]
    return list(User.objects.filter(is_active=True, role=Role.PROVINCE_ADMIN))


def send_deadline_reminders(*, today: dt.date | None = None, days: int = REMINDER_DAYS) -> dict:
    """Remind learners of unfinished 学习任务 due within `days`, and tell learners and their assigners once overdue."""
    from django.urls import reverse

    from ipplatform.core.notify import notify

    today = today or timezone.localdate()
    counts = {"due": 0, "overdue": 0, "managers": 0}
    open_tasks = (
        Enrolment.objects.filter(
            state=EnrolState.ACTIVE, deadline__isnull=False, deadline__lte=today + dt.timedelta(days=days)
        )
        .select_related("course", "user__organization", "assignment__created_by")
        .order_by("deadline", "pk")
    )
    for e in open_tasks:
        if not e.user.is_active:
            continue
        url = reverse("training:course", args=[e.course_id])
        due = f"{e.deadline:%Y年%m月%d日}"
        if e.deadline >= today:
            left = (e.deadline - today).days
            when = "今天到期" if left == 0 else f"还剩{left}天"
            if notify(
                user=e.user,
                title=f"学习任务即将到期：{e.course.title}",
                body=f"完成期限{due}，{when}，请尽快学完。",
                url=url,
                kind="training",
                dedupe_key=f"training-due:{e.pk}:{e.deadline:%Y%m%d}",
            ):
                counts["due"] += 1
            continue
        if notify(
            user=e.user,
            title=f"学习任务已逾期：{e.course.title}",
            body=f"完成期限{due}已过，请尽快学完，完成后将记为逾期完成。",
            url=url,
            kind="training",
            dedupe_key=f"training-overdue:{e.pk}:{e.deadline:%Y%m%d}",
        ):
            counts["overdue"] += 1
        who = e.user.get_full_name() or e.user.username
        org = f"（{e.user.organization.name}）" if e.user.organization_id else ""
        for manager in _task_managers(e):
            if notify(
                user=manager,
                title=f"学习任务逾期未完成：{who}{org}",
                body=f"《{e.course.title}》完成期限{due}，截至{today:%Y年%m月%d日}仍未学完。",
                url=url,
                kind="training",
                dedupe_key=f"training-overdue-manager:{e.pk}:{e.deadline:%Y%m%d}",
            ):
                counts["managers"] += 1
    return counts
