"""A 假冒专利 case at the party's hearing: no penalty option inside the window, the hearing noticed from the page;
the rules page lists each rule with its article and no internal step names."""

import pytest
from django.utils import timezone

from ipplatform.protection import services
from ipplatform.protection.demo import ensure_head
from ipplatform.protection.models import Case


@pytest.mark.browser
def test_penalty_case_hearing_step_and_rules_page(transactional_db, live_server, page, login, screenshot, users):
    officer = users["city370200"]
    head = ensure_head(officer)
    case = services.create_case(
        case_type="counterfeit",
        title="市北区商场销售标注失效专利号的电动工具",
        by=officer,
        region_code="370203",
        respondent_name="青岛某五金商行",
        respondent_address="青岛市市北区某路1号",
        patent_no="ZL200920001234.5",
        received_on=timezone.localdate(),
        handler=officer,
    )
    for name in ("file_case", "begin_investigation", "submit_report", "legal_review", "notify_pre_decision"):
        services.transition(case=case, name=name, by=officer, reason="依法办理")
        case = Case.objects.get(pk=case.pk)

    login(page, live_server, "city370200")
    page.goto(f"{live_server.url}/protection/cases/{case.pk}/?tab=handle")
    assert "暂不能作出处罚决定" in page.inner_text("#hearing-bar")
    options = page.locator("#transition-actions summary").all_inner_texts()
    assert "作出行政处罚决定" not in options and "当事人申请听证" in options
    page.click("#act-request_hearing summary")
    page.fill("#reason-request_hearing", "当事人书面要求听证")
    page.click("#act-request_hearing button[type=submit]")
    assert "已办理" in page.content()
    assert "听证举行并制作笔录前不得作出处罚决定" in page.inner_text("#hearing-bar")
    presiders = page.locator("#presider option").all_inner_texts()
    assert head.display_name in presiders and officer.display_name not in presiders  # the investigator may not preside
    earliest = page.get_attribute("#h_date", "min")
    page.fill("#h_date", earliest)
    page.select_option("#presider", str(head.pk))
    page.click("text=发出听证通知")
    assert "已发出听证通知" in page.content()
    assert f"主持人 {head.display_name}" in page.inner_text("#hearing-panel")
    screenshot(page, "protection-hearing-step")

    page.goto(f"{live_server.url}/protection/rules/")
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    for needed in (
        "行政处罚法第六十四条第（一）项、第八十五条",
        "专利法实施细则第一百一十五条",
        "专利法第六十八条",
        "电子商务法第四十三条",
    ):
        assert needed in text, needed
    for internal in ("decide_penalty", "notify_pre_decision", "CF_HEARING_REQ", "forward_counter"):
        assert internal not in text, internal
    screenshot(page, "protection-rules-page")
