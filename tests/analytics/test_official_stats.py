"""Official statistics: the shipped table, imports in both layouts with row errors, and reconciliation on pages."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from ipplatform.analytics import services
from ipplatform.core import official
from ipplatform.core.inputs import InputError
from ipplatform.core.models import OfficialFigure

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client, users):
    def make(username):
        client.force_login(users[username])
        return client

    return make


@pytest.mark.parametrize(
    "text, expected",
    [
        ("全年", ("2015-01-01", "2015-12-31", False, "全年")),
        ("年末", ("2015-12-31", "2015-12-31", True, "年末")),
        ("1-9月", ("2015-01-01", "2015-09-30", False, "1-9月")),
        ("2月", ("2016-02-01", "2016-02-29", False, "2月")),  # leap year (year 2016 below)
        ("9月末", ("2015-09-30", "2015-09-30", True, "9月末")),
        ("1-12月", ("2015-01-01", "2015-12-31", False, "全年")),
    ],
)
def test_periods(text, expected):
    year = 2016 if text == "2月" else 2015
    p = official.parse_period(year, text)
    assert (str(p.start), str(p.end), p.is_stock, p.label) == expected


def test_period_errors():
    with pytest.raises(ValueError, match="无法识别"):
        official.parse_period(2015, "上半年")
    with pytest.raises(ValueError):
        official.parse_period(2015, "13月")


def test_shipped_table_loads_every_row_and_is_idempotent(reference_data):
    first = official.load_shipped()
    assert (first.rows, first.created, len(first.errors)) == (1511, 1511, 0)
    again = official.load_shipped()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1511)
    sd = OfficialFigure.objects.get(
        region_code="370000", year=2013, period="全年", measure="申请量", patent_type="发明"
    )
    assert sd.value == 67642 and "sdnews" in sd.source_url and sd.period_end.isoformat() == "2013-12-31"
    # Table 19's second column is stored but flagged as not comparable (SOURCE.txt caveat 4)
    assert not OfficialFigure.objects.get(
        region_code="370000", year=2015, period="1-8月", patent_type="发明", scope="国内(表19第二列)"
    ).comparable
    assert OfficialFigure.objects.filter(region_code="", region_name="新疆生产建设兵团").exists()


LONG_HEADER = "region_code,region_name,year,period,measure,patent_type,scope,value,unit,source_url,source_title,note\n"


def test_long_table_bad_rows_reported_with_line_and_field(reference_data):
    body = (
        LONG_HEADER
        + "370200,青岛市,2017,全年,申请量,发明,国内,30000,件,,测试表,\n"  # line 2: good
        + "370200,青岛市,2017,上半年,申请量,发明,国内,1,件,,测试表,\n"  # 3: period
        + "370200,青岛市,20x7,全年,申请量,发明,国内,1,件,,测试表,\n"  # 4: year
        + "370200,青岛市,2017,全年,申请数,发明,国内,1,件,,测试表,\n"  # 5: measure
        + "370200,青岛市,2017,全年,授权量,发明,国内,-5,件,,测试表,\n"  # 6: value
        + "370200,青岛市,2017,全年,有效量,发明,国内,5,件,,测试表,\n"  # 7: a stock needs 年末
        + "370200,青岛市,2017,全年,授权量,发明,国内,5,件,,,\n"  # 8: no source
        + "37020,青岛市,2017,全年,授权量,发明,国内,5,件,,测试表,\n"  # 9: code
        + ",青岛,2017,年末,每万人口发明专利拥有量,发明,国内,20.1,件/万人,,测试表,\n"
    )  # 10: good, code from name
    result = official.import_table(body.encode("utf-8-sig"), filename="bad.csv")
    where = {(e["line"], e["field"]) for e in result.errors}
    assert where == {
        (3, "period"),
        (4, "year"),
        (5, "measure"),
        (6, "value"),
        (7, "period"),
        (8, "source_title"),
        (9, "region_code"),
    }
    assert all(e["file"] == "bad.csv" and e["reason"] for e in result.errors)
    assert result.created == 2
    assert OfficialFigure.objects.get(region_code="370200", measure="每万人口发明专利拥有量").is_stock
    # all-or-nothing stores nothing when a row is bad
    OfficialFigure.objects.all().delete()
    assert official.import_table(body.encode(), filename="bad.csv", all_or_nothing=True).created == 0
    assert not OfficialFigure.objects.exists()


def test_cnipa_monthly_layout_xlsx(reference_data):
    wb = Workbook()
    ws = wb.active
    ws.append(["表2 国内发明专利申请分地区统计（2015年1-9月）"])
    ws.append(["地区", "发明", "实用新型", "外观设计", "合计"])
    ws.append(["全国", 610527, None, None, None])
    ws.append(["山东", 47790, 61000, 9000, 117790])
    ws.append(["济南", 8000, "—", "", ""])
    ws.append(["火星", 1, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    meta = {"year": 2015, "period": "1-9月", "measure": "申请量", "source_title": "国家知识产权局 2015年9月 表2"}
    result = official.import_table(buf.getvalue(), filename="cnipa-2015-09.xlsx", meta=meta)
    assert "月度统计表" in result.layout
    assert result.created == 6 and [(e["line"], e["field"], e["value"]) for e in result.errors] == [
        (6, "region_name", "火星")
    ]
    sd = OfficialFigure.objects.get(region_code="370000", patent_type="实用新型")
    assert (sd.value, sd.period, sd.source_title) == (61000, "1-9月", meta["source_title"])
    assert OfficialFigure.objects.get(region_code="370100").value == 8000
    assert OfficialFigure.objects.get(region_code="000000").value == 610527
    with pytest.raises(InputError, match="须填写年份"):
        official.import_table(buf.getvalue(), filename="x.xlsx", meta={})


def test_gzip_csv_and_refusals(reference_data):
    import gzip

    body = LONG_HEADER + "370000,山东省,2016,全年,申请量,发明,国内,88359,件,,测试,\n"
    assert official.import_table(gzip.compress(body.encode()), filename="t.csv.gz").created == 1
    with pytest.raises(InputError, match="没有表头"):
        official.import_table(b"a,b\n1,2\n", filename="x.csv")
    with pytest.raises(InputError, match="旧版Excel"):
        official.import_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, filename="x.xls")


def test_reconciliation_rows_on_the_real_table(covered):
    """2015 Shandong: official 1-9月 47,790 invention applications is listed for 1-9月, never as 全年."""
    official.load_shipped()
    dash = services.dashboard(year=2015)
    rows = [r for r in dash["official"] if r["measure"] == "申请量" and r["patent_type"] == "发明"]
    periods = {r["period"]: r for r in rows}
    assert "2015年1-9月" in periods and "2015年全年" in periods  # the test fixture adds a 全年 figure of 3
    r = periods["2015年1-9月"]
    assert (r["official"], r["record"]) == (47790, 3) and r["coverage"] == round(3 * 100 / 47790, 3) == 0.006
    assert "2015年1-8月" not in periods  # Table 19 rows: their note says they are not for reconciliation
    table = {t.key: t for t in services.dashboard_tables(dash)}["official"]
    assert any(row[2] == "2015年1-9月" and row[3] == 47790 for row in table.rows)
    assert "覆盖率 = 平台记录 ÷ 官方数" in table.notes[0]


def test_the_province_code_counts_every_citys_records(covered):
    """Asked for 370000 by code (the official-statistics page, the API), the province's record count is all 17 cities',
    the same as for the province asked without a code, not only the records attributed to the province alone."""
    from ipplatform.analytics import reconcile

    by_code = {
        (r["measure"], r["period"]): r["record"] for r in reconcile.official_rows(region_code="370000", year=2015)
    }
    by_none = {(r["measure"], r["period"]): r["record"] for r in reconcile.official_rows(region_code=None, year=2015)}
    assert by_code == by_none and by_code[("申请量", "2015年全年")] == 3


def test_target_on_real_official_pair(reference_data):
    """Shandong invention grants 2015 vs 2014 (press figures 16,881 and 10,538): an official pair, +60.2 %, met."""
    official.load_shipped()
    rows = {r["key"]: r for r in services.target_status(year=2015)}
    g = rows["invention_grants_growth"]
    assert (
        (g["value"], g["status"], g["source"]) == (60.2, "met", "official")
        and "16,881" in g["basis"]
        and "10,538" in g["basis"]
    )
    # applications: 2015 has only 1-9月 (47,790) and no records -> 数据不足, never 已完成
    a = rows["invention_applications_growth"]
    assert a["status"] == "insufficient" and "2015年1-9月" in a["basis"] and "低于阈值80%" in a["basis"]
    # 2013 per 10k: the provincial office's 2.89 is below 5 -> 滞后 on official figures
    p = {r["key"]: r for r in services.target_status(year=2013)}["valid_invention_per_10k"]
    assert (p["value"], p["status"], p["source"]) == (2.89, "behind", "official")


def test_official_pages_and_permissions(covered, client_for):
    official.load_shipped()
    page = client_for("leader").get("/stats/official/", {"region": "370000", "year": "2013"})
    assert page.status_code == 200 and "67642" in page.content.decode().replace(",", "")
    assert client_for("leader").get("/stats/official/import/").status_code == 403
    assert client_for("haier").get("/stats/official/").status_code == 403
    admin = client_for("admin")
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile(
        "x.csv", (LONG_HEADER + "370000,山东省,2017,全年,申请量,发明,国内,abc,件,,测试,\n").encode()
    )
    r = admin.post("/stats/official/import/", {"file": bad, "mode": "lenient"})
    assert r.status_code == 200 and "数值应为不小于0的数字" in r.content.decode()
    r = admin.post("/stats/official/threshold/", {"coverage_threshold": "150"}, follow=True)
    assert "覆盖率阈值“150”无效" in r.content.decode()
    admin.post("/stats/official/threshold/", {"coverage_threshold": "0.2"})
    from ipplatform.analytics.reconcile import coverage_threshold

    assert coverage_threshold() == 0.2
    dash_page = client_for("leader").get("/stats/", {"year": 2015}).content.decode()
    assert (
        "官方统计与平台记录对照" in dash_page
        and "平台收录真实记录" in dash_page
        and "47790" in dash_page.replace(",", "")
    )
