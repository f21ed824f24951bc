"""Stage rules: who acts at each stage, 补正 returns to the stage that asked for it, refusals release the patents,
dates of the call, and every step in the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from ipplatform.core.inputs import InputError
from ipplatform.core.models import AuditEvent
from ipplatform.core.workflow import history
from ipplatform.programmes import flows, services
from ipplatform.programmes.enums import AppStatus

from .conftest import BANK, ON


def test_only_the_bureau_of_the_area_checks_first(make_call, make_patent, subsidy_application, users):
    app = subsidy_application(make_call(), [(make_patent(), "grant")])
    for username in (
        "city370200",
        "huangdao",
        "qilu_ent",
        "guihua",
    ):  # another city, another county, the applicant, the office
        with pytest.raises(PermissionDenied, match="属地初审"):
            flows.check(application=app, by=users[username], action="pass", on=ON)
    flows.check(application=app, by=users["city370100"], action="pass", reason="属实", on=ON)
    app.refresh_from_db()
    assert app.stage == "formal_check"
    with pytest.raises(PermissionDenied, match="形式审查"):
        flows.check(application=app, by=users["city370100"], action="pass", on=ON)


def test_return_for_correction_comes_back_to_the_same_stage(make_call, make_patent, subsidy_application, users):
    app = subsidy_application(make_call(), [(make_patent(), "grant")])
    flows.check(application=app, by=users["city370100"], action="pass", on=ON)
    with pytest.raises(InputError, match="须写明理由"):
        flows.check(application=app, by=users["guihua"], action="return", on=ON)
    flows.check(application=app, by=users["guihua"], action="return", reason="开户银行名称不全", on=ON)
    app.refresh_from_db()
    assert app.status == AppStatus.RETURNED and app.returned_from == "formal_check"
    services.save_form(by=users["qilu_ent"], application=app, raw=dict(BANK, bank="齐鲁银行股份有限公司济南分行"))
    # 补正 is accepted after the call has closed
    flows.submit(application=app, by=users["qilu_ent"], on=dt.date(2015, 10, 20))
    app.refresh_from_db()
    assert app.status == AppStatus.ACTIVE and app.stage == "formal_check"
    assert [h.transition for h in history(app)] == ["提交申报", "属地初审通过", "形式审查退回补正", "补正后重新提交"]
    assert (
        AuditEvent.objects.filter(
            object_type="programmes.application", object_id=str(app.pk), action="transition"
        ).count()
        == 4
    )


def test_rejection_releases_the_patents(make_call, make_patent, subsidy_application, users):
    call = make_call()
    patent = make_patent()
    app = subsidy_application(call, [(patent, "grant")])
    flows.check(application=app, by=users["city370100"], action="reject", reason="非本单位专利", on=ON)
    app.refresh_from_db()
    assert app.status == AppStatus.REJECTED and not app.items.filter(live=True).exists()
    again = subsidy_application(call, [(patent, "grant")])
    assert again.items.count() == 1


def test_drafts_are_submitted_only_while_the_call_is_open_and_complete(
    make_call, make_patent, subsidy_application, users
):
    call = make_call()
    app = subsidy_application(call, [], submit=False)
    with pytest.raises(InputError, match="请至少申报一件专利"):
        flows.submit(application=app, by=users["qilu_ent"], on=ON)
    services.add_claim(by=users["qilu_ent"], application=app, patent_number=make_patent().pk, kind="grant", on=ON)
    services.save_form(by=users["qilu_ent"], application=app, raw=dict(BANK, account=""))
    with pytest.raises(InputError, match="请填写“银行账号”"):
        flows.submit(application=app, by=users["qilu_ent"], on=ON)
    services.save_form(by=users["qilu_ent"], application=app, raw=BANK)
    with pytest.raises(InputError, match="已不能提交"):
        flows.submit(application=app, by=users["qilu_ent"], on=dt.date(2015, 10, 1))
    with pytest.raises(PermissionDenied):
        flows.submit(application=app, by=users["haier"], on=ON)
    flows.submit(application=app, by=users["qilu_ent"], on=ON)
    with pytest.raises(InputError, match="不能修改"):
        services.save_form(by=users["qilu_ent"], application=app, raw=BANK)


def test_form_values_are_typed_and_checked(programmes):
    from ipplatform.programmes.services import clean_form

    award = programmes["patent_award"]
    data = clean_form(programme=award, raw={"sales": "1200.5", "implementation": "许可实施", "summary": " 简介 "})
    assert data["sales"] == "1200.5" and data["implementation"] == "许可实施" and data["summary"] == "简介"
    with pytest.raises(InputError, match="近三年新增销售额（万元）”不能小于0"):
        clean_form(programme=award, raw={"sales": "-1"})
    with pytest.raises(InputError, match="须从自行实施、许可实施、转让实施中选择"):
        clean_form(programme=award, raw={"implementation": "合资"})


def test_applications_start_only_in_an_open_call(make_call, users, owners):
    call = make_call()
    with pytest.raises(InputError, match="不在申报期内"):
        services.start_application(by=users["qilu_ent"], call=call, on=dt.date(2015, 8, 31))
    with pytest.raises(PermissionDenied):
        services.start_application(by=users["expert"], call=call, on=ON)
    # a bureau applies only to the schemes open to bureaus (试点示范考核); here its kind is refused with the reason
    with pytest.raises(InputError, match="申报单位类型为市知识产权局，本项目仅限企业、高等院校、科研院所申报"):
        services.start_application(by=users["city370100"], call=call, on=ON)


def test_withdrawal_before_decision_only(make_call, make_patent, subsidy_application, to_decision, users):
    app = to_decision(subsidy_application(make_call(), [(make_patent(), "grant")]))
    flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    with pytest.raises(InputError, match="不能撤回"):
        flows.withdraw(application=app, by=users["qilu_ent"])
