"""追回 after a later check, and statuses a decision confers (明星企业-style) revoked with it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history
from ipplatform.programmes import flows
from ipplatform.programmes.enums import AppStatus
from ipplatform.programmes.models import OrgStatus

from .conftest import ON


def test_clawback_of_a_paid_subsidy(programmes, make_call, make_patent, subsidy_application, to_decision, users):
    programme = programmes["patent_subsidy"]
    programme.decision = {"kind": "funding", "org_status": {"label": "专利资助重点单位（测试）", "years": 2}}
    programme.save()
    call = make_call()
    app = to_decision(subsidy_application(call, [(make_patent(), "grant")]))
    flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    status = OrgStatus.objects.get(application=app)
    assert status.valid_until == dt.date(2017, 9, 15) and status.organization == app.organization
    with pytest.raises(InputError, match="追回金额应在0至4000.00元之间"):
        flows.claw_back(application=app, by=users["guihua"], amount=Decimal("5000"), reason="年度复核：专利权已转让")
    flows.claw_back(
        application=app, by=users["guihua"], amount=Decimal("4000"), reason="年度复核：专利权已于申报前转让"
    )
    app.refresh_from_db()
    status.refresh_from_db()
    assert app.status == AppStatus.CLAWED_BACK and status.revoked
    assert history(app).last().transition == "追回资金" and "4000" in history(app).last().reason
    with pytest.raises(InputError, match="只有已批准或已兑付"):
        flows.claw_back(application=app, by=users["guihua"], amount=Decimal("1"), reason="重复")


def test_an_award_without_money_is_revoked(make_call, users, owners):
    from ipplatform.programmes.models import Application

    call = make_call("patent_award")
    app = Application.objects.create(
        call=call,
        organization=owners["qilu_ent"],
        region_code="370100",
        title="测试",
        status=AppStatus.APPROVED,
        stage="certificate",
        level="二等奖",
        certificate_no="鲁专奖2015-3-002",
    )
    with pytest.raises(InputError, match="撤销奖励时追回金额填0"):
        flows.claw_back(application=app, by=users["guihua"], amount=Decimal("100"), reason="专利被宣告无效")
    flows.claw_back(application=app, by=users["guihua"], amount=Decimal("0"), reason="参评专利被宣告无效")
    app.refresh_from_db()
    assert app.status == AppStatus.CLAWED_BACK and history(app).last().transition == "撤销奖励"
