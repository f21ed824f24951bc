"""Exams: drawing by rules, marking each question type, pass marks, retakes, the server-side deadline, certificates."""

import random
from decimal import Decimal

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.training import exams
from ipplatform.training.enums import AttemptState, QuestionKind
from ipplatform.training.models import Certificate, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam(statute_course):
    ex = statute_course.exams.get()
    ex.require_course = False
    ex.save()
    return ex


def _correct_answers(attempt):
    answers = {}
    for item in attempt.items:
        q = Question.objects.get(pk=item["q"])
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            answers[str(q.pk)] = [str(i) for i in q.answer]
        elif q.kind == QuestionKind.JUDGE:
            answers[str(q.pk)] = ["true" if q.answer else "false"]
        else:
            answers[str(q.pk)] = [q.answer[0]]
    return answers


def test_paper_follows_the_rules(exam):
    items = exams.draw_paper(exam=exam, rng=random.Random(1))
    kinds = [Question.objects.get(pk=i["q"]).kind for i in items]
    assert (
        kinds.count("single") == 4
        and kinds.count("multiple") == 2
        and kinds.count("judge") == 2
        and kinds.count("fill") == 2
    )
    assert len({i["q"] for i in items}) == 10
    assert sum(Decimal(i["points"]) for i in items) == 100


def test_papers_differ_between_draws(exam):
    drawn = {tuple(sorted(i["q"] for i in exams.draw_paper(exam=exam, rng=random.Random(seed)))) for seed in range(8)}
    assert len(drawn) > 1


def test_rules_asking_for_more_questions_than_the_bank_has_are_refused(exam):
    bank_id = exam.rules[0]["bank"]
    with pytest.raises(InputError, match="只有6道"):
        exams.validate_rules([{"bank": bank_id, "kind": "single", "count": 7, "points": 5}])
    with pytest.raises(InputError, match="题型"):
        exams.validate_rules([{"bank": bank_id, "kind": "essay", "count": 1, "points": 5}])


@pytest.mark.parametrize(
    "kind,answer,given,ok",
    [
        ("single", [1], ["1"], True),
        ("single", [1], ["2"], False),
        ("single", [1], [], False),
        ("multiple", [0, 1, 2], ["2", "0", "1"], True),
        ("multiple", [0, 1, 2], ["0", "1"], False),
        ("multiple", [0, 1], ["0", "1", "3"], False),
        ("judge", True, ["true"], True),
        ("judge", False, ["false"], True),
        ("judge", True, ["false"], False),
        ("fill", ["技术方案"], ["技术方案"], True),
        ("fill", ["技术方案"], [" 技术 方案 "], True),
        ("fill", ["20", "二十"], ["２０"], True),
        ("fill", ["现有技术"], ["已有技术"], False),
        ("single", [0], ["x"], False),
    ],
)
def test_marking(kind, answer, given, ok):
    assert exams.is_correct(Question(kind=kind, answer=answer, options=["a", "b", "c", "d"]), given) is ok


def test_full_marks_pass_and_issue_a_certificate(users, exam, clock):
    attempt = exams.start_attempt(user=users["haier"], exam=exam)
    done = exams.finish(attempt=attempt, answers=_correct_answers(attempt))
    assert done.state == AttemptState.SUBMITTED and done.score == 100 and done.passed
    cert = Certificate.objects.get(attempt=done)
    assert cert.code.startswith("SDIP-") and cert.course == exam.course
    with pytest.raises(InputError, match="已通过"):
        exams.start_attempt(user=users["haier"], exam=exam)


def test_pass_mark_boundary(users, exam, clock):
    attempt = exams.start_attempt(user=users["haier"], exam=exam)
    answers = _correct_answers(attempt)
    for key in list(answers)[:4]:  # 4 wrong of 10 × 10 points → 60 = pass mark
        answers[key] = ["9"] if Question.objects.get(pk=key).kind != "fill" else ["错误答案"]
    done = exams.finish(attempt=attempt, answers=answers)
    assert done.score == 60 and done.passed


def test_retakes_until_the_limit(users, exam, clock):
    for n in range(exam.max_attempts):
        attempt = exams.start_attempt(user=users["haier"], exam=exam)
        assert attempt.number == n + 1
        assert not exams.finish(attempt=attempt, answers={}).passed
    with pytest.raises(InputError, match="最多参考3次"):
        exams.start_attempt(user=users["haier"], exam=exam)


def test_an_open_attempt_is_continued_not_redrawn(users, exam, clock):
    first = exams.start_attempt(user=users["haier"], exam=exam)
    assert exams.start_attempt(user=users["haier"], exam=exam).pk == first.pk


def test_late_submission_scores_nothing(users, exam, clock):
    attempt = exams.start_attempt(user=users["haier"], exam=exam)
    clock.advance(exam.time_limit_minutes * 60 + exams.SUBMIT_GRACE_SECONDS + 1)
    done = exams.finish(attempt=attempt, answers=_correct_answers(attempt))
    assert done.state == AttemptState.EXPIRED and done.score == 0 and not done.passed


def test_submission_within_grace_is_marked(users, exam, clock):
    attempt = exams.start_attempt(user=users["haier"], exam=exam)
    clock.advance(exam.time_limit_minutes * 60 + exams.SUBMIT_GRACE_SECONDS - 1)
    assert exams.finish(attempt=attempt, answers=_correct_answers(attempt)).score == 100


def test_expired_open_attempt_is_closed_when_starting_again(users, exam, clock):
    first = exams.start_attempt(user=users["haier"], exam=exam)
    clock.advance(exam.time_limit_minutes * 60 + 1)
    second = exams.start_attempt(user=users["haier"], exam=exam)
    first.refresh_from_db()
    assert first.state == AttemptState.EXPIRED and second.number == 2


def test_exam_requires_the_course_when_configured(users, statute_course, clock):
    exam = statute_course.exams.get()
    with pytest.raises(InputError, match="请先学完课程"):
        exams.start_attempt(user=users["haier"], exam=exam)
