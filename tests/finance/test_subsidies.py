"""Subsidy rules as data on worked examples for two regions (province-wide and 青岛), applied to applications on the
programme engine through finance's hooks; risk fund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.finance import pledges, subsidies
from ipplatform.finance import subsidy_programmes as sp
from ipplatform.finance.models import RiskFund
from ipplatform.programmes import flows
from ipplatform.programmes import services as programme_services

from .conftest import TODAY


def _rule(by, **kw):
    data = {
        "kind": "interest",
        "region_code": "370000",
        "year": 2026,
        "name": "知识产权质押融资贴息",
        "mode": "interest_share",
        "share": "0.5",
        "cap_per_enterprise": "30",
        "sme_only": True,
        "first_pledge_only": True,
    }
    data.update(kw)
    return subsidies.save_rule(by=by, data=data)


@pytest.fixture
def rules(users):
    x = users["xietiao"]
    return {
        "province": _rule(x, basis="鲁知发〔2015〕X号（演示）"),
        "qingdao": _rule(
            x,
            region_code="370200",
            mode="lpr_share",
            share="0.6",
            lpr_rate="3.10",
            cap_per_enterprise="20",
            sme_only=False,
            first_pledge_only=False,
            require_repaid=True,
            require_registered_before_disbursement=True,
            name="青岛市专利权质押贷款贴息",
        ),
        "premium": _rule(
            x,
            kind="premium",
            mode="premium_share",
            share="0.6",
            cap_per_enterprise="5",
            sme_only=False,
            first_pledge_only=False,
            name="专利保险保费补助",
        ),
    }


def _registered(
    users, make_patent, pledge_data, owner_user, *, registered_on=TODAY, reviewed_on=None, cnipa=True, **extra
):
    """A pledge reviewed on the platform on `reviewed_on` and registered by CNIPA on `registered_on` (the date that counts)."""
    org = users[owner_user].organization
    patent = make_patent(owners=(org.name,))
    p = pledges.create_pledge(by=users["bank"], pledgor=org, patents=[patent], data={**pledge_data, **extra})
    reviewed_on = reviewed_on or registered_on
    pledges.confirm_pledge(pledge=p, by=users[owner_user], co_owner_consent=False, today=reviewed_on)
    pledges.register_pledge(pledge=p, by=users["xietiao"], today=reviewed_on)
    if cnipa:
        pledges.record_cnipa_registration(
            pledge=p,
            by=users["xietiao"],
            registration_no=f"Y2026980{p.pk:06d}",
            registered_on=registered_on,
            today=registered_on,
        )
    return p


@pytest.fixture
def calls(users):
    """The 2026 calls of 质押融资贴息 and 专利保险补贴 on the programme engine (budget 1 000 000 元 each)."""
    types = sp.ensure_programme_types()
    return {
        code: programme_services.create_call(
            by=users["xietiao"],
            programme=programme,
            year=2026,
            title=f"2026年{programme.name}",
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 12, 31),
            budget=Decimal("1000000"),
        )
        for code, programme in types.items()
    }


BANK = {"contact": "郑经理", "phone": "0531-88888888", "bank": "齐鲁银行济南分行", "account": "6228 0000 1234"}


def _apply(users, calls, username, *, kind="interest", submit=False, **data):
    """An application on the engine filled in with `data` (a pledge by its registration number); returns it and the
    reasons finance's rule refuses it."""
    code = sp.PLEDGE_INTEREST if kind == "interest" else sp.PATENT_INSURANCE
    user = users[username]
    app = programme_services.start_application(by=user, call=calls[code], on=TODAY)
    raw = dict(BANK)
    pledge = data.pop("pledge", None)
    if pledge is not None:
        raw["pledge_no"] = pledge.cnipa_registration_no or pledge.number
    raw.update({k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()})
    programme_services.save_form(by=user, application=app, raw=raw)
    if submit:
        flows.submit(application=app, by=user, on=TODAY)
    app.refresh_from_db()
    return app, sp.refusals(app)


def _wan(app) -> tuple[Decimal, str]:
    """The computed amount in 万元 (the rule's unit) and the computation."""
    yuan, text = sp.amount(app)
    return yuan / 10000, text


def _decide(users, app, *, city="city370100", start=TODAY):
    """属地初审, 公示 of 5 working days from `start`, close, 资助决定."""
    x = users["xietiao"]
    flows.check(application=app, by=users[city], action="pass", reason="材料齐全", on=start)
    call = flows.publish_notice(call=app.call, by=x, start=start)
    after = call.notice_end + dt.timedelta(days=1)
    flows.close_notice(call=call, by=x, on=after)
    return flows.decide_funding(application=app, by=x, approve=True, on=after)


def test_rule_selection_prefers_the_city_then_province(rules):
    assert subsidies.select_rule(kind="interest", region_code="370212", year=2026) == rules["qingdao"]
    assert subsidies.select_rule(kind="interest", region_code="370112", year=2026) == rules["province"]
    assert subsidies.select_rule(kind="interest", region_code="370112", year=2025) is None
    assert "按实付利息的50%补贴" in subsidies.rule_text(rules["province"]) and "仅限小微企业" in subsidies.rule_text(
        rules["province"]
    )


def test_rules_are_versioned(rules, users):
    v2 = _rule(users["xietiao"], share="0.4")
    assert v2.version == 2 and subsidies.select_rule(kind="interest", region_code="370112", year=2026) == v2
    rules["province"].refresh_from_db()
    assert not rules["province"].is_current
    with pytest.raises(InputError, match="补助比例应在0到1之间"):
        _rule(users["xietiao"], share="50")


def test_province_worked_example_interest_share(rules, calls, users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    app, reasons = _apply(users, calls, "qilu_ent", pledge=pledge, interest_paid="21.75")
    assert (
        reasons == []
        and subsidies.select_rule(kind="interest", region_code=app.region_code, year=2026) == rules["province"]
    )
    amount, text = _wan(app)
    assert amount == Decimal("10.88")  # 21.75 × 0.5 = 10.875 → 10.88
    assert "实付利息21.75万元 × 0.5 = 10.88万元" in text and "折合108800.00元" in text
    # the application references the pledge it subsidises
    assert app.subject_ref == f"finance.pledge:{pledge.pk}" and pledge.display_number in app.subject_label
    assert list(sp.applications_of_pledge(pledge)) == [app]


def test_province_rule_conditions_sme_and_first_pledge(rules, calls, users, make_patent, pledge_data, orgs):
    first = _registered(users, make_patent, pledge_data, "qilu_ent", registered_on=dt.date(2026, 1, 6))
    second = _registered(users, make_patent, pledge_data, "qilu_ent")
    _, reasons = _apply(users, calls, "qilu_ent", pledge=second, interest_paid="10")
    assert any("仅限首次质押融资" in r and first.display_number in r for r in reasons)
    org = users["qilu_ent"].organization
    org.is_sme = False
    org.save()
    app, reasons = _apply(users, calls, "qilu_ent", pledge=first, interest_paid="10")
    assert any("仅限小微企业" in r for r in reasons)
    with pytest.raises(InputError, match="不符合补助政策"):
        sp.amount(app)
    with pytest.raises(InputError, match="仅限小微企业"):  # the engine refuses the submission with finance's reason
        flows.submit(application=app, by=users["qilu_ent"], on=TODAY)


def test_a_pledge_of_another_body_is_refused(rules, calls, users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "haier")
    app, reasons = _apply(users, calls, "qilu_ent", pledge=pledge, interest_paid="10")
    assert reasons == [f"质押登记号“{pledge.cnipa_registration_no}”不是本单位作为出质人的质押登记"]
    assert app.subject_ref == ""


def test_qingdao_worked_example_lpr_share(rules, calls, users, make_patent, pledge_data):
    pledge = _registered(
        users, make_patent, pledge_data, "haier", registered_on=dt.date(2026, 1, 5), disbursed_on=dt.date(2026, 1, 6)
    )
    pledge.repaid_on = dt.date(2026, 12, 31)
    pledge.save()
    app, reasons = _apply(
        users,
        calls,
        "haier",
        pledge=pledge,
        loan_amount="1000",
        loan_start=dt.date(2026, 1, 5),
        loan_end=dt.date(2026, 12, 31),
        interest_paid="40",
    )
    assert reasons == []
    amount, text = _wan(app)
    # 1000 × 3.10% × 360/360 = 31.00; × 0.6 = 18.60 (cap 20 not reached)
    assert amount == Decimal("18.60")
    assert "青岛市专利权质押贷款贴息" in text and "LPR 3.100% × 360天/360 = 31.00万元" in text


def test_qingdao_conditions_repaid_and_registered_before_disbursement(rules, calls, users, make_patent, pledge_data):
    pledge = _registered(
        users, make_patent, pledge_data, "haier", registered_on=TODAY, disbursed_on=dt.date(2026, 3, 1)
    )
    _, reasons = _apply(users, calls, "haier", pledge=pledge, interest_paid="40")
    assert any("须已还本付息" in r for r in reasons)
    assert any("国家知识产权局登记日2026-03-10晚于放款日2026-03-01" in r for r in reasons)


def test_cap_per_enterprise_per_year(rules, calls, users):
    a1, _ = _apply(
        users,
        calls,
        "qilu_ent",
        kind="premium",
        insurer="人保财险",
        policy_number="PICC-1",
        premium_paid="6",
        submit=True,
    )
    assert _wan(a1)[0] == Decimal("3.60")
    assert a1.subject_ref == "finance.insurance:PICC-1" and "PICC-1" in a1.subject_label
    a1 = _decide(users, a1)
    assert a1.amount == Decimal("36000.00") and "实缴保费6万元 × 0.6 = 3.60万元" in a1.decision_note
    a2, _ = _apply(
        users, calls, "qilu_ent", kind="premium", insurer="人保财险", policy_number="PICC-2", premium_paid="10"
    )
    amount, text = _wan(a2)
    assert amount == Decimal("1.40")  # cap 5 − 3.60 already decided
    assert "剩余额度1.40万元" in text


def test_risk_fund_compensation_and_balance(users, make_patent, pledge_data):
    fund = RiskFund.objects.create(
        name="省专利质押融资风险补偿资金",
        sharing_ratio=Decimal("0.4"),
        cap_per_loan=Decimal("200"),
        established_on=dt.date(2026, 1, 1),
    )
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
    assert subsidies.compensation_for(fund=fund, outstanding=Decimal("800"), recovered=Decimal("0"))[0] == Decimal(
        "200"
    )  # cap


def test_subsidy_counts_cnipa_registration_date_not_platform_review(rules, calls, users, make_patent, pledge_data):
    # reviewed on the platform 2026-01-05 (before the loan of 01-06), but CNIPA registered it only on 2026-01-31
    pledge = _registered(
        users,
        make_patent,
        pledge_data,
        "haier",
        reviewed_on=dt.date(2026, 1, 5),
        registered_on=dt.date(2026, 1, 31),
        disbursed_on=dt.date(2026, 1, 6),
    )
    pledge.repaid_on = dt.date(2026, 12, 31)
    pledge.save()
    _, reasons = _apply(users, calls, "haier", pledge=pledge, interest_paid="40")
    assert any("国家知识产权局登记日2026-01-31晚于放款日2026-01-06" in r for r in reasons)


def test_subsidy_refused_while_only_reviewed_on_the_platform(rules, calls, users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent", cnipa=False)
    _, reasons = _apply(users, calls, "qilu_ent", pledge=pledge, interest_paid="10")
    assert any("尚未在国家知识产权局登记" in r and "第四百四十四条" in r for r in reasons)


def test_first_pledge_judged_on_cnipa_dates(rules, calls, users, make_patent, pledge_data):
    # the later-reviewed pledge was registered by CNIPA first (2026-02-27 vs 2026-02-28): it is the first pledge
    a = _registered(
        users, make_patent, pledge_data, "qilu_ent", reviewed_on=dt.date(2026, 2, 2), registered_on=dt.date(2026, 2, 28)
    )
    b = _registered(
        users, make_patent, pledge_data, "qilu_ent", reviewed_on=dt.date(2026, 2, 3), registered_on=dt.date(2026, 2, 27)
    )
    _, reasons_b = _apply(users, calls, "qilu_ent", pledge=b, interest_paid="10")
    assert not any("仅限首次质押融资" in r for r in reasons_b)
    _, reasons_a = _apply(users, calls, "qilu_ent", pledge=a, interest_paid="10")
    assert any("仅限首次质押融资" in r and "2026-02-27" in r for r in reasons_a)
