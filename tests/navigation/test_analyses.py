"""Each analysis against values computed by hand from the fixture set in conftest.py (P1–P7 analysed, Q1–Q3 corpus only)."""

from __future__ import annotations

import datetime as dt

import pytest

from ipplatform.navigation import analyses as an


def test_frame_reads_every_column(frame):
    assert frame.ids == ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]
    assert frame.grant_year == [2018, 2016, None, 2020, 2018, None, None]  # utility/design: granted on publication
    assert [len(a) for a in frame.applicants] == [2, 1, 2, 1, 1, 2, 1]
    assert frame.applicant_info[frame.applicants[0][1]] == ("乙大学", "university")


def test_trend(frame, ctx):
    r = an.trend(frame, ctx=ctx)
    assert r["rows"] == [
        [2016, 2, 1, 1, 0],
        [2017, 1, 1, 0, 0],
        [2018, 2, 1, 2, 1],
        [2019, 2, 2, 0, 0],
        [2020, 0, 0, 1, 1],
    ]
    assert r["figures"]["申请总量"] == 7 and r["figures"]["授权总量"] == 4
    assert (
        "数据截止日期：2022-12-31" in r["caliber"] and "按件计" in r["caliber"] and "授权量按授权公告日" in r["caliber"]
    )


def test_lifecycle_on_fixture(frame, ctx):
    r = an.lifecycle(frame, ctx=ctx)
    assert r["rows"] == [[2016, 2, 2], [2017, 1, 2], [2018, 2, 2], [2019, 2, 3]]
    # 2017–2019: 5 applications, 6 applicants; 2014–2016: 2 and 2 → both grow → 成长期
    assert r["figures"]["阶段"] == "成长期"
    assert (
        r["figures"]["判定截止年"] == 2019
    )  # 2022-12-31 less 18 months → 2021 is the last complete year; data end in 2019
    ctx.data_cutoff = dt.date(2020, 12, 31)  # less 18 months → 2019-07: 2018 is the last complete year
    early = an.lifecycle(frame, ctx=ctx)
    assert early["figures"]["判定截止年"] == 2018 and early["figures"]["阶段"] == "萌芽期"  # only 2016–2018 have data
    assert "+150%" in r["figures"]["判定依据"] and "+200%" in r["figures"]["判定依据"]


def _series(spec):
    apps, people = {}, {}
    for year, (n, k) in spec.items():
        apps[year] = n
        people[year] = set(range(k))
    return dict(years=sorted(spec), applications=apps, applicants=people)


@pytest.mark.parametrize(
    "spec,phase",
    [
        ({2013: (1, 1), 2014: (1, 1), 2015: (2, 1)}, "萌芽期"),
        ({y: (10, 10) for y in range(2010, 2013)} | {y: (5, 4) for y in range(2013, 2016)}, "衰退期"),
        ({y: (10, 10) for y in range(2010, 2013)} | {y: (10, 4) for y in range(2013, 2016)}, "成熟期"),
        ({y: (10, 3) for y in range(2010, 2013)} | {y: (20, 6) for y in range(2013, 2016)}, "成长期"),
        (
            {y: (10, 10) for y in range(2007, 2010)}
            | {y: (5, 5) for y in range(2010, 2013)}
            | {y: (10, 8) for y in range(2013, 2016)},
            "复苏期",
        ),
    ],
)
def test_lifecycle_phase_rules(spec, phase):
    assert an.lifecycle_phase(**_series(spec), end_year=2015)[0] == phase


def test_ipc_composition(frame, ctx):
    sub = an.ipc_subclass(frame, ctx=ctx)
    assert [r[0] for r in sub["rows"]] == ["H01M", "B60L", "G06F", "无分类号"]
    assert [r[2] for r in sub["rows"]] == [4, 1, 1, 1]
    assert sub["rows"][0][3] == 57.1
    grp = an.ipc_group(frame, ctx=ctx)
    assert [(r[0], r[2]) for r in grp["rows"][:4]] == [
        ("H01M10/00", 3),
        ("H01M4/00", 1),
        ("B60L58/00", 1),
        ("G06F3/00", 1),
    ]


def test_wipo_field_lookup_prefers_main_group(frame, ctx):
    prefixes = {"A61K": 16, "A61K8/": 14, "H01M": 1, "G06F": 6, "B60L": 32}
    assert an.tech_field_of("A61K8/02", prefixes) == 14
    assert an.tech_field_of("A61K31/00", prefixes) == 16
    assert an.tech_field_of("", prefixes) is None
    ctx.field_prefixes, ctx.field_names = prefixes, {1: "电气机械、设备、能源", 6: "计算机技术", 32: "运输"}
    r = an.wipo_fields(frame, ctx=ctx)
    assert [(row[1], row[2]) for row in r["rows"]] == [
        ("电气机械、设备、能源", 4),
        ("运输", 1),
        ("计算机技术", 1),
        ("未能归入", 1),
    ]


def test_applicant_ranking_and_concentration(frame, ctx):
    r = an.applicants(frame, ctx=ctx)
    assert [(row[1], row[3], row[4], row[6]) for row in r["rows"][:3]] == [
        ("甲公司", 3, 3, 2),
        ("丁公司", 2, 1, 1),
        ("乙大学", 2, 1, 1),
    ]
    # first applicants: 甲 3, 乙 1, 丁 1, 戊 1, 己 1 of 7 → CR4 = 6/7, HHI = (300/7)² + 4 × (100/7)²
    assert r["figures"]["CR4"] == 85.71
    assert r["figures"]["HHI"] == 2653.1
    assert r["figures"]["集中度"] == "高度集中"
    assert an.concentration([0.25, 0.25, 0.25, 0.25]) == (100.0, 2500.0)


def test_new_entrants(frame, ctx):
    r = an.new_entrants(frame, ctx=ctx)
    assert r["rows"] == [[2016, 2, 2, 100.0, 2], [2017, 2, 1, 50.0, 1], [2018, 2, 2, 100.0, 2], [2019, 3, 1, 33.3, 1]]


def test_inventor_ranking(frame, ctx):
    r = an.inventors(frame, ctx=ctx)
    assert r["rows"][0] == [1, "张三", 3, 2, "甲公司"]
    assert r["rows"][1][:3] == [2, "李四", 2]


def test_coapplicant_network(frame, ctx):
    r = an.coapplicant_network(frame, ctx=ctx)
    pairs = {(row[0], row[2]): (row[4], row[5]) for row in r["rows"]}
    assert len(pairs) == 3
    assert pairs[("甲公司", "乙大学")] == (1, "产学研") or pairs[("乙大学", "甲公司")] == (1, "产学研")
    kinds = sorted(v[1] for v in pairs.values())
    assert kinds == ["产学研", "企业间", "学研间"]
    assert (
        r["figures"]["合作申请量"] == 3
        and r["figures"]["产学研合作申请量"] == 1
        and r["figures"]["产学研合作关系数"] == 1
    )
    graph = r["chart"]["series"][0]
    assert len(graph["data"]) == 4 and len(graph["links"]) == 3


def test_inventor_network(frame, ctx):
    r = an.inventor_network(frame, ctx=ctx)
    assert sorted(tuple(sorted(row[:2])) for row in r["rows"]) == sorted(
        [tuple(sorted(("张三", "李四"))), tuple(sorted(("王五", "李四")))]
    )
    assert r["figures"] == {"团队申请量": 2, "合作关系数": 2}


def test_regions_share_and_rta(frame, ctx):
    r = an.regions(frame, ctx=ctx)
    by_code = {row[1]: row for row in r["rows"]}
    # Shandong: 6 of 7 here, 7 of 10 in the whole data set → (6/7)/(7/10) = 1.22; Jiangsu (1/7)/(3/10) = 0.48
    assert by_code["370000"][2:] == [6, 85.7, 7, 1.22]
    assert by_code["320000"][2:] == [1, 14.3, 3, 0.48]
    assert r["figures"]["山东省RTA"] == 1.22 and r["figures"]["山东省占比%"] == 85.7
    assert an.rta(1, 0, 5, 10) is None


def test_shandong_cities(reference_data, frame):
    ctx = an.build_context(frame=frame, baseline=an.corpus_baseline())
    r = an.shandong_cities(frame, ctx=ctx)
    by_code = {row[1]: row for row in r["rows"]}
    assert len(r["rows"]) == 17  # 2015 divisions, 莱芜 included
    assert by_code["370200"][0] == "青岛市" and by_code["370200"][2:] == [4, 57.1, 5, 1.14]
    assert by_code["370100"][2:] == [1, 14.3, 1, 1.43]
    assert by_code["371200"][2] == 0
    assert r["map"] == "shandong" and {"name": "青岛市", "value": 4} in r["chart"]["series"][0]["data"]


def test_type_and_legal_status_mix(frame, ctx):
    assert an.types(frame, ctx=ctx)["rows"] == [["发明", 5, 71.4], ["实用新型", 1, 14.3], ["外观设计", 1, 14.3]]
    rows = an.legal_status(frame, ctx=ctx)["rows"]
    assert rows == [["有效", 4, 57.1, 2, 1, 1], ["审中", 2, 28.6, 2, 0, 0], ["失效", 1, 14.3, 1, 0, 0]]


def test_effect_matrix_counts(frame, ctx):
    r = an.effect_matrix(frame, ctx=ctx)
    assert r["headers"][2:] == ["提高效率", "安全", "环保"]
    assert [[row[0]] + row[2:] for row in r["rows"]] == [
        ["H01M10/00", 1, 2, 1],
        ["H01M4/00", 0, 0, 0],
        ["B60L58/00", 1, 0, 0],
        ["G06F3/00", 0, 0, 1],
    ]


def test_key_patents_score(frame, ctx):
    r = an.key_patents(frame, ctx=ctx)
    assert [(row[0], row[-1]) for row in r["rows"]] == [
        ("P4", 37),
        ("P1", 35),
        ("P3", 18),
        ("P7", 14),
        ("P6", 11),
        ("P2", 10),
        ("P5", 0),
    ]
    p4 = r["rows"][0]
    assert p4[9] == 0 and p4[10] == "是" and r["rows"][1][9] == 1
    assert "本数据无被引次数" in r["caliber"]


def test_every_analysis_runs_on_an_empty_set(db):
    frame = an.load_frame(patents=[])
    ctx = an.build_context(frame=frame)
    for key in an.ANALYSES:
        result = an.run(key, frame, ctx=ctx)
        assert result["count"] == 0 and result["headers"]


def test_composition_shows_chinese_ipc_titles(frame):
    from ipplatform.core.models import IPCEntry

    IPCEntry.objects.update_or_create(
        code="H01M", defaults={"level": "subclass", "title_zh": "用于直接转变化学能为电能的方法或装置，例如电池组"}
    )
    IPCEntry.objects.update_or_create(
        code="H01M10/00", defaults={"level": "main_group", "title_zh": "二次电池；及其制造"}
    )
    IPCEntry.objects.update_or_create(
        code="B60L",
        defaults={"level": "subclass", "title_zh": "", "title_en": "Propulsion of electrically-propelled vehicles"},
    )
    ctx = an.build_context(frame=frame)
    sub = {r[0]: r[1] for r in an.ipc_subclass(frame, ctx=ctx)["rows"]}
    assert sub["H01M"].startswith("用于直接转变化学能") and sub["B60L"].startswith(
        "Propulsion"
    )  # English where no Chinese title
    assert an.ipc_group(frame, ctx=ctx)["rows"][0][:2] == ["H01M10/00", "二次电池；及其制造"]
