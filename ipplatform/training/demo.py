"""Demo learning content that is real and shipped in the repository: the generated video on 专利法 (data/training/),
the statute excerpts (data/statutes/), the 2015 work plan (data/workplan/) and a question bank on those articles
(idempotent)."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ipplatform.core.models import User

from .enums import Audience, ChapterKind, EnrolMode, QuestionKind, RecordCategory, Topic
from .models import Chapter, Course, Exam, Question, QuestionBank

DATA = Path(settings.REFERENCE_DATA_DIR)
VIDEO = DATA / "training" / "patent_law_intro.mp4"
VIDEO_SECONDS = 80  # ffprobe: 80.04 s
COURSE_TITLE = "专利法基础（2020年修正）"
PLAN_COURSE_TITLE = "2015年全省知识产权工作要点"
BANK_NAME = "专利法基础题库"

S, M, J, F = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.JUDGE, QuestionKind.FILL
# (kind, stem, options, answer, basis). Answers: option numbers from 0; True/False; accepted fill-in texts.
BANK = [
    (
        S,
        "发明专利权的期限为多少年，自何时起计算？",
        ["十年，自授权公告日起", "二十年，自申请日起", "十五年，自申请日起", "二十年，自授权公告日起"],
        [1],
        "专利法第四十二条",
    ),
    (S, "实用新型专利权的期限为：", ["五年", "十年", "十五年", "二十年"], [1], "专利法第四十二条"),
    (S, "2020年修正后，外观设计专利权的期限为：", ["十年", "十二年", "十五年", "二十年"], [2], "专利法第四十二条"),
    (
        S,
        "专利权人应当自何时开始缴纳年费？",
        ["提出申请的当年", "被授予专利权的当年", "授权后的第二年", "申请公布的当年"],
        [1],
        "专利法第四十三条",
    ),
    (
        S,
        "专利法所称的“现有技术”是指：",
        [
            "申请日以前在国内为公众所知的技术",
            "申请日以前在国内外为公众所知的技术",
            "优先权日以后公开的技术",
            "已经授予专利权的技术",
        ],
        [1],
        "专利法第二十二条",
    ),
    (
        S,
        "对产品的形状、构造或者其结合所提出的适于实用的新的技术方案，是：",
        ["发明", "实用新型", "外观设计", "集成电路布图设计"],
        [1],
        "专利法第二条",
    ),
    (M, "专利法所称的发明创造包括：", ["发明", "实用新型", "外观设计", "商标"], [0, 1, 2], "专利法第二条"),
    (
        M,
        "授予专利权的发明和实用新型，应当具备：",
        ["新颖性", "创造性", "实用性", "美感"],
        [0, 1, 2],
        "专利法第二十二条",
    ),
    (
        M,
        "有下列哪些情形的，专利权在期限届满前终止？",
        ["没有按照规定缴纳年费", "专利权人以书面声明放弃其专利权", "专利权人变更名称", "专利被许可他人实施"],
        [0, 1],
        "专利法第四十四条",
    ),
    (
        M,
        "依专利法第一条，制定专利法是为了：",
        ["保护专利权人的合法权益", "鼓励发明创造", "推动发明创造的应用", "限制技术的传播"],
        [0, 1, 2],
        "专利法第一条",
    ),
    (
        J,
        "外观设计可以是对产品局部的形状、图案或者其结合以及色彩与形状、图案的结合所作出的新设计。",
        [],
        True,
        "专利法第二条",
    ),
    (J, "实用新型专利权的期限为十五年。", [], False, "专利法第四十二条"),
    (J, "专利权在期限届满前终止的，由国务院专利行政部门登记和公告。", [], True, "专利法第四十四条"),
    (
        J,
        "以电子数据交换等方式能够有形地表现所载内容并可以随时调取查用的数据电文，视为书面形式。",
        [],
        True,
        "专利法实施细则第二条",
    ),
    (J, "创造性是指该发明或者实用新型能够制造或者使用，并且能够产生积极效果。", [], False, "专利法第二十二条"),
    (F, "发明，是指对产品、方法或者其改进所提出的新的____。", [], ["技术方案"], "专利法第二条"),
    (F, "新颖性，是指该发明或者实用新型不属于____。", [], ["现有技术"], "专利法第二十二条"),
    (F, "发明专利权的期限为____年（填阿拉伯数字或汉字）。", [], ["20", "二十"], "专利法第四十二条"),
]
EXAM_RULES = [
    ("single", 4, 10),
    ("multiple", 2, 10),
    ("judge", 2, 10),
    ("fill", 2, 10),
]  # 100 points, drawn from 6/4/5/3


def _video_duration(path: Path) -> int:
    try:
        out = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
        return int(float(out.strip()))
    except (OSError, subprocess.SubprocessError, ValueError):
        return VIDEO_SECONDS


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@transaction.atomic
def create_statute_course(*, by=None) -> Course:
    """The 专利法基础 course: the generated video, the statute excerpts, and a timed exam drawn from the bank."""
    course = Course.objects.filter(title=COURSE_TITLE).first()
    if course is not None:
        return course
    course = Course.objects.create(
        title=COURSE_TITLE,
        audience=Audience.ENTERPRISE,
        topic=Topic.LAW,
        enrol_mode=EnrolMode.OPEN,
        no_skip=True,
        idle_check_minutes=10,
        credit_hours=Decimal("2"),
        record_category=RecordCategory.AGENT_CE,
        published=True,
        created_by=by,
        summary="专利法的立法目的、发明创造的类型、授权条件和保护期限。视频由平台用幻灯片和合成语音生成；条文为经核对的节选。",
    )
    video = Chapter(
        course=course,
        order=1,
        title="视频：专利法基础 第一讲",
        kind=ChapterKind.VIDEO,
        duration_seconds=_video_duration(VIDEO),
        file_name=VIDEO.name,
        source_note="平台生成（scripts/make_training_video.py），见 data/training/SOURCE.txt",
    )
    with VIDEO.open("rb") as f:
        video.file.save(VIDEO.name, File(f), save=False)
    video.save()
    Chapter.objects.create(
        course=course,
        order=2,
        title="阅读：专利法（2020年修正）节选",
        kind=ChapterKind.TEXT,
        min_seconds=60,
        body=_text(DATA / "statutes" / "patent_law_2020_excerpt.md"),
        source_note="data/statutes/SOURCE.txt",
    )
    Chapter.objects.create(
        course=course,
        order=3,
        title="阅读：专利法实施细则（2023年修订）节选",
        kind=ChapterKind.TEXT,
        min_seconds=30,
        body=_text(DATA / "statutes" / "implementing_rules_2023_excerpt.md"),
        source_note="data/statutes/SOURCE.txt",
    )
    bank = create_bank(by=by)
    rules = [
        {"bank": bank.pk, "kind": kind, "count": count, "points": str(points)} for kind, count, points in EXAM_RULES
    ]
    Exam.objects.create(
        title="专利法基础测验",
        course=course,
        time_limit_minutes=20,
        pass_percent=60,
        max_attempts=3,
        rules=rules,
        require_course=True,
        issue_certificate=True,
        published=True,
    )
    return course


def create_bank(*, by=None) -> QuestionBank:
    bank, created = QuestionBank.objects.get_or_create(
        name=BANK_NAME,
        defaults={"created_by": by, "description": "依据 data/statutes/ 中经核对的条文出题，每题注明依据条款。"},
    )
    if created:
        Question.objects.bulk_create(
            [
                Question(bank=bank, kind=k, stem=stem, options=opts, answer=ans, basis=basis)
                for k, stem, opts, ans, basis in BANK
            ]
        )
    return bank


@transaction.atomic
def create_plan_course(*, by=None) -> Course:
    """The 2015 work plan as reading material, assigned-only (学习任务 for bureau staff)."""
    course = Course.objects.filter(title=PLAN_COURSE_TITLE).first()
    if course is not None:
        return course
    course = Course.objects.create(
        title=PLAN_COURSE_TITLE,
        audience=Audience.ENFORCEMENT,
        topic=Topic.POLICY,
        enrol_mode=EnrolMode.ASSIGNED,
        no_skip=False,
        idle_check_minutes=10,
        credit_hours=Decimal("1"),
        record_category=RecordCategory.SKILLS,
        published=True,
        created_by=by,
        summary="山东省知识产权局2015年全省知识产权工作要点全文（data/workplan/），供各市局和处室学习。",
    )
    text = _text(DATA / "workplan" / "shandong_2015_work_plan.txt")
    body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    Chapter.objects.create(
        course=course,
        order=1,
        title="2015年全省知识产权工作要点（全文）",
        kind=ChapterKind.TEXT,
        min_seconds=120,
        body=body,
        source_note="data/workplan/SOURCE.txt",
    )
    from django.core.files.base import ContentFile

    from .documents import text_to_pdf

    pdf = Chapter(
        course=course,
        order=2,
        title="工作要点（PDF版，在线预览）",
        kind=ChapterKind.DOCUMENT,
        min_seconds=60,
        file_name="2015年全省知识产权工作要点.pdf",
        source_note="由平台从 data/workplan/shandong_2015_work_plan.txt 排版生成",
    )
    pdf.file.save(
        "workplan_2015.pdf", ContentFile(text_to_pdf("山东省知识产权局 2015年全省知识产权工作要点", text)), save=False
    )
    pdf.save()
    return course


def load(*, stdout=None, options=None):
    write = stdout.write if stdout is not None else (lambda s: None)
    admin = User.objects.filter(username="admin").first()
    course = create_statute_course(by=admin)
    plan = create_plan_course(by=admin)
    from . import services

    if admin and not plan.assignments.exists():
        deadline = max(timezone.localdate() + dt.timedelta(days=30), timezone.localdate())
        services.assign(
            by=admin,
            course=plan,
            target_kind="role",
            target_value="city_officer",
            deadline=deadline,
            note="各市局工作人员学习年度工作要点",
        )
    write(
        f"远程教育：课程“{course.title}”（{course.chapters.count()}章）、“{plan.title}”、题库{Question.objects.count()}题"
    )
