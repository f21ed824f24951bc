"""End to end in Chromium: a bank registers a pledge with the enterprise's consent, runs a valuation,
the enterprise applies for the interest subsidy on the programme engine, the city bureau checks it, and after the
公示 the office decides it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ipplatform.core.labels import person_label
from ipplatform.finance import subsidies
from ipplatform.finance import subsidy_programmes as sp
from ipplatform.finance import value_model as vm
from ipplatform.finance.models import Pledge, Valuation
from ipplatform.lib.workdays import is_workday
from ipplatform.programmes import flows
from ipplatform.programmes import services as programme_services
from ipplatform.programmes.models import Application

pytestmark = pytest.mark.browser


def _switch(page, login, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)


def test_pledge_valuation_and_subsidy_end_to_end(
    live_server, transactional_db, page, login, screenshot, users, make_patent
):
    ent = users["qilu_ent"].organization
    # the patent is filed under the enterprise's own name, which it has claimed (verified claim: own_name_claims)
    patent = make_patent(
        app_date=dt.date(2020, 4, 1), grant_date=dt.date(2022, 6, 10), title="一种耐候聚乙烯复合材料及其制备方法"
    )
    today = timezone.localdate()
    subsidies.save_rule(
        by=users["xietiao"],
        data={
            "kind": "interest",
            "region_code": "370000",
            "year": today.year,
            "name": "质押融资贴息",
            "mode": "interest_share",
            "share": "0.5",
            "cap_per_enterprise": "50",
            "sme_only": True,
        },
    )
    call = programme_services.create_call(
        by=users["xietiao"],
        programme=sp.ensure_programme_types()[sp.PLEDGE_INTEREST],
        year=today.year,
        title=f"{today.year}年知识产权质押融资贴息",
        opens_on=dt.date(today.year, 1, 1),
        closes_on=dt.date(today.year, 12, 31),
        budget=Decimal("1000000"),
    )

    # 1. the bank drafts the registration
    _switch(page, login, live_server, "bank")
    page.goto(f"{live_server.url}/finance/pledges/new/")
    page.select_option("#pledgor", str(ent.pk))
    page.fill("#contract_number", "QLYH-ZY-0001")
    page.fill("#contract_date", today.isoformat())
    page.fill("#debt_amount", "500")
    page.fill("#debt_start", (today + dt.timedelta(days=3)).isoformat())
    page.fill("#debt_end", (today + dt.timedelta(days=365)).isoformat())
    page.fill("#security_scope", "主债权本金、利息、罚息及实现质权的费用")
    page.fill("#patent_numbers", patent.pk)
    screenshot(page, "finance_01_pledge_form")
    page.click("#pledge-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "待出质人确认" in page.inner_text("h1")
    assert page.locator("#checks-ok").count() == 1
    pledge = Pledge.objects.get()

    # 2. the enterprise confirms (consent)
    _switch(page, login, live_server, "qilu_ent")
    page.goto(f"{live_server.url}/finance/pledges/{pledge.pk}/")
    assert page.locator("#confirm-form").is_hidden()  # the forms are on the 办理 tab
    page.click("#tablink-handle")  # switched in place by static/js/tabs.js
    assert "tab=handle" in page.url
    page.click("#confirm-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已提交待审查" in page.inner_text("h1")

    # 3. 协调管理处 registers it
    _switch(page, login, live_server, "xietiao")
    page.goto(f"{live_server.url}/finance/pledges/{pledge.pk}/?tab=handle")
    page.fill("#reason", "材料齐全，符合登记条件")
    page.click("#review-form button[value=register]")
    page.wait_for_load_state("networkidle")
    assert "审查合格，待国家知识产权局登记" in page.inner_text("h1")
    assert not patent.legal_events.filter(code="pledge").exists()  # the pledge exists only once CNIPA registers it
    page.fill("#registration_no", "Y2026980000321")
    page.fill("#registered_on", timezone.localdate().isoformat())
    page.click("#cnipa-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已在国家知识产权局登记（Y2026980000321）" in page.inner_text("h1")
    page.click("#tablink-history")
    history = page.inner_text("#history")
    # people by real name and unit, not login names
    assert person_label(users["qilu_ent"]) in history and person_label(users["xietiao"]) in history
    assert "qilu_ent" not in history and "材料齐全" in history
    screenshot(page, "finance_02_pledge_registered")
    page.goto(f"{live_server.url}/finance/pledges/{pledge.pk}/?tab=handle")
    screenshot(page, "finance_03_pledge_handle_tab")
    assert patent.legal_events.filter(code="pledge", reference=f"finance.pledge:{pledge.pk}").exists()

    # 4. the bank runs a valuation on the guided form and generates the Word report
    _switch(page, login, live_server, "bank")
    page.goto(f"{live_server.url}/finance/valuations/new/?patents={patent.pk}&organization={ent.pk}")
    page.click("#valuation-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    for ind in vm.INDICATORS:
        value = {"legal": 8, "technical": 6, "economic": 4}[ind.group]
        page.check(f"input[name=s_{ind.code}][value='{value}']")
    screenshot(page, "finance_03_valuation_form")
    page.click("#score-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#pvd").strip() == "6.20"  # 0.4·8 + 0.3·6 + 0.3·4
    page.click("#gen-report")
    page.wait_for_load_state("networkidle")
    assert "第1版" in page.inner_text("#reports")
    screenshot(page, "finance_04_valuation_result")
    assert Valuation.objects.get().reports.count() == 1

    # 5. the enterprise applies for the interest subsidy on the programme engine (the finance link leads to the call)
    _switch(page, login, live_server, "qilu_ent")
    page.goto(f"{live_server.url}/finance/subsidies/new/?kind=interest")
    page.click("#start-apply")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=pledge_no]", "Y2026980000321")
    page.fill("input[name=interest_paid]", "12.5")
    page.fill("input[name=contact]", "郑经理")
    page.fill("input[name=phone]", "0531-88888888")
    page.fill("input[name=bank]", "齐鲁银行济南分行")
    page.fill("input[name=account]", "6228 0000 0001")
    page.click("#save-form")
    page.wait_for_load_state("networkidle")
    # 12.5万元 × 0.5 = 6.25万元 = 62500 元, computed by finance's rule and shown with its steps
    assert "62500.00" in page.inner_text("#app-computation") and "实付利息12.5万元" in page.inner_text(
        "#app-computation"
    )
    assert "Y2026980000321" in page.inner_text("#app-subject")
    page.click("#tablink-handle")
    page.click("#submit-app")
    page.wait_for_load_state("networkidle")
    screenshot(page, "finance_05_subsidy_filed")
    app = Application.objects.get(call=call)
    assert app.status == "active" and app.subject_ref == f"finance.pledge:{pledge.pk}"

    # 6. 属地初审 by 济南's bureau → 公示 (5 working days) → 资助决定 by the office
    _switch(page, login, live_server, "city370100")
    page.goto(f"{live_server.url}/programmes/applications/{app.pk}/")
    page.check("#check-form input[value=pass]")
    page.fill("#check-form input[name=reason]", "首次质押，小微企业，符合条件")
    page.click("#check-submit")
    page.wait_for_load_state("networkidle")
    start = today
    while not is_workday(start):
        start -= dt.timedelta(days=1)
    flows.publish_notice(call=call, by=users["xietiao"], start=start)
    call.refresh_from_db()
    flows.close_notice(call=call, by=users["xietiao"], on=call.notice_end + dt.timedelta(days=1))  # no objection
    _switch(page, login, live_server, "xietiao")
    page.goto(f"{live_server.url}/programmes/applications/{app.pk}/")
    assert "62500.00" in page.inner_text("#decide-form")
    page.click("#approve")
    page.wait_for_load_state("networkidle")
    assert "已批准" in page.inner_text("#app-status") and "62500.00" in page.inner_text("#app-amount")
    assert "公示" in page.inner_text("#history") and "批准资助" in page.inner_text("#history")
    screenshot(page, "finance_06_subsidy_approved")
    page.goto(f"{live_server.url}/finance/subsidies/")
    assert "62500.00" in page.inner_text("#subsidies")
    screenshot(page, "finance_07_subsidy_list")
