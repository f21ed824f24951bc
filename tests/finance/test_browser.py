"""End to end in Chromium: a bank registers a pledge with the enterprise's consent, runs a valuation,
the enterprise files an interest subsidy application, the office reviews and approves it."""
from __future__ import annotations

import datetime as dt

import pytest

from ipplatform.finance import subsidies, value_model as vm
from ipplatform.finance.models import Pledge, SubsidyApplication, Valuation

pytestmark = pytest.mark.browser


def _switch(page, login, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username)


def test_pledge_valuation_and_subsidy_end_to_end(live_server, transactional_db, page, login, screenshot, users, make_patent):
    ent = users["qilu_ent"].organization
    # the patent is filed under the enterprise's own name, which it has claimed (verified claim: own_name_claims)
    patent = make_patent(app_date=dt.date(2020, 4, 1), grant_date=dt.date(2022, 6, 10), title="一种耐候聚乙烯复合材料及其制备方法")
    today = dt.date.today()
    subsidies.save_rule(by=users["xietiao"], data={"kind": "interest", "region_code": "370000", "year": today.year, "name": "质押融资贴息",
                                                   "mode": "interest_share", "share": "0.5", "cap_per_enterprise": "50", "sme_only": True})

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
    page.click("#confirm-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已提交待审查" in page.inner_text("h1")

    # 3. 协调管理处 registers it
    _switch(page, login, live_server, "xietiao")
    page.goto(f"{live_server.url}/finance/pledges/{pledge.pk}/")
    page.fill("#reason", "材料齐全，符合登记条件")
    page.click("#review-form button[value=register]")
    page.wait_for_load_state("networkidle")
    assert "审查合格，待国家知识产权局登记" in page.inner_text("h1")
    assert not patent.legal_events.filter(code="pledge").exists()  # the pledge exists only once CNIPA registers it
    page.fill("#registration_no", "Y2026980000321")
    page.fill("#registered_on", dt.date.today().isoformat())
    page.click("#cnipa-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已在国家知识产权局登记（Y2026980000321）" in page.inner_text("h1")
    history = page.inner_text("#history")
    assert "qilu_ent" in history and "xietiao" in history and "材料齐全" in history
    screenshot(page, "finance_02_pledge_registered")
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

    # 5. the enterprise files an interest subsidy application
    _switch(page, login, live_server, "qilu_ent")
    page.goto(f"{live_server.url}/finance/subsidies/new/?kind=interest")
    page.select_option("#pledge", str(pledge.pk))
    page.fill("#interest_paid", "12.5")
    page.fill("#bank_account", "齐鲁银行济南分行 6228 0000 0001")
    page.click("#subsidy-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#amount").strip() == "6.25"
    screenshot(page, "finance_05_subsidy_filed")
    app = SubsidyApplication.objects.get()

    # 6. review → public notice (5 working days) → approval
    _switch(page, login, live_server, "xietiao")
    page.goto(f"{live_server.url}/finance/subsidies/{app.pk}/")
    page.fill("#opinion", "首次质押，小微企业，符合条件")
    page.click("#review-form button[value=pass]")
    page.wait_for_load_state("networkidle")
    assert "公示中" in page.inner_text("#state")
    # the notice period passes without objection
    SubsidyApplication.objects.filter(pk=app.pk).update(notice_start=today - dt.timedelta(days=10), notice_end=today - dt.timedelta(days=2))
    page.reload()
    page.click("#approve-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已批准待兑付" in page.inner_text("#state")
    assert "公示中" in page.inner_text("#history") and "已批准待兑付" in page.inner_text("#history")
    screenshot(page, "finance_06_subsidy_approved")
