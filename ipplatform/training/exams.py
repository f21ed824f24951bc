"""Exams: papers drawn at random by rules from question banks, a server-side deadline, automatic marking, pass marks,
retakes, and certificates with a public verification code."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ipplatform.core.inputs import InputError
from ipplatform.lib.textnorm import fold

from . import services
from .enums import AttemptState, EnrolState, QuestionKind
from .models import Attempt, Certificate, Course, Exam, Question, QuestionBank

SUBMIT_GRACE_SECONDS = (
    30  # network delay allowed after the deadline; later submissions are marked 超时 and score nothing
)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def validate_rules(rules) -> list[dict]:
    """Check a paper's drawing rules: each names a bank, a question kind, a count and points per question."""
    if not isinstance(rules, list) or not rules:
        raise InputError("组卷规则应为非空列表", field="rules")
    clean = []
    for i, rule in enumerate(rules, 1):
        if not isinstance(rule, dict):
            raise InputError(f"第{i}条组卷规则格式不正确", field="rules", position=i)
        bank = QuestionBank.objects.filter(pk=rule.get("bank")).first()
        if bank is None:
            raise InputError(f"第{i}条组卷规则的题库不存在", field="rules", position=i)
        kind = rule.get("kind")
        if kind not in QuestionKind.values:
            raise InputError(f"第{i}条组卷规则的题型“{kind}”不正确", field="rules", position=i)
        try:
            count, points = int(rule.get("count")), Decimal(str(rule.get("points")))
        except Exception:
            raise InputError(f"第{i}条组卷规则的题数或分值不是数字", field="rules", position=i)
        if not 1 <= count <= 200 or not Decimal("0") < points <= 100:
            raise InputError(f"第{i}条组卷规则的题数（1–200）或分值（0–100]超出范围", field="rules", position=i)
        available = bank.questions.filter(kind=kind).count()
        if available < count:
            raise InputError(
                f"第{i}条组卷规则要求{count}道{QuestionKind(kind).label}，题库“{bank.name}”只有{available}道",
                field="rules",
                position=i,
            )
        clean.append({"bank": bank.pk, "kind": kind, "count": count, "points": str(points)})
    return clean


def draw_paper(*, exam: Exam, rng: random.Random | None = None) -> list[dict]:
    """A paper for one attempt: for each rule, `count` distinct questions of its kind drawn at random from its bank."""
    rng = rng or random.SystemRandom()
    items = []
    for rule in validate_rules(exam.rules):
        ids = list(Question.objects.filter(bank_id=rule["bank"], kind=rule["kind"]).values_list("pk", flat=True))
        for qid in rng.sample(ids, rule["count"]):
            items.append({"q": qid, "points": rule["points"]})
    return items


def attempts_of(*, user, exam: Exam):
    return Attempt.objects.filter(exam=exam, user=user).order_by("number")


@transaction.atomic
def start_attempt(*, user, exam: Exam, rng: random.Random | None = None) -> Attempt:
    """Start (or continue) an attempt: checks publication, course completion and the number of attempts left."""
    if not exam.published:
        raise PermissionDenied("考试尚未发布")
    if exam.course_id and exam.require_course:
        enrolment = services.enrolment_of(user=user, course=exam.course)
        if enrolment is None or enrolment.state != EnrolState.COMPLETED:
            raise InputError(f"请先学完课程“{exam.course.title}”的全部章节再参加考试", field="exam")
    previous = list(attempts_of(user=user, exam=exam).select_for_update())
    for attempt in previous:
        if attempt.state == AttemptState.IN_PROGRESS:
            if services.now() <= attempt.deadline:
                return attempt
            finish(attempt=attempt, answers=None)
    if any(a.passed for a in previous):
        raise InputError("您已通过本考试，无需重考", field="exam")
    if exam.max_attempts and len(previous) >= exam.max_attempts:
        raise InputError(f"本考试最多参考{exam.max_attempts}次，您已用完", field="exam")
    items = draw_paper(exam=exam, rng=rng)
    t = services.now()
    total = sum(Decimal(i["points"]) for i in items)
    return Attempt.objects.create(
        exam=exam,
        user=user,
        number=len(previous) + 1,
        items=items,
        started_at=t,
        deadline=t + dt.timedelta(minutes=exam.time_limit_minutes),
        total=total,
    )


def paper(attempt: Attempt) -> list[dict]:
    """The attempt's questions in drawing order, without answers."""
    questions = Question.objects.in_bulk([i["q"] for i in attempt.items])
    out = []
    for n, item in enumerate(attempt.items, 1):
        q = questions.get(item["q"])
        if q is not None:
            given = attempt.answers.get(str(q.pk))
            out.append(
                {
                    "n": n,
                    "question": q,
                    "points": item["points"],
                    "given": given,
                    "given_text": answer_text(q, given),
                    "correct": is_correct(q, given),
                    "answer_text": answer_text(q, q.answer),
                }
            )
    return out


def answer_text(question: Question, value) -> str:
    """An answer as a reader sees it: option letters and texts, 对/错, or the words filled in."""
    if value in (None, "", []):
        return "未作答"
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        values = value if isinstance(value, list) else [value]
        parts = []
        for v in values:
            try:
                i = int(v)
                parts.append(f"{chr(65 + i)}. {question.options[i]}")
            except (TypeError, ValueError, IndexError):
                parts.append(str(v))
        return "；".join(parts)
    if question.kind == QuestionKind.JUDGE:
        v = value[0] if isinstance(value, list) else value
        return "对" if str(v).lower() in ("true", "1", "对") else "错"
    return " / ".join(str(v) for v in (value if isinstance(value, list) else [value]))


def is_correct(question: Question, given) -> bool:
    """Mark one answer: single/multiple by the set of option numbers, true/false, fill-in against accepted answers."""
    if given in (None, "", []):
        return False
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        values = given if isinstance(given, list) else [given]
        try:
            chosen = {int(v) for v in values}
        except (TypeError, ValueError):
            return False
        return chosen == {int(v) for v in question.answer}
    if question.kind == QuestionKind.JUDGE:
        value = given[0] if isinstance(given, list) else given
        return (
            str(value).lower() in ("true", "1", "对") if question.answer else str(value).lower() in ("false", "0", "错")
        )
    text = given[0] if isinstance(given, list) else given
    accepted = question.answer if isinstance(question.answer, list) else [question.answer]
    return fold(str(text)).replace(" ", "") in {fold(str(a)).replace(" ", "") for a in accepted}


def answers_from_post(attempt: Attempt, post) -> dict:
    """Answers keyed by question id from a submitted form (q<id> fields; multiple choice may repeat)."""
    answers = {}
    for item in attempt.items:
        key = f"q{item['q']}"
        values = [v.strip()[:200] for v in post.getlist(key) if v.strip()]
        if values:
            answers[str(item["q"])] = values
    return answers


@transaction.atomic
def finish(*, attempt: Attempt, answers: dict | None) -> Attempt:
    """Hand in a paper: answers arriving after the deadline (plus a short grace) are not marked; the attempt is 超时."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        raise InputError("该试卷已交卷", field="attempt")
    t = services.now()
    late = t > attempt.deadline + dt.timedelta(seconds=SUBMIT_GRACE_SECONDS)
    if late or answers is None:
        attempt.state = AttemptState.EXPIRED
        answers = {}
    else:
        attempt.state = AttemptState.SUBMITTED
    attempt.answers = answers
    questions = Question.objects.in_bulk([i["q"] for i in attempt.items])
    score = Decimal("0")
    for item in attempt.items:
        q = questions.get(item["q"])
        if q is not None and is_correct(q, answers.get(str(q.pk))):
            score += Decimal(item["points"])
    attempt.score = score
    attempt.submitted_at = t
    attempt.passed = bool(attempt.total) and score * 100 >= attempt.total * attempt.exam.pass_percent
    attempt.save()
    if attempt.passed and attempt.exam.issue_certificate:
        issue_certificate(user=attempt.user, course=attempt.exam.course, attempt=attempt)
    return attempt


def new_code() -> str:
    """A verification code such as SDIP-7KQ2-M9XA (8 random characters, 32⁸ ≈ 1.1×10¹² values)."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"SDIP-{body[:4]}-{body[4:]}"


def issue_certificate(*, user, course: Course | None, attempt: Attempt | None = None) -> Certificate:
    """Issue (once) the certificate of a completed course or a passed exam."""
    existing = Certificate.objects.filter(user=user, course=course).first() if course else None
    if existing is None and attempt is not None:
        existing = Certificate.objects.filter(attempt=attempt).first()
    if existing:
        return existing
    title = course.title if course else attempt.exam.title
    score = f"{attempt.score}/{attempt.total}分" if attempt else "完成全部章节"
    for _ in range(5):
        code = new_code()
        if not Certificate.objects.filter(code=code).exists():
            break
    return Certificate.objects.create(
        code=code,
        user=user,
        course=course,
        attempt=attempt,
        title=f"《{title}》结业证书",
        holder_name=user.real_name or user.get_username(),
        organization_name=user.organization.name if user.organization else "",
        hours=course.credit_hours if course else 0,
        score_text=score,
        issued_at=services.now(),
    )


def verify(code: str) -> Certificate | None:
    """The certificate with this verification code (spaces and case ignored), or None."""
    code = (code or "").strip().upper().replace(" ", "")
    if len(code) > 20 or not code:
        return None
    return Certificate.objects.filter(code=code).select_related("course").first()


def mask_name(name: str) -> str:
    """A holder's name as shown on the public verification page (张*明)."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
