"""The gunicorn worker (ipplatform.core.server.FairThreadWorker): a worker takes a connection only while a thread is
idle, so concurrent requests spread over the workers instead of queueing behind a busy one."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

APP = """
import os, time

def application(environ, start_response):
    time.sleep(0.3)  # a request that keeps its thread busy
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path: Path, *, workers: int, threads: int):
    (tmp_path / "slowapp.py").write_text(APP)
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "slowapp:application", "-c", str(ROOT / "scripts" / "gunicorn.conf.py")]
        + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)]
        + ["--chdir", str(tmp_path), "--pythonpath", str(ROOT)],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    log.close()  # the server holds its own copy of the descriptor
    deadline = time.monotonic() + 30
    while True:
        # every worker up: as many requests at once as there are workers, and as many workers answer (with one
        # thread each, a booted worker holding one request leaves the next to another)
        if len(set(_concurrent_get(port, workers))) == workers:
            break
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise AssertionError(
                f"gunicorn did not start: {(tmp_path / 'gunicorn.log').read_text(errors='replace')[-2000:]}"
            )
        time.sleep(0.2)
    return proc, port


def _concurrent_get(port: int, n: int) -> list[bytes]:
    out: list[bytes] = []
    start = threading.Barrier(n)

    def get():
        start.wait(timeout=10)
        try:
            out.append(urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read())
        except OSError:  # not listening yet: the caller sees the missing answer
            pass

    threads = [threading.Thread(target=get) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return out


def test_the_shipped_configuration_uses_the_fair_worker_without_keep_alive():
    config: dict = {}
    exec((ROOT / "scripts" / "gunicorn.conf.py").read_text(), config)
    assert config["worker_class"] == "ipplatform.core.server.FairThreadWorker"
    assert config["keepalive"] == 0


def test_busy_workers_leave_new_connections_to_idle_ones(tmp_path):
    """Two workers of one thread each, six requests of 0.3 s at once: each worker serves three, one at a time.
    gunicorn's own threaded worker takes connections while busy and queues them behind its own request while the
    other worker idles: 6/0 or 4/2 in three tries."""
    proc, port = _serve(tmp_path, workers=2, threads=1)
    try:
        pids = _concurrent_get(port, 6)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert len(pids) == 6
    assert sorted(Counter(pids).values()) == [3, 3]


def test_responses_close_the_connection(tmp_path):
    """keepalive = 0: a client that asks to keep the connection (HTTP/1.1, as browsers do) is answered with
    Connection: close, so its next request is accepted afresh by whichever worker is free."""
    import http.client

    proc, port = _serve(tmp_path, workers=1, threads=2)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/", headers={"Connection": "keep-alive"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200 and response.getheader("Connection") == "close"
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
