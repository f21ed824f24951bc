"""Remote education: courses, chapters, enrolments and progress, question banks, exams, certificates, training records.

Shaped after PlayEdu (course → chapter → hour, per-user hour records with watched duration, department assignment)
and Moodle (course sections, quiz with random questions drawn from bank categories, attempts, grade to pass,
completion and certificates)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .enums import (
    AttemptState,
    Audience,
    ChapterKind,
    EnrolMode,
    EnrolState,
    QuestionKind,
    RecordCategory,
    RecordSource,
    TargetKind,
    Topic,
)

USER_SCOPE = {
    "owner": "user",
    "organization": "user__organization",
    "region": "user__organization__region_code",
    "department": "user__organization",
}


def chapter_file_path(instance, filename):
    return f"training/chapters/{instance.course_id}/{filename}"


class Course(models.Model):
    title = models.CharField("课程名称", max_length=200)
    summary = models.TextField("课程简介", blank=True)
    audience = models.CharField("面向对象", max_length=20, choices=Audience.choices, db_index=True)
    topic = models.CharField("主题", max_length=20, choices=Topic.choices, db_index=True)
    enrol_mode = models.CharField("报名方式", max_length=10, choices=EnrolMode.choices, default=EnrolMode.OPEN)
    enrol_deadline = models.DateField("报名截止", null=True, blank=True)
    no_skip = models.BooleanField(
        "禁止拖动快进", default=True, help_text="视频只能从已看过的位置继续，章节须按顺序学习"
    )
    idle_check_minutes = models.PositiveSmallIntegerField(
        "防挂机确认间隔（分钟）", default=10, help_text="0 表示不检查"
    )
    credit_hours = models.DecimalField("学时", max_digits=5, decimal_places=1, default=1)
    record_category = models.CharField(
        "计入培训类别", max_length=20, choices=RecordCategory.choices, default=RecordCategory.GENERAL
    )
    published = models.BooleanField("已发布", default=False)
    thematic_databases = models.ManyToManyField(
        "navigation.ThematicDatabase",
        verbose_name="关联专题",
        blank=True,
        related_name="courses",
        help_text="在这些专题信息服务平台的子站上展示",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "课程"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Chapter(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="chapters")
    order = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("章节名称", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=ChapterKind.choices)
    file = models.FileField("文件", upload_to=chapter_file_path, max_length=300, blank=True)
    file_name = models.CharField("原文件名", max_length=200, blank=True)
    preview_pdf = models.FileField("预览PDF", upload_to=chapter_file_path, max_length=300, blank=True)
    body = models.TextField("正文（Markdown）", blank=True)
    duration_seconds = models.PositiveIntegerField("视频时长（秒）", default=0)
    min_seconds = models.PositiveIntegerField("最短学习时间（秒）", default=60, help_text="文档和图文章节的完成条件")
    source_note = models.CharField("来源说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "章节"
        ordering = ["course", "order", "pk"]

    def __str__(self):
        return f"{self.course.title} · {self.title}"

    @property
    def required_seconds(self) -> int:
        return self.duration_seconds if self.kind == ChapterKind.VIDEO else self.min_seconds


class Assignment(models.Model):
    """学习任务: a course assigned to an organisation, a department, a city or a role, with a deadline."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    target_kind = models.CharField("指派对象类型", max_length=20, choices=TargetKind.choices)
    target_value = models.CharField("指派对象", max_length=40, help_text="单位ID、处室ID、城市代码或角色")
    target_label = models.CharField("指派对象名称", max_length=200)
    deadline = models.DateField("完成期限")
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指派人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_paths = {
        "owner": "created_by",
        "organization": "created_by__organization",
        "department": "created_by__organization",
        "region": "created_by__organization__region_code",
    }

    class Meta:
        verbose_name = verbose_name_plural = "学习任务"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.course.title} → {self.target_label}"


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    state = models.CharField(
        "状态", max_length=12, choices=EnrolState.choices, default=EnrolState.ACTIVE, db_index=True
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name="学习任务", null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    deadline = models.DateField("完成期限", null=True, blank=True)
    last_chapter = models.ForeignKey(Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enrolled_at = models.DateTimeField("报名时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_late = models.BooleanField("逾期完成", default=False)

    scope_paths = USER_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "选课"
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="training_enrolment_unique")]

    def __str__(self):
        return f"{self.user} · {self.course}"


class ChapterProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="progress")
    intervals = models.JSONField("已观看区间（秒）", default=list)
    frontier = models.FloatField("连续观看到（秒）", default=0)
    position = models.FloatField("上次位置（秒）", default=0)
    studied_seconds = models.FloatField("实际学习时长（秒）", default=0)
    last_report_at = models.DateTimeField(null=True, blank=True)
    last_presence_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    refused_skips = models.PositiveIntegerField("拒绝的快进次数", default=0)

    scope_paths = {k: f"enrolment__{v}" for k, v in USER_SCOPE.items()}
    audit_exclude = True  # a row per learner and chapter, updated every few seconds of playback

    class Meta:
        verbose_name = verbose_name_plural = "章节学习进度"
        constraints = [models.UniqueConstraint(fields=["enrolment", "chapter"], name="training_progress_unique")]

    @property
    def watched_seconds(self) -> float:
        return sum(b - a for a, b in self.intervals)


class QuestionBank(models.Model):
    name = models.CharField("题库名称", max_length=200)
    description = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "题库"

    def __str__(self):
        return self.name


class Question(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices)
    stem = models.TextField("题干")
    options = models.JSONField("选项", default=list, blank=True)
    answer = models.JSONField("答案", help_text="单选/多选：选项序号列表；判断：true/false；填空：可接受答案列表")
    basis = models.CharField("依据", max_length=200, blank=True, help_text="如“专利法第四十二条”")
    explanation = models.TextField("解析", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "试题"
        ordering = ["bank", "pk"]

    def __str__(self):
        return self.stem[:40]


class Exam(models.Model):
    title = models.CharField("考试名称", max_length=200)
    course = models.ForeignKey(
        Course, verbose_name="所属课程", null=True, blank=True, on_delete=models.SET_NULL, related_name="exams"
    )
    time_limit_minutes = models.PositiveSmallIntegerField("考试时长（分钟）", default=30)
    pass_percent = models.PositiveSmallIntegerField("及格线（百分制）", default=60)
    max_attempts = models.PositiveSmallIntegerField("最多参考次数", default=3, help_text="0 表示不限")
    rules = models.JSONField(
        "组卷规则", default=list, help_text='[{"bank": 题库ID, "kind": "single", "count": 5, "points": 2}]'
    )
    require_course = models.BooleanField("须先学完课程", default=True)
    issue_certificate = models.BooleanField("通过后颁发证书", default=True)
    published = models.BooleanField("已发布", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "考试"

    def __str__(self):
        return self.title


class Attempt(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts")
    number = models.PositiveSmallIntegerField("第几次")
    state = models.CharField("状态", max_length=12, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS)
    items = models.JSONField("试卷", default=list)
    answers = models.JSONField("作答", default=dict)
    started_at = models.DateTimeField("开始时间")
    deadline = models.DateTimeField("截止时间")
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    score = models.DecimalField("得分", max_digits=6, decimal_places=1, null=True, blank=True)
    total = models.DecimalField("满分", max_digits=6, decimal_places=1, default=0)
    passed = models.BooleanField("通过", default=False)

    scope_paths = USER_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "考试记录"
        constraints = [models.UniqueConstraint(fields=["exam", "user", "number"], name="training_attempt_unique")]

    @property
    def percent(self):
        return round(float(self.score or 0) * 100 / float(self.total), 1) if self.total else 0


class Certificate(models.Model):
    code = models.CharField("验证码", max_length=20, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates")
    attempt = models.OneToOneField(Attempt, null=True, blank=True, on_delete=models.PROTECT, related_name="certificate")
    title = models.CharField("证书名称", max_length=200)
    holder_name = models.CharField("持证人", max_length=100)
    organization_name = models.CharField("单位", max_length=200, blank=True)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1, default=0)
    score_text = models.CharField("成绩", max_length=40, blank=True)
    issued_at = models.DateTimeField("颁发时间")
    revoked = models.BooleanField("已撤销", default=False)

    scope_paths = USER_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "结业证书"
        ordering = ["-issued_at"]

    def __str__(self):
        return f"{self.title} · {self.holder_name} · {self.code}"


class TrainingBase(models.Model):
    name = models.CharField("基地名称", max_length=200)
    organization = models.ForeignKey(
        "core.Organization", verbose_name="依托单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    city_code = models.CharField("所在城市", max_length=6, db_index=True)
    address = models.CharField("地址", max_length=300, blank=True)
    approved_on = models.DateField("认定日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    scope_paths = {"region": "city_code", "organization": "organization"}

    class Meta:
        verbose_name = verbose_name_plural = "培训基地"

    def __str__(self):
        return self.name


class TrainingClass(models.Model):
    title = models.CharField("培训班名称", max_length=200)
    category = models.CharField("类别", max_length=20, choices=RecordCategory.choices)
    base = models.ForeignKey(
        TrainingBase, verbose_name="培训基地", null=True, blank=True, on_delete=models.SET_NULL, related_name="classes"
    )
    city_code = models.CharField("举办城市", max_length=6, db_index=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    organizer = models.ForeignKey(
        "core.Organization", verbose_name="主办单位", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_paths = {"region": "city_code", "organization": "organizer", "department": "organizer", "owner": "created_by"}

    class Meta:
        verbose_name = verbose_name_plural = "培训班"
        ordering = ["-start_date"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField("出勤", default=False)
    hours = models.DecimalField("计入学时", max_digits=5, decimal_places=1, default=0)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_paths = USER_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "培训班考勤"
        constraints = [models.UniqueConstraint(fields=["training_class", "user"], name="training_attendance_unique")]


class TrainingRecord(models.Model):
    """Hours credited to a person in a year: online course completions and on-site class attendance."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    date = models.DateField("日期")
    category = models.CharField("类别", max_length=20, choices=RecordCategory.choices)
    source = models.CharField("形式", max_length=10, choices=RecordSource.choices)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    training_class = models.ForeignKey(
        TrainingClass, null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    title = models.CharField("培训项目", max_length=200)

    scope_paths = USER_SCOPE

    class Meta:
        verbose_name = verbose_name_plural = "培训学时记录"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], condition=models.Q(course__isnull=False), name="training_record_course_once"
            ),
            models.UniqueConstraint(
                fields=["user", "training_class"],
                condition=models.Q(training_class__isnull=False),
                name="training_record_class_once",
            ),
        ]
