"""The real queue: `manage.py run_huey` worker processes on their own SQLite database and huey storage, one of
them killed with SIGKILL in the middle of three jobs. The next worker finds the jobs by their expired lease:
the resumable ones (a counting job and a patent import) continue where the committed work stopped, the other
one is marked failed with the reason; nothing stays 运行中."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def _env(data_dir: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "JOBS_IMMEDIATE"}
    }
    env.update(
        DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'db.sqlite3'}",
        JOB_HEARTBEAT="0.5",
        JOB_LEASE="5",
        HUEY_NAME=f"test-{os.getpid()}",
        LOG_LEVEL="ERROR",
        ACCESS_LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env, *args, timeout=120):
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=timeout
    )


def _start_worker(env, log: Path):
    fh = log.open("a")
    return subprocess.Popen(
        [PY, "manage.py", "run_huey", "--workers", "3", "--worker-type", "thread", "--no-periodic"],
        cwd=ROOT,
        env=env,
        stdout=fh,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _submit(env, **job) -> int:
    code = (
        "import django, json, sys; django.setup(); from ipplatform.core import jobs; "
        "print(jobs.submit(**json.loads(sys.argv[1])).pk)"
    )
    out = subprocess.run(
        [PY, "-c", code, json.dumps(job)], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=60
    )
    return int(out.stdout.strip().splitlines()[-1])


def _jobs(db: Path) -> dict[int, dict]:
    con = sqlite3.connect(db, timeout=30)
    con.row_factory = sqlite3.Row
    try:
        return {r["id"]: dict(r) for r in con.execute("select * from core_backgroundjob")}
    finally:
        con.close()


def _scalar(db: Path, sql: str):
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _wait(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_killed_worker_jobs_resume_or_fail(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    env = _env(data)
    db = data / "db.sqlite3"
    _manage(env, "migrate", "--noinput", "-v0")
    csv = tmp_path / "模拟专利.csv"
    _manage(env, "generate_patents", "--count", "6500", "--csv", str(csv))
    assert csv.stat().st_size < 8_000_000  # two batches of 5,000 rows: the kill falls between them
    counter = tmp_path / "steps.txt"
    log = tmp_path / "worker.log"

    worker = _start_worker(env, log)
    try:
        resumable = _submit(
            env,
            kind="selftest.resumable",
            title="可续做计数",
            func_path="ipplatform.core.selftest.resumable_count",
            kwargs={"n": 600, "path": str(counter), "step_seconds": 0.05},
        )
        plain = _submit(
            env,
            kind="selftest",
            title="不可续做计数",
            func_path="ipplatform.core.selftest.count_to",
            kwargs={"n": 6000, "step_seconds": 0.1},
        )
        importing = _submit(
            env,
            kind="patents.import",
            title="导入专利数据：模拟专利.csv",
            func_path="ipplatform.patents.services.run_upload_job",
            kwargs={"path": str(csv), "display_name": csv.name, "mode": "lenient"},
        )
        # kill when the import has committed its first batch and the counting jobs are under way
        _wait(
            lambda: (
                _scalar(db, "select count(*) from patents_patent") >= 5000
                and counter.exists()
                and len(counter.read_text().split()) >= 3
            ),
            300,
            "the first import batch and three counting steps",
        )
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    killed_at = len(counter.read_text().split())
    before = _jobs(db)
    assert all(before[j]["status"] == "running" for j in (resumable, plain, importing)), before
    assert _scalar(db, "select count(*) from patents_patent") < 6500

    worker = _start_worker(env, log)
    try:
        _wait(
            lambda: all(j["status"] in ("done", "failed") for j in _jobs(db).values()),
            300,
            "every job to finish or fail",
        )
    finally:
        os.killpg(worker.pid, signal.SIGINT)
        worker.wait(timeout=30)
    after = _jobs(db)

    # the resumable counter went on from the step after the last one written, each step exactly once
    r = after[resumable]
    assert r["status"] == "done" and r["attempts"] == 2, r
    assert counter.read_text().split() == [str(i) for i in range(1, 601)]
    assert f"本次从第 {killed_at + 1} 步开始" in json.loads(r["result"])["summary"]

    # the job that cannot resume is failed with the reason, not left 运行中
    p = after[plain]
    assert p["status"] == "failed" and "失去响应" in p["error"] and "不能自动续做" in p["error"] and p["finished_at"], p

    # the import ran again: the committed batch came back unchanged, the rest was created, and the first run says it was cut off
    i = after[importing]
    assert i["status"] == "done" and i["attempts"] == 2, i
    assert _scalar(db, "select count(*) from patents_patent") == 6500
    runs = (
        sqlite3.connect(db)
        .execute(
            "select status, created, unchanged, message from patents_importrun where job_id=? order by id", (importing,)
        )
        .fetchall()
    )
    assert [r[0] for r in runs] == ["failed", "done"], runs
    assert "已由第 2 次执行续做" in runs[0][3]
    assert runs[1][1] + runs[1][2] == 6500 and runs[1][2] >= 5000, runs
