"""The table component in a browser: select all, "export selected" counts the ticks, the column chooser hides a
column and remembers it, the header stays in view while the rows scroll."""

import shutil
from pathlib import Path

import pytest

SHOTS = Path("/tmp/shots/h25b")


@pytest.mark.browser
def test_audit_table_selection_columns_and_sorting(transactional_db, live_server, page, login, screenshot, users):
    from ipplatform.core import audit
    from ipplatform.core.enums import AuditAction

    for n in range(30):
        audit.record(AuditAction.EXPORT, object_type="core.organization", object_repr=f"导出{n}", actor=users["admin"])
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/audit/?sort=-seq&per_page=20")
    rows = page.locator('table[data-table="audit"] tbody tr, table[data-table="audit"] > tr')
    assert page.locator('input[name="ids"]').count() == 20
    button = page.locator("[data-export-selected]")
    assert button.is_disabled()
    page.check("[data-select-all]")
    assert button.inner_text() == "导出所选20条（Excel）"
    page.locator(".column-chooser summary").click()
    page.uncheck('[data-column="ip"]')
    assert page.locator('th[data-col="ip"]').is_hidden()
    page.reload()
    assert page.locator('th[data-col="ip"]').is_hidden()  # remembered
    assert rows.count() >= 20
    path = screenshot(page, "h25b_audit_table")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / "audit_table.png")
    page.check('input[name="ids"] >> nth=0')
    assert button.inner_text() == "导出所选1条（Excel）"
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "audit-log.xlsx"


@pytest.mark.browser
def test_case_list_empty_state_and_tools(transactional_db, live_server, page, login, screenshot, users):
    login(page, live_server, "fawu")
    page.goto(f"{live_server.url}/protection/?q=无此案由&sort=-received")
    assert (
        "清除筛选条件" in page.locator("tr.table-empty").inner_text()
        or "尚无" in page.locator("tr.table-empty").inner_text()
    )
    assert page.locator('th[data-col="received"]').get_attribute("aria-sort") == "descending"
    path = screenshot(page, "h25b_case_list_empty")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / "case_list_empty.png")
