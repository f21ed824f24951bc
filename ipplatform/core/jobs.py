"""Background jobs for long work started from the web UI: a thread runs the job and records progress,
which the job page polls (htmx). Management commands call the same functions with a tqdm bar instead."""
from __future__ import annotations

import importlib
import logging
import threading
import traceback
from collections.abc import Callable

from django.db import close_old_connections
from django.utils import timezone

from . import context
from .enums import JobStatus
from .models import BackgroundJob

log = logging.getLogger(__name__)


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
        fields = {"progress": done}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message
        BackgroundJob.objects.filter(pk=self.job_id).update(**fields)


def _resolve(func_path: str) -> Callable:
    module, _, name = func_path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def run_job(job_id: int, func_path: str, kwargs: dict) -> None:
    """Run a job synchronously (the thread target; also used by tests)."""
    job = BackgroundJob.objects.get(pk=job_id)
    BackgroundJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now())
    try:
        with context.acting_as(job.created_by, system=f"job:{job.kind}"):
            result = _resolve(func_path)(progress=JobProgress(job_id), **kwargs)
        BackgroundJob.objects.filter(pk=job_id).update(status=JobStatus.DONE, result=result, finished_at=timezone.now())
    except Exception as exc:  # the job page shows the failure instead of the thread dying silently
        log.exception("job %s failed", job_id)
        BackgroundJob.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, error=f"{exc}\n\n{traceback.format_exc(limit=5)}", finished_at=timezone.now()
        )


def submit(*, kind: str, title: str, func_path: str, kwargs: dict, user=None, run_inline: bool = False) -> BackgroundJob:
    """Create a job and start it in a background thread (or inline, for tests and commands)."""
    job = BackgroundJob.objects.create(kind=kind, title=title, created_by=user)
    if run_inline:
        run_job(job.pk, func_path, kwargs)
        job.refresh_from_db()
    else:
        def target():
            try:
                run_job(job.pk, func_path, kwargs)
            finally:
                close_old_connections()

        threading.Thread(target=target, name=f"job-{job.pk}", daemon=True).start()
    return job
