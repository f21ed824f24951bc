"""专利资助 on the engine: amounts under two policy years, checks against the patent records, duplicates, the cap per
applicant, the budget, and the 集中兑付 batch."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history
from ipplatform.lib.xlsx import workbook_bytes
from ipplatform.programmes import flows, services
from ipplatform.programmes.enums import AppStatus, BatchState

from .conftest import ON


def test_2015_policy_funds_applications_and_grants_of_several_types(
    make_call, make_patent, subsidy_application, to_decision, users
):
    call = make_call()
    assert call.policy.year == 2015 and call.policy.is_simulated
    inv, utility = make_patent(), make_patent(patent_type="utility", granted=dt.date(2015, 6, 2))
    filed = make_patent(filed=dt.date(2015, 4, 1), granted=None)
    app = subsidy_application(call, [(inv, "grant"), (utility, "grant"), (filed, "application")])
    assert app.status == AppStatus.ACTIVE and app.stage == "city_check"
    assert [i.amount for i in app.items.order_by("pk")] == [Decimal("4000"), Decimal("500"), Decimal("1000")]
    app = to_decision(app)
    flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    app.refresh_from_db()
    assert app.status == AppStatus.APPROVED and app.amount == Decimal("5500") and app.stage == "payment"
    steps = [h.transition for h in history(app)]
    assert steps == ["提交申报", "属地初审通过", "形式审查通过", "批准资助"]


def test_2016_policy_funds_granted_inventions_only(make_call, make_patent, subsidy_application, users):
    call = make_call(year=2016, opens=dt.date(2016, 9, 1), closes=dt.date(2016, 9, 30))
    assert call.policy.year == 2016
    utility = make_patent(patent_type="utility", granted=dt.date(2016, 6, 2))
    filed = make_patent(filed=dt.date(2016, 4, 1), granted=None)
    inv = make_patent(granted=dt.date(2016, 3, 1))
    app = subsidy_application(call, [(inv, "grant")], submit=False)
    assert app.items.get().amount == Decimal("5000")
    with pytest.raises(InputError, match="2016年度政策不支持实用新型专利的授权资助"):
        services.add_claim(
            by=users["qilu_ent"], application=app, patent_number=utility.pk, kind="grant", on=call.opens_on
        )
    with pytest.raises(InputError, match="不支持发明专利的申请资助"):
        services.add_claim(
            by=users["qilu_ent"], application=app, patent_number=filed.pk, kind="application", on=call.opens_on
        )


def test_patent_checks_against_records(make_call, make_patent, subsidy_application, users):
    call = make_call()
    app = subsidy_application(call, [], submit=False)
    others = make_patent(owners=("青岛某某电子有限公司",))
    pending = make_patent(granted=None)
    lapsed = make_patent(
        filed=dt.date(2010, 1, 5), granted=dt.date(2012, 1, 5), events=[(dt.date(2013, 1, 3), "fee_paid")]
    )  # the 2014 and 2015 fees were not paid
    add = lambda p, kind="grant": services.add_claim(
        by=users["qilu_ent"], application=app, patent_number=p.pk, kind=kind, on=ON
    )  # noqa: E731
    with pytest.raises(InputError, match="不在其中"):
        add(others)
    with pytest.raises(InputError, match="尚未授权"):
        add(pending)
    with pytest.raises(InputError, match="年费"):
        add(lapsed)
    with pytest.raises(InputError, match="没有申请号"):
        add(type("P", (), {"pk": "2099000000000"})())
    assert not app.items.exists()


def test_the_same_patent_is_funded_once(make_call, make_patent, subsidy_application, users):
    call = make_call()
    patent = make_patent()
    first = subsidy_application(call, [(patent, "grant")])
    second = subsidy_application(call, [], submit=False)
    with pytest.raises(InputError, match="同一专利不得重复申请资助"):
        services.add_claim(by=users["qilu_ent"], application=second, patent_number=patent.pk, kind="grant", on=ON)
    # a later call of the same programme: still taken
    later = make_call(year=2016, opens=dt.date(2016, 9, 1), closes=dt.date(2016, 9, 30))
    third = subsidy_application(later, [], submit=False)
    with pytest.raises(InputError, match="重复申请"):
        services.add_claim(
            by=users["qilu_ent"], application=third, patent_number=patent.pk, kind="grant", on=later.opens_on
        )
    # withdrawing the first application releases the patent
    flows.withdraw(application=first, by=users["qilu_ent"], reason="材料有误")
    services.add_claim(by=users["qilu_ent"], application=second, patent_number=patent.pk, kind="grant", on=ON)
    assert second.items.count() == 1


def test_cap_per_applicant_and_year_cuts_the_amount(
    programmes, make_call, make_patent, subsidy_application, to_decision, users
):
    policy = programmes["patent_subsidy"].policies.get(year=2015)
    policy.cap_per_applicant = Decimal("6000")
    policy.save()
    call = make_call()
    first = to_decision(subsidy_application(call, [(make_patent(), "grant")]))
    flows.decide_funding(application=first, by=users["guihua"], approve=True, on=ON)
    second = to_decision(subsidy_application(call, [(make_patent(), "grant")]))
    assert services.cap_left(application=second) == Decimal("2000")
    flows.decide_funding(application=second, by=users["guihua"], approve=True, on=ON)
    second.refresh_from_db()
    assert second.amount == Decimal("2000") and "年度上限6000" in second.decision_note
    third = to_decision(subsidy_application(call, [(make_patent(), "grant")]))
    with pytest.raises(InputError, match="年度资助上限"):
        flows.decide_funding(application=third, by=users["guihua"], approve=True, on=ON)


def test_budget_is_never_overspent(make_call, make_patent, subsidy_application, to_decision, users):
    call = make_call(budget="6000")
    a = to_decision(subsidy_application(call, [(make_patent(), "grant")]))
    b = to_decision(subsidy_application(call, [(make_patent(), "grant")]))
    flows.decide_funding(application=a, by=users["guihua"], approve=True, on=ON)
    with pytest.raises(InputError, match="超出“2015年度专利资助”剩余预算2000.00元"):
        flows.decide_funding(application=b, by=users["guihua"], approve=True, on=ON)
    b.refresh_from_db()
    assert b.status == AppStatus.ACTIVE and services.committed(call) == Decimal("4000")


def test_one_payment_per_institution_exported_and_confirmed(
    make_call, make_patent, subsidy_application, to_decision, users
):
    call = make_call()
    apps = [to_decision(subsidy_application(call, [(make_patent(), "grant")])) for _ in range(2)]
    sdu_patent = make_patent(owners=("山东大学",))
    apps.append(to_decision(subsidy_application(call, [(sdu_patent, "grant")], username="sdu")))
    for app in apps:
        flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    batch = flows.create_batch(call=call, by=users["guihua"])
    lines = {line.organization.name: line for line in batch.lines.all()}
    assert batch.total == Decimal("12000") and len(lines) == 2
    assert (
        lines["济南时代新纪元科技有限公司"].amount == Decimal("8000")
        and lines["济南时代新纪元科技有限公司"].applications.count() == 2
    )
    with pytest.raises(InputError, match="没有待兑付"):
        flows.create_batch(call=call, by=users["guihua"])
    with pytest.raises(InputError, match="须先导出"):
        flows.confirm_paid(batch=batch, by=users["guihua"], paid_on=dt.date(2015, 12, 1), voucher="记-001")
    sheet = load_workbook(io.BytesIO(workbook_bytes([services.batch_sheet(batch)]))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2][:2] == ["序号", "收款单位"] and values[-1][0] == "合计" and values[-1][8] == 12000
    flows.mark_exported(batch=batch, by=users["guihua"])
    flows.confirm_paid(batch=batch, by=users["guihua"], paid_on=dt.date(2015, 12, 1), voucher="记-001")
    batch.refresh_from_db()
    assert batch.state == BatchState.PAID
    assert {a.status for a in call.applications.all()} == {AppStatus.PAID}
    assert history(apps[0]).last().transition == "确认兑付"


def test_a_batch_over_budget_is_refused(make_call, make_patent, subsidy_application, to_decision, users):
    call = make_call(budget="8000")
    app = to_decision(subsidy_application(call, [(make_patent(), "grant")]))
    flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    call.budget = Decimal("3000")  # the budget was cut after the decision
    call.save()
    with pytest.raises(InputError, match="超出预算"):
        flows.create_batch(call=call, by=users["guihua"])
