"""Subsidy rules as data on worked examples for two regions (province-wide and 青岛), notice, approval, payment; risk fund."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook
import io

from ipplatform.core.api import InputError
from ipplatform.core.workflow import history
from ipplatform.finance import services, subsidies
from ipplatform.finance.models import RiskFund, SubsidyApplication
from ipplatform.lib.xlsx import workbook_bytes

from .conftest import TODAY


def _rule(by, **kw):
    data = {"kind": "interest", "region_code": "370000", "year": 2026, "name": "知识产权质押融资贴息", "mode": "interest_share",
            "share": "0.5", "cap_per_enterprise": "30", "sme_only": True, "first_pledge_only": True}
    data.update(kw)
    return subsidies.save_rule(by=by, data=data)


@pytest.fixture
def rules(users):
    x = users["xietiao"]
    return {
        "province": _rule(x, basis="鲁知发〔2015〕X号（演示）"),
        "qingdao": _rule(x, region_code="370200", mode="lpr_share", share="0.6", lpr_rate="3.10", cap_per_enterprise="20",
                         sme_only=False, first_pledge_only=False, require_repaid=True, require_registered_before_disbursement=True,
                         name="青岛市专利权质押贷款贴息"),
        "premium": _rule(x, kind="premium", mode="premium_share", share="0.6", cap_per_enterprise="5", sme_only=False,
                         first_pledge_only=False, name="专利保险保费补助"),
    }


def _registered(users, make_patent, pledge_data, owner_user, *, registered_on=TODAY, reviewed_on=None, cnipa=True, **extra):
    """A pledge reviewed on the platform on `reviewed_on` and registered by CNIPA on `registered_on` (the date that counts)."""
    org = users[owner_user].organization
    patent = make_patent(owners=(org.name,))
    p = services.create_pledge(by=users["bank"], pledgor=org, patents=[patent], data={**pledge_data, **extra})
    reviewed_on = reviewed_on or registered_on
    services.confirm_pledge(pledge=p, by=users[owner_user], co_owner_consent=False, today=reviewed_on)
    services.register_pledge(pledge=p, by=users["xietiao"], today=reviewed_on)
    if cnipa:
        services.record_cnipa_registration(pledge=p, by=users["xietiao"], registration_no=f"Y2026980{p.pk:06d}",
                                           registered_on=registered_on, today=registered_on)
    return p


def _apply(users, username, **data):
    data.setdefault("bank_account", "齐鲁银行济南分行 6228 0000 1234")
    kind = data.pop("kind", "interest")
    app = subsidies.create_application(by=users[username], kind=kind, data=data)
    reasons = subsidies.submit_application(application=app, by=users[username])
    return app, reasons


def test_rule_selection_prefers_the_city_then_province(rules):
    assert subsidies.select_rule(kind="interest", region_code="370212", year=2026) == rules["qingdao"]
    assert subsidies.select_rule(kind="interest", region_code="370112", year=2026) == rules["province"]
    assert subsidies.select_rule(kind="interest", region_code="370112", year=2025) is None
    assert "按实付利息的50%补贴" in subsidies.rule_text(rules["province"]) and "仅限小微企业" in subsidies.rule_text(rules["province"])


def test_rules_are_versioned(rules, users):
    v2 = _rule(users["xietiao"], share="0.4")
    assert v2.version == 2 and subsidies.select_rule(kind="interest", region_code="370112", year=2026) == v2
    rules["province"].refresh_from_db()
    assert not rules["province"].is_current
    with pytest.raises(InputError, match="补助比例应在0到1之间"):
        _rule(users["xietiao"], share="50")


def test_province_worked_example_interest_share(rules, users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    app, reasons = _apply(users, "qilu_ent", pledge=pledge, interest_paid="21.75")
    assert reasons == [] and app.rule == rules["province"]
    assert app.amount == Decimal("10.88")  # 21.75 × 0.5 = 10.875 → 10.88
    assert "实付利息21.75万元 × 0.5 = 10.88万元" in app.computation


def test_province_rule_conditions_sme_and_first_pledge(rules, users, make_patent, pledge_data, orgs):
    first = _registered(users, make_patent, pledge_data, "qilu_ent", registered_on=dt.date(2026, 1, 6))
    second = _registered(users, make_patent, pledge_data, "qilu_ent")
    _, reasons = _apply(users, "qilu_ent", pledge=second, interest_paid="10")
    assert any("仅限首次质押融资" in r and first.display_number in r for r in reasons)
    org = users["qilu_ent"].organization
    org.is_sme = False
    org.save()
    app, reasons = _apply(users, "qilu_ent", pledge=first, interest_paid="10")
    assert any("仅限小微企业" in r for r in reasons) and app.amount == 0


def test_qingdao_worked_example_lpr_share(rules, users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "haier", registered_on=dt.date(2026, 1, 5), disbursed_on=dt.date(2026, 1, 6))
    pledge.repaid_on = dt.date(2026, 12, 31)
    pledge.save()
    app, reasons = _apply(users, "haier", pledge=pledge, loan_amount="1000", loan_start=dt.date(2026, 1, 5), loan_end=dt.date(2026, 12, 31),
                          interest_paid="40")
    assert reasons == [] and app.rule == rules["qingdao"]
    # 1000 × 3.10% × 360/360 = 31.00; × 0.6 = 18.60 (cap 20 not reached)
    assert app.amount == Decimal("18.60")
    assert "LPR 3.100% × 360天/360 = 31.00万元" in app.computation


def test_qingdao_conditions_repaid_and_registered_before_disbursement(rules, users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "haier", registered_on=TODAY, disbursed_on=dt.date(2026, 3, 1))
    _, reasons = _apply(users, "haier", pledge=pledge, interest_paid="40")
    assert any("须已还本付息" in r for r in reasons)
    assert any("国家知识产权局登记日2026-03-10晚于放款日2026-03-01" in r for r in reasons)


def test_cap_per_enterprise_per_year(rules, users):
    insurer = users["insurer"].organization
    a1, _ = _apply(users, "qilu_ent", kind="premium", insurer=insurer, policy_number="PICC-1", premium_paid="6")
    assert a1.amount == Decimal("3.60")
    subsidies.review_application(application=a1, by=users["xietiao"], decision="pass", opinion="", today=TODAY)
    a2, _ = _apply(users, "qilu_ent", kind="premium", insurer=insurer, policy_number="PICC-2", premium_paid="10")
    assert a2.amount == Decimal("1.40")  # cap 5 − 3.60 already granted
    assert "剩余额度1.40万元" in a2.computation


def test_notice_objection_approval_batch_and_history(rules, users, make_patent, pledge_data, orgs):
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    app, _ = _apply(users, "qilu_ent", pledge=pledge, interest_paid="20")
    x = users["xietiao"]
    with pytest.raises(InputError, match="请填写审核意见"):
        subsidies.review_application(application=app, by=x, decision="return", opinion="")
    # the city bureau of 济南 may review; 青岛's may not
    assert subsidies.can_review(users["city370100"], app) and not subsidies.can_review(users["city370200"], app)
    subsidies.review_application(application=app, by=users["city370100"], decision="pass", opinion="材料齐全", today=TODAY)
    assert (app.notice_start, app.notice_end) == (TODAY, dt.date(2026, 3, 17))  # 5 working days
    obj = subsidies.record_objection(application=app, by=x, objector="匿名", content="该企业贷款已展期", received_on=dt.date(2026, 3, 12))
    with pytest.raises(InputError, match="尚未结束"):
        subsidies.approve_application(application=app, by=x, today=dt.date(2026, 3, 17))
    with pytest.raises(InputError, match="未处理的公示异议"):
        subsidies.approve_application(application=app, by=x, today=dt.date(2026, 3, 18))
    subsidies.resolve_objection(objection=obj, by=x, upheld=False, resolution="经核实贷款未展期，异议不成立")
    subsidies.approve_application(application=app, by=x, today=dt.date(2026, 3, 18))
    batch = subsidies.create_batch(by=x, title="2026年第一批", applications=[app], today=dt.date(2026, 3, 20))
    sheet = subsidies.batch_sheet(batch)
    ws = load_workbook(io.BytesIO(workbook_bytes([sheet]))).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1][:4] == ["序号", "申请编号", "补助类型", "企业名称"] and values[2][3] == users["qilu_ent"].organization.name
    assert values[-1][0] == "合计" and float(values[-1][-1]) == 10.0
    subsidies.export_batch(batch=batch, by=x)
    subsidies.pay_batch(batch=batch, by=x, paid_on=dt.date(2026, 4, 1))
    app = SubsidyApplication.objects.get(pk=app.pk)
    steps = [(h.source, h.target) for h in history(app)]
    assert steps == [("draft", "submitted"), ("submitted", "notice"), ("notice", "approved"), ("approved", "paid")]
    assert history(app)[1].actor_name == "city370100"


def test_upheld_objection_ends_the_application(rules, users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    app, _ = _apply(users, "qilu_ent", pledge=pledge, interest_paid="20")
    subsidies.review_application(application=app, by=users["xietiao"], decision="pass", opinion="", today=TODAY)
    obj = subsidies.record_objection(application=app, by=users["xietiao"], objector="某银行", content="重复申报")
    subsidies.resolve_objection(objection=obj, by=users["xietiao"], upheld=True, resolution="属实")
    assert SubsidyApplication.objects.get(pk=app.pk).state == "objection_upheld"


def test_risk_fund_compensation_and_balance(users, make_patent, pledge_data):
    fund = RiskFund.objects.create(name="省专利质押融资风险补偿资金", sharing_ratio=Decimal("0.4"), cap_per_loan=Decimal("200"),
                                   established_on=dt.date(2026, 1, 1))
    subsidies.add_contribution(fund=fund, by=users["xietiao"], amount="1000", source="省财政")
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    loan = subsidies.cover_loan(fund=fund, pledge=pledge, by=users["bank"])
    assert loan.principal == Decimal("500")
    with pytest.raises(InputError, match="超过贷款本金"):
        subsidies.report_default(loan=loan, by=users["bank"], outstanding="600")
    report = subsidies.report_default(loan=loan, by=users["bank"], outstanding="300", recovered="50")
    assert report.compensation == Decimal("100.00")  # (300 − 50) × 0.4
    subsidies.decide_default(report=report, by=users["xietiao"], approve=True, reason="")
    assert subsidies.committed(fund) == Decimal("100.00") and subsidies.fund_balance(fund) == Decimal("1000")
    subsidies.pay_default(report=report, by=users["xietiao"])
    assert subsidies.fund_balance(fund) == Decimal("900.00")
    assert subsidies.compensation_for(fund=fund, outstanding=Decimal("800"), recovered=Decimal("0"))[0] == Decimal("200")  # cap


def test_subsidy_counts_cnipa_registration_date_not_platform_review(rules, users, make_patent, pledge_data):
    # reviewed on the platform 2026-01-05 (before the loan of 01-06), but CNIPA registered it only on 2026-01-31
    pledge = _registered(users, make_patent, pledge_data, "haier", reviewed_on=dt.date(2026, 1, 5), registered_on=dt.date(2026, 1, 31),
                         disbursed_on=dt.date(2026, 1, 6))
    pledge.repaid_on = dt.date(2026, 12, 31)
    pledge.save()
    _, reasons = _apply(users, "haier", pledge=pledge, interest_paid="40")
    assert any("国家知识产权局登记日2026-01-31晚于放款日2026-01-06" in r for r in reasons)


def test_subsidy_refused_while_only_reviewed_on_the_platform(rules, users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent", cnipa=False)
    _, reasons = _apply(users, "qilu_ent", pledge=pledge, interest_paid="10")
    assert any("尚未在国家知识产权局登记" in r and "第四百四十四条" in r for r in reasons)


def test_first_pledge_judged_on_cnipa_dates(rules, users, make_patent, pledge_data):
    # the later-reviewed pledge was registered by CNIPA first (2026-02-27 vs 2026-02-28): it is the first pledge
    a = _registered(users, make_patent, pledge_data, "qilu_ent", reviewed_on=dt.date(2026, 2, 2), registered_on=dt.date(2026, 2, 28))
    b = _registered(users, make_patent, pledge_data, "qilu_ent", reviewed_on=dt.date(2026, 2, 3), registered_on=dt.date(2026, 2, 27))
    _, reasons_b = _apply(users, "qilu_ent", pledge=b, interest_paid="10")
    assert not any("仅限首次质押融资" in r for r in reasons_b)
    _, reasons_a = _apply(users, "qilu_ent", pledge=a, interest_paid="10")
    assert any("仅限首次质押融资" in r and "2026-02-27" in r for r in reasons_a)
