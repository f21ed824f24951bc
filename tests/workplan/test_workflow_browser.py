"""In a browser: the administrator imports the 2015 plan through the preview, 青岛 files a report, 办公室 opens the board.

(Named to run last in this folder: its transactional database is emptied afterwards.)
"""

import pytest

from ipplatform.workplan.models import Plan, ProgressReport


@pytest.mark.browser
def test_import_report_and_board(transactional_db, live_server, users, page, login, screenshot):
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/workplan/import/")
    page.click("#builtin")
    page.wait_for_selector("#preview-table")
    assert page.inner_text("#n-sections") == "6" and page.inner_text("#n-tasks") == "36"
    assert page.inner_text("#n-assignments") == "385" and page.inner_text("#n-unresolved") == "0"
    assert "青岛市知识产权局" in page.inner_text("#preview-table")
    screenshot(page, "workplan_import_preview")
    assert not Plan.objects.exists()
    page.click("#commit")
    page.wait_for_selector("#board-tasks")
    assert "已导入“山东省知识产权局2015年全省知识产权工作要点”：6个部分，36项任务" in page.inner_text(".messages")

    page.context.clear_cookies()
    login(page, live_server, "city370200")
    page.goto(f"{live_server.url}/workplan/")
    assert "共 16 项" in page.inner_text("main")
    page.click("text=深入推动科技型小微企业知识产权质押融资工作")
    page.click("#file-report")
    page.select_option("#id_period", "2015-06")
    page.fill("#id_percent", "50")
    page.fill("#id_text", "召开专利权质押融资银企对接会，12家科技型小微企业与银行达成意向。")
    page.fill("#id_figures", "专利质押融资金额：2.1 亿元\n对接了很多企业")
    page.click("#submit-report")
    assert "报送数据第2行“对接了很多企业”格式不正确" in page.inner_text("#form-error")  # the form keeps what was typed
    assert (
        page.input_value("#id_text").startswith("召开专利权质押融资银企对接会") and not ProgressReport.objects.exists()
    )
    page.fill("#id_figures", "专利质押融资金额：2.1 亿元\n对接企业：12 家")
    screenshot(page, "workplan_report_form")
    page.click("#submit-report")
    page.wait_for_selector("#reports")
    assert "2015-06" in page.inner_text("#reports") and "专利质押融资金额：2.1亿元" in page.inner_text("#reports")
    report = ProgressReport.objects.get()
    assert (report.organization.name, report.percent, report.submitted_by.username) == (
        "青岛市知识产权局",
        50,
        "city370200",
    )
    screenshot(page, "workplan_task_city")

    page.context.clear_cookies()
    login(page, live_server, "bangongshi")
    page.goto(f"{live_server.url}/workplan/board/?as_of=2015-07-10")
    board = page.inner_text("#board-tasks")
    assert "深入推动科技型小微企业知识产权质押融资工作" in board and "未报送（2015年6月）" in board
    assert page.inner_text("#n-on-track") == "1"  # 50% by 10 July is on track
    assert "发明专利申请量增长" in page.inner_text("#targets")
    screenshot(page, "workplan_board")
