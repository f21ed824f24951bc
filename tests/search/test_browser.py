"""In a real browser: search, refine by one facet click, export the full set, screenshot."""

import pytest
from openpyxl import load_workbook

from ipplatform.search import services


@pytest.mark.browser
def test_search_facet_export_in_browser(
    live_server, transactional_db, reference_data, search_dir, users, page, login, screenshot
):
    from .conftest import load_real_patents

    load_real_patents()
    services.rebuild_index()
    login(page, live_server, "xinxi")
    page.goto(f"{live_server.url}/search/")
    page.fill("#q", "名称=(装置 OR 方法)")
    page.click("#main-form button[type=submit]")
    page.wait_for_selector(".hit")
    total = services.count(query="名称=(装置 OR 方法)")
    assert f"命中 {total} 件" in page.inner_text(".content")
    assert page.locator(".hit mark").count() > 0
    facet = page.locator('[data-facet="pt"] li').first
    label, count = facet.locator("a").inner_text(), int(facet.locator(".n").inner_text())
    facet.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert f"命中 {count} 件" in page.inner_text(".content")
    assert count == services.count(query=f"(名称=(装置 OR 方法)) AND 类型={label}")
    screenshot(page, "search_results")
    with page.expect_download() as dl:
        page.click("#export-xlsx")
    assert dl.value.suggested_filename.endswith(".xlsx")
    with open(dl.value.path(), "rb") as fh:
        ws = load_workbook(fh, read_only=True).active
        rows = [r for r in ws.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "申请号")
    assert len(rows) - header - 1 == count
