"""In a real browser: upload a damaged GBK export, follow the job, read the errors, fix an applicant."""

import pytest

from ipplatform.patents.models import Applicant, Patent

from .conftest import write_csv


@pytest.mark.browser
def test_upload_errors_and_applicant_edit(
    live_server, transactional_db, reference_data, users, page, login, screenshot, tmp_path, settings, carrot_rows
):
    settings.DATA_DIR = tmp_path
    settings.PATENTS_IMPORT_INLINE = True  # the job runs in the request: the live server's DB is the test DB
    header, rows = carrot_rows
    rows = [list(r) for r in rows[:25]]
    rows[4][0] = rows[4][0][:-1] + ("1" if rows[4][0][-1] == "0" else "0")  # line 6: wrong check character
    path = write_csv(tmp_path / "导出-损坏.csv", header, rows, encoding="gbk")
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/patents/import/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-submit")
    page.wait_for_selector("#job-status")
    assert "已完成" in page.inner_text("#job-status")
    page.click("text=查看结果")
    page.wait_for_load_state("networkidle")
    body = page.inner_text(".content")
    assert "校验位错误" in body and "新增 24 条" in body
    screenshot(page, "patents_import_result")
    with page.expect_download() as dl:
        page.click("text=下载错误报告（Excel）")
    assert dl.value.suggested_filename.endswith(".xlsx")
    assert Patent.objects.count() == 24

    applicant = Applicant.objects.get(name="海安县建莲商品混凝土有限公司")
    page.goto(f"{live_server.url}/patents/applicants/{applicant.pk}/edit/")
    page.select_option("#id_entity_type", "enterprise")
    page.fill("#id_region_code", "370999")
    page.fill("#id_reason", "核实")
    page.click("#save")
    assert "不在GB/T 2260" in page.inner_text(".content")  # a bad code is explained, nothing saved
    page.fill("#id_region_code", "320621")
    page.fill("#id_reason", "核实营业执照")
    page.click("#save")
    page.wait_for_load_state("networkidle")
    screenshot(page, "patents_applicants")
    applicant.refresh_from_db()
    assert applicant.region_code == "320621" and applicant.region_method == "manual" and applicant.entity_type_manual
