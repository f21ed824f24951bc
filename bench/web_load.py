"""Web load benchmark: the demo served as scripts/run.sh serves it (gunicorn from scripts/gunicorn.conf.py: 2 workers
× 4 threads of core.server.FairThreadWorker, connections closed after each response; a huey worker; collected
compressed static files), driven over loopback by an asyncio HTTP/1.1 client in this process that asks for keep-alive
as browsers do.

A mixed set of public and staff pages (search, patent pages, province and city dashboards, market, cases,
work-plan board, API), staff pages logged in as 信息中心 (xinxi):
  * open loop at fixed rates (latency measured from each request's scheduled start: no coordinated omission),
  * closed loop with 50 connections,
  * single pages one at a time (province dashboard, work-plan board, home),
first with the statistics cache switched off (CACHE_DISABLED=1: the "before" baseline, measured in this run),
then as shipped. The figures quoted in issue #26 are printed beside them. Everything stays on 127.0.0.1; every
phase is bounded in time.

    .venv/bin/python bench/web_load.py [--data-dir bench/out/web_load] [--seconds 20] [--rates 50,100] [--only current]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PASSWORD = "Demo@2015sd"

ISSUE_BASELINE = [
    "issue #26 (before this work): 50 connections closed loop, 12 mixed pages as 信息中心: 73–79 req/s, p99 1.5 s (idle machine);",
    "  49 req/s, p99 2.4 s with other work on the machine; one page at a time: province dashboard 20/s, work-plan board 15/s, home 120/s",
]
GOALS = "goals: open loop 100 req/s p99 <= 300 ms with 0 errors; 50 connections closed loop p99 <= 500 ms"


# ---------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(data_dir: Path) -> dict:
    env = dict(os.environ, DATA_DIR=str(data_dir), DEBUG="0", LOG_LEVEL="ERROR", ACCESS_LOG_LEVEL="WARNING")
    for k in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "JOBS_IMMEDIATE"):
        env.pop(k, None)
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (data_dir / ".demo-loaded").exists():
        print(f"==> preparing the demo in {data_dir} (migrate, load_demo: a few minutes, once)", flush=True)
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([PY, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        (data_dir / ".demo-loaded").write_text(time.strftime("%F %T"))
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        check=True,
        env=dict(env, STATICFILES_STORAGE="whitenoise.storage.CompressedManifestStaticFilesStorage"),
    )
    return env


class Server:
    """gunicorn + huey worker exactly as scripts/run.sh starts them (gunicorn from scripts/gunicorn.conf.py)."""

    def __init__(self, env: dict, *, extra_env: dict):
        self.port = free_port()
        self.env = dict(env, **extra_env)
        self.procs = []

    def __enter__(self):
        self.procs.append(
            subprocess.Popen(
                [PY, "manage.py", "run_huey", "--workers", "2", "--worker-type", "thread", "--flush-locks"],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        self.procs.append(
            subprocess.Popen(
                [
                    GUNICORN,
                    "ipplatform.wsgi:application",
                    "-c",
                    str(ROOT / "scripts" / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


# ---------------------------------------------------------------- client


class Conn:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(
        self, path: str, headers: dict[str, str], method: str = "GET", body: bytes = b""
    ) -> tuple[int, dict, bytes]:
        reused = self.writer is not None
        if not reused:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if body:
            head += f"Content-Length: {len(body)}\r\n"
        try:
            self.writer.write(head.encode() + b"\r\n" + body)
            await self.writer.drain()
            status_line = await self.reader.readline()
        except ConnectionResetError:
            status_line = b""
        if not status_line and reused and method == "GET":
            # the server closed this idle keep-alive connection before it read the request (a server that keeps
            # connections; the shipped configuration closes each one after its response): browsers and HTTP
            # libraries retry an idempotent request once on a new connection (RFC 9112 9.3.1.1), so does this
            # client; the retries are counted and printed, the time they took is kept
            RETRIED["stale keep-alive connection, GET retried on a new connection"] += 1
            self.close()
            return await self.request(path, headers, method, body)
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        hdrs: dict[str, str] = {}
        cookies = []
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            k, _, v = line.decode("latin-1").partition(":")
            if k.lower() == "set-cookie":
                cookies.append(v.strip())
            hdrs[k.lower()] = v.strip()
        hdrs["_cookies"] = cookies
        if "content-length" in hdrs:
            data = await self.reader.readexactly(int(hdrs["content-length"]))
        elif hdrs.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readline()).strip().split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            data = b"".join(chunks)
        else:
            data = await self.reader.read()
            self.close()
        if hdrs.get("connection", "").lower() == "close":
            self.close()
        return status, hdrs, data

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def login(port: int, username: str) -> str:
    c = Conn(port)
    status, hdrs, body = await c.request("/login/", {})
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    cookie = "; ".join(x.split(";")[0] for x in hdrs["_cookies"])
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode()
    status, hdrs, _ = await c.request(
        "/login/",
        {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/login/",
        },
        "POST",
        form,
    )
    c.close()
    cookies = dict(x.split(";")[0].split("=", 1) for x in hdrs["_cookies"])
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"login as {username} failed ({status})")
    return f"sessionid={cookies['sessionid']}"


SEARCH_FOR_IDS = "/search/?q=%E7%94%B5%E6%B1%A0"  # 电池: the patent pages of the mix are hits of this search
PATENT_LINK = re.compile(rb'href="/patents/((?:CN)?[0-9][0-9A-Za-z.]{4,31})/"')


def mix(search_body: bytes) -> list[tuple[str, bool]]:
    """The mixed set: (path, as staff). Patent ids come from a search the way a user would click them.
    bench/page_cost.py measures the same list."""
    ids = list(dict.fromkeys(PATENT_LINK.findall(search_body)))[:4]
    patents = [f"/patents/{i.decode()}/" for i in ids] or [SEARCH_FOR_IDS]
    return [
        ("/login/", False),  # public: the entry page (anonymous home redirects here)
        (SEARCH_FOR_IDS, False),  # public search 电池
        ("/market/", False),  # public market showcase
        ("/protection/intake/", False),  # public 12330 intake form
        (patents[0], False),  # public patent page
        ("/", True),
        (
            "/search/?q=%E6%96%B0%E8%83%BD%E6%BA%90+AND+%E5%9C%B0%E5%8C%BA%3D%E9%9D%92%E5%B2%9B",
            True,
        ),  # 新能源 AND 地区=青岛
        (patents[min(1, len(patents) - 1)], True),
        ("/stats/", True),
        ("/city/370200/", True),
        ("/city/370100/?year=2015", True),
        ("/protection/", True),
        ("/workplan/board/", True),
        ("/api/v1/patents/search?q=%E7%94%B5%E6%B1%A0", True),
        ("/api/v1/stats/summary", True),
    ]


async def page_set(port: int, staff_cookie: str) -> list[tuple[str, dict]]:
    """The mixed set as (path, headers)."""
    staff = {"Cookie": staff_cookie}
    c = Conn(port)
    _, _, body = await c.request(SEARCH_FOR_IDS, staff)
    c.close()
    return [(path, staff if as_staff else {}) for path, as_staff in mix(body)]


def summarize(lat: list[float], errors: int, seconds: float, sent: int) -> dict:
    lat = sorted(lat)
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
    return {
        "sent": sent,
        "ok": len(lat),
        "errors": errors,
        "rps": len(lat) / seconds if seconds else 0.0,
        "p50": q(0.50),
        "p95": q(0.95),
        "p99": q(0.99),
        "max": lat[-1] * 1000 if lat else float("nan"),
    }


ERROR_CAUSES: Counter = Counter()  # why requests failed (status or exception, with the path), printed per phase
RETRIED: Counter = Counter()  # requests retried once on a new connection (not errors), printed per phase


async def _one(conn: Conn, path: str, headers: dict) -> bool:
    try:
        status, _, _ = await conn.request(path, headers)
        if not 200 <= status < 300:
            ERROR_CAUSES[f"HTTP {status} {path}"] += 1
        return 200 <= status < 300
    except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
        ERROR_CAUSES[f"{type(exc).__name__}"] += 1
        conn.close()
        return False


async def closed_loop(port: int, pages, *, connections: int, seconds: float) -> dict:
    lat, errors, sent = [], 0, 0
    end = time.monotonic() + seconds

    async def client(k: int):
        nonlocal errors, sent
        conn = Conn(port)
        i = k
        while time.monotonic() < end:
            path, headers = pages[i % len(pages)]
            i += 1
            t = time.monotonic()
            sent += 1
            if await _one(conn, path, headers):
                lat.append(time.monotonic() - t)
            else:
                errors += 1
        conn.close()

    started = time.monotonic()
    await asyncio.gather(*(client(k) for k in range(connections)))
    return summarize(lat, errors, time.monotonic() - started, sent)


async def open_loop(
    port: int, pages, *, rate: float, seconds: float, max_in_flight: int = 400, timeout: float = 10.0
) -> dict:
    lat, errors, sent = [], 0, 0
    idle: list[Conn] = []
    in_flight = 0

    async def fire(path, headers, scheduled):
        nonlocal errors, in_flight
        conn = idle.pop() if idle else Conn(port)
        try:
            ok = await asyncio.wait_for(_one(conn, path, headers), timeout)
        except TimeoutError:
            ok = False
            ERROR_CAUSES["no answer within the client's bound"] += 1
            conn.close()
        in_flight -= 1
        if ok:
            lat.append(time.monotonic() - scheduled)  # from the scheduled start: queueing counts
            idle.append(conn)
        else:
            errors += 1
            conn.close()

    tasks = []
    start = time.monotonic()
    n = int(rate * seconds)
    for i in range(n):
        scheduled = start + i / rate
        delay = scheduled - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        path, headers = pages[i % len(pages)]
        sent += 1
        if in_flight >= max_in_flight:
            errors += 1  # the client's bound: counted as an error, never silently skipped
            ERROR_CAUSES["too many in flight (client bound)"] += 1
            continue
        in_flight += 1
        tasks.append(asyncio.create_task(fire(path, headers, scheduled)))
    await asyncio.gather(*tasks)
    for c in idle:
        c.close()
    return summarize(lat, errors, time.monotonic() - start, sent)


async def single_page(port: int, path: str, headers: dict, seconds: float) -> dict:
    return await closed_loop(port, [(path, headers)], connections=1, seconds=seconds)


def causes() -> str:
    """The error causes since the last call (then forgotten)."""
    out = "; ".join(f"{n}× {cause}" for cause, n in ERROR_CAUSES.most_common(4))
    retried = "; ".join(f"{n}× {cause}" for cause, n in RETRIED.most_common())
    ERROR_CAUSES.clear()
    RETRIED.clear()
    return (f"\n      errors: {out}" if out else "") + (f"\n      not errors: {retried}" if retried else "")


def fmt(r: dict) -> str:
    return (
        f"{r['rps']:7.1f} req/s  p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  p99 {r['p99']:7.1f}  max {r['max']:7.1f} ms  "
        f"errors {r['errors']}/{r['sent']}"
    )


async def drain(port: int, limit_s: float = 90.0) -> float:
    """Wait until the server has worked off requests the client abandoned (timed out) in the previous phase:
    a cheap page answers within 200 ms again. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        c = Conn(port)
        t = time.monotonic()
        try:
            await asyncio.wait_for(c.request("/login/", {}), 10)
            if time.monotonic() - t < 0.2:
                break
        except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            c.close()
        await asyncio.sleep(1)
    return time.monotonic() - started


async def run_phase(label: str, port: int, args) -> dict:
    staff = await login(port, "xinxi")
    pages = await page_set(port, staff)
    # Warm up: imports, template compilation and the first cache fill, in each gunicorn worker. The cold first
    # requests cost up to 0.4 s each; in 4 s of warm-up (the earlier length) only about 80 requests went through,
    # so some pages reached the measured phase uncached in one worker. 12 s serves every page dozens of times.
    warm = await closed_loop(port, pages, connections=8, seconds=max(12.0, args.seconds * 0.6))
    warm_causes = causes()  # the warm-up's errors are not the phase's
    out = {"warm-up": warm}
    print(f"\n--- {label}  ({len(pages)} pages: {', '.join(p for p, _ in pages)})", flush=True)
    print(f"  warm-up, 8 conns       {fmt(warm)}{warm_causes}  (cold start: not a load figure)", flush=True)
    for rate in args.rates:
        await drain(port)
        r = await open_loop(port, pages, rate=rate, seconds=args.seconds)
        out[f"open {rate:g}/s"] = r
        print(f"  open loop {rate:5g} req/s    {fmt(r)}{causes()}", flush=True)
    waited = await drain(port)
    r = await closed_loop(port, pages, connections=50, seconds=args.seconds)
    out["closed 50"] = r
    if waited > 2:
        print(f"  (waited {waited:.0f} s for the server to work off abandoned requests before the closed loop)")
    print(f"  closed loop 50 conns   {fmt(r)}{causes()}", flush=True)
    for name, path, hdr in [
        ("province dashboard", "/stats/", {"Cookie": staff}),
        ("work-plan board", "/workplan/board/", {"Cookie": staff}),
        ("home (staff)", "/", {"Cookie": staff}),
    ]:
        await drain(port)
        r = await single_page(port, path, hdr, seconds=max(3.0, args.seconds / 4))
        out[name] = r
        print(
            f"  one at a time: {name:20s} {r['rps']:6.1f} req/s  p50 {r['p50']:6.1f} ms  errors {r['errors']}",
            flush=True,
        )
    return out


def machine_speed() -> str:
    """A fixed loop of pure Python, best of three: a loop like it varied by up to 40 % within one hour on this 2-core
    VM, so figures from different runs compare only at the same speed."""
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        s = 0
        for i in range(2_000_000):
            s += i * i
        best = min(best, time.perf_counter() - t)
    return f"machine speed: fixed loop {best * 1000:.0f} ms (lower is faster)"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default=str(ROOT / "bench" / "out" / "web_load"))
    ap.add_argument("--seconds", type=float, default=20.0, help="duration of each load phase")
    ap.add_argument("--rates", default="50,100", help="open-loop rates (req/s)")
    ap.add_argument("--only", choices=["baseline", "current"], help="run one configuration only")
    args = ap.parse_args()
    args.rates = [float(x) for x in args.rates.split(",") if x]
    env = prepare(Path(args.data_dir).resolve())
    print(
        "load before:",
        subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
        f"(cores: {os.cpu_count()})",
    )
    print(machine_speed())
    print(*ISSUE_BASELINE, sep="\n")
    print(GOALS)
    results = {}
    configs = [
        ("baseline: statistics cache off (CACHE_DISABLED=1)", "baseline", {"CACHE_DISABLED": "1"}),
        ("current: as shipped (statistics cache on)", "current", {}),
    ]
    for label, key, extra in configs:
        if args.only and args.only != key:
            continue
        with Server(env, extra_env=extra) as srv:
            results[key] = asyncio.run(run_phase(label, srv.port, args))
    print("\nload after:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(machine_speed())
    if "current" in results:
        cur = results["current"]
        o100 = cur.get("open 100/s")
        c50 = cur["closed 50"]
        if o100:
            print(
                f"goal open 100/s p99 <= 300 ms, 0 errors: p99 {o100['p99']:.0f} ms, errors {o100['errors']} -> "
                f"{'met' if o100['p99'] <= 300 and o100['errors'] == 0 else 'NOT met'}"
            )
        print(
            f"goal closed 50 conns p99 <= 500 ms: p99 {c50['p99']:.0f} ms -> {'met' if c50['p99'] <= 500 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
