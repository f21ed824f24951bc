import time

from django.test import Client

from ipplatform.core import jobs
from ipplatform.core.enums import JobStatus
from ipplatform.core.models import BackgroundJob


def test_inline_job_records_progress_and_result(users):
    job = jobs.submit(
        kind="selftest",
        title="计数",
        func_path="ipplatform.core.selftest.count_to",
        kwargs={"n": 5},
        user=users["guihua"],
        run_inline=True,
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 5 and job.total == 5 and job.percent == 100
    assert job.result == {"summary": "共计数 5 次"}


def test_failed_job_keeps_the_error(users):
    job = jobs.submit(
        kind="selftest",
        title="计数",
        func_path="ipplatform.core.selftest.count_to",
        kwargs={"n": 5, "fail_at": 3},
        user=users["guihua"],
        run_inline=True,
    )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "第3步出错" in job.error and job.progress == 2


def test_job_page_only_for_its_owner(users, password):
    job = jobs.submit(
        kind="selftest",
        title="计数任务",
        func_path="ipplatform.core.selftest.count_to",
        kwargs={"n": 3},
        user=users["guihua"],
        run_inline=True,
    )
    owner, other = Client(), Client()
    owner.post("/login/", {"username": "guihua", "password": password})
    other.post("/login/", {"username": "city370200", "password": password})
    r = owner.get(f"/jobs/{job.pk}/")
    assert r.status_code == 200 and "已完成" in r.content.decode() and "共计数 3 次" in r.content.decode()
    assert other.get(f"/jobs/{job.pk}/").status_code == 403
    # htmx polling gets the status fragment only
    r = owner.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert r.content.decode().lstrip().startswith('<div id="job-status"')


def test_threaded_job_runs_in_background(transactional_db, users):
    job = jobs.submit(
        kind="selftest",
        title="计数",
        func_path="ipplatform.core.selftest.count_to",
        kwargs={"n": 3},
        user=users["guihua"],
    )
    for _ in range(100):
        job.refresh_from_db()
        if job.status == JobStatus.DONE:
            break
        time.sleep(0.05)
    assert job.status == JobStatus.DONE


def _stale(job, *, resumable: bool, func_path: str, kwargs: dict, attempts: int = 1):
    from datetime import timedelta

    from django.utils import timezone

    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=5),
        worker="node1:4242",
        resumable=resumable,
        func_path=func_path,
        kwargs=kwargs,
        attempts=attempts,
        result=None,
    )


def test_lost_worker_fails_a_plain_job_and_reruns_a_resumable_one(users, tmp_path, django_capture_on_commit_callbacks):
    plain = BackgroundJob.objects.create(kind="selftest", title="计数", created_by=users["guihua"])
    _stale(plain, resumable=False, func_path="ipplatform.core.selftest.count_to", kwargs={"n": 3})
    steps = tmp_path / "steps.txt"
    steps.write_text("1\n2\n")
    again = BackgroundJob.objects.create(kind="selftest.resumable", title="可续做", created_by=users["guihua"])
    _stale(
        again,
        resumable=True,
        func_path="ipplatform.core.selftest.resumable_count",
        kwargs={"n": 4, "path": str(steps), "step_seconds": 0},
    )
    spent = BackgroundJob.objects.create(kind="selftest.resumable", title="已重试3次", created_by=users["guihua"])
    _stale(
        spent,
        resumable=True,
        func_path="ipplatform.core.selftest.resumable_count",
        kwargs={"n": 4, "path": str(steps)},
        attempts=3,
    )
    fresh = jobs.submit(
        kind="selftest", title="正常", func_path="ipplatform.core.selftest.count_to", kwargs={"n": 2}, run_inline=True
    )

    with django_capture_on_commit_callbacks(execute=True):
        out = jobs.reap_stale_jobs()
    assert sorted(out["failed"]) == sorted([plain.pk, spent.pk]) and out["retried"] == [again.pk]
    plain.refresh_from_db(), again.refresh_from_db(), spent.refresh_from_db(), fresh.refresh_from_db()
    assert plain.status == JobStatus.FAILED and "node1:4242" in plain.error and "请重新提交" in plain.error
    assert spent.status == JobStatus.FAILED and "最多重试次数" in spent.error
    assert again.status == JobStatus.DONE and again.attempts == 2 and "本次从第 3 步开始" in again.result["summary"]
    assert steps.read_text().split() == ["1", "2", "3", "4"]
    assert fresh.status == JobStatus.DONE  # finished jobs are never touched


def test_job_page_reaps_a_job_whose_worker_died(users, password):
    job = BackgroundJob.objects.create(kind="selftest", title="计数任务", created_by=users["guihua"])
    _stale(job, resumable=False, func_path="ipplatform.core.selftest.count_to", kwargs={"n": 3})
    c = Client()
    c.post("/login/", {"username": "guihua", "password": password})
    html = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "失败" in html and "失去响应" in html and "运行中" not in html


def test_submit_rejects_an_unknown_function(users):
    import pytest

    with pytest.raises((ImportError, AttributeError)):
        jobs.submit(kind="selftest", title="x", func_path="ipplatform.core.selftest.no_such_function", kwargs={})
    assert not BackgroundJob.objects.filter(title="x").exists()
