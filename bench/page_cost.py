"""Server CPU per request, page by page: the pages of bench/web_load.py's mix, requested in this process through
Django's test client (the whole middleware chain, sessions, templates, SQLite in-process as in a gunicorn worker)
against the demo database web_load.py prepares, staff pages logged in as 信息中心 (xinxi).

Wall-clock latency on a shared machine says little; CPU time does: at 100 requests/s on 2 cores the budget is
20 ms of CPU per request on average over the mix, less what gunicorn and the client take. For each page it prints
CPU ms (time.process_time) p50/p95, SQL queries per request, the CPU share spent in SQL and in template rendering,
and the response size, for the baseline (statistics cache off: CACHE_DISABLED=1, as web_load.py's baseline) and
the current configuration, each in its own process, in the same run.

    .venv/bin/python bench/page_cost.py [--data-dir bench/out/web_load] [--repeat 20] [--only current]
                                        [--profile 15]   # cProfile of every page above 15 ms (current only)

Prepare the demo once with bench/web_load.py (or its prepare step); this script does not load data.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "Demo@2015sd"
BUDGET_MS = 20.0


def _pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")


def measure(repeat: int, profile_above: float | None, profile_dir: Path, match: str = "") -> dict:
    """Runs inside the worker process (Django set up from the environment)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipplatform.settings")
    import django

    django.setup()
    from django.db import connection
    from django.template.backends import django as backend
    from django.test import Client
    from web_load import SEARCH_FOR_IDS, mix

    state = {"sql": 0.0, "queries": 0, "tpl": 0.0, "depth": 0}

    def count_sql(execute, sql, params, many, context):
        t = time.process_time()
        try:
            return execute(sql, params, many, context)
        finally:
            state["sql"] += time.process_time() - t
            state["queries"] += 1

    real_render = backend.Template.render

    def timed_render(self, context=None, request=None):
        if state["depth"]:
            return real_render(self, context, request)
        state["depth"] += 1
        t = time.process_time()
        try:
            return real_render(self, context, request)
        finally:
            state["tpl"] += time.process_time() - t
            state["depth"] -= 1

    backend.Template.render = timed_render

    anon, staff = Client(), Client()
    r = staff.post("/login/", {"username": "xinxi", "password": PASSWORD})
    if r.status_code != 302:
        raise SystemExit(f"login as xinxi failed ({r.status_code})")
    pages = [(p, s) for p, s in mix(staff.get(SEARCH_FOR_IDS).content) if match in p]

    def one(path: str, as_staff: bool) -> dict:
        state.update(sql=0.0, queries=0, tpl=0.0)
        with connection.execute_wrapper(count_sql):
            t = time.process_time()
            resp = (staff if as_staff else anon).get(path)
            body = b"".join(resp.streaming_content) if resp.streaming else resp.content
            cpu = time.process_time() - t
        return {"status": resp.status_code, "cpu": cpu * 1000, "sql": state["sql"] * 1000,
                "tpl": state["tpl"] * 1000, "queries": state["queries"], "bytes": len(body)}  # fmt: skip

    for _ in range(2):  # warm up: imports, compiled templates, the first cache fill
        for path, as_staff in pages:
            one(path, as_staff)
    runs: dict[str, list[dict]] = {f"{'staff' if s else 'anon '} {p}": [] for p, s in pages}
    for _ in range(repeat):  # interleaved as in the mix
        for path, as_staff in pages:
            runs[f"{'staff' if as_staff else 'anon '} {path}"].append(one(path, as_staff))
    out = {}
    for key, rs in runs.items():
        cpu = [r["cpu"] for r in rs]
        total = sum(cpu) or 1.0
        out[key] = {
            "status": sorted({r["status"] for r in rs}),
            "p50": statistics.median(cpu),
            "p95": _pct(cpu, 0.95),
            "mean": statistics.fmean(cpu),
            "queries": statistics.median(r["queries"] for r in rs),
            "sql_share": sum(r["sql"] for r in rs) / total,
            "tpl_share": sum(r["tpl"] for r in rs) / total,
            "bytes": int(statistics.median(r["bytes"] for r in rs)),
        }
    if profile_above is not None:
        import cProfile
        import io
        import pstats

        profile_dir.mkdir(parents=True, exist_ok=True)
        for path, as_staff in pages:
            key = f"{'staff' if as_staff else 'anon '} {path}"
            if out[key]["p50"] < profile_above:
                continue
            prof = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
            prof.enable()
            for _ in range(5):
                one(path, as_staff)
            prof.disable()
            buf = io.StringIO()
            st = pstats.Stats(prof, stream=buf).strip_dirs()
            st.sort_stats("cumulative").print_stats(45)
            st.sort_stats("tottime").print_stats(25)
            name = "".join(ch if ch.isalnum() else "_" for ch in key).strip("_")[:80]
            (profile_dir / f"{name}.txt").write_text(buf.getvalue())
    return out


def run_config(args, extra_env: dict, profile: bool) -> dict:
    env = dict(os.environ, DATA_DIR=str(Path(args.data_dir).resolve()), DEBUG="0", LOG_LEVEL="ERROR",
               ACCESS_LOG_LEVEL="WARNING", ALLOWED_HOSTS="testserver,127.0.0.1", **extra_env)  # fmt: skip
    for k in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL", "JOBS_IMMEDIATE"):
        env.pop(k, None)
    cmd = [
        PY,
        __file__,
        "--worker",
        "--repeat",
        str(args.repeat),
        "--profile-dir",
        args.profile_dir,
        "--match",
        args.match,
    ]
    if profile and args.profile is not None:
        cmd += ["--profile", str(args.profile)]
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def table(results: dict[str, dict]) -> str:
    names = list(results)
    keys = list(results[names[-1]])
    lines = []
    head = "| page | " + " | ".join(
        f"{n}: CPU ms p50 / p95 | queries | SQL % | template % | KB" for n in names
    ) + " |"  # fmt: skip
    lines += [head, "|" + " --- |" * (1 + 5 * len(names))]
    for k in keys:
        cells = [f"`{k}`"]
        for n in names:
            r = results[n].get(k)
            if r is None:
                cells += ["—"] * 5
                continue
            bad = "" if all(200 <= s < 400 for s in r["status"]) else f" (status {r['status']})"
            cells += [f"{r['p50']:.1f} / {r['p95']:.1f}{bad}", f"{r['queries']:g}", f"{100 * r['sql_share']:.0f}",
                      f"{100 * r['tpl_share']:.0f}", f"{r['bytes'] / 1024:.1f}"]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    cells = ["**mean over the mix**"]
    for n in names:
        mean = statistics.fmean(r["mean"] for r in results[n].values())
        cells += [f"**{mean:.1f}** (budget {BUDGET_MS:g})", "", "", "", ""]
    lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default=str(ROOT / "bench" / "out" / "web_load"))
    ap.add_argument("--repeat", type=int, default=20, help="requests of each page per configuration")
    ap.add_argument("--only", choices=["baseline", "current"])
    ap.add_argument("--profile", type=float, help="cProfile each page whose p50 is above this many ms (current)")
    ap.add_argument("--profile-dir", default=str(ROOT / "bench" / "out" / "profiles"))
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--match", default="", help="only the pages whose path contains this (for profiling one page)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(measure(args.repeat, args.profile, Path(args.profile_dir), args.match)))
        return
    if not (Path(args.data_dir) / ".demo-loaded").exists():
        raise SystemExit(f"no demo in {args.data_dir}: run bench/web_load.py once (it prepares it)")
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    results = {}
    for key, extra in [("baseline (cache off)", {"CACHE_DISABLED": "1"}), ("current", {})]:
        if args.only and not key.startswith(args.only):
            continue
        results[key] = run_config(args, extra, profile=key == "current")
        mean = statistics.fmean(r["mean"] for r in results[key].values())
        print(f"{key}: mean CPU over the mix {mean:.1f} ms per request", flush=True)
    print(table(results))
    if args.profile is not None:
        print(f"profiles: {args.profile_dir}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
