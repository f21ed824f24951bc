"""专利资助 in the browser: 时代新纪元 applies, 济南's bureau checks (属地初审), the office reviews and decides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ipplatform.core.workflow import history
from ipplatform.programmes.enums import AppStatus
from ipplatform.programmes.models import Application


@pytest.mark.browser
def test_subsidy_application_through_the_bureau_and_the_office(
    transactional_db, live_server, page, login, screenshot, users, programmes, owners, make_patent
):
    from ipplatform.programmes import services

    today = timezone.localdate()
    call = services.create_call(
        by=users["guihua"],
        programme=programmes["patent_subsidy"],
        year=today.year,
        title=f"{today.year}年度专利资助",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        budget=Decimal("300000"),
        guide="一、申报对象：本省企业、高等院校和科研院所。\n二、资助标准见下表（模拟数据）。",
    )
    patent = make_patent(filed=dt.date(2022, 3, 1), granted=dt.date(2024, 6, 18))
    utility = make_patent(patent_type="utility", filed=dt.date(2023, 3, 1), granted=dt.date(2023, 9, 1))

    login(page, live_server, "qilu_ent")
    page.goto(f"{live_server.url}/programmes/calls/{call.pk}/")
    assert "不符合" not in page.inner_text("#eligibility") and "未列入严重失信主体名单" in page.inner_text(
        "#eligibility"
    )
    screenshot(page, "programmes-01-call-eligibility")
    page.click("#start-apply")
    page.fill("input[name=contact]", "郑经理")
    page.fill("input[name=phone]", "0531-88888888")
    page.fill("input[name=bank]", "齐鲁银行济南分行")
    page.fill("input[name=account]", "6222000011112222")
    page.click("#save-form")
    assert "申报表已保存" in page.content()
    page.fill("#claim-form input[name=patent]", utility.pk)
    page.click("#add-claim")
    assert "不支持实用新型专利的授权资助" in page.content()  # the later policy funds granted inventions only
    page.fill("#claim-form input[name=patent]", patent.pk)
    page.click("#add-claim")
    assert "已加入申报" in page.content() and page.inner_text("#claims-total") == "5000.00"
    screenshot(page, "programmes-02-enterprise-draft")
    assert page.is_hidden("#submit-app")  # submitting is on the 办理 tab, the form on 申报内容
    page.click("#tablink-handle")
    page.click("#submit-app")
    assert page.inner_text("#app-status") == "办理中"
    app = Application.objects.get(call=call)
    assert app.stage == "city_check"

    page.context.clear_cookies()
    login(page, live_server, "city370100")
    page.goto(f"{live_server.url}/programmes/calls/{call.pk}/applications/")
    page.click(f"#applications a[href='/programmes/applications/{app.pk}/']")
    page.check("#check-form input[value=pass]")
    page.fill("#check-form input[name=reason]", "材料齐全，专利权属清楚")
    screenshot(page, "programmes-03-city-check")
    page.click("#check-submit")
    assert "审查结论已记录" in page.content()

    page.context.clear_cookies()
    login(page, live_server, "guihua")
    page.goto(f"{live_server.url}/programmes/applications/{app.pk}/")
    page.check("#check-form input[value=pass]")
    page.click("#check-submit")
    page.click("#approve")
    assert "资助决定已记录" in page.content() and "5000.00" in page.inner_text("#app-amount")
    screenshot(page, "programmes-04-office-decided")
    app.refresh_from_db()
    assert app.status == AppStatus.APPROVED and app.stage == "payment"
    assert [r.transition for r in history(app)] == ["提交申报", "属地初审通过", "形式审查通过", "批准资助"]


def _last_workday(day: dt.date) -> dt.date:
    from ipplatform.lib.workdays import is_workday

    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day


@pytest.mark.browser
def test_award_scored_noticed_objected_and_a_batch_paid(
    transactional_db, live_server, page, login, screenshot, users, programmes, owners, make_patent
):
    """Experts score a 省专利奖 nomination, the office publishes the 公示, the public objects, the office decides the
    objection and downloads the 公示名单; then a 专利资助 集中兑付 batch is exported and confirmed."""
    from ipplatform.core.models import User
    from ipplatform.experts.models import Expert
    from ipplatform.programmes import flows, services
    from ipplatform.programmes.enums import BatchState, ObjectionState
    from ipplatform.programmes.models import Objection, PaymentBatch

    today = timezone.localdate()
    office = users["guihua"]
    award = services.create_call(
        by=office,
        programme=programmes["patent_award"],
        year=today.year,
        title=f"{today.year}年度山东省专利奖",
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=10),
        budget=Decimal("0"),
        quotas={"一等奖": 1},
    )
    patent = make_patent(filed=dt.date(2019, 3, 1), granted=dt.date(2021, 6, 18))
    user = users["qilu_ent"]
    app = services.start_application(by=user, call=award, title="锂电池电极材料专利")
    services.save_form(
        by=user,
        application=app,
        raw={
            "patent_number": patent.pk,
            "summary": "一种锂电池电极材料。",
            "sales": "1200",
            "implementation": "自行实施",
            "contact": "郑经理",
            "phone": "0531-88888888",
        },
    )
    flows.submit(application=app, by=user)
    flows.check(application=app, by=users["city370100"], action="pass", reason="推荐")
    flows.check(application=app, by=office, action="pass", reason="形式审查合格")
    experts = []
    for i, account in enumerate([users["expert"], None, None]):
        account = account or User.objects.create(username=f"award_panel{i}", role="expert", real_name=f"专家{i}")
        expert = Expert.objects.filter(user=account).first() or Expert.objects.create(
            user=account,
            name=account.real_name or f"专家{i}",
            ipc_codes="H01M",
            uses=["awards"],
            employer_name="某大学",
        )
        experts.append(expert)
        flows.assign_expert(application=app, expert=expert, by=office)
    scores = {"advanced": 25, "novelty": 16, "benefit": 24, "social": 8, "protection": 8}
    for review in app.reviews.exclude(expert=experts[0]):
        flows.submit_review(review=review, by=review.expert.user, scores=scores)

    login(page, live_server, "expert")
    page.goto(f"{live_server.url}/programmes/reviews/")
    page.click(f"a[href='/programmes/reviews/{app.reviews.get(expert=experts[0]).pk}/']")
    for code, value in scores.items():
        page.fill(f"#review-form input[name={code}]", str(value))
    page.fill("#review-form textarea[name=comment]", "技术先进，效益显著")
    screenshot(page, "programmes-05-expert-scores")
    page.click("#review-form button[type=submit]")
    assert app.reviews.filter(submitted_at__isnull=True).count() == 0

    page.context.clear_cookies()
    login(page, live_server, "guihua")
    page.goto(f"{live_server.url}/programmes/calls/{award.pk}/")
    page.click("text=汇总评分并排名")
    assert "已汇总1件申报的评分并排名" in page.content()
    page.fill("input[name=start]", _last_workday(today).isoformat())
    page.click("text=发布公示（1件）")
    assert "公示期" in page.content()

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/programmes/calls/{award.pk}/notice/")
    page.click("#notice summary")
    page.fill("#notice input[name=name]", "张三")
    page.fill("#notice input[name=contact]", "13800000000")
    page.fill("#notice textarea[name=text]", "参评专利的销售额数据与实际不符，请核查。")
    screenshot(page, "programmes-06-public-objection")
    page.click("#notice button[type=submit]")
    objection = Objection.objects.get(application=app)
    assert objection.state == ObjectionState.OPEN and objection.name == "张三"
    with page.expect_download() as notice_doc:
        page.click("#notice-doc")
    assert notice_doc.value.suggested_filename.endswith("公示名单.docx")
    from tests.conftest import SCREENSHOT_DIR

    notice_doc.value.save_as(SCREENSHOT_DIR / "programmes-notice.docx")  # kept to be rendered and looked at

    login(page, live_server, "guihua")
    page.goto(f"{live_server.url}/programmes/calls/{award.pk}/")
    page.select_option("#objections select[name=decision]", "dismissed")
    page.fill("#objections input[name=response]", "经核查，销售额有合同和发票佐证")
    page.click("#objections button[type=submit]")
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED
    screenshot(page, "programmes-07-objection-handled")

    subsidy = services.create_call(
        by=office,
        programme=programmes["patent_subsidy"],
        year=today.year,
        title=f"{today.year}年度专利资助",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        budget=Decimal("300000"),
    )
    funded = services.start_application(by=user, call=subsidy)
    services.save_form(
        by=user,
        application=funded,
        raw={"contact": "郑经理", "phone": "0531-88888888", "bank": "齐鲁银行济南分行", "account": "6222000011112222"},
    )
    services.add_claim(by=user, application=funded, patent_number=patent.pk, kind="grant")
    flows.submit(application=funded, by=user)
    flows.check(application=funded, by=users["city370100"], action="pass")
    flows.check(application=funded, by=office, action="pass")
    flows.decide_funding(application=funded, by=office, approve=True)
    page.goto(f"{live_server.url}/programmes/calls/{subsidy.pk}/")
    page.click("text=生成集中兑付批次")
    batch = PaymentBatch.objects.get(call=subsidy)
    with page.expect_download() as sheet:
        page.click("#export-batch")
    assert sheet.value.suggested_filename.endswith(".xlsx")
    page.reload()
    page.fill("input[name=voucher]", "记-2026-0101")
    page.click("text=确认已兑付")
    batch.refresh_from_db()
    assert batch.state == BatchState.PAID and batch.voucher == "记-2026-0101"
    assert page.inner_text("#batch-state") == "已兑付"
    screenshot(page, "programmes-08-batch-paid")


@pytest.mark.browser
def test_office_enters_a_new_years_funding_policy(transactional_db, live_server, page, login, screenshot, programmes):
    login(page, live_server, "guihua")
    page.goto(f"{live_server.url}/programmes/types/")
    page.click(f"a[href='/programmes/types/{programmes['patent_subsidy'].pk}/policies/']")
    assert page.input_value("input[name=year]") == "2017"  # one year after the latest (demo) policy
    page.fill("input[name=year]", "2027")
    page.fill("input[name=title]", "2027年专利资助标准")
    page.fill("input[name='amount_invention:grant']", "6000")
    page.fill("input[name='amount_utility:grant']", "八百")
    page.click("#policy-save")
    assert "实用新型专利授权资助标准（元）“八百”不是有效的数字" in page.inner_text("#policy-error")
    assert page.input_value("input[name=title]") == "2027年专利资助标准"  # what was typed is kept
    screenshot(page, "programmes-policy-01-refused")
    page.fill("input[name='amount_utility:grant']", "800")
    page.click("#policy-save")
    row = page.locator("#policies tr", has_text="2027年专利资助标准")
    assert "6000" in row.inner_text() and "800" in row.inner_text() and "模拟数据" not in row.inner_text()
    screenshot(page, "programmes-policy-02-saved")
