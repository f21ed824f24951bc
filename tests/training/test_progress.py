"""Progress from real playback: credit only as fast as time passes, no skipping ahead on no-skip courses, the idle
check, resume, chapter order, completion and hours."""

import pytest
from django.core.exceptions import PermissionDenied

from ipplatform.core.inputs import InputError
from ipplatform.training import services
from ipplatform.training.enums import EnrolState, RecordSource
from ipplatform.training.models import TrainingRecord

pytestmark = pytest.mark.django_db


def _start(users, course, clock, username="haier"):
    user = users[username]
    services.enrol(user=user, course=course)
    video = course.chapters.get(order=1)
    services.start_chapter(user=user, chapter=video)
    return user, video


def _watch(user, chapter, clock, start, end, step=5):
    """Play [start, end] in real time, reporting every `step` seconds as the player does."""
    t = start
    state = None
    while t < end:
        nxt = min(t + step, end)
        clock.advance(nxt - t)
        state = services.report_progress(user=user, chapter=chapter, start=t, end=nxt, position=nxt)
        t = nxt
    return state


def test_real_time_playback_is_credited(users, statute_course, clock):
    user, video = _start(users, statute_course, clock)
    state = _watch(user, video, clock, 0, 30)
    assert state["frontier"] == 30
    assert state["completed"] is False


def test_skipping_ahead_is_refused_and_not_credited(users, statute_course, clock):
    user, video = _start(users, statute_course, clock)
    _watch(user, video, clock, 0, 20)
    clock.advance(5)
    state = services.report_progress(user=user, chapter=video, start=60, end=65, position=65)
    assert "不允许快进" in state["refused"]
    assert state["frontier"] == 20
    assert state["position"] <= 20 + services.SKIP_TOLERANCE
    progress = video.progress.get()
    assert progress.refused_skips == 1
    assert progress.intervals == [[0, 20]]


def test_a_report_cannot_claim_more_than_the_time_that_passed(users, statute_course, clock):
    user, video = _start(users, statute_course, clock)
    _watch(user, video, clock, 0, 10)
    clock.advance(4)  # 4 s of real time; claims 70 s of playback
    state = services.report_progress(user=user, chapter=video, start=10, end=80, position=80)
    assert state.get("clipped") is True
    assert state["frontier"] == pytest.approx(10 + 4 * services.SPEED_ALLOWANCE + 1.0)
    assert state["completed"] is False


def test_going_back_and_rewatching_is_allowed(users, statute_course, clock):
    user, video = _start(users, statute_course, clock)
    _watch(user, video, clock, 0, 30)
    state = _watch(user, video, clock, 5, 15)
    assert state["refused"] == ""
    assert state["frontier"] == 30


def test_free_seeking_course_credits_the_union_of_watched_parts(users, statute_course, clock):
    statute_course.no_skip = False
    statute_course.save()
    user, video = _start(users, statute_course, clock)
    _watch(user, video, clock, 0, 10)
    state = _watch(user, video, clock, 40, 50)
    assert state["refused"] == ""
    assert state["watched"] == 20
    assert state["frontier"] == 10


def test_idle_check_stops_credit_until_presence_is_confirmed(users, statute_course, clock):
    user, video = _start(users, statute_course, clock)
    _watch(user, video, clock, 0, 10)
    clock.advance(statute_course.idle_check_minutes * 60 + 1)
    state = services.report_progress(user=user, chapter=video, start=10, end=15, position=15)
    assert state["idle"] is True
    assert state["frontier"] == 10
    services.confirm_presence(user=user, chapter=video)
    state = _watch(user, video, clock, 10, 20)
    assert state["idle"] is False and state["frontier"] == 20


def test_resume_where_the_learner_left_off(users, statute_course, clock):
    user, video = _start(users, statute_course, clock)
    _watch(user, video, clock, 0, 25)
    clock.advance(3600)
    progress = services.start_chapter(user=user, chapter=video)  # a new visit
    assert progress.position == 25
    enrolment = services.enrolment_of(user=user, course=statute_course)
    assert enrolment.last_chapter_id == video.pk
    clock.advance(1)
    state = services.report_progress(user=user, chapter=video, start=25, end=26, position=26)
    assert state["frontier"] == 26


def test_later_chapters_open_only_after_earlier_ones(users, statute_course, clock):
    user, video = _start(users, statute_course, clock)
    reading = statute_course.chapters.get(order=2)
    with pytest.raises(PermissionDenied, match="请先学完第1章"):
        services.start_chapter(user=user, chapter=reading)
    with pytest.raises(PermissionDenied):
        services.report_progress(user=user, chapter=reading)


def test_not_enrolled_cannot_report(users, statute_course, clock):
    video = statute_course.chapters.get(order=1)
    with pytest.raises(PermissionDenied, match="请先报名"):
        services.report_progress(user=users["sdu"], chapter=video, start=0, end=5)


def test_bad_numbers_are_refused_with_the_field(users, statute_course, clock):
    user, video = _start(users, statute_course, clock)
    with pytest.raises(InputError) as e:
        services.report_progress(user=user, chapter=video, start="abc", end=5)
    assert e.value.field == "start"
    with pytest.raises(InputError):
        services.report_progress(user=user, chapter=video, start=10, end=5)


def test_completing_every_chapter_completes_the_course_and_credits_hours(users, statute_course, clock):
    user, video = _start(users, statute_course, clock)
    state = _watch(user, video, clock, 0, video.duration_seconds)
    assert state["completed"] is True
    for order in (2, 3):
        chapter = statute_course.chapters.get(order=order)
        services.start_chapter(user=user, chapter=chapter)
        services.report_progress(user=user, chapter=chapter)
        for _ in range(chapter.min_seconds // 10 + 1):
            clock.advance(10)
            state = services.report_progress(user=user, chapter=chapter)
    assert state["course_completed"] is True
    enrolment = services.enrolment_of(user=user, course=statute_course)
    assert enrolment.state == EnrolState.COMPLETED
    record = TrainingRecord.objects.get(user=user, course=statute_course)
    assert record.hours == statute_course.credit_hours and record.source == RecordSource.ONLINE


def test_reading_time_counts_only_real_gaps(users, statute_course, clock):
    statute_course.no_skip = False
    statute_course.save()
    user = users["haier"]
    services.enrol(user=user, course=statute_course)
    reading = statute_course.chapters.get(order=2)
    services.start_chapter(user=user, chapter=reading)
    services.report_progress(user=user, chapter=reading)
    clock.advance(3600)  # left the page open for an hour: counts at most REPORT_GAP_MAX
    state = services.report_progress(user=user, chapter=reading)
    assert state["idle"] is True or state["studied"] <= services.REPORT_GAP_MAX
