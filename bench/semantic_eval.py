"""Quality of semantic, text and hybrid ranking, measured on the real records in data/patents_cn.

    nice -n 10 .venv/bin/python bench/semantic_eval.py                 # default: 150 + 100 queries
    nice -n 10 .venv/bin/python bench/semantic_eval.py --limit 30 --embedder hash   # a quick slice (tests)

Evaluation set, built from the data itself (each answer is the record its query was written from): the 1,969 real records with an abstract
(sipo_export_sample_carrotc, sipo_epub_yinwenzhi) are the corpus; each query's answer is the record it came from.
  * 摘要改写 (abstract paraphrase): the abstract without its first sentence (which restates the title), common patent
    phrases replaced by plain synonyms (本发明→该方案, 所述→该, 设有→装有 …), at most 100 characters;
  * 主权项改写 (first-claim paraphrase): the first claim without "一种…，其特征在于" boilerplate, the same synonym
    replacements, at most 120 characters (CNIPA export records, which carry a first claim).
  * 人工改写 (hand-written paraphrase): 40 plain-language descriptions of real records written for this benchmark
    (bench/data/semantic_paraphrases.tsv; 4 of them in English), like the 30 of the issue.
Weak relevance: other records of the same IPC main group (reported as the share of the top 10 in that group).

Rankings compared, each over the whole corpus: text = the platform's existing ranking (search.services.rank_text:
BM25 over the bigram index with IPC boosts); semantic = cosine of e5 vectors (search.semantic.rank_meaning);
hybrid = weighted reciprocal rank fusion (search.semantic.fuse) whose wording weight adapts to the query
(search.semantic.text_weight of the share of the query's bigrams found verbatim in its top text hits). The fusion
parameters (k, the two thresholds, the wording weight) are tuned on the odd-numbered queries (dev) and reported on the even-numbered ones (test) and on all; the script says whether the tuned values equal
the constants shipped in search/semantic.py.

It runs on a scratch SQLite database and data directory (removed afterwards); vectors come from the shipped file
data/semantic/patents_cn-e5-int8.npz where the passage is unchanged, the rest are embedded here."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SYNONYMS = [
    ("本实用新型", "该方案"), ("本发明", "该方案"), ("所述", "该"), ("设有", "装有"), ("设置有", "装有"), ("包括", "含有"),
    ("通过", "借助"), ("用于", "用来"), ("提高", "提升"), ("降低", "减小"), ("方便", "便捷"), ("连接", "相接"),
    ("固定", "固着"), ("具有", "带有"), ("能够", "可以"), ("有效", "明显"), ("结构简单", "构造简洁"), ("其特征在于", ""),
]
FILES = ["sipo_export_sample_carrotc.csv", "sipo_epub_yinwenzhi.jsonl"]
HAND = ROOT / "bench" / "data" / "semantic_paraphrases.tsv"
KINDS = ("人工改写", "摘要改写", "主权项改写")


def paraphrase(text: str, *, cut: int) -> str:
    for a, b in SYNONYMS:
        text = text.replace(a, b)
    text = re.sub(r"\s+", "", text)
    return text[:cut]


def abstract_query(abstract: str) -> str:
    """The abstract without its first sentence (kept when it is the only one), paraphrased."""
    sentences = [s for s in re.split(r"(?<=[。；;])", abstract or "") if s.strip()]
    body = "".join(sentences[1:]) if len(sentences) > 1 and len("".join(sentences[1:])) >= 30 else (abstract or "")[len(abstract or "") // 3:]
    return paraphrase(body, cut=100)


def claim_query(claim: str) -> str:
    """The first claim without its preamble (一种…，其特征在于), paraphrased."""
    claim = claim or ""
    m = re.search(r"其特征在于[：:，,]?", claim)
    body = claim[m.end():] if m and len(claim) - m.end() >= 30 else claim
    return paraphrase(body, cut=120)


def build_eval_set(patents, *, per_kind: int) -> list[dict]:
    """Queries with their answer id and IPC main group, deterministic (records in id order, every n-th)."""
    def pick(rows, n):
        if len(rows) <= n:
            return rows
        step = len(rows) / n
        return [rows[int(i * step)] for i in range(n)]

    with_abs = [p for p in patents if len(p.abstract or "") >= 60]
    with_claim = [p for p in patents if len(p.first_claim or "") >= 60]
    out = []
    for p in pick(with_abs, per_kind):
        out.append({"kind": "摘要改写", "query": abstract_query(p.abstract), "answer": p.pk, "group": (p.ipc_main or "").split("/")[0]})
    for p in pick(with_claim, max(1, per_kind * 2 // 3)):
        out.append({"kind": "主权项改写", "query": claim_query(p.first_claim), "answer": p.pk, "group": (p.ipc_main or "").split("/")[0]})
    by_number = {}
    for p in patents:
        by_number[p.pk] = p
        if p.application_number:
            by_number[p.application_number] = p
    for line in HAND.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        number, text = line.split("\t", 1)
        p = by_number.get(number.upper().replace("CN", "").replace(".", ""))
        if p is not None:
            out.append({"kind": "人工改写", "query": text.strip(), "answer": p.pk, "group": (p.ipc_main or "").split("/")[0]})
    return [q for q in out if len(q["query"]) >= 10]


def metrics(rankings: list[list[str]], queries: list[dict], groups: dict[str, str]) -> dict:
    """recall@10, MRR (over the top 100) and the weak-relevance share of the top 10 in the answer's IPC main group."""
    r10 = mrr = weak = 0.0
    weak_n = 0
    for ranked, q in zip(rankings, queries):
        ids = ranked[:100]
        if q["answer"] in ids[:10]:
            r10 += 1
        if q["answer"] in ids:
            mrr += 1 / (ids.index(q["answer"]) + 1)
        if q["group"]:
            top = [i for i in ids[:10] if i != q["answer"]]
            if top:
                weak += sum(1 for i in top if groups.get(i) == q["group"]) / len(top)
                weak_n += 1
    n = max(1, len(queries))
    return {"recall@10": r10 / n, "mrr": mrr / n, "weak@10": weak / weak_n if weak_n else 0.0, "n": len(queries)}


def run(*, per_kind: int, embedder: str, out=print, tune: bool = True, load: bool = True) -> dict:
    """Import the records into the current (scratch) database (unless load=False), index, embed, query and print."""
    from django.conf import settings

    from ipplatform.patents import services as patents
    from ipplatform.patents.models import Patent
    from ipplatform.search import semantic, services

    settings.SEMANTIC_EMBEDDER = embedder
    t = time.monotonic()
    for name in FILES if load else ():
        patents.import_file(path=Path(settings.REFERENCE_DATA_DIR) / "patents_cn" / name, send_signal=False)
    corpus = list(Patent.objects.order_by("pk"))
    services.rebuild_index()
    shipped = Path(settings.REFERENCE_DATA_DIR) / semantic.SHIPPED
    loaded = semantic.load_vectors(path=shipped)["loaded"] if shipped.exists() and embedder == "e5" else 0
    embedded = semantic.embed_pending()["embedded"]
    out(f"语料：{len(corpus)} 件真实记录（{'、'.join(FILES)}）；向量：载入 {loaded}，本次计算 {embedded}；"
        f"模型 {semantic.current_model()}；准备 {time.monotonic() - t:.1f} 秒")
    queries = build_eval_set(corpus, per_kind=per_kind)
    groups = {p.pk: (p.ipc_main or "").split("/")[0] for p in corpus}
    meaning, wording = [], []
    t = time.monotonic()
    for q in queries:
        meaning.append(semantic.rank_meaning(text=q["query"], limit=semantic.FUSION_DEPTH))
        wording.append(services.rank_text(text=q["query"], limit=semantic.FUSION_DEPTH))
    out(f"查询：{len(queries)} 条（" + "，".join(f"{k} {sum(1 for q in queries if q['kind'] == k)}" for k in KINDS)
        + f"），两种排序共用时 {time.monotonic() - t:.1f} 秒")

    passages = {p.pk: semantic.patent_passage(p) for p in corpus}
    shares = [semantic.verbatim_share(q["query"], [passages[pid] for pid, _ in wording[i][:semantic.VERBATIM_TOP] if pid in passages])
              for i, q in enumerate(queries)]

    def fused(params, idx):
        k, lo, hi, wt = params
        return [[pid for pid, _ in semantic.fuse(meaning=meaning[i], wording=wording[i], k=k,
                                                 w_text=semantic.text_weight(shares[i], lo=lo, hi=hi, w_max=wt))] for i in idx]

    every = list(range(len(queries)))
    dev, test = every[1::2], every[0::2]
    shipped_params = (semantic.RRF_K, semantic.VERBATIM_LO, semantic.VERBATIM_HI, semantic.W_TEXT)
    best = shipped_params
    grid = []
    if tune and dev:
        for k in (5, 10, 20, 60):
            for lo in (0.3, 0.4, 0.5, 0.6, 0.7):
                for width in (0.0, 0.1, 0.2, 0.3):
                    for wt in (0.5, 1.0, 1.5, 2.0, 3.0):
                        m = metrics(fused((k, lo, round(lo + width, 2), wt), dev), [queries[i] for i in dev], groups)
                        grid.append((m["mrr"], m["recall@10"], k, lo, round(lo + width, 2), wt))
        grid.sort(key=lambda g: (-g[0], -g[1], g[2], g[3], g[4], g[5]))
        best = tuple(grid[0][2:])
    out(f"融合参数：在开发集（{len(dev)} 条）上调得 k={best[0]}，字面重合阈值 {best[1]}–{best[2]}，字面权重 {best[3]}（语义权重 1.0）；"
        f"search/semantic.py 中为 k={semantic.RRF_K}，阈值 {semantic.VERBATIM_LO}–{semantic.VERBATIM_HI}，字面权重 {semantic.W_TEXT}"
        + ("，一致" if best == shipped_params else "，不一致：请更新常量"))
    results = {}
    for label, idx in (("测试集（偶数序号）", test), ("全部", every)):
        qs = [queries[i] for i in idx]
        rows = {
            "字面（现有 rank_text）": metrics([[p for p, _ in wording[i]] for i in idx], qs, groups),
            "语义（e5）" if embedder == "e5" else f"语义（{embedder}）": metrics([[p for p, _ in meaning[i]] for i in idx], qs, groups),
            "混合（自适应RRF）": metrics(fused(best, idx), qs, groups),
        }
        results[label] = rows
        out(f"\n{label}：{len(qs)} 条查询")
        out(f"{'排序':<16}{'recall@10':>10}{'MRR':>8}{'同大组@10':>10}")
        for name, m in rows.items():
            out(f"{name:<16}{m['recall@10']:>10.3f}{m['mrr']:>8.3f}{m['weak@10']:>10.3f}")
        for kind in KINDS:
            sub = [i for i in idx if queries[i]["kind"] == kind]
            if sub:
                qk = [queries[i] for i in sub]
                parts = [metrics([[p for p, _ in wording[i]] for i in sub], qk, groups), metrics([[p for p, _ in meaning[i]] for i in sub], qk, groups),
                         metrics(fused(best, sub), qk, groups)]
                out(f"  {kind}（{len(sub)}）：字面 {parts[0]['recall@10']:.3f}/{parts[0]['mrr']:.3f}，语义 {parts[1]['recall@10']:.3f}/{parts[1]['mrr']:.3f}，"
                    f"混合 {parts[2]['recall@10']:.3f}/{parts[2]['mrr']:.3f}（recall@10/MRR）")
    full = results["全部"]
    names = list(full)
    hybrid_wins = all(full[names[2]][m] >= max(full[names[0]][m], full[names[1]][m]) for m in ("recall@10", "mrr")) and \
        full[names[2]]["mrr"] > max(full[names[0]]["mrr"], full[names[1]]["mrr"])
    out("\n混合排序" + ("在 recall@10 与 MRR 上均不低于两者、MRR 高于两者" if hybrid_wins else "未能同时胜过两者"))
    return {"results": results, "best": best, "grid": grid[:5], "hybrid_wins": hybrid_wins, "queries": len(queries)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=150, help="摘要改写查询条数（主权项改写取其三分之二）")
    parser.add_argument("--embedder", default="e5", choices=["e5", "hash"])
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="semantic-eval-"))
    os.environ["DATA_DIR"] = str(scratch)
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'eval.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipplatform.settings")
    import django
    from django.core.management import call_command

    django.setup()
    try:
        call_command("migrate", verbosity=0)
        from ipplatform.core.models import IPCEntry  # noqa: F401  (reference data is not needed for ranking)

        run(per_kind=args.limit, embedder=args.embedder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
