"""Benchmark: provincial and city dashboards on the synthetic corpus, cold (no result cache), beside the same
aggregation written as plain Django ORM queries over the patent table. Prints figures and the ratio.

    .venv/bin/python bench/analytics_dashboard.py --n 1000000          # builds var/bench_analytics once, then reuses it
    .venv/bin/python bench/analytics_dashboard.py --n 200000 --data-dir var/bench_small

The corpus is the patents app's seeded generator (ipplatform.patents.synthetic.Generator, is_synthetic=True); rows are
bulk-inserted with the fields statistics read (the generator's own --db path also writes texts, applicants and the
search index, which takes over an hour for 1M rows on this 2-core machine). A share of granted patents gets a
fee-lapse LegalEvent so that validity is exercised. An interrupted corpus build resumes where it stopped."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(data_dir: str) -> None:
    os.environ["DATA_DIR"] = str((ROOT / data_dir).resolve()) if not os.path.isabs(data_dir) else data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipplatform.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)
    from ipplatform.core.models import Division

    if not Division.objects.exists():
        call_command("load_reference_data", skip_checks=True)


def build_corpus(n: int, seed: int = 2015) -> None:
    from django.db import transaction

    from ipplatform.analytics import aggregates
    from ipplatform.analytics.models import PatentFact
    from ipplatform.lib import appno
    from ipplatform.patents import attribution, synthetic
    from ipplatform.patents.models import LegalEvent, Patent

    have = Patent.objects.filter(is_synthetic=True).count()
    gen = synthetic.Generator(seed)
    rng = random.Random(seed)
    etype_cache: dict[str, str] = {}

    def d(s):
        return dt.datetime.strptime(s, "%Y.%m.%d").date() if s else None

    def make():
        r = gen.record()
        pid = appno.normalize(r["申请号"])
        app, pub, grant = d(r["申请日"]), d(r["公开（公告）日"]), d(r["颁证日"])
        if r["_kind"] in ("U", "S"):
            grant = pub
        first = r["申请（专利权）人"].split(";")[0]
        if first not in etype_cache:
            etype_cache[first] = attribution.infer_entity_type(first)
        region = r["_region"]
        patent = Patent(
            id=pid,
            application_number=r["申请号"],
            patent_type=r["_type"],
            title=r["名称"][:500],
            application_date=app,
            publication_date=pub,
            grant_date=grant,
            applicant_type=etype_cache[first],
            region_code=region,
            city_code=(region[:4] + "00") if region else "",
            province_code=(region[:2] + "0000") if region else "",
            is_synthetic=True,
            source="synthetic",
            source_file=f"bench seed={seed}",
        )
        event = None
        if grant and rng.random() < 0.3:
            event = LegalEvent(
                patent_id=pid, date=grant + dt.timedelta(days=rng.randint(365, 3650)), code="fee_lapse", source="bench"
            )
        return patent, event

    if have >= n:
        print(f"corpus: {have:,} synthetic records already present")
    else:
        # resume: replay the seeded generator over the records already written
        for _ in range(have):
            make()
        t0 = time.perf_counter()
        done = have
        while done < n:
            batch = min(20000, n - done)
            made = [make() for _ in range(batch)]
            with transaction.atomic():
                Patent.objects.bulk_create([p for p, _ in made], batch_size=2000)
                LegalEvent.objects.bulk_create([e for _, e in made if e is not None], batch_size=2000)
            done += batch
            print(f"\rcorpus: {done:,}/{n:,} ({time.perf_counter() - t0:.0f} s)", end="", flush=True)
        print()
    if PatentFact.objects.count() == Patent.objects.count():
        return
    t = time.perf_counter()
    aggregates.rebuild()
    print(f"derived tables rebuilt in {time.perf_counter() - t:.1f} s")


# ---------------------------------------------------------------- the same aggregation as plain ORM queries


def orm_dashboard(*, year: int, city: str | None, include_synthetic: bool = True) -> dict:
    """Province or city figures straight from Patent/LegalEvent with ordinary ORM aggregation."""
    from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, When
    from django.db.models.functions import Coalesce, ExtractYear

    from ipplatform.core import regions
    from ipplatform.patents.enums import TERMINATING_EVENTS
    from ipplatform.patents.models import LegalEvent, Patent

    qs = Patent.objects.all() if include_synthetic else Patent.objects.filter(is_synthetic=False)
    province = Q(city_code__startswith="37") | Q(province_code="370000")
    scope = Q(city_code=city) if city else province
    grant_expr = Coalesce(
        "grant_date",
        Case(When(patent_type__in=["utility", "design"], then=F("publication_date")), output_field=DateField()),
    )
    y0, y1 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    p0, p1 = dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)
    out = {}
    for key, (a, b) in {"apps": (y0, y1), "apps_prev": (p0, p1)}.items():
        out[key] = {
            (r["city_code"], r["patent_type"], r["applicant_type"]): r["n"]
            for r in qs.filter(province, application_date__range=(a, b))
            .values("city_code", "patent_type", "applicant_type")
            .annotate(n=Count("id"))
        }
    for key, (a, b) in {"grants": (y0, y1), "grants_prev": (p0, p1)}.items():
        out[key] = {
            (r["city_code"], r["patent_type"], r["applicant_type"]): r["n"]
            for r in qs.filter(province)
            .annotate(g=grant_expr)
            .filter(g__range=(a, b))
            .values("city_code", "patent_type", "applicant_type")
            .annotate(n=Count("id"))
        }

    def valid_at(day, q):
        ended = LegalEvent.objects.filter(patent=OuterRef("pk"), code__in=list(TERMINATING_EVENTS), date__lte=day)
        return qs.filter(
            q, patent_type="invention", grant_date__lte=day, application_date__gt=day.replace(year=day.year - 20)
        ).exclude(Exists(ended))

    out["valid"] = dict(valid_at(y1, province).values_list("city_code").annotate(n=Count("id")))
    out["trend_apps"] = {
        (r["y"], r["patent_type"]): r["n"]
        for r in qs.filter(scope)
        .annotate(y=ExtractYear("application_date"))
        .values("y", "patent_type")
        .annotate(n=Count("id"))
    }
    out["trend_grants"] = {
        (r["y"], r["patent_type"]): r["n"]
        for r in qs.filter(scope)
        .annotate(g=grant_expr)
        .annotate(y=ExtractYear("g"))
        .values("y", "patent_type")
        .annotate(n=Count("id"))
    }
    from django.db.models import Max

    last = max(year, min(qs.aggregate(m=Max("application_date"))["m"].year, timezone.localdate().year))
    out["trend_valid"] = [valid_at(dt.date(y, 12, 31), scope).count() for y in range(1985, last + 1)]
    out["cities"] = regions.cities("201512")
    return out


def check_same(service: dict, orm: dict, city: str | None) -> None:
    """The service's figures equal the ORM's."""
    cities = [c for c, _ in orm["cities"]]
    areas = [city] if city else cities
    inv = lambda d: sum(n for k, n in d.items() if k[1] == "invention" and k[0] in areas)  # noqa: E731
    s = service["summary"]
    assert s["invention_applications"] == inv(orm["apps"]), (s["invention_applications"], inv(orm["apps"]))
    assert s["invention_grants"] == inv(orm["grants"])
    assert s["invention_applications_prev"] == inv(orm["apps_prev"])
    assert s["valid_invention"] == sum(n for c, n in orm["valid"].items() if c in areas), (
        s["valid_invention"],
        orm["valid"],
    )
    for row in service["cities"]:
        assert row["valid_invention"] == orm["valid"].get(row["code"], 0)
    t = service["trend"]
    assert t["valid_invention"] == orm["trend_valid"], ("valid trend differs", t["valid_invention"], orm["trend_valid"])
    for i, y in enumerate(t["years"]):
        assert t["applications"]["invention"][i] == orm["trend_apps"].get((y, "invention"), 0)


def timed(fn, repeat: int) -> tuple[list[float], object]:
    from django.db import connection

    from ipplatform.core import regions

    times, result = [], None
    for _ in range(repeat):
        connection.close()  # a fresh connection and empty in-process caches every run: cold
        regions.clear_caches()
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return times, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--data-dir", default="var/bench_analytics")
    ap.add_argument("--year", type=int, default=2015)
    ap.add_argument("--city", default="370200")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--orm-repeat", type=int, default=1)
    args = ap.parse_args()
    setup(args.data_dir)
    build_corpus(args.n)

    from django.db import connection

    from ipplatform.analytics import services
    from ipplatform.patents.models import Patent

    total = Patent.objects.count()
    print(
        f"\ndatabase: {connection.vendor}, patents: {total:,}, year {args.year}, synthetic included, target ≤ 300 ms (cold)"
    )
    print(f"{'dashboard':<22}{'service median':>16}{'min':>9}{'max':>9}{'plain ORM':>12}{'ratio':>9}  figures")
    for label, city in (("province", None), (f"city {args.city}", args.city)):
        st, service = timed(
            lambda: services.dashboard(year=args.year, city_code=city, include_synthetic=True), args.repeat
        )
        ot, orm = timed(lambda: orm_dashboard(year=args.year, city=city), args.orm_repeat)
        check_same(service, orm, city)
        med = statistics.median(st)
        verdict = "PASS" if med <= 300 else "FAIL"
        print(
            f"{label:<22}{med:>13.0f} ms{min(st):>6.0f} ms{max(st):>6.0f} ms"
            f"{statistics.median(ot):>9.0f} ms{statistics.median(ot) / med:>8.1f}x  agree  {verdict}"
        )


if __name__ == "__main__":
    main()
