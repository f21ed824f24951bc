"""In a browser: a learner enrols, plays the generated video (range requests), progress is reported and a seek past
what was watched is sent back; resumes; takes the timed exam and downloads the certificate; the certificate verifies
publicly. (Named to run last in this folder: its transactional database is emptied afterwards.)"""

import time

import pytest

from ipplatform.training import demo, services
from ipplatform.training.enums import QuestionKind
from ipplatform.training.models import Attempt, ChapterProgress, Question


def wait_until(page, expression: str, timeout: int = 10000) -> None:
    """Polls a JavaScript expression through page.evaluate (wait_for_function needs eval, which the CSP forbids)."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true after {timeout} ms: {expression}"
        time.sleep(0.1)


@pytest.mark.browser
def test_learner_watches_takes_exam_and_downloads_certificate(
    transactional_db, live_server, settings, tmp_path, users, page, login, screenshot
):
    settings.MEDIA_ROOT = tmp_path / "files"
    course = demo.create_statute_course(by=users["admin"])
    video = course.chapters.get(order=1)

    login(page, live_server, "haier")
    page.goto(f"{live_server.url}/training/courses/{course.pk}/")
    page.click("text=报名学习")
    page.click(f"a[href='/training/chapters/{video.pk}/']")
    wait_until(page, "document.getElementById('player').readyState >= 1")
    assert page.evaluate("Math.round(document.getElementById('player').duration)") == video.duration_seconds
    page.evaluate("const v = document.getElementById('player'); v.muted = true; v.play()")
    # Playback itself can lag on a loaded 2-core machine (CI runs two suites side by side): wait for the video to
    # have played, then for the next 5-second report to credit it.
    wait_until(page, "document.getElementById('player').currentTime >= 5", timeout=60000)
    wait_until(page, "Number(document.getElementById('frontier').textContent) >= 4", timeout=20000)
    progress = ChapterProgress.objects.get(chapter=video)
    assert progress.frontier >= 4

    # A real seek beyond what was watched: the player is sent back and the server credits nothing beyond.
    page.evaluate("document.getElementById('player').currentTime = 60")
    wait_until(page, "document.getElementById('notice').textContent.includes('不允许快进')")
    page.wait_for_timeout(600)
    assert page.evaluate("document.getElementById('player').currentTime") < 20
    page.wait_for_timeout(5500)
    frontier = ChapterProgress.objects.get(chapter=video).frontier
    assert 6 <= frontier < 25
    screenshot(page, "training_video_seek_refused")

    # Resume: reopening the chapter starts where the learner left off.
    page.evaluate("document.getElementById('player').pause()")
    page.wait_for_timeout(800)
    position = ChapterProgress.objects.get(chapter=video).position
    page.goto(f"{live_server.url}/training/chapters/{video.pk}/")
    wait_until(page, "document.getElementById('player').readyState >= 1")
    wait_until(page, f"Math.abs(document.getElementById('player').currentTime - {position}) < 1.5")

    # The rest of the course is completed on the server (an 80-second video is not replayed here), then the exam.
    enrolment = services.enrolment_of(user=users["haier"], course=course)
    for chapter in course.chapters.all():
        p = services.progress_of(enrolment=enrolment, chapter=chapter)
        p.intervals, p.frontier, p.completed_at = (
            [[0, chapter.duration_seconds]],
            chapter.duration_seconds,
            services.now(),
        )
        p.save()
    services._maybe_complete(enrolment)

    exam = course.exams.get()
    page.goto(f"{live_server.url}/training/exams/{exam.pk}/")
    page.click("text=开始考试")
    page.wait_for_selector("#remaining")
    attempt = Attempt.objects.get(user=users["haier"])
    for item in attempt.items:
        q = Question.objects.get(pk=item["q"])
        name = f"q{q.pk}"
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            for i in q.answer:
                page.check(f"input[name='{name}'][value='{i}']")
        elif q.kind == QuestionKind.JUDGE:
            page.check(f"input[name='{name}'][value='{'true' if q.answer else 'false'}']")
        else:
            page.fill(f"input[name='{name}']", q.answer[0])
    screenshot(page, "training_exam_paper")
    page.click("#submit-paper")
    page.wait_for_selector("#cert-pdf")
    assert "100.0" in page.inner_text("main") and "通过" in page.inner_text("main")
    screenshot(page, "training_exam_passed")
    with page.expect_download() as info:
        page.click("#cert-pdf")
    download = info.value
    path = download.path()
    assert open(path, "rb").read(4) == b"%PDF"
    code = attempt.certificate.code
    assert code in download.suggested_filename

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/training/verify/")
    page.fill("#code", code.lower())
    page.click("text=查验")
    assert "证书真实有效" in page.inner_text("main")
    screenshot(page, "training_certificate_verified")


@pytest.mark.browser
def test_idle_check_pauses_the_video_until_the_learner_confirms(
    transactional_db, live_server, settings, tmp_path, users, page, login, screenshot
):
    import datetime as dt

    settings.MEDIA_ROOT = tmp_path / "files"
    course = demo.create_statute_course(by=users["admin"])
    assert course.idle_check_minutes > 0
    video = course.chapters.get(order=1)

    login(page, live_server, "haier")
    page.goto(f"{live_server.url}/training/courses/{course.pk}/")
    page.click("text=报名学习")
    page.goto(f"{live_server.url}/training/chapters/{video.pk}/")
    wait_until(page, "document.getElementById('player').readyState >= 1")
    page.evaluate("const v = document.getElementById('player'); v.muted = true; v.play()")
    wait_until(page, "Number(document.getElementById('frontier').textContent) >= 2", timeout=20000)
    assert page.is_hidden("#idle")

    # The last presence confirmation lies further back than the course's idle interval: the next report is answered
    # with the idle check, the player pauses and nothing more is credited.
    ChapterProgress.objects.filter(chapter=video).update(
        last_presence_at=services.now() - dt.timedelta(minutes=course.idle_check_minutes + 1)
    )
    page.wait_for_selector("#idle", state="visible", timeout=20000)
    assert "我仍在学习" in page.inner_text("#idle")
    page.wait_for_timeout(500)
    assert page.evaluate("document.getElementById('player').paused")
    stalled = ChapterProgress.objects.get(chapter=video).frontier
    assert (
        page.evaluate("document.getElementById('player').currentTime") <= stalled + 0.5
    )  # back to the last credited second
    screenshot(page, "training_idle_check")

    page.click("#still-here")
    page.wait_for_selector("#idle", state="hidden")
    confirmed = ChapterProgress.objects.get(chapter=video).last_presence_at
    assert (services.now() - confirmed).total_seconds() < 30
    assert not page.evaluate("document.getElementById('player').paused")
    wait_until(page, f"Number(document.getElementById('frontier').textContent) >= {int(stalled) + 3}", timeout=20000)
    assert ChapterProgress.objects.get(chapter=video).frontier >= stalled + 3
    assert "不允许快进" not in page.inner_text("#notice")  # resuming after the check is not taken for a skip
    screenshot(page, "training_idle_confirmed")
