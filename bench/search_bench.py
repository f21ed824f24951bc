"""Patent search benchmark: tantivy (this app's engine) against SQLite FTS5 trigram and PostgreSQL pg_trgm GIN.

    .venv/bin/python bench/search_bench.py --n 1000000          # the issue's size
    .venv/bin/python bench/search_bench.py --n 200000 --skip-pg

The corpus is 模拟数据 (synthetic records): titles, abstracts, applicants and IPC codes recombined from the real
records in data/patents_cn, deterministic for a seed. ≥ 200 fixed queries (single 2- and 3-character terms,
multi-term AND/OR, phrases, field plus date range, IPC prefix, proximity) run with facets on every engine; hit sets
are compared (identical sets required) and p50/p95/p99 latency, build time, index size and peak RSS are printed,
with the speed-up of tantivy over the better alternative at p50."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipplatform.settings")

import django  # noqa: E402

django.setup()


from ipplatform.search import oracle  # noqa: E402
from ipplatform.search import query as ql  # noqa: E402
from ipplatform.search.backends.tantivy_backend import TantivyBackend  # noqa: E402
from ipplatform.search.documents import ipc_levels  # noqa: E402

DATA = ROOT / "data" / "patents_cn"
FACET_SQL = ("pt", "year", "city", "ls", "et")
CITIES = [
    "370100",
    "370200",
    "370300",
    "370400",
    "370500",
    "370600",
    "370700",
    "370800",
    "370900",
    "371000",
    "371100",
    "371200",
    "371300",
    "371400",
    "371500",
    "371600",
    "371700",
]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- corpus (模拟数据)


def vocabulary():
    import csv

    titles, sentences, applicants, ipcs = [], [], [], []
    for name in (
        "cnki_company_patents_hank0438.csv",
        "cnki_spider_patent_koibless.csv",
        "sipo_export_sample_carrotc.csv",
    ):
        with open(DATA / name, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                t = row.get("title") or row.get("名称") or ""
                if t:
                    titles.append(t)
                a = row.get("applicants") or row.get("申请（专利权）人") or ""
                applicants += [x.strip() for x in re.split(r"[;；]", a) if x.strip()]
                ab = row.get("摘要") or ""
                sentences += [s for s in re.split(r"[。；]", ab) if len(s) > 8]
                for code in re.split(r"[;；]", row.get("分类号") or ""):
                    code = code.strip().replace(" ", "")
                    if re.match(r"^[A-H]\d\d[A-Z]\d+/\d+", code):
                        ipcs.append(code)
    with open(DATA / "sipo_epub_yinwenzhi.jsonl", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            titles.append(d.get("tile") or "")
            sentences += [s for s in re.split(r"[。；]", d.get("abstract") or "") if len(s) > 8]
            applicants.append(d.get("申请人") or "")
            for code in re.findall(r"[A-H]\d\d[A-Z]\d+/\d+", d.get("分类号") or ""):
                ipcs.append(code)
    return ([t for t in titles if t], sentences, sorted(set(a for a in applicants if a)), sorted(set(ipcs)))


def synthetic_docs(n: int, seed: int = 7):
    titles, sentences, applicants, ipcs = vocabulary()
    rng = random.Random(seed)
    types = ["invention"] * 5 + ["utility"] * 4 + ["design"]
    for i in range(n):
        t1, t2 = rng.choice(titles), rng.choice(titles)
        title = t1[: max(2, len(t1) // 2)] + t2[len(t2) // 2 :]
        abstract = "。".join(rng.choice(sentences) for _ in range(rng.randint(2, 4))) + "。"
        claim = rng.choice(sentences)
        pa = rng.choice(applicants)
        main = rng.choice(ipcs)
        codes = [main] + rng.sample(ipcs, rng.randint(0, 2))
        year = rng.randint(2000, 2024)
        ad = year * 10000 + rng.randint(1, 12) * 100 + rng.randint(1, 28)
        city = rng.choice(CITIES)
        region = city[:4] + f"{rng.randint(1, 30):02d}"
        ic_terms, secs, clss, subs = [], [], [], []
        for c in codes:
            lv = ipc_levels(c)
            ic_terms += lv
            secs.append(lv[0].upper()), clss.append(lv[1].upper()), subs.append(lv[2].upper())
        yield {
            "id": f"S{i:08d}",
            "ti": ql.normalize_term(title),
            "ab": ql.normalize_term(abstract),
            "cl": ql.normalize_term(claim),
            "pa": ql.normalize_term(pa),
            "in": "",
            "ag": "",
            "ar": "",
            "an": [f"s{i:08d}"],
            "pn": [],
            "ic": list(dict.fromkeys(ic_terms)),
            "ics": [c.lower() for c in codes],
            "mc": ipc_levels(main),
            "mcs": [main.lower()],
            "pt": rng.choice(types),
            "ls": rng.choice(["valid", "invalid", "pending"]),
            "et": rng.choice(["enterprise", "enterprise", "university", "individual", "institute"]),
            "rc": [region, city, "370000"],
            "ad": ad,
            "pd": ad + 10000 if year < 2024 else 0,
            "gd": 0,
            "added": i,
            "year": year,
            "city": city,
            "sec": sorted(set(secs)),
            "cls": sorted(set(clss)),
            "sub": sorted(set(subs)),
            "app": [pa[:200]],
        }


# ---------------------------------------------------------------- fixed query mix


def query_mix(sample: list[dict], seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)

    def piece(n, key="ti"):
        while True:
            d = rng.choice(sample)
            text = re.sub(r"[^\u4e00-\u9fff]", "", d[key])  # Chinese characters only: no operator words
            if len(text) >= n:
                i = rng.randrange(0, len(text) - n + 1)
                return text[i : i + n]

    qs = []
    qs += [("单词-2字", piece(2)) for _ in range(50)]
    qs += [("单词-3字", piece(3)) for _ in range(30)]
    qs += [("多词AND", f"{piece(2)} AND {piece(2, 'ab')}") for _ in range(25)]
    qs += [("多词OR", f"{piece(3)} OR {piece(3)}") for _ in range(20)]
    qs += [("短语", f'"{piece(5, "ab")}"') for _ in range(20)]
    qs += [
        ("字段+日期", f"TI=({piece(2)}) AND AD=[{y}0101 TO {y + 2}1231]")
        for y in (rng.randint(2003, 2020) for _ in range(20))
    ]
    qs += [("IPC前缀", f"IC={rng.choice(rng.choice(sample)['ic'][1:3]).upper()}") for _ in range(20)]
    qs += [("IPC+词", f"IC={rng.choice(sample)['sec'][0]} AND {piece(2)}") for _ in range(10)]
    qs += [("邻近", f"TX=({piece(2)} 10W {piece(2)})") for _ in range(15)]
    return qs


# ---------------------------------------------------------------- SQL translation (same semantics)


def sql_where(node, dialect: str, params: list) -> str:
    like = "LIKE"
    if isinstance(node, ql.And):
        parts = []
        for c in node.children:
            parts.append(sql_where(c, dialect, params))
        return "(" + " AND ".join(parts) + ")"
    if isinstance(node, ql.Or):
        return "(" + " OR ".join(sql_where(c, dialect, params) for c in node.children) + ")"
    if isinstance(node, ql.Not):
        return f"(NOT {sql_where(node.child, dialect, params)})"
    if isinstance(node, ql.Text):
        p = node.pattern.replace("\x00", "")
        esc = p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        parts = []
        for f in node.fields:
            params.append(f"%{esc}%")
            parts.append(f"{f} {like} {'?' if dialect == 'sqlite' else '%s'} ESCAPE '\\'")
        return "(" + " OR ".join(parts) + ")"
    if isinstance(node, ql.Prox):  # candidates: both terms in one of the fields; verified in Python afterwards
        return sql_where(
            ql.Or(tuple(ql.And((ql.Text((f,), node.left), ql.Text((f,), node.right))) for f in node.fields)),
            dialect,
            params,
        )
    if isinstance(node, ql.DateRange):
        ph = "?" if dialect == "sqlite" else "%s"
        lo = node.low if node.low is not None else 1
        hi = node.high if node.high is not None else 99999999
        params += [lo, hi]
        return f"({node.field} BETWEEN {ph} AND {ph})"
    if isinstance(node, ql.Keyword):
        ph = "?" if dialect == "sqlite" else "%s"
        if node.field in ("pt", "ls", "et"):
            params.append(node.value)
            return f"({node.field} = {ph})"
        params.append(f"% {node.value} %")
        return f"({node.field} LIKE {ph})"
    raise TypeError(node)


def prox_nodes(node):
    out = []

    def walk(n):
        if isinstance(n, (ql.And, ql.Or)):
            for c in n.children:
                walk(c)
        elif isinstance(n, ql.Not):
            walk(n.child)
        elif isinstance(n, ql.Prox):
            out.append(n)

    walk(node)
    return out


COLS = ["id", "ti", "ab", "cl", "pa", "ic", "pt", "ls", "et", "ad", "year", "city", "sub"]


def sql_row(d):
    return (
        d["added"],
        d["ti"],
        d["ab"],
        d["cl"],
        d["pa"],
        " " + " ".join(d["ic"]) + " ",
        d["pt"],
        d["ls"],
        d["et"],
        d["ad"],
        d["year"],
        d["city"],
        " ".join(d["sub"]),
    )


def sql_search(cur, node, dialect, table):
    """Matching ids (after proximity verification) and facet counts, in one pass over the database's matches."""
    from collections import Counter

    params: list = []
    where = sql_where(node, dialect, params)
    verify = bool(prox_nodes(node))
    cols = "id, pt, year, city, ls, et" + (", ti, ab, cl, pa" if verify else "")
    cur.execute(f"SELECT {cols} FROM {table} WHERE {where}", params)
    rows = cur.fetchall()
    if verify:
        rows = [
            r
            for r in rows
            if oracle.matches(node, {"ti": r[6], "ab": r[7], "cl": r[8], "pa": r[9], "in": "", "ag": "", "ar": ""})
        ]
    facets = {f: Counter(r[i + 1] for r in rows).most_common(10) for i, f in enumerate(FACET_SQL)}
    return {r[0] for r in rows}, facets


# ---------------------------------------------------------------- engines


def build_tantivy(docs, root: Path):
    backend = TantivyBackend(root)
    t = time.perf_counter()
    info = backend.rebuild(docs=lambda: docs, total=len(docs), heap_size=400_000_000, threads=2)
    return backend, time.perf_counter() - t, info["bytes"]


def tantivy_ids(backend, node) -> set[int]:
    se = backend.searcher()
    from ipplatform.search.backends.tantivy_backend import _Compiler

    q = _Compiler(backend, se).compile(node)
    n = se.search(q, limit=1, count=True).count
    if not n:
        return set()
    res = se.search(q, limit=n, count=False)
    return set(se.fast_field_values("added", [a for _, a in res.hits]))


def build_sqlite(docs, path: Path):
    """SQLite (pysqlite3-binary, 3.51) FTS5 table with the trigram tokenizer over the same folded text."""
    import pysqlite3 as sqlite3

    t = time.perf_counter()
    con = sqlite3.connect(str(path))
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "CREATE VIRTUAL TABLE p USING fts5(ti, ab, cl, pa, ic, pt UNINDEXED, ls UNINDEXED, et UNINDEXED, ad UNINDEXED, "
        "year UNINDEXED, city UNINDEXED, sub UNINDEXED, tokenize='trigram')"
    )
    con.executemany(
        "INSERT INTO p(rowid, ti, ab, cl, pa, ic, pt, ls, et, ad, year, city, sub) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (sql_row(d) for d in docs),
    )
    con.commit()
    # a view so that `id` names the rowid as in PostgreSQL
    con.execute("CREATE VIEW pv AS SELECT rowid AS id, * FROM p")
    return con, time.perf_counter() - t, path.stat().st_size, sqlite3.sqlite_version


def build_pg(docs, dbname: str):
    import psycopg

    t = time.perf_counter()
    con = psycopg.connect(host="127.0.0.1", user="postgres", dbname=dbname, autocommit=True)
    cur = con.cursor()
    cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cur.execute("DROP TABLE IF EXISTS p")
    cur.execute(
        "CREATE TABLE p (id int PRIMARY KEY, ti text, ab text, cl text, pa text, ic text, pt text, ls text, et text, ad int, "
        "year int, city text, sub text)"
    )
    with cur.copy("COPY p FROM STDIN") as cp:
        for d in docs:
            cp.write_row(sql_row(d))
    for f in ("ti", "ab", "cl", "pa", "ic"):
        cur.execute(f"CREATE INDEX p_{f}_trgm ON p USING gin ({f} gin_trgm_ops)")
    cur.execute("CREATE INDEX p_ad ON p (ad)")
    cur.execute("VACUUM ANALYZE p")
    elapsed = time.perf_counter() - t
    cur.execute("SELECT pg_total_relation_size('p')")
    size = cur.fetchone()[0]
    return con, elapsed, size


def pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[k]


def timed(fn, repeat=1):
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        dt = (time.perf_counter() - t) * 1000
        best = dt if best is None else min(best, dt)
    return out, best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--pg-db", default="bench_search")
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()

    print(f"专利检索基准（模拟数据）：N = {args.n:,}，CPU {os.cpu_count()} 核")
    t = time.perf_counter()
    docs = list(synthetic_docs(args.n))
    print(f"生成模拟语料 {len(docs):,} 件：{time.perf_counter() - t:.1f} 秒；RSS 峰值 {rss_mb():.0f} MB")
    queries = query_mix(docs[:5000])
    print(f"固定检索式 {len(queries)} 条")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    backend, build_s, size = build_tantivy(docs, work / "tantivy")
    print(f"[tantivy] 建索引 {build_s:.1f} 秒，索引 {size / 1e6:.0f} MB，RSS 峰值 {rss_mb():.0f} MB")

    engines = {}
    if not args.skip_sqlite:
        con, s, sz, ver = build_sqlite(docs, work / "fts5.sqlite3")
        engines["sqlite_fts5"] = (con.cursor(), "sqlite", "pv")
        print(f"[SQLite {ver} FTS5 trigram] 建索引 {s:.1f} 秒，数据库 {sz / 1e6:.0f} MB")
    if not args.skip_pg:
        con, s, sz = build_pg(docs, args.pg_db)
        engines["pg_trgm"] = (con.cursor(), "pg", "p")
        print(f"[PostgreSQL pg_trgm GIN] 建表与索引 {s:.1f} 秒，表与索引 {sz / 1e6:.0f} MB")
    del docs

    lat = {"tantivy": []}
    lat.update({k: [] for k in engines})
    by_kind: dict[str, list[float]] = {}
    mismatches, hits_total = [], 0
    for kind, q in queries:
        node = ql.parse(q)
        backend.search(node, limit=20, facets=True)  # warm the page cache once per query
        res, ms = timed(lambda: backend.search(node, limit=20, facets=True))
        lat["tantivy"].append(ms)
        by_kind.setdefault(kind, []).append(ms)
        hits_total += res.total
        ids = tantivy_ids(backend, node)
        assert len(ids) == res.total
        for name, (cur, dialect, table) in engines.items():
            (sql_ids, _), sms = timed(lambda: sql_search(cur, node, dialect, table))
            lat[name].append(sms)
            if sql_ids != ids:
                mismatches.append((name, q, len(ids), len(sql_ids)))
    print()
    print(f"{'引擎':<14}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, values in lat.items():
        print(f"{name:<14}{pct(values, 50):>10.1f}{pct(values, 95):>10.1f}{pct(values, 99):>10.1f}{max(values):>10.1f}")
    print()
    print("tantivy 分类 p50 / p99（毫秒，含分面）：")
    for kind, values in by_kind.items():
        print(f"  {kind:<8} n={len(values):<3} p50 {pct(values, 50):7.1f}  p99 {pct(values, 99):7.1f}")
    p50 = pct(lat["tantivy"], 50)
    if engines:
        best = min(pct(lat[k], 50) for k in engines)
        print(
            f"\n加速比：tantivy p50 {p50:.1f} ms，较优替代方案 p50 {best:.1f} ms，快 {best / p50:.1f} 倍（目标 ≥ 10 倍）"
        )
    print(
        f"目标：p50 ≤ 10 ms → {'达到' if p50 <= 10 else '未达到'}；p99 ≤ 100 ms → {'达到' if pct(lat['tantivy'], 99) <= 100 else '未达到'}"
    )
    print(
        f"命中集合比对：{len(queries)} 条 × {len(engines)} 个替代方案，不一致 {len(mismatches)} 条；平均命中 {hits_total / len(queries):,.0f} 件"
    )
    for m in mismatches[:10]:
        print("  不一致：", m)
    print(f"进程 RSS 峰值 {rss_mb():.0f} MB")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
