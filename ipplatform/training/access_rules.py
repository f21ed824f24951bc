"""Who may open each page of the learning platform (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from __future__ import annotations

import datetime as dt

from ipplatform.core.access import EVERYONE, PROVINCE, SIGNED_IN, STAFF, Obj, Rule, user

MANAGERS = frozenset({"admin", "fawu", "guihua"})  # training.services.MANAGER_ROLES: 系统管理员 and 处室工作人员
PLAN_LEARNERS = frozenset(
    {"city370100", "city370200"}
)  # the demo 学习任务 assigns the work plan course to every 市局工作人员
STATUTE = "专利法基础（2020年修正）"
PLAN = "2015年全省知识产权工作要点"


def _attempt():
    from ipplatform.training import exams
    from ipplatform.training.models import Exam

    exam = Exam.objects.get(course__title=STATUTE)
    exam.require_course = False
    exam.save()
    return exams.start_attempt(user=user("haier"), exam=exam)


def _certificate():
    from ipplatform.training import exams
    from ipplatform.training.models import Course

    return exams.issue_certificate(user=user("haier"), course=Course.objects.get(title=STATUTE))


def _class():
    from ipplatform.training.models import TrainingClass

    fawu = user("fawu")
    return TrainingClass.objects.create(
        title="执法培训班",
        category="enforcement",
        city_code="370200",
        start_date=dt.date(2026, 5, 11),
        end_date=dt.date(2026, 5, 12),
        hours=8,
        organizer=fawu.organization,
        created_by=fawu,
    )


HAIER_RECORD = PROVINCE | frozenset(
    {"haier", "city370200"}
)  # a learner's own record: province, the learner, its city bureau

RULES = [
    Rule("training:index", allow=SIGNED_IN),
    Rule("training:mine", allow=SIGNED_IN),
    Rule("training:course", allow=SIGNED_IN, obj=Obj("training.Course", title=STATUTE)),
    Rule("training:enrol", allow=SIGNED_IN, obj=Obj("training.Course", title=STATUTE), method="POST"),
    Rule("training:course_new", allow=MANAGERS),
    Rule("training:course_edit", allow=MANAGERS, obj=Obj("training.Course", title=STATUTE)),
    Rule("training:chapter_add", allow=MANAGERS, obj=Obj("training.Course", title=STATUTE)),
    Rule(
        "training:chapter",
        allow=MANAGERS | PLAN_LEARNERS,
        obj=Obj("training.Chapter", course__title=PLAN, kind="text"),
        why="enrolled learners (the 学习任务) and managers previewing; others must enrol first",
    ),
    Rule(
        "training:progress",
        allow=PLAN_LEARNERS,
        obj=Obj("training.Chapter", course__title=PLAN, kind="text"),
        method="POST",
    ),
    Rule(
        "training:presence",
        allow=PLAN_LEARNERS,
        obj=Obj("training.Chapter", course__title=PLAN, kind="text"),
        method="POST",
    ),
    Rule(
        "training:media",
        allow=MANAGERS | PLAN_LEARNERS,
        obj=Obj("training.Chapter", course__title=PLAN, kind="document"),
    ),
    Rule(
        "training:preview",
        allow=MANAGERS | PLAN_LEARNERS,
        obj=Obj("training.Chapter", course__title=PLAN, kind="document"),
    ),
    Rule(
        "training:download",
        allow=MANAGERS | PLAN_LEARNERS,
        obj=Obj("training.Chapter", course__title=PLAN, kind="document"),
    ),
    Rule("training:exam", allow=SIGNED_IN, obj=Obj("training.Exam", course__title=STATUTE)),
    Rule("training:exam_new", allow=MANAGERS),
    Rule("training:exam_edit", allow=MANAGERS, obj=Obj("training.Exam", course__title=STATUTE)),
    Rule("training:attempt", allow=HAIER_RECORD, obj=Obj("training.Attempt", make=_attempt)),
    Rule(
        "training:certificate",
        allow=HAIER_RECORD,
        obj=Obj("training.Certificate", make=_certificate),
        kwargs=lambda c: {"code": c.code, "fmt": "pdf"},
    ),
    Rule("training:verify", allow=EVERYONE),
    Rule("training:manage", allow=MANAGERS),
    Rule("training:assign", allow=MANAGERS, method="POST"),
    Rule("training:enrolment_decide", allow=MANAGERS, obj=Obj("training.Enrolment", course__title=PLAN), method="POST"),
    Rule("training:bank_new", allow=MANAGERS, method="POST"),
    Rule("training:bank", allow=MANAGERS, obj=Obj("training.QuestionBank")),
    Rule("training:bank_import", allow=MANAGERS, obj=Obj("training.QuestionBank"), method="POST"),
    Rule("training:bank_template", allow=MANAGERS),
    Rule("training:records", allow=STAFF),
    Rule("training:classes", allow=STAFF),
    Rule(
        "training:class",
        allow=PROVINCE | frozenset({"fawu", "city370200"}),
        obj=Obj("training.TrainingClass", make=_class),
        why="a class in 青岛 organised by 法律事务处: the province, the organising department and 青岛's bureau",
    ),
    Rule("training:base_add", allow=MANAGERS, method="POST"),
]
