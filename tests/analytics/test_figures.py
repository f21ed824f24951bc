"""Statistics figures against values worked out by hand from the corpus in conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest

from ipplatform.analytics import aggregates, services
from ipplatform.core.inputs import InputError

pytestmark = pytest.mark.django_db

D = dt.date


def city(dash, code):
    return next(r for r in dash["cities"] if r["code"] == code)


def test_province_2015_counts(corpus):
    dash = services.dashboard(year=2015)
    s = dash["summary"]
    # invention applications 2015: P2, P3, P8 (P7 no region, P11 outside, P9 synthetic excluded); 2014: P1, P10
    assert (s["invention_applications"], s["invention_applications_prev"], s["invention_applications_growth"]) == (
        3,
        2,
        50.0,
    )
    # invention grants 2015: P1 (applied 2014, granted 2015), P8; 2014: P10
    assert (s["invention_grants"], s["invention_grants_prev"], s["invention_grants_growth"]) == (2, 1, 100.0)
    # all types: applications P2 P3 P5 P8; grants P1 P8 + P5 (utility: publication is the grant)
    assert (s["applications"], s["grants"]) == (4, 3)
    by_type = {r["key"]: r for r in dash["by_type"]}
    assert by_type["utility"]["grants"] == 1 and by_type["design"]["grants_prev"] == 1
    assert by_type["total"]["applications"] == 4
    assert dash["unattributed"] == {"no_region": 1, "outside": 1, "province_only": 0}


def test_valid_invention_and_fee_lapse(corpus):
    dash = services.dashboard(year=2015)
    # valid at 2015-12-31: P1, P8, P10; P4 lapsed on 2015-03-01
    assert dash["summary"]["valid_invention"] == 3
    assert city(dash, "370100")["valid_invention"] == 1  # P1 only
    before = services.dashboard(year=2014)
    assert city(before, "370100")["valid_invention"] == 1  # P4 still in force at 2014-12-31
    # the day before and the day of the lapse
    assert services.dashboard(year=2015, valid_date="2015-02-28")["summary"]["valid_invention"] == 2  # P4, P10
    assert services.dashboard(year=2015, valid_date="2015-03-01")["summary"]["valid_invention"] == 1  # P10


def test_valid_count_matches_model_rule(corpus):
    from ipplatform.patents.models import Patent

    for day in (D(2012, 1, 9), D(2012, 1, 10), D(2015, 2, 28), D(2015, 3, 1), D(2015, 6, 10), D(2015, 12, 31)):
        expected = sum(
            1
            for p in Patent.objects.filter(patent_type="invention", is_synthetic=False).exclude(city_code="")
            if p.city_code.startswith("37") and p.valid_at(day)
        )
        got = sum(
            services._valid_by_area(day, include_synthetic=False).get(c, 0) for c in services.areas_of(None, "2015")
        )
        assert got == expected, day


def test_per_10k_uses_population_with_source(corpus):
    dash = services.dashboard(year=2015)
    pop = dash["population"]
    assert pop["population"] == 98471600 and pop["year"] == 2015
    assert dash["summary"]["valid_invention_per_10k"] == round(3 * 10000 / 98471600, 4)
    qd = city(dash, "370200")
    # 青岛 2015 has a yearbook figure; 临沂 has none: nearest census (2010 and 2020 tie: the later) with a note
    assert qd["population"] == 9097000 and qd["population_note"] == ""
    ly = city(dash, "371300")
    assert ly["population_year"] == 2020 and ly["population_note"] == "无当年数据，用2020年（2020年区划）"
    assert "《山东统计年鉴2016》" in dash["basis"]["population"]


def test_laiwu_2015_and_current_divisions(corpus):
    d2015 = services.dashboard(year=2015)
    assert len(d2015["cities"]) == 17
    assert city(d2015, "371200")["invention_applications"] == 2  # P3, P8
    assert city(d2015, "370100")["invention_applications"] == 0
    now = services.dashboard(year=2015, divisions="current")
    assert len(now["cities"]) == 16 and all(r["code"] != "371200" for r in now["cities"])
    jn = city(now, "370100")
    assert jn["invention_applications"] == 2 and jn["valid_invention"] == 2  # P1 + P8 (莱芜)
    # population of today's 济南 adds 莱芜's nearest census figure and says so
    assert jn["population"] == 7132000 + 1298529 and "莱芜" in jn["population_note"]
    # the province total does not change with the divisions
    assert now["summary"]["invention_applications"] == d2015["summary"]["invention_applications"]
    with pytest.raises(InputError, match="并入济南市"):
        services.dashboard(year=2015, city_code="371200", divisions="current")


def test_city_scope_rank_and_splits(covered):
    dash = services.dashboard(year=2015, city_code="371200")
    assert dash["summary"]["invention_applications"] == 2
    assert dash["rank"]["invention_applications"] == 1 and dash["rank"]["of"] == 17
    assert dash["rank"]["labels"]["invention_applications"] == "第1位"
    # 青岛 (P2) is second alone; every other city has none: tied
    qd = city(dash, "370200")
    assert qd["rank_label_invention_applications"] == "第2位"
    assert city(dash, "370300")["rank_label_invention_applications"] == "并列第3位"
    split = {r["key"]: r["applications"] for r in services.dashboard(year=2015)["service_split"]}
    assert split == {"service": 2, "non_service": 2, "unknown": 0}  # P2 university, P8 institute; P3, P5 individuals
    entity = {r["key"]: r["applications"] for r in dash["entity_split"]}
    assert entity["individual"] == 1 and entity["institute"] == 1


def test_synthetic_switch(corpus):
    without = services.dashboard(year=2015, city_code="370100")
    with_syn = services.dashboard(year=2015, city_code="370100", include_synthetic=True)
    assert without["summary"]["invention_applications"] == 0
    assert with_syn["summary"]["invention_applications"] == 1 and with_syn["synthetic_count"] == 1
    assert any("模拟数据" in n for t in services.dashboard_tables(with_syn) for n in t.notes)


def test_date_range_exact_to_the_day(corpus):
    # grants 2015-06-05..2015-12-25: P1 (06-10), P5 (07-01), P8 (12-20); partial months use the per-patent facts
    dash = services.dashboard(date_from="2015-06-05", date_to="2015-12-25")
    assert dash["summary"]["grants"] == 3
    assert services.dashboard(date_from="2015-06-11", date_to="2015-12-19")["summary"]["grants"] == 1  # P5 only
    assert aggregates.pieces(D(2014, 12, 30), D(2016, 2, 3)) == (
        [2015],
        [201601],
        [(D(2014, 12, 30), D(2014, 12, 31)), (D(2016, 2, 1), D(2016, 2, 3))],
    )


def test_targets_status_and_basis(covered):
    rows = {r["key"]: r for r in services.target_status(year=2015)}
    assert set(rows) == {"invention_applications_growth", "invention_grants_growth", "valid_invention_per_10k"}
    # applications: the official full-year pair (3 against 2) decides, and says so
    apps = rows["invention_applications_growth"]
    assert (apps["value"], apps["status"], apps["source"]) == (50.0, "met", "official") and "按官方统计" in apps[
        "basis"
    ]
    # grants: no full-year pair; records cover 100 % of 2015 1-9月 and of 2014 -> record growth (2 vs 1) with coverage
    grants = rows["invention_grants_growth"]
    assert (grants["value"], grants["status"], grants["source"]) == (100.0, "met", "records")
    assert "覆盖率100%" in grants["basis"] and "2015年1-9月" in grants["basis"] and "按授权日" in grants["basis"]
    # per 10k: no official figure; records are 0.3 % of the official valid inventions -> 数据不足, never 滞后
    per10k = rows["valid_invention_per_10k"]
    assert (
        per10k["status"] == "insufficient"
        and per10k["status_label"] == "数据不足"
        and rows["valid_invention_per_10k"]["target"] == 5
    )
    assert "覆盖率0.3%" in per10k["basis"] and "低于阈值80%" in per10k["basis"] and "常住人口" in per10k["basis"]
    # 济南 2015: no official figure at all -> 数据不足 with the reason, although the records say -100 %
    jn = {r["key"]: r for r in services.target_status(year=2015, city_code="370100")}
    assert (
        jn["invention_applications_growth"]["value"] == -100.0
        and jn["invention_applications_growth"]["status"] == "insufficient"
    )
    assert "无官方申请量可核对" in jn["invention_applications_growth"]["basis"]


def test_threshold_is_the_offices_setting(covered):
    from ipplatform.analytics.models import StatsPolicy

    StatsPolicy.objects.create(pk=1, coverage_threshold=0.2)  # 0.3 % coverage now supports a judgement from records
    per10k = {r["key"]: r for r in services.target_status(year=2015)}["valid_invention_per_10k"]
    assert (per10k["status"], per10k["source"]) == ("behind", "records") and "按平台记录" in per10k["basis"]


def test_ranks_withheld_without_coverage(corpus):
    dash = services.dashboard(year=2015)  # no official figures: coverage cannot be checked
    assert all(r["rank_invention_applications"] is None for r in dash["cities"])
    assert "无法确认平台记录覆盖率" in dash["ranking"]["withheld"]
    assert "不排名" in services.dashboard(year=2015, city_code="371200")["rank"]["labels"]["invention_applications"]
    comp = services.comparison(year=2015)
    assert all(r["rank_index"] is None for r in comp["rows"]) and any("不排名" in b for b in comp["basis"])


def test_trend_from_1985(corpus):
    t = services.dashboard(year=2015)["trend"]
    assert t["years"][0] == 1985 and t["years"][-1] == 2015
    i2014, i2015 = t["years"].index(2014), t["years"].index(2015)
    assert t["applications"]["invention"][i2014] == 2 and t["applications"]["invention"][i2015] == 3
    assert t["valid_invention"][t["years"].index(2012)] == 1  # P4
    assert t["valid_invention"][i2014] == 2 and t["valid_invention"][i2015] == 3


def test_incremental_refresh_matches_rebuild(corpus):
    from ipplatform.patents.models import LegalEvent, Patent
    from ipplatform.patents.signals import patents_changed

    from .conftest import make_patent

    make_patent("P12", "invention", D(2015, 11, 11), None, None, "370305", "enterprise", False)
    LegalEvent.objects.create(patent_id="P10", date=D(2015, 5, 5), code="fee_lapse")
    qs = Patent.objects.filter(pk="P2")
    qs._raw_delete(qs.db)  # (no cascade: other apps may hold relations to patents)
    receivers, _ = patents_changed._live_receivers(Patent)
    assert aggregates.on_patents_changed in receivers  # connected in AnalyticsConfig.ready()
    # called directly: other apps' receivers on the same signal are not under test here
    aggregates.on_patents_changed(sender=Patent, ids=["P12", "P10"], deleted=["P2"])
    incremental = services.dashboard(year=2015)
    assert incremental["summary"]["invention_applications"] == 3  # P3, P8, P12
    assert incremental["summary"]["valid_invention"] == 2  # P10 lapsed
    aggregates.rebuild()
    assert services.dashboard(year=2015)["summary"] == incremental["summary"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"year": "20x5"}, "不是有效年份"),
        ({"year": "1900"}, "超出范围"),
        ({"date_from": "2015-13-01", "date_to": "2015-12-31"}, "格式不正确"),
        ({"date_from": "2015-06-01"}, "都要填写"),
        ({"date_from": "2015-06-01", "date_to": "2015-01-01"}, "晚于"),
        ({"year": 2015, "city_code": "379900"}, "不是山东省2015年区划中的地市"),
        ({"year": 2015, "divisions": "2020"}, "区划口径"),
    ],
)
def test_bad_input_messages(corpus, kwargs, message):
    with pytest.raises(InputError, match=message):
        services.dashboard(**kwargs)


def test_comparison_index_and_weights(covered, users):
    comp = services.comparison(year=2015)
    assert len(comp["rows"]) == 17
    top = comp["rows"][0]
    assert top["code"] == "371200" and top["rank_index"] == 1  # 莱芜 leads on applications, grants and growth
    assert all(r["index_prev"] is not None for r in comp["rows"])
    services.update_weights(
        values={w["key"]: ("100" if w["key"] == "invention_applications" else "0") for w in comp["weights"]},
        user=users["admin"],
    )
    only_apps = services.comparison(year=2015)
    assert {r["code"]: r["index"] for r in only_apps["rows"]}["371200"] == 100.0
    assert {r["code"]: r["index"] for r in only_apps["rows"]}["370200"] == 50.0  # 1 of max 2
    from ipplatform.core.models import AuditEvent

    assert AuditEvent.objects.filter(object_type="analytics.indexweight", action="update").exists()
    with pytest.raises(InputError, match="0到100"):
        services.update_weights(values={"invention_applications": "150"}, user=users["admin"])


def test_targets_during_the_year(covered, monkeypatch):
    """On 2015-07-01 growth compares 1 Jan–1 Jul with the same days of 2014; validity is counted at that day."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2015, 7, 1))
    rows = {r["key"]: r for r in services.target_status(year=2015)}
    # invention applications to 1 Jul: P2, P3, P8 against P1 in 2014 -> +200%: on track
    assert (
        rows["invention_applications_growth"]["value"] == 200.0
        and rows["invention_applications_growth"]["status"] == "on_track"
    )
    # invention grants to 1 Jul: P1 against none in the first half of 2014: no growth rate -> 数据不足, not 滞后
    assert (
        rows["invention_grants_growth"]["value"] is None and rows["invention_grants_growth"]["status"] == "insufficient"
    )
    assert "上年同期平台记录为0" in rows["invention_grants_growth"]["basis"]
    assert "年度进行中" in rows["invention_applications_growth"]["basis"]
    dash = services.dashboard(year=2015)
    assert dash["valid_date"] == D(2015, 7, 1) and dash["summary"]["valid_invention"] == 2  # P1, P10
    assert rows["valid_invention_per_10k"]["status"] == "insufficient"
    with pytest.raises(InputError, match="超出范围"):
        services.dashboard(year=2016)


def test_empty_store_gives_zeros_not_errors(reference_data):
    dash = services.dashboard(year=2015)
    assert dash["summary"]["applications"] == 0 and dash["summary"]["invention_applications_growth"] is None
    assert [r["status"] for r in dash["targets"]] == ["insufficient"] * 3
    assert all(r["rank_invention_applications"] is None for r in dash["cities"])  # all zero: nobody is ranked
    assert len(dash["cities"]) == 17 and all(v == 0 for v in dash["trend"]["valid_invention"])
