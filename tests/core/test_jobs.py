import time

from django.test import Client

from ipplatform.core import jobs
from ipplatform.core.enums import JobStatus
from ipplatform.core.models import BackgroundJob


def test_inline_job_records_progress_and_result(users):
    job = jobs.submit(kind="selftest", title="计数", func_path="ipplatform.core.selftest.count_to", kwargs={"n": 5}, user=users["guihua"], run_inline=True)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 5 and job.total == 5 and job.percent == 100
    assert job.result == {"summary": "共计数 5 次"}


def test_failed_job_keeps_the_error(users):
    job = jobs.submit(kind="selftest", title="计数", func_path="ipplatform.core.selftest.count_to", kwargs={"n": 5, "fail_at": 3}, user=users["guihua"], run_inline=True)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "第3步出错" in job.error and job.progress == 2


def test_job_page_only_for_its_owner(users, password):
    job = jobs.submit(kind="selftest", title="计数任务", func_path="ipplatform.core.selftest.count_to", kwargs={"n": 3}, user=users["guihua"], run_inline=True)
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
    job = jobs.submit(kind="selftest", title="计数", func_path="ipplatform.core.selftest.count_to", kwargs={"n": 3}, user=users["guihua"])
    for _ in range(100):
        job.refresh_from_db()
        if job.status == JobStatus.DONE:
            break
        time.sleep(0.05)
    assert job.status == JobStatus.DONE
