"""The work plan's other schemes (schemes.py), each walked end to end on the demo organisations: apply, the stages
its data lists (属地, 形式审查, 专家评审, 公示), the decision and what it confers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipplatform.core.inputs import InputError
from ipplatform.core.models import User
from ipplatform.core.regions import city_code_of
from ipplatform.core.workflow import history
from ipplatform.experts.models import Expert
from ipplatform.programmes import eligibility, flows, schemes, services
from ipplatform.programmes.enums import AppStatus
from ipplatform.programmes.models import OrgStatus

from .conftest import BANK, ON

CONTACT = {"contact": "郑经理", "phone": "0531-88888888"}
NOTICE_CLOSED = dt.date(2015, 9, 22)  # the 5 working days from 2015-09-15 end on 09-21

FORMS = {
    schemes.STAR: {
        "invention_valid": "1",
        "sales": "3200",
        "management": "设专利管理办公室，制度齐全",
        "highlights": "专利产品销售收入占比过半",
        **CONTACT,
    },
    schemes.COMPLIANT: {"ip_staff": "3", "ip_budget": "120", "system": "已建立知识产权管理制度", **CONTACT},
    schemes.ADVANTAGE: {"invention_valid": "1", "plan": "三年培育方案", **CONTACT},
    schemes.STANDARD: {
        "cert_no": "165IP150001R0M",
        "cert_body": "中知（北京）认证有限公司",
        "cert_issued": "2015-06-01",
        "cert_valid_until": "2018-05-31",
        "cert_scope": "锂电池材料的研发、生产和销售",
        **BANK,
    },
    schemes.PILOT: {
        "pilot_kind": "试点城市",
        "year": "2014",
        "applications": "10",
        "grants": "5",
        "invention_per_10k": "4.5",
        "measures": "完成年度试点任务",
        **CONTACT,
    },
    schemes.OPERATION_PILOT: {"deals": "12", "deal_value": "800", "plan": "建设专利运营平台", **BANK},
    schemes.RIGHTS_FUND: {
        "case": "某公司仿制本单位专利产品",
        "counterparty": "某公司",
        "case_no": "（2015）济民三初字第1号",
        "spent": "60000",
        "requested": "80000",
        **BANK,
    },
    schemes.OPERATION_FUND: {
        "project": "锂电池专利产业化",
        "patents": "201310000001X",
        "investment": "3000",
        "requested": "3000000",
        "plan": "建设生产线",
        **BANK,
    },
}
FILES = {
    schemes.STAR: ["report"],
    schemes.COMPLIANT: ["self_eval"],
    schemes.ADVANTAGE: ["plan"],
    schemes.STANDARD: ["certificate"],
    schemes.PILOT: ["summary"],
    schemes.OPERATION_PILOT: ["plan"],
    schemes.RIGHTS_FUND: ["filing", "invoices"],
    schemes.OPERATION_FUND: ["plan"],
}


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.SHARED_DIR = tmp_path


@pytest.fixture
def panel(db):
    """Three experts with accounts, none working for the demo applicants."""
    out = []
    for i in range(3):
        user = User.objects.create(username=f"scheme_expert{i}", role="expert", real_name=f"评审专家{i}")
        out.append(Expert.objects.create(user=user, name=f"评审专家{i}", ipc_codes="H01M", employer_name="某研究院"))
    return out


def pdf(name="报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


@pytest.fixture
def apply(users, make_call):
    def make(code, username="qilu_ent", *, call=None, form=None):
        call = call or make_call(code, budget="10000000")
        user = users[username]
        app = services.start_application(by=user, call=call, on=ON)
        services.save_form(by=user, application=app, raw=form or FORMS[code])
        for code_ in FILES[code]:
            services.attach(by=user, application=app, code=code_, upload=pdf())
        flows.submit(application=app, by=user, on=ON)
        app.refresh_from_db()
        return app

    return make


@pytest.fixture
def walk(users, panel):
    """Walk an application through its programme's stages up to the decision stage, whoever each stage names."""

    def run(app):
        programme = app.call.programme
        for _ in range(len(programme.stages)):
            app.refresh_from_db()
            stage = programme.stage(app.stage)
            if app.status != AppStatus.ACTIVE or stage["code"] == "decision":
                return app
            if stage["actor"] == "city":
                city = users[f"city{city_code_of(app.region_code)}"]
                flows.check(application=app, by=city, action="pass", reason="同意推荐", on=ON)
            elif stage["actor"] == "expert":
                for expert in panel:
                    review = flows.assign_expert(application=app, expert=expert, by=users["guihua"], on=ON)
                    scores = {c["code"]: c["max"] * 4 // 5 for c in programme.review["criteria"]}
                    flows.submit_review(review=review, by=expert.user, scores=scores, comment="符合要求")
                flows.finish_review(call=app.call, by=users["guihua"])
            elif stage.get("notice"):
                flows.publish_notice(call=app.call, by=users["guihua"], start=ON)
                flows.close_notice(call=app.call, by=users["guihua"], on=NOTICE_CLOSED)
            else:
                flows.check(application=app, by=users["guihua"], action="pass", reason="材料齐全", on=ON)
        app.refresh_from_db()
        return app

    return run


def stages_walked(app) -> list[str]:
    return [t.transition for t in history(app)]


def test_every_scheme_is_configured_with_its_parts(programmes):
    for spec in schemes.SCHEMES:
        programme = programmes[spec["code"]]
        assert programme.form_fields and programme.eligibility and programme.stages
        assert programme.stage("decision"), programme.code
        assert "模拟数据" in programme.description
        if programme.stage("review"):
            assert programme.review["criteria"], programme.code
        assert {r["rule"] for r in programme.eligibility} <= set(eligibility.RULES)


def test_star_enterprise_recognition_confers_the_status(apply, walk, users, owners, make_patent):
    make_patent()  # a granted invention of 时代新纪元 (verified claim)
    app = walk(apply(schemes.STAR))
    assert app.stage == "decision"
    steps = [t for t in stages_walked(app) if t != "指定评审专家"]
    assert steps == ["提交申报", "属地推荐通过", "形式审查通过", "专家评审汇总", "发布公示", "公示期满"]
    flows.decide_recognition(application=app, by=users["guihua"], approve=True, on=ON)
    app.refresh_from_db()
    assert app.status == AppStatus.APPROVED and app.level == "认定" and app.certificate_no == "鲁专明星2015-001"
    status = OrgStatus.objects.get(application=app)
    assert status.label == "中国专利山东明星企业" and status.valid_until == dt.date(2018, 9, 15)
    assert app.stage == "certificate"


def test_star_enterprise_needs_a_granted_invention(make_call, users, owners):
    call = make_call(schemes.STAR)
    with pytest.raises(InputError, match="经核验的本单位发明有效专利0件"):
        services.start_application(by=users["qilu_ent"], call=call, on=ON)


def test_compliant_then_advantage_recommendation_needs_the_status(apply, walk, users, owners, make_patent, make_call):
    make_patent()
    advantage_call = make_call(schemes.ADVANTAGE)
    with pytest.raises(InputError, match="须持有“山东省知识产权达标企业”或“中国专利山东明星企业”称号"):
        services.start_application(by=users["qilu_ent"], call=advantage_call, on=ON)
    app = walk(apply(schemes.COMPLIANT))
    assert [t for t in stages_walked(app) if "通过" in t] == ["市局初审通过", "形式审查通过"]
    flows.decide_recognition(application=app, by=users["guihua"], approve=True, reason="现场验收合格", on=ON)
    app.refresh_from_db()
    assert app.level == "验收合格" and app.certificate_no.startswith("鲁知达标2015-")
    recommended = walk(apply(schemes.ADVANTAGE, call=advantage_call))
    flows.decide_recognition(application=recommended, by=users["guihua"], approve=True, on=ON)
    recommended.refresh_from_db()
    assert recommended.status == AppStatus.APPROVED and recommended.level == "推荐至国家知识产权局"
    assert not OrgStatus.objects.filter(application=recommended).exists()  # the national office decides the status


def test_standard_subsidy_checks_the_certificate(users, make_call, walk, apply):
    call = make_call(schemes.STANDARD, budget="100000")
    user = users["qilu_ent"]
    app = services.start_application(by=user, call=call, on=ON)
    services.save_form(by=user, application=app, raw=dict(FORMS[schemes.STANDARD], cert_valid_until="2015-08-31"))
    with pytest.raises(InputError, match="请上传附件“知识产权管理体系认证证书”.*认证证书已于2015-08-31过期"):
        flows.submit(application=app, by=user, on=ON)
    services.save_form(by=user, application=app, raw=dict(FORMS[schemes.STANDARD], cert_issued="2012-01-10"))
    services.attach(by=user, application=app, code="certificate", upload=pdf("证书.pdf"))
    with pytest.raises(InputError, match="认证证书颁发于2012-01-10，本项目只资助2年内取得的认证"):
        flows.submit(application=app, by=user, on=ON)
    services.save_form(by=user, application=app, raw=FORMS[schemes.STANDARD])
    flows.submit(application=app, by=user, on=ON)
    app = walk(app)
    assert app.requested == Decimal("50000")
    flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    batch = flows.create_batch(call=call, by=users["guihua"])
    flows.mark_exported(batch=batch, by=users["guihua"])
    flows.confirm_paid(batch=batch, by=users["guihua"], paid_on=dt.date(2015, 10, 20), voucher="记-2015-101")
    app.refresh_from_db()
    assert app.status == AppStatus.PAID and app.amount == Decimal("50000") and batch.total == Decimal("50000")


def test_pilot_assessment_by_a_city_bureau_shows_computed_indicators(apply, walk, users, make_patent, reference_data):
    from ipplatform.analytics import aggregates
    from ipplatform.programmes import indicators

    for i in range(3):
        make_patent(filed=dt.date(2014, 3, 1 + i), granted=dt.date(2014, 11, 1) if i < 2 else None)
    aggregates.rebuild()
    app = walk(apply(schemes.PILOT, "city370100"))
    figures = {i.field: i for i in indicators.for_application(app)}
    assert figures["applications"].reported == 10 and figures["applications"].computed == 3
    assert figures["grants"].computed == 2 and "2014年内按授权日" in figures["grants"].basis
    per_10k = figures["invention_per_10k"]
    assert per_10k.computed is not None and "常住人口" in per_10k.basis and "有效发明专利2件" in per_10k.basis
    with pytest.raises(InputError, match="请从优秀、合格、不合格中选择结论"):
        flows.decide_recognition(application=app, by=users["guihua"], approve=True, level="良好", on=ON)
    flows.decide_recognition(application=app, by=users["guihua"], approve=True, level="合格", on=ON)
    app.refresh_from_db()
    assert app.status == AppStatus.APPROVED and app.level == "合格"


def test_pilot_assessment_fails_with_a_reason(apply, walk, users):
    app = walk(apply(schemes.PILOT, "huangdao"))
    with pytest.raises(InputError, match="须写明理由"):
        flows.decide_recognition(application=app, by=users["guihua"], approve=True, level="不合格", on=ON)
    flows.decide_recognition(application=app, by=users["guihua"], approve=True, level="不合格", reason="任务未完成")
    app.refresh_from_db()
    assert app.status == AppStatus.REJECTED and app.level == "不合格"


def test_pilot_assessment_is_not_open_to_enterprises(make_call, users):
    with pytest.raises(InputError, match="本项目仅限市知识产权局、县（市、区）知识产权局申报"):
        services.start_application(by=users["qilu_ent"], call=make_call(schemes.PILOT), on=ON)


def test_operation_pilot_funds_and_confers_the_status(apply, walk, users):
    app = walk(apply(schemes.OPERATION_PILOT, "sdu"))
    assert "发布公示" in stages_walked(app) and "专家评审汇总" in stages_walked(app)
    flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    app.refresh_from_db()
    assert app.amount == Decimal("300000") and app.stage == "payment"
    assert OrgStatus.objects.get(application=app).label == "山东省专利运营试点单位"


def test_rights_fund_pays_no_more_than_was_spent(apply, walk, users):
    app = walk(apply(schemes.RIGHTS_FUND))
    flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    app.refresh_from_db()
    assert app.amount == Decimal("60000")  # asked 80000, spent 60000


def test_rights_fund_is_for_smaller_bodies(make_call, users):
    with pytest.raises(InputError, match="本项目仅限中型、小型、微型企业"):
        services.start_application(by=users["haier"], call=make_call(schemes.RIGHTS_FUND), on=ON)


def test_operation_fund_caps_the_support(apply, walk, users, owners, make_patent):
    make_patent()
    app = walk(apply(schemes.OPERATION_FUND))
    flows.decide_funding(application=app, by=users["guihua"], approve=False, reason="市场前景不明")
    app.refresh_from_db()
    assert app.status == AppStatus.REJECTED
    again = walk(apply(schemes.OPERATION_FUND, call=app.call))
    flows.decide_funding(application=again, by=users["guihua"], approve=True, on=ON)
    again.refresh_from_db()
    assert again.amount == Decimal("2000000")  # asked 3,000,000; the scheme's maximum
