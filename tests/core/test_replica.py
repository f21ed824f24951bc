"""Read replica routing on a real PostgreSQL streaming replica.

The test starts its own primary (initdb, replication allowed) and a standby made from it with pg_basebackup on
another port, migrates the primary, and runs the checks in a Django process configured with DATABASE_URL (primary)
and DATABASE_REPLICA_URL (standby): statistics reads go to the standby; a write followed by a read of the same
object goes to the primary while the standby's replay is paused (replica lag); other writes never reach the standby.
Skipped, with the reason, where the PostgreSQL server tools are not installed."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bindir() -> Path | None:
    for cand in [os.environ.get("PG_BINDIR", "")] + sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if cand and all((Path(cand) / t).exists() for t in ("initdb", "pg_ctl", "pg_basebackup", "postgres")):
            return Path(cand)
    return None


BIN = _bindir()
pytestmark = pytest.mark.skipif(
    BIN is None, reason="PostgreSQL server tools (initdb, pg_ctl, pg_basebackup) are not installed"
)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_pg(args: list[str], **kw):
    """Run a server tool as the postgres user when we are root (the server refuses to run as root)."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120, **kw)


@pytest.fixture(scope="module")
def pg_pair(tmp_path_factory):
    base = Path(tempfile.mkdtemp(prefix="ipplatform-pg-"))  # under /tmp: the postgres user must reach it
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        os.chmod(base, 0o700)
    primary, replica = base / "primary", base / "replica"
    p1, p2 = _port(), _port()
    _as_pg(
        [str(BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
    )
    with (primary / "postgresql.conf").open("a") as fh:
        fh.write(
            f"\nport = {p1}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{base}'\nwal_level = replica\n"
            "max_wal_senders = 4\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nshared_buffers = 32MB\n"
        )
    with (primary / "pg_hba.conf").open("a") as fh:
        fh.write("\nhost replication all 127.0.0.1/32 trust\n")
    started = []
    try:
        _as_pg([str(BIN / "pg_ctl"), "-D", str(primary), "-l", str(base / "primary.log"), "-w", "start"])
        started.append(primary)
        _as_pg(
            [
                str(BIN / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(p1),
                "-U",
                "postgres",
                "-D",
                str(replica),
                "-X",
                "stream",
                "-R",
                "--checkpoint=fast",
            ]
        )
        with (replica / "postgresql.conf").open("a") as fh:
            fh.write(f"\nport = {p2}\nhot_standby = on\n")
        _as_pg([str(BIN / "pg_ctl"), "-D", str(replica), "-l", str(base / "replica.log"), "-w", "start"])
        started.append(replica)
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres", "-c", "CREATE DATABASE ipp"],
            check=True,
            capture_output=True,
        )
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL"}}
        env.update(
            DATA_DIR=str(tmp_path_factory.mktemp("data")),
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{p1}/ipp",
            DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{p2}/ipp",
            JOBS_IMMEDIATE="1",
            LOG_LEVEL="ERROR",
            ACCESS_LOG_LEVEL="ERROR",
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        yield env
    finally:
        for d in reversed(started):
            try:
                _as_pg([str(BIN / "pg_ctl"), "-D", str(d), "-m", "immediate", "stop"])
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(base, ignore_errors=True)


CHECKS = textwrap.dedent("""
    import time
    import django
    django.setup()
    from django.db import connections
    from django.test.utils import CaptureQueriesContext
    from ipplatform.core import dbrouter
    from ipplatform.core.models import Organization
    from ipplatform.analytics import services as stats

    def wait_replica(pred, what):
        for _ in range(200):
            if pred():
                return
            time.sleep(0.05)
        raise AssertionError("replica never caught up: " + what)

    with connections["replica"].cursor() as cur:
        cur.execute("select pg_is_in_recovery()")
        assert cur.fetchone()[0] is True, "the replica alias must be the standby"

    # 1. statistics: every query of a dashboard goes to the standby, none to the primary
    dbrouter.reset()
    with CaptureQueriesContext(connections["replica"]) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        dash = stats.cached_dashboard(year=2015)
    assert len(on_replica.captured_queries) > 5 and len(on_primary.captured_queries) == 0, (len(on_replica), len(on_primary))
    print("dashboard queries on replica:", len(on_replica.captured_queries))

    # 2. outside replica_reads() reads stay on the primary
    assert Organization.objects.all().db == "default"
    with dbrouter.replica_reads():
        assert Organization.objects.all().db == "replica"

    # 3. replica lag: replay paused on the standby, a write, then a read of the same object in the same request
    with connections["replica"].cursor() as cur:
        cur.execute("select pg_wal_replay_pause()")
    dbrouter.reset()
    org = Organization.objects.create(name="复制延迟测试单位", kind="enterprise")
    with dbrouter.replica_reads():
        assert Organization.objects.all().db == "default"  # this request wrote: its reads go to the primary
        assert Organization.objects.filter(pk=org.pk).exists()
    dbrouter.reset()  # a new request that has written nothing may read the standby, which lags
    with dbrouter.replica_reads():
        assert not Organization.objects.filter(pk=org.pk).exists(), "the paused standby must not have the new row yet"
    with connections["replica"].cursor() as cur:
        cur.execute("select pg_wal_replay_resume()")
    with dbrouter.replica_reads():
        wait_replica(lambda: Organization.objects.filter(pk=org.pk).exists(), "row after resume")

    # 4. writes never go to the standby (it is read-only); the router sends them to the primary even inside replica_reads()
    dbrouter.reset()
    with dbrouter.replica_reads():
        Organization.objects.filter(pk=org.pk).update(name="复制延迟测试单位（改）")
        assert Organization.objects.get(pk=org.pk).name == "复制延迟测试单位（改）"
    print("replica checks passed")
""")


def test_router_on_a_real_streaming_replica(pg_pair):
    out = subprocess.run(
        [sys.executable, "-c", CHECKS], cwd=ROOT, env=pg_pair, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "replica checks passed" in out.stdout


def test_without_replica_everything_reads_the_primary(db, settings):
    from ipplatform.core import dbrouter
    from ipplatform.core.models import Organization

    assert "replica" not in settings.DATABASES
    with dbrouter.replica_reads():
        assert dbrouter.read_alias() == "default" and Organization.objects.all().db == "default"
