"""With REDIS_URL set the queue and the cache use Redis (checked against the Redis at 127.0.0.1:6379 when it runs)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis server at 127.0.0.1:6379")
def test_queue_and_cache_on_redis(tmp_path):
    code = textwrap.dedent("""
        import django
        django.setup()
        from huey.contrib.djhuey import HUEY
        from ipplatform.core import cache, jobs
        from django.core.cache import caches
        backend = caches["default"]
        assert type(HUEY).__name__ == "RedisHuey", type(HUEY)
        assert "RedisCache" in type(backend).__name__, type(backend)
        HUEY.flush()
        job = jobs.submit(kind="selftest", title="计数", func_path="ipplatform.core.selftest.count_to", kwargs={"n": 2})
        assert HUEY.pending_count() == 1 and job.status == "pending"
        task = HUEY.dequeue()
        HUEY.execute(task)  # what a worker does
        job.refresh_from_db()
        assert job.status == "done", job.status
        calls = []
        assert cache.cached("t", {"a": 1}, lambda: calls.append(1) or 7) == 7
        assert cache.cached("t", {"a": 1}, lambda: calls.append(1) or 8) == 7 and len(calls) == 1
        before = cache.generation("t")
        cache.invalidate("t")
        assert cache.generation("t") != before
        HUEY.flush()
        backend.clear()
        print("redis ok")
    """)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "JOBS_IMMEDIATE")}
    env.update(
        REDIS_URL="redis://127.0.0.1:6379/13",
        HUEY_NAME=f"test-{os.getpid()}",
        DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        LOG_LEVEL="ERROR",
        ACCESS_LOG_LEVEL="ERROR",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "redis ok" in out.stdout, out.stdout[-2000:] + out.stderr[-2000:]


def test_periodic_jobs_are_registered_with_the_scheduler():
    import datetime as dt

    from huey.contrib.djhuey import HUEY

    from ipplatform.core.scheduled import SCHEDULE
    from ipplatform.core.tasks import PERIODIC_TASKS

    periodic = {t.name for t in HUEY._registry.periodic_tasks}
    assert {f"ipplatform.scheduled.{s.key}" for s in SCHEDULE} <= periodic
    backup = PERIODIC_TASKS["backup"].task_class()
    assert backup.validate_datetime(dt.datetime(2026, 12, 5, 3, 0)) and not backup.validate_datetime(
        dt.datetime(2026, 12, 5, 3, 1)
    )
    reminders = PERIODIC_TASKS["protection_reminders"].task_class()
    assert reminders.validate_datetime(dt.datetime(2026, 12, 5, 7, 30))


def test_a_scheduled_run_is_a_recorded_job(users):
    from ipplatform.core.models import BackgroundJob
    from ipplatform.core.tasks import PERIODIC_TASKS

    PERIODIC_TASKS["verify_audit_chain"].call_local()
    job = BackgroundJob.objects.get(kind="scheduled.verify_audit_chain")
    assert job.status == "done" and "审计日志完整" in job.result["summary"]
