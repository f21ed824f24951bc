"""End to end in Chromium: build a 专题库 from a query, open three analyses, write and export the report."""

from __future__ import annotations

import pytest
from docx import Document

from .conftest import OTHERS, SUBJECT, make_patent


@pytest.mark.browser
def test_database_from_query_to_word_report(
    transactional_db, live_server, page, login, screenshot, users, settings, tmp_path
):
    settings.DATA_DIR = tmp_path  # the search index of this test
    from ipplatform.search import services as search

    for spec in SUBJECT + OTHERS:
        make_patent(spec)
    search.rebuild_index()
    login(page, live_server, "xinxi")

    page.goto(f"{live_server.url}/navigation/db/new/")
    page.fill("#id_name", "电池检索专题")
    page.fill("#id_query", "IC=H01M")
    page.click("button[name=refresh_now]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#member-count").inner_text() == "5件"
    screenshot(page, "navigation_db_detail")

    page.click('a.btn:has-text("导航分析")')
    page.wait_for_load_state("networkidle")
    for key, title in (
        ("trend", "申请与授权趋势"),
        ("applicants", "申请人排名与集中度"),
        ("coapplicant_network", "申请人合作网络（产学研）"),
    ):
        page.click(f"#analysis-tabs a[data-key={key}]")
        page.wait_for_load_state("networkidle")
        page.wait_for_selector("#analysis-result canvas")  # ECharts drew the chart from the local bundle
        assert page.locator("#analysis-result h2").inner_text() == title
        screenshot(page, f"navigation_analysis_{key}")

    page.click('a.btn:has-text("撰写报告")')
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", "电池专题导航报告")
    for box in page.locator("input[name=analyses]").all():
        box.uncheck()
    for key in ("trend", "applicants", "coapplicant_network"):
        page.check(f"input[name=analyses][value={key}]")
    page.fill("textarea[name=comment_applicants]", "甲公司领先，集中度较高。")
    page.click("#report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("section.report-section").count() == 3
    screenshot(page, "navigation_report_preview")
    with page.expect_download() as info:
        page.click("#export-docx")
    path = tmp_path / "report.docx"
    info.value.save_as(path)
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert [h.split("、", 1)[1] for h in headings[1:]] == [
        "申请与授权趋势",
        "申请人排名与集中度",
        "申请人合作网络（产学研）",
    ]
    assert any("甲公司领先" in p.text for p in doc.paragraphs)
    assert len(doc.inline_shapes) == 3
