"""专利导航 benchmark: a 专题库 of ~100,000 synthetic records inside a 1,000,000-record corpus.

Targets (issue #6): all analyses together ≤ 5 s and the Word report ≤ 15 s, cold and with a warm cache.

    .venv/bin/python bench/navigation_bench.py                     # 1M corpus, ~100k 专题库
    .venv/bin/python bench/navigation_bench.py --corpus 200000 --subject 20000

The corpus is written once with bulk inserts (模拟数据, is_synthetic=True) into its own SQLite database under
var/bench_navigation/ (or DATA_DIR) and reused by later runs. Baseline printed in the same run: the time to read the
subject's rows once (the floor any analysis pass pays), and the naive plan that reads the rows again per analysis."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUBCLASSES = [
    "H01M",
    "H01L",
    "G06F",
    "H04L",
    "H04W",
    "G06Q",
    "A61K",
    "A61P",
    "C07D",
    "C08L",
    "B65D",
    "B23K",
    "F16H",
    "F16K",
    "A23L",
    "A01K",
    "B63B",
    "C02F",
    "B01D",
    "E04B",
    "E02B",
    "G01N",
    "G05B",
    "B25J",
    "H02J",
    "F03D",
    "C22C",
    "C21D",
    "D06M",
    "A47J",
    "B60L",
    "H05K",
    "G01R",
    "B29C",
    "C09D",
    "C12N",
    "A61B",
    "F24F",
    "E21B",
    "B21D",
]
EFFECTS = ["提高效率", "降低成本", "环保", "安全", "节能", "精度", "结构简单", "寿命", "品质", "操作简便"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志海峰亮宇浩文斌波宁"
CUTOFF = dt.date(2021, 6, 30)  # the synthetic corpus ends here
PROVINCES = [
    ("370000", 0.32),
    ("110000", 0.10),
    ("320000", 0.12),
    ("440000", 0.14),
    ("330000", 0.10),
    ("310000", 0.07),
    ("510000", 0.05),
    ("420000", 0.05),
    ("", 0.05),
]
SD_CITIES = [
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


def setup(data_dir: Path):
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipplatform.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def build_corpus(*, corpus: int, subject: int, seed: int = 2015) -> None:
    """Write the synthetic corpus (skipped when the database already holds it)."""
    from ipplatform.core import reference
    from ipplatform.core.models import Division, IPCEntry
    from ipplatform.patents.models import Applicant, LegalEvent, Patent, PatentApplicant

    if not Division.objects.exists():
        reference.load_divisions()
    if not IPCEntry.objects.exists():
        reference.load_ipc()
        reference.load_tech_fields()
    have = Patent.objects.count()
    if have == corpus:
        print(f"语料已存在：{have}件")
        return
    if have:
        raise SystemExit(f"{have}件已在库中，与 --corpus {corpus} 不符：请换 DATA_DIR 或删除该目录")
    rng = random.Random(seed)
    t = time.perf_counter()
    n_app = max(1000, corpus // 20)
    kinds = ["enterprise"] * 70 + ["university"] * 12 + ["institute"] * 8 + ["individual"] * 10
    Applicant.objects.bulk_create(
        [
            Applicant(
                name=f"模拟申请人{i:06d}{'大学' if k == 'university' else '研究院' if k == 'institute' else '公司' if k == 'enterprise' else ''}",
                entity_type=k,
            )
            for i, k in ((i, rng.choice(kinds)) for i in range(n_app))
        ],
        batch_size=5000,
    )
    app_ids = list(Applicant.objects.values_list("pk", flat=True))
    share = subject / corpus  # H01M main class for the 专题库
    others = SUBCLASSES[1:]
    weights = [p for _, p in PROVINCES]
    batch, links, events = [], [], []
    for i in range(corpus):
        sub = "H01M" if rng.random() < share else rng.choice(others)
        main = f"{sub}{rng.randint(1, 60)}/{rng.choice(['00', '02', '04', '10', '12', '20'])}"
        ipcs = [main] + [f"{rng.choice(others)}{rng.randint(1, 40)}/00" for _ in range(rng.choice([0, 0, 1, 2]))]
        year = rng.choices(range(2000, 2021), weights=[1 + (y - 2000) ** 1.4 for y in range(2000, 2021)])[0]
        ad = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        ptype = rng.choices(["invention", "utility", "design"], [0.45, 0.45, 0.10])[0]
        pub = ad + dt.timedelta(days=540 if ptype == "invention" else 200)
        granted = ptype != "invention" or rng.random() < 0.5
        grant = (ad + dt.timedelta(days=rng.randint(700, 1400))) if ptype == "invention" and granted else None
        if grant and grant > CUTOFF:
            grant, granted = None, False
        prov = rng.choices([p for p, _ in PROVINCES], weights)[0]
        city = rng.choice(SD_CITIES) if prov == "370000" else (prov[:2] + "0100" if prov else "")
        status = "pending" if ptype == "invention" and not granted else rng.choice(["valid", "valid", "invalid"])
        pid = f"SYN{i:09d}"
        abstract = (
            f"本{['发明', '实用新型'][ptype != 'invention']}涉及{sub}技术领域的一种装置及方法，"
            + "，".join(rng.sample(EFFECTS, rng.randint(0, 3)))
            + "。"
        )
        batch.append(
            Patent(
                id=pid,
                application_number=pid,
                patent_type=ptype,
                title=f"一种{sub}相关的模拟装置{i}",
                abstract=abstract,
                first_claim="一种装置，其特征在于" + "包括部件" * rng.randint(5, 60),
                claims_count=rng.randint(1, 20),
                ipc_main=main,
                ipc_all=ipcs,
                inventors=[
                    rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(rng.randint(1, 4))
                ],
                application_date=ad,
                publication_date=pub if pub <= CUTOFF else None,
                grant_date=grant,
                province_code=prov,
                city_code=city,
                region_code=city,
                legal_status=status,
                is_synthetic=True,
                source="synthetic",
            )
        )
        first = rng.choice(app_ids)
        links.append(PatentApplicant(patent_id=pid, applicant_id=first, order=1))
        if rng.random() < 0.25:
            links.append(PatentApplicant(patent_id=pid, applicant_id=rng.choice(app_ids), order=2))
        if rng.random() < 0.04:
            events.append(
                LegalEvent(
                    patent_id=pid,
                    date=ad + dt.timedelta(days=900),
                    code=rng.choice(["transfer", "license", "pledge", "invalidation_request"]),
                    source="模拟数据",
                )
            )
        if len(batch) >= 5000:
            Patent.objects.bulk_create(batch)
            PatentApplicant.objects.bulk_create(links)
            LegalEvent.objects.bulk_create(events)
            batch, links, events = [], [], []
            if (i + 1) % 100000 == 0:
                print(f"  已写入 {i + 1} 件（{time.perf_counter() - t:.0f} 秒）", flush=True)
    Patent.objects.bulk_create(batch)
    PatentApplicant.objects.bulk_create(links)
    LegalEvent.objects.bulk_create(events)
    print(f"语料：写入{corpus}件模拟数据，{time.perf_counter() - t:.1f} 秒")


CPU: dict[str, float] = {}


def timed(label: str, fn):
    """Wall-clock seconds (printed with this process's CPU seconds: the machine is shared, so wall time includes waiting)."""
    t, c = time.perf_counter(), time.process_time()
    value = fn()
    elapsed, cpu = time.perf_counter() - t, time.process_time() - c
    CPU[label] = cpu
    print(f"{label:<40} 墙钟 {elapsed:7.2f} s   CPU {cpu:7.2f} s")
    return value, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=int, default=1_000_000)
    parser.add_argument("--subject", type=int, default=100_000)
    parser.add_argument("--data-dir", default=os.environ.get("BENCH_DATA_DIR", str(ROOT / "var" / "bench_navigation")))
    args = parser.parse_args()
    data_dir = Path(args.data_dir) / f"n{args.corpus}"
    data_dir.mkdir(parents=True, exist_ok=True)
    setup(data_dir)
    build_corpus(corpus=args.corpus, subject=args.subject)

    from django.core.cache import cache

    from ipplatform.navigation import analyses, documents, services
    from ipplatform.navigation.models import Report, ThematicDatabase

    db, _ = ThematicDatabase.objects.get_or_create(
        name="基准测试：电池（H01M）", defaults={"ipc_prefixes": ["H01M"], "is_shared": True}
    )
    _, t_refresh = timed("专题库更新（IPC规则，全库扫描）", lambda: services.update_membership(db_id=db.pk))
    db.refresh_from_db()
    print(f"专题库收录 {db.member_count} 件 / 全库 {services.corpus_size()} 件；数据截止 {db.data_cutoff}")
    subject = services.resolve_subject(kind="db", value=str(db.pk), user=None)
    keys = list(analyses.ANALYSES)

    cache.clear()
    frame, t_read = timed(
        "基线：读取专题库数据一次（load_frame）", lambda: analyses.load_frame(patents=subject.patents)
    )
    del frame
    cache.clear()
    _, t_cold = timed(f"全部{len(keys)}项分析（冷缓存）", lambda: services.compute(subject=subject, keys=keys))
    _, t_warm = timed(f"全部{len(keys)}项分析（热缓存）", lambda: services.compute(subject=subject, keys=keys))

    report = Report.objects.create(
        title="基准测试报告", subject_kind="db", subject_value=str(db.pk), subject_label=db.name, analyses=keys
    )
    cache.clear()

    def word_cold():
        services.build_report(report_id=report.pk)
        return documents.word_bytes(Report.objects.get(pk=report.pk))

    docx, t_word_cold = timed("Word报告：计算+生成（冷缓存）", word_cold)

    def word_warm():
        services.build_report(report_id=report.pk)
        return documents.word_bytes(Report.objects.get(pk=report.pk))

    docx2, t_word_warm = timed("Word报告：计算+生成（热缓存）", word_warm)
    print(f"Word文件 {len(docx) / 1024:.0f} KB，{len(keys)}节")
    naive = t_read * len(keys)
    print()
    print(f"结果（全库{services.corpus_size()}件，专题库{db.member_count}件，{os.cpu_count()}核）：")
    print(f"  基线：读取一次 {t_read:.2f} s；逐项各读一次的朴素方案估计 {naive:.1f} s")
    print(
        f"  全部分析：冷 {t_cold:.2f} s / 热 {t_warm:.3f} s（目标 ≤ 5 s）{'达标' if t_cold <= 5 else '未达标'}；比朴素方案快 {naive / t_cold:.1f} 倍"
    )
    print(
        f"  Word报告：冷 {t_word_cold:.2f} s / 热 {t_word_warm:.2f} s（目标 ≤ 15 s）{'达标' if t_word_cold <= 15 else '未达标'}"
    )
    print(f"  专题库更新：{t_refresh:.2f} s")
    cold_cpu = CPU[f"全部{len(keys)}项分析（冷缓存）"]
    word_cpu = CPU["Word报告：计算+生成（冷缓存）"]
    print(
        f"  本进程CPU时间：全部分析冷 {cold_cpu:.2f} s，Word冷 {word_cpu:.2f} s（机器负载 {os.getloadavg()[0]:.1f}，墙钟含等待CPU的时间）"
    )
    report.delete()


if __name__ == "__main__":
    main()
