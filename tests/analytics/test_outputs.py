"""API, Excel export, Word report and page permissions: the same figures as the service."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from ipplatform.analytics import services
from ipplatform.analytics.models import StatReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client, users):
    def make(username):
        client.force_login(users[username])
        return client

    return make


def test_api_returns_service_figures(corpus, client_for):
    c = client_for("leader")
    r = c.get("/api/v1/stats/summary", {"year": 2015})
    assert r.status_code == 200
    data = r.json()
    dash = services.dashboard(year=2015)
    assert data["summary"]["invention_applications"] == dash["summary"]["invention_applications"] == 3
    assert data["summary"]["valid_invention"] == 3
    targets = c.get("/api/v1/stats/targets", {"year": 2015, "city": "371200"}).json()["targets"]
    assert [t["status"] for t in targets] == [
        t["status"] for t in services.target_status(year=2015, city_code="371200")
    ]
    cities = c.get("/api/v1/stats/cities", {"year": 2015, "divisions": "current"}).json()["cities"]
    assert len(cities) == 16 and next(x for x in cities if x["code"] == "370100")["invention_applications"] == 2
    trend = c.get("/api/v1/stats/trend", {"year": 2015}).json()["trend"]
    assert trend["valid_invention"][-1] == 3
    comp = c.get("/api/v1/stats/comparison", {"year": 2015}).json()
    assert comp["rows"][0]["code"] == "371200"
    bad = c.get("/api/v1/stats/summary", {"year": "abc"})
    assert bad.status_code == 400 and "不是有效年份" in bad.json()["error"]


def test_api_in_openapi_schema(corpus, client_for):
    r = client_for("leader").get("/api/v1/schema/")
    assert r.status_code == 200
    text = r.content.decode()
    for path in (
        "/api/v1/stats/summary",
        "/api/v1/stats/targets",
        "/api/v1/stats/cities",
        "/api/v1/stats/trend",
        "/api/v1/stats/comparison",
    ):
        assert path in text


def test_city_user_sees_only_own_city(corpus, client_for):
    c = client_for("city371200")
    assert c.get("/stats/").status_code == 403
    assert c.get("/city/370200/").status_code == 403
    page = c.get("/city/371200/", {"year": 2015})
    assert page.status_code == 200 and "莱芜市专利统计监测" in page.content.decode()
    assert c.get("/stats/my-city/").url == "/city/371200/"
    assert c.get("/api/v1/stats/summary", {"year": 2015}).json()["scope"]["city_code"] == "371200"
    assert c.get("/api/v1/stats/summary", {"year": 2015, "city": "370200"}).status_code == 403
    assert client_for("haier").get("/stats/").status_code == 403


def test_page_bad_input_is_400_with_chinese_message(corpus, client_for):
    r = client_for("leader").get("/stats/", {"date_from": "2015-02-30", "date_to": "2015-03-01"})
    assert r.status_code == 400 and "格式不正确" in r.content.decode()
    r = client_for("leader").get("/city/371200/", {"divisions": "current", "year": 2015})
    assert r.status_code == 400 and "已并入济南市" in r.content.decode()


def test_excel_export_holds_dashboard_tables(corpus, client_for):
    r = client_for("leader").get("/stats/", {"year": 2015, "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(r.content))
    assert len(wb.sheetnames) == 7 and wb.sheetnames[1].startswith("山东省官方统计与平台记录对照")
    notes = [str(r[0]) for r in wb[wb.sheetnames[1]].iter_rows(values_only=True)]
    assert any("覆盖率 = 平台记录 ÷ 官方数" in n for n in notes) and any("平台收录真实记录" in n for n in notes)
    ws = wb[wb.sheetnames[0]]
    rows = list(ws.iter_rows(values_only=True))
    assert any(str(row[0]).startswith("口径") for row in rows)
    inv = next(row for row in rows if row[0] == "发明")
    assert inv[1] == 3 and inv[2] == 2 and inv[4] == 2  # applications, previous year, grants
    one = client_for("leader").get("/city/371200/", {"year": 2015, "export": "xlsx", "table": "service"})
    assert load_workbook(io.BytesIO(one.content)).sheetnames == ["职务_非职务申请（2015年）"]
    from ipplatform.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", object_type="analytics.table").count() == 2


def test_word_report_job(corpus, users, client_for, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    report = services.request_report(
        year=2015, city_code=None, divisions="2015", include_synthetic=True, user=users["leader"], run_inline=True
    )
    report.refresh_from_db()
    assert report.status == "done" and report.job.status == "done"
    r = client_for("leader").get(f"/stats/reports/{report.pk}/download/")
    assert r.status_code == 200
    doc = Document(io.BytesIO(b"".join(r.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "山东省2015年度专利统计分析报告" in text and "模拟数据" in text
    headers = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["指标", "目标", "实际", "单位", "状态", "依据", "口径"] in headers
    assert "数据说明：平台收录真实记录" in text and "官方统计与平台记录对照（2015年）：无数据" in text
    targets = next(t for t in doc.tables if t.rows[0].cells[0].text == "指标" and t.rows[0].cells[1].text == "目标")
    assert {r.cells[4].text for r in targets.rows[1:]} == {"数据不足"}  # no official figures imported in this test
    by_type = next(t for t in doc.tables if t.rows[0].cells[0].text == "专利类型")
    assert [c.text for c in by_type.rows[1].cells][:3] == ["发明", "4", "2"]  # synthetic P9 included
    assert any(h[0] == "排名" and "综合指数" in h for h in headers)  # composite index table
    assert len(doc.inline_shapes) >= 4  # charts
    # a city bureau cannot download the province report
    assert client_for("city370200").get(f"/stats/reports/{report.pk}/download/").status_code == 403
    assert StatReport.objects.count() == 1
