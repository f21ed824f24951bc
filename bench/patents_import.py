"""Benchmark: import of the synthetic corpus (模拟数据) from CSV into SQLite and PostgreSQL.

    .venv/bin/python bench/patents_import.py [--count 1000000] [--baseline 10000] [--no-pg] [--no-index] [--workdir DIR]

Steps: generate N seeded synthetic records as a CNIPA-layout CSV (manage.py generate_patents), then for each
database run the real importer (the code path of `manage.py import_patents`) in a fresh child process on a
fresh database (migrated, divisions loaded, empty search index built), and print records/s end to end (parse,
validate, attribute, store, and — unless --no-index — the search index that listens to patents_changed), CPU
seconds and peak RSS. The baseline in the same run is a
naive per-row ORM import (get_or_create / save per record, autocommit) of the first --baseline rows on SQLite.
Goal: ≥ 3,700 records/s and peak RSS < 1 GB. PostgreSQL uses its own database `bench_patents` (dropped and
recreated; never the `test` database)."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GOAL_RATE, GOAL_RSS_MB = 3700, 1024


def child_env(db_url: str, data_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": db_url,
            "DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "ipplatform.settings",
            "IPPLATFORM_INDEXER_STATS": str(data_dir / "indexer-memory.json"),
        }
    )
    return env


def run_child(mode: str, db_url: str, data_dir: Path, csv_path: Path, extra: list[str]) -> dict:
    out = subprocess.run(
        [PY, __file__, "--child", mode, "--csv", str(csv_path), *extra],
        cwd=ROOT,
        env=child_env(db_url, data_dir),
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"child {mode} failed on {db_url}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def prepare(db_url: str, data_dir: Path) -> None:
    env = child_env(db_url, data_dir)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    # a set-up platform: reference divisions loaded and the (empty) search index built, as scripts/run.sh leaves it;
    # without an index the helper would first rebuild one from the rows of the first batch, then index them again
    subprocess.run(
        [
            PY,
            "-c",
            "import django; django.setup(); from ipplatform.core import reference; reference.load_divisions(); "
            "from ipplatform.search import services; services.rebuild_index()",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


def child(args) -> None:
    import django

    django.setup()
    from django.db import connection

    from ipplatform.patents import services
    from ipplatform.patents.models import Patent
    from ipplatform.patents.signals import patents_changed

    if args.no_index:
        from django.db.models.signals import post_delete, post_save

        patents_changed.receivers = []
        post_save.receivers = [r for r in post_save.receivers if "search" not in str(r[0])]
        post_delete.receivers = [r for r in post_delete.receivers if "search" not in str(r[0])]
        post_save.sender_receivers_cache.clear()
        post_delete.sender_receivers_cache.clear()
    start_cpu = time.process_time()
    t0 = time.perf_counter()
    if args.child == "import":
        result = services.import_file(path=args.csv, mode="lenient")
        n = result.created + result.updated + result.unchanged
        rejected = result.rejected
    else:
        n, rejected = naive_import(args.csv, args.limit)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - start_cpu
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    helper = resource.getrusage(resource.RUSAGE_CHILDREN)  # the index helper process (search.indexer), if it ran
    stats = os.environ.get("IPPLATFORM_INDEXER_STATS")
    helper_mem = json.loads(Path(stats).read_text()) if stats and Path(stats).exists() else {}
    print(
        json.dumps(
            {
                "records": n,
                "rejected": rejected,
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "rate": n / elapsed if elapsed else 0,
                "cpu_rate": n / cpu if cpu else 0,
                "peak_rss_mb": rss_mb,
                "helper_rss_mb": helper.ru_maxrss / 1024,
                "helper_cpu_seconds": helper.ru_utime + helper.ru_stime,
                "helper_anon_mb": helper_mem.get("rss_anon_kb", 0) / 1024,
                "helper_file_mb": helper_mem.get("rss_file_kb", 0) / 1024,
                "stored": Patent.objects.count(),
                "indexed": _indexed(args.no_index),
                "vendor": connection.vendor,
            }
        )
    )


def _indexed(skipped: bool) -> int:
    if skipped:
        return 0
    from ipplatform.search.services import get_backend

    return get_backend().searcher().num_docs


def naive_import(csv_path: str, limit: int) -> tuple[int, int]:
    """The obvious implementation: one ORM save per object, autocommit, for comparison."""
    from ipplatform.patents import attribution, readers, records
    from ipplatform.patents.models import Applicant, Patent, PatentApplicant, Publication

    src = readers.open_source(csv_path)
    fmt = readers.detect_format(src)
    from ipplatform.patents.services import resolve_mapping

    cols, label = resolve_mapping(fmt=fmt, headers=src.headers, mapping=None)
    n = rejected = 0
    for line, row in readers.iter_rows(src):
        if n + rejected >= limit:
            break
        rec, errs = records.build_record(row, line=line, mapping=cols, source=label, source_file="naive", fmt=fmt)
        if errs:
            rejected += 1
            continue
        values = {k: v for k, v in rec.fields.items() if not k.startswith("_")}
        attr = attribution.attribute(
            values.get("address", ""), values.get("postcode", ""), rec.applicants[0] if rec.applicants else ""
        )
        p, _ = Patent.objects.update_or_create(
            id=rec.id,
            defaults={
                **values,
                "region_code": attr.region_code,
                "city_code": attr.city_code,
                "province_code": attr.province_code,
                "region_method": attr.method,
            },
        )
        for order, name in enumerate(rec.applicants, start=1):
            a, _ = Applicant.objects.get_or_create(
                name=name, defaults={"entity_type": attribution.infer_entity_type(name)}
            )
            PatentApplicant.objects.get_or_create(patent=p, order=order, defaults={"applicant": a})
        for number, kind, day in rec.publications:
            Publication.objects.get_or_create(number=number, defaults={"patent": p, "kind": kind, "date": day})
        n += 1
    return n, rejected


def line(label: str, r: dict) -> str:
    ok = (
        "达标"
        if r["rate"] >= GOAL_RATE and max(r["peak_rss_mb"], r.get("helper_rss_mb", 0)) < GOAL_RSS_MB
        else "未达标"
    )
    helper = (
        f"  索引子进程 CPU {r['helper_cpu_seconds']:.1f} s、峰值RSS {r['helper_rss_mb']:.0f} MB"
        f"（其中进程内存峰值 {r.get('helper_anon_mb', 0):.0f} MB，映射的索引文件峰值 {r.get('helper_file_mb', 0):.0f} MB）、索引 {r['indexed']:,} 件"
        if r.get("helper_cpu_seconds")
        else ""
    )
    return (
        f"{label:<34} {r['records']:>9,} 条  {r['seconds']:8.1f} s  {r['rate']:9,.0f} 条/s  CPU {r['cpu_seconds']:7.1f} s "
        f"({r['cpu_rate']:,.0f} 条/CPU秒)  峰值RSS {r['peak_rss_mb']:6.0f} MB{helper}  {ok}"
    )


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2015)
    ap.add_argument("--baseline", type=int, default=10_000, help="rows for the naive per-row baseline")
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--no-sqlite", action="store_true", help="skip the SQLite import (baseline still runs)")
    ap.add_argument("--no-index", action="store_true", help="measure without the search index receivers")
    ap.add_argument("--workdir")
    ap.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_patents")
    )
    ap.add_argument("--child", choices=["import", "naive"])
    ap.add_argument("--csv")
    ap.add_argument("--limit", type=int, default=10_000)
    args = ap.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        return child(args)

    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench_patents_"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"synthetic_{args.count}_{args.seed}.csv"
    print(f"模拟数据（seed={args.seed}）{args.count:,} 条 → {csv_path}")
    if not csv_path.exists():
        t = time.perf_counter()
        subprocess.run(
            [
                PY,
                "manage.py",
                "generate_patents",
                "--count",
                str(args.count),
                "--seed",
                str(args.seed),
                "--csv",
                str(csv_path),
            ],
            cwd=ROOT,
            env=child_env("sqlite:///" + str(work / "gen.sqlite3"), work / "gen"),
            check=True,
            stderr=subprocess.DEVNULL,
        )
        print(f"  生成CSV：{time.perf_counter() - t:.1f} s，{csv_path.stat().st_size / 1e6:.0f} MB")
    extra = ["--no-index"] if args.no_index else []
    results = []

    # baseline: naive per-row ORM on a sample, same run
    base_dir = work / "naive"
    shutil.rmtree(base_dir, ignore_errors=True)
    base_dir.mkdir()
    url = f"sqlite:///{base_dir / 'db.sqlite3'}"
    prepare(url, base_dir)
    base = run_child("naive", url, base_dir, csv_path, extra + ["--limit", str(min(args.baseline, args.count))])
    print(line(f"基线：逐行ORM保存（SQLite，{base['records']:,}条）", base))

    if not args.no_sqlite:
        sq_dir = work / "sqlite"
        shutil.rmtree(sq_dir, ignore_errors=True)
        sq_dir.mkdir()
        url = f"sqlite:///{sq_dir / 'db.sqlite3'}"
        prepare(url, sq_dir)
        r = run_child("import", url, sq_dir, csv_path, extra)
        results.append(("SQLite", r))
        print(line("导入器（SQLite）", r) + f"  比基线快 {r['rate'] / base['rate']:.1f} 倍")

    if not args.no_pg:
        dbname = args.pg_url.rsplit("/", 1)[-1]
        if dbname in ("test", "postgres"):
            raise SystemExit("refusing to use the shared database " + dbname)
        host_args = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(["dropdb", *host_args, "--if-exists", dbname], check=True)
        subprocess.run(["createdb", *host_args, dbname], check=True)
        pg_dir = work / "pg"
        shutil.rmtree(pg_dir, ignore_errors=True)
        pg_dir.mkdir()
        prepare(args.pg_url, pg_dir)
        r = run_child("import", args.pg_url, pg_dir, csv_path, extra)
        results.append(("PostgreSQL", r))
        print(line("导入器（PostgreSQL）", r) + f"  比基线快 {r['rate'] / base['rate']:.1f} 倍")
    print(
        f"目标：≥ {GOAL_RATE:,} 条/秒，峰值RSS < {GOAL_RSS_MB} MB；索引{'未计入（--no-index）' if args.no_index else '已计入（patents_changed 接收方）'}；"
        f"机器 {os.cpu_count()} 核，负载 {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
