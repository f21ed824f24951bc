"""Pages: rendering, Chinese errors for bad input (never a 500), exports, permissions."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ipplatform.navigation import services
from ipplatform.navigation.models import ManualEntry, Report


@pytest.fixture
def analyst(client, staff):
    client.force_login(staff)
    return client


def test_create_database_from_form_and_pages(analyst, nav_data):
    resp = analyst.post(
        reverse("navigation:db_new"),
        {"name": "电池专题", "ipc_prefixes": "H01M", "combine": "union", "auto_refresh": "1", "refresh_now": "1"},
    )
    db = services.visible_databases(None).model.objects.get(name="电池专题")
    assert resp.status_code == 302 and db.member_count == 5
    page = analyst.get(reverse("navigation:db_detail", args=[db.pk]))
    assert page.status_code == 200 and "5件" in page.content.decode()
    for key in ("trend", "lifecycle", "shandong_cities", "coapplicant_network", "effect_matrix", "key_patents"):
        r = analyst.get(reverse("navigation:analyze"), {"kind": "db", "value": db.pk, "a": key})
        assert r.status_code == 200 and 'data-echarts="analysis-chart"' in r.content.decode(), key
    x = analyst.get(reverse("navigation:analyze"), {"kind": "db", "value": db.pk, "a": "types", "export": "xlsx"})
    ws = load_workbook(io.BytesIO(x.content)).active
    assert ws.title == "专利类型构成" and ws.cell(1, 1).value.startswith("分析对象：电池专题")
    api = analyst.get(reverse("navigation:api_analysis", args=["applicants"]), {"kind": "db", "value": db.pk}).json()
    assert api["figures"]["CR4"] == 100.0 and api["count"] == 5 and "image" not in api
    listing = analyst.get(reverse("navigation:api_databases")).json()
    assert [d["member_count"] for d in listing if d["name"] == "电池专题"] == [5]
    members = load_workbook(io.BytesIO(analyst.get(reverse("navigation:db_members_xlsx", args=[db.pk])).content)).active
    assert members.max_row == 3 + 1 + 5  # three note lines, header, five records


def test_bad_input_gets_a_chinese_message(analyst, nav_data):
    r = analyst.post(reverse("navigation:db_new"), {"name": "坏", "ipc_prefixes": "H01M\n12X"})
    body = r.content.decode()
    assert r.status_code == 200 and "第2行的分类号“12X”格式不正确" in body
    r = analyst.post(reverse("navigation:db_new"), {"name": "坏", "query": "TI=(电池"})
    assert r.status_code == 200 and "error-box" in r.content.decode()
    r = analyst.get(reverse("navigation:analyze"), {"kind": "region", "value": "火星"})
    assert r.status_code == 200 and "无法识别" in r.content.decode()
    r = analyst.get(reverse("navigation:analyze"), {"kind": "db", "value": "abc", "a": "nope"})
    assert r.status_code == 200 and "不存在" in r.content.decode()
    r = analyst.get(reverse("navigation:api_analysis", args=["trend"]), {"kind": "region", "value": "火星"})
    assert r.status_code == 400 and r.json()["field"] == "value"


def test_manual_form_and_check_sheet_pages(analyst, nav_data):
    db = services.save_database(name="电池", ipc_text="H01M")
    services.refresh_database(db_id=db.pk)
    r = analyst.post(
        reverse("navigation:db_manual", args=[db.pk]), {"ids": "P4\nP99", "action": "include"}, follow=True
    )
    assert "第2行的号码“P99”在专利库中不存在" in r.content.decode() and not ManualEntry.objects.exists()
    analyst.post(reverse("navigation:db_manual", args=[db.pk]), {"ids": "P4", "action": "include", "note": "相关"})
    assert ManualEntry.objects.get().patent_id == "P4"
    r = analyst.post(reverse("navigation:check_new", args=[db.pk]), {"size": "4"})
    sheet = db.check_sheets.get()
    items = list(sheet.items.all())
    marks = {f"item_{i.pk}": ("1" if n < 3 else "0") for n, i in enumerate(items)}
    analyst.post(reverse("navigation:check_detail", args=[sheet.pk]), marks)
    page = analyst.get(reverse("navigation:check_detail", args=[sheet.pk])).content.decode()
    assert "75.0%" in page
    wb = load_workbook(io.BytesIO(analyst.get(reverse("navigation:check_xlsx", args=[sheet.pk])).content)).active
    assert "查准率75.0%" in wb.cell(2, 1).value


def test_report_flow_and_scope(client, users, nav_data):
    db = services.save_database(user=users["xinxi"], name="电池", ipc_text="H01M")
    services.refresh_database(db_id=db.pk)
    client.force_login(users["xinxi"])
    r = client.post(
        reverse("navigation:report_new"),
        {"kind": "db", "value": db.pk, "title": "电池报告", "analyses": ["trend", "types"], "comment_trend": "评述一"},
    )
    report = Report.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("navigation:report_detail", args=[report.pk])
    page = client.get(r["Location"]).content.decode()
    assert "评述一" in page and "数据截止日期" in page and page.count('class="card report-section"') == 2
    docx = client.get(reverse("navigation:report_docx", args=[report.pk]))
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    r = client.post(reverse("navigation:report_regenerate", args=[report.pk]))
    report.refresh_from_db()
    assert r.status_code == 302 and report.generation == 2
    client.post(
        reverse("navigation:report_detail", args=[report.pk]),
        {"title": "电池报告（修订）", "comment_trend": "评述二", "conclusion": "结论"},
    )
    report.refresh_from_db()
    assert report.title == "电池报告（修订）" and report.commentary == {"trend": "评述二"}
    client.force_login(users["city370300"])  # another user outside the report's scope
    assert client.get(reverse("navigation:report_detail", args=[report.pk])).status_code == 403
    assert client.get(reverse("navigation:db_detail", args=[db.pk])).status_code == 404
    assert client.post(reverse("navigation:report_delete", args=[report.pk])).status_code == 403
    client.force_login(users["public"])
    assert client.get(reverse("navigation:index")).status_code == 403
    client.force_login(users["xinxi"])
    assert (
        client.post(reverse("navigation:report_delete", args=[report.pk])).status_code == 302
        and not Report.objects.exists()
    )
