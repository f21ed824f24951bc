"""How many records one node carries before search p99 with facets passes 300 ms.

For each corpus size: a fresh SQLite installation, `manage.py generate_patents --db --count N` (模拟数据, the project's
seeded generator), `manage.py rebuild_index`, then a fixed mix of searches through the application's own path
(`search.services.search`: query language, scope, tantivy with facets, hit rows from the database) run one at a
time and from 8 threads at once (a node's 2 gunicorn workers × 4 threads). p99 is fitted against N on a log-log
line and solved for 300 ms; sizes beyond those run are extrapolated and printed as such.

    .venv/bin/python bench/node_capacity.py --sizes 50000,200000,1000000 [--workdir bench/out/capacity]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GOAL_MS = 300.0


def prepare(n: int, workdir: Path) -> dict:
    data = workdir / f"n{n}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL")}
    env.update(DATA_DIR=str(data), LOG_LEVEL="ERROR", ACCESS_LOG_LEVEL="ERROR", JOBS_IMMEDIATE="1")
    if not (data / ".ready").exists():
        data.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        for args in (
            ["migrate", "--noinput", "-v0"],
            ["load_reference_data"],
            ["generate_patents", "--db", "--count", str(n)],
            ["rebuild_index", "-v0"],
        ):
            subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        (data / ".ready").write_text(json.dumps({"prepare_s": round(time.perf_counter() - t, 1)}))
    return env


def measure() -> dict:
    """Runs inside a DATA_DIR-configured process: the query mix, sequential and 8 threads."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipplatform.settings")
    django.setup()
    from ipplatform.patents.models import Patent
    from ipplatform.search import services

    rng = random.Random(26)
    titles = list(Patent.objects.order_by("?").values_list("title", flat=True)[:400])
    cities = ["370100", "370200", "370600", "370700", "371300"]
    queries = []
    for i, t in enumerate(titles):
        t = "".join(ch for ch in t if "\u4e00" <= ch <= "\u9fff")
        if len(t) < 4:
            continue
        a = rng.randrange(0, len(t) - 3)
        two, three = t[a : a + 2], t[a : a + 3]
        kind = i % 5
        queries.append(
            [
                two,
                three,
                f"{two} AND {t[-2:]}",
                f"名称={three} AND 地区={rng.choice(cities)}",
                f"{two} AND 申请日>=2016-01-01",
            ][kind]
        )
    queries = queries[:250]
    for q in queries[:20]:  # warm the page cache and the reader
        services.search(query=q, facets=True)

    def one(q):
        t = time.perf_counter()
        services.search(query=q, facets=True)
        return (time.perf_counter() - t) * 1000

    seq = [one(q) for q in queries]
    with ThreadPoolExecutor(8) as ex:
        conc = list(ex.map(one, queries * 2))
    pct = lambda v, p: sorted(v)[min(len(v) - 1, int(p * len(v)))]
    return {
        "n": Patent.objects.count(),
        "queries": len(queries),
        "seq": {"p50": pct(seq, 0.5), "p95": pct(seq, 0.95), "p99": pct(seq, 0.99), "max": max(seq)},
        "conc8": {"p50": pct(conc, 0.5), "p95": pct(conc, 0.95), "p99": pct(conc, 0.99), "max": max(conc)},
    }


def fit(points: list[tuple[int, float]]) -> tuple[float, float] | None:
    """log(p99) = a + b log(N), least squares."""
    if len(points) < 2:
        return None
    xs, ys = [math.log(n) for n, _ in points], [math.log(max(p, 0.01)) for _, p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - b * mx, b


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure()))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="50000,200000")
    ap.add_argument("--workdir", default=str(ROOT / "bench" / "out" / "capacity"))
    args = ap.parse_args()
    workdir = Path(args.workdir).resolve()
    print(
        "load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), f"(cores: {os.cpu_count()})"
    )
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        env = prepare(n, workdir)
        out = subprocess.run([PY, __file__, "--measure"], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(r)
        s, c = r["seq"], r["conc8"]
        print(
            f"N={r['n']:>9,}  one at a time p50 {s['p50']:6.1f} p95 {s['p95']:6.1f} p99 {s['p99']:6.1f} ms | "
            f"8 threads p50 {c['p50']:6.1f} p95 {c['p95']:6.1f} p99 {c['p99']:6.1f} ms  ({r['queries']} queries, facets on, 模拟数据)",
            flush=True,
        )
    for key, label in (("seq", "one at a time"), ("conc8", "8 concurrent")):
        f = fit([(r["n"], r[key]["p99"]) for r in rows])
        if f is None:
            continue
        a, b = f
        if b <= 0:
            print(f"{label}: p99 does not grow with N over the sizes run; no extrapolation")
            continue
        n300 = math.exp((math.log(GOAL_MS) - a) / b)
        ran = max(r["n"] for r in rows)
        how = "EXTRAPOLATED beyond the sizes run" if n300 > ran else "within the sizes run"
        print(
            f"{label}: p99 ≈ {math.exp(a):.3g} × N^{b:.2f} ms → p99 reaches {GOAL_MS:.0f} ms at N ≈ {n300:,.0f} ({how})"
        )
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
