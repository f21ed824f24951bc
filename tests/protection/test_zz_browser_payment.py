"""A served 假冒专利 penalty: the case page shows the payment due date, the capped surcharge and the court window; a seizure
recorded from the page opens its 30-day time limit."""

import datetime as dt

import pytest

from ipplatform.protection import services
from ipplatform.protection.models import Case

D = dt.date


@pytest.mark.browser
def test_penalty_payment_panel_and_seizure_from_the_page(transactional_db, live_server, page, login, screenshot, users):
    officer = users["city370200"]
    case = services.create_case(
        case_type="counterfeit",
        title="市北区商场销售标注失效专利号的电动工具",
        by=officer,
        region_code="370203",
        respondent_name="青岛某五金商行",
        respondent_address="青岛市市北区某路1号",
        patent_no="ZL200920001234.5",
        received_on=D(2025, 2, 10),
        handler=officer,
    )
    for name, on, data in [
        ("file_case", D(2025, 2, 20), {}),
        ("begin_investigation", D(2025, 2, 20), {}),
        ("submit_report", D(2025, 2, 28), {}),
        ("legal_review", D(2025, 3, 3), {}),
        ("notify_pre_decision", D(2025, 3, 5), {}),
        ("decide_penalty", D(2025, 3, 13), {"penalty_amount": "10000"}),
        ("serve_decision", D(2025, 3, 14), {}),
    ]:
        services.transition(case=case, name=name, by=officer, reason="依法办理", on=on, **data)
        case = Case.objects.get(pk=case.pk)
    login(page, live_server, "city370200")
    page.goto(f"{live_server.url}/protection/cases/{case.pk}/?tab=handle")
    assert "至 2025-03-31" in page.inner_text("#payment-due")
    assert "10000.00元（已达罚款数额" in page.inner_text("#surcharge")
    assert "2025-09-16 至 2025-12-15" in page.inner_text("#court-window")
    page.click("text=登记催告书已送达")
    assert "已登记催告书送达" in page.content()
    assert "10个工作日" in page.inner_text("#demand")
    screenshot(page, "protection-penalty-payment")
