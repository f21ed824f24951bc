"""Background jobs for long work started from the web UI or on a schedule, on the huey queue (SQLite storage
under DATA_DIR by default, Redis when REDIS_URL is set; `manage.py run_huey` is the worker that scripts/run.sh
starts beside the web server). The job row records progress, which the job page polls (htmx).

A running job renews a lease (heartbeat_at) every JOB_HEARTBEAT seconds from a thread beside it. When its
worker dies (kill -9, deploy, out of memory) the lease runs out: reap_stale_jobs() — run by every worker at
start and every minute by the scheduler, and by the job page — retries a resumable job (its function is
idempotent and picks up where the committed work stops, e.g. a patent import in lenient mode) up to
JOB_MAX_ATTEMPTS times, and marks any other job failed with the reason. Nothing stays 运行中.

Management commands call the same functions with a tqdm progress callback."""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_task, on_startup

from . import context, dbrouter
from .enums import JobStatus
from .models import BackgroundJob

log = logging.getLogger(__name__)

# Kinds whose function may run again after a lost worker and continue where the committed work stops.
RESUMABLE_KINDS = {"patents.import", "search.rebuild", "analytics.refresh", "selftest.resumable"}


class JobProgress:
    """Progress callback handed to job functions: progress(done, total=None, message="")."""

    def __init__(self, job_id: int, every: int = 200):
        self.job_id = job_id
        self.every = every
        self._last = -1

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        if done - self._last < self.every and (total is None or done < total) and not message:
            return
        self._last = done
        fields = {"progress": done, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message
        BackgroundJob.objects.filter(pk=self.job_id).update(**fields)


def _resolve(func_path: str) -> Callable:
    module, _, name = func_path.rpartition(".")
    return getattr(importlib.import_module(module), name)


_running_here: set[int] = set()  # jobs this process is running: alive by definition, whatever their heartbeat says


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Heartbeat(threading.Thread):
    """Renews the job's lease while its function runs."""

    def __init__(self, job_id: int, every: float):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.every, self.stop = job_id, every, threading.Event()

    def run(self):
        try:
            while not self.stop.wait(self.every):
                BackgroundJob.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # the database went away: the lease simply runs out
            log.exception("heartbeat of job %s stopped", self.job_id)
        finally:
            close_old_connections()


def run_job(job_id: int, func_path: str, kwargs: dict) -> None:
    """Run a job synchronously in this process (the queue task; also used inline by tests and commands)."""
    job = None
    for _ in range(50):  # the row may not be committed yet when a fast worker picks the task up
        job = BackgroundJob.objects.filter(pk=job_id).first()
        if job is not None:
            break
        time.sleep(0.1)
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return
    dbrouter.reset()
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING,
        started_at=job.started_at or now,
        heartbeat_at=now,
        worker=worker_name(),
        attempts=job.attempts + 1,
    )
    _running_here.add(job_id)
    beat = None
    if not HUEY.immediate:
        beat = _Heartbeat(job_id, settings.JOB_HEARTBEAT)
        beat.start()
    try:
        with context.acting_as(job.created_by, system=f"job:{job.kind}"):
            result = _resolve(func_path)(progress=JobProgress(job_id), **kwargs)
        BackgroundJob.objects.filter(pk=job_id).update(status=JobStatus.DONE, result=result, finished_at=timezone.now())
    except Exception as exc:  # the job page shows the failure instead of the worker dying silently
        log.exception("job %s failed", job_id)
        BackgroundJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=f"{exc}\n\n{traceback.format_exc(limit=5)}", finished_at=timezone.now()
        )
    finally:
        _running_here.discard(job_id)
        if beat is not None:
            beat.stop.set()


@db_task(name="ipplatform.run_job")
def run_job_task(job_id: int, func_path: str, kwargs: dict) -> None:
    run_job(job_id, func_path, kwargs)


def submit(
    *, kind: str, title: str, func_path: str, kwargs: dict, user=None, run_inline: bool = False
) -> BackgroundJob:
    """Create a job and put it on the queue (or run it inline, for tests and commands)."""
    _resolve(func_path)  # a wrong path fails here, in the request, not later in the worker
    job = BackgroundJob.objects.create(
        kind=kind, title=title, created_by=user, func_path=func_path, kwargs=kwargs, resumable=kind in RESUMABLE_KINDS
    )
    if run_inline:
        run_job(job.pk, func_path, kwargs)
    else:
        run_job_task(job.pk, func_path, kwargs)
    job.refresh_from_db()
    return job


def reap_stale_jobs(*, now=None) -> dict:
    """Jobs whose lease ran out (their worker died): resumable ones go back on the queue, the others fail."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOB_LEASE)
    retried, failed = [], []
    # a heartbeat can be late while a long write transaction (an import batch on SQLite) holds the database: jobs
    # running in this very process are alive and never reaped here
    for job in BackgroundJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).exclude(
        pk__in=list(_running_here)
    ):
        with transaction.atomic():
            claimed = BackgroundJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at)
            lost = (
                f"执行进程 {job.worker or '未知'} 在 {timezone.localtime(job.heartbeat_at):%Y-%m-%d %H:%M:%S} "
                f"后失去响应（超过 {settings.JOB_LEASE:g} 秒无心跳）"
            )
            if job.resumable and job.attempts < settings.JOB_MAX_ATTEMPTS and job.func_path:
                if claimed.update(
                    status=JobStatus.PENDING,
                    message=f"{lost}，已重新排队，第 {job.attempts + 1} 次执行将从已提交的进度继续",
                ):
                    retried.append(job.pk)
                    transaction.on_commit(lambda j=job: run_job_task(j.pk, j.func_path, j.kwargs or {}))
            else:
                reason = f"{lost}，任务已终止" + (
                    "（已达最多重试次数）" if job.resumable else "；此类任务不能自动续做，请重新提交"
                )
                if claimed.update(status=JobStatus.FAILED, error=reason, finished_at=now):
                    failed.append(job.pk)
    if retried or failed:
        log.warning("stale jobs: retried %s, failed %s", retried, failed)
    return {"retried": retried, "failed": failed}


def _reaper_loop(every: float) -> None:
    from .health import note_worker_alive

    while True:
        try:
            note_worker_alive()
            reap_stale_jobs()
        except Exception:
            log.exception("reaping stale jobs failed")
        finally:
            close_old_connections()
        time.sleep(every)


@on_startup()
def _start_reaper():
    """Each worker checks the leases at start (it may be the one replacing a dead worker) and every third of a lease."""
    threading.Thread(
        target=_reaper_loop, args=(max(1.0, settings.JOB_LEASE / 3),), name="job-reaper", daemon=True
    ).start()
