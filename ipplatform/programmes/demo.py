"""Demo data for the programme engine (idempotent): the 专利资助 and 省专利奖 programme types, a 专利资助 call of this
year with applications of the demo enterprises and university at several stages and one 集中兑付 batch paid (its
年度复核 open, reports pending), and a
省专利奖 round reviewed, publicly noticed (with one objection) and decided. The applications claim the bodies' own
patents of record (verified applicant-name claims, orgs registry); calls, bank details and the objection are marked
演示. Nothing is invented about a real body beyond the demo application itself, which the pages mark 演示数据."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from ipplatform.core.inputs import InputError
from ipplatform.core.models import User
from ipplatform.lib.workdays import add_working_days, is_workday

from . import checks, defaults, eligibility, flows, services
from .enums import AppStatus
from .models import Application, Call

DEMO_BANK = {
    "contact": "演示联系人",
    "phone": "0531-00000000（演示）",
    "bank": "齐鲁银行（演示）",
    "account": "6200000000000000（演示）",
}
SUBSIDY_GUIDE = (
    "一、申报对象：本省企业、高等院校和科研院所。\n二、资助范围：按年度资助政策，已授权发明专利每件定额资助（模拟数据，演示）。\n"
    "三、办理程序：网上申报→市局属地初审→省局形式审查→资助决定→按单位集中兑付。\n四、同一专利同一资助类别只能申请一次。"
)
AWARD_GUIDE = (
    "一、参评条件：在本省实施、取得显著经济社会效益的有效发明专利。\n二、程序：市局推荐→省局形式审查→专家评审→公示5个工作日→授奖决定。\n"
    "三、名额：一等奖、二等奖、三等奖各1项（演示）。"
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("organization").first()


def _claimable(app: Application, *, on: dt.date, limit: int, kinds=("grant",), skip=()) -> list:
    """Patents of the applicant of record that pass every check of the call's policy on `on`."""
    from ipplatform.orgs.services import portfolio_patents

    found = []
    patents = sorted(
        portfolio_patents(app.organization, on=on), key=lambda p: p.grant_date or dt.date.min, reverse=True
    )
    for patent in patents[:200]:
        if patent.pk in skip or patent.is_synthetic:
            continue
        for kind in kinds:
            amount, reasons = services.check_claim(application=app, patent=patent, kind=kind, on=on)
            if not reasons:
                found.append((patent, kind))
                break
        if len(found) >= limit:
            break
    return found


def _subsidy_app(call: Call, user: User, *, on: dt.date, patents: int, skip=()) -> Application | None:
    app = services.start_application(by=user, call=call, title=f"{call.year}年度专利资助申请（演示）", on=on)
    app.is_demo = True
    app.save(update_fields=["is_demo"])
    services.save_form(by=user, application=app, raw=DEMO_BANK)
    services.attach(
        by=user,
        application=app,
        code="licence",
        upload=SimpleUploadedFile(
            "营业执照（演示）.pdf", b"%PDF-1.4\n% demo licence\n", content_type="application/pdf"
        ),
    )
    for patent, kind in _claimable(app, on=on, limit=patents, skip=skip):
        services.add_claim(by=user, application=app, patent_number=patent.pk, kind=kind, on=on)
    if app.items.exists():
        flows.submit(application=app, by=user, on=on)
    app.refresh_from_db()
    return app


def _city_officer(app: Application) -> User | None:
    return _user(f"city{app.region_code[:4]}00")


def _load_subsidy(*, types, office: User, stdout, today: dt.date) -> None:
    call = services.create_call(
        by=office,
        programme=types[defaults.PATENT_SUBSIDY],
        year=today.year,
        title=f"{today.year}年度专利资助（演示）",
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=60),
        budget=Decimal("500000"),
        guide=SUBSIDY_GUIDE,
        is_demo=True,
    )
    on = today - dt.timedelta(days=20)
    done = []
    ent = _user("qilu_ent")
    if ent is not None:
        # the enterprise's application waits for its city bureau's 属地初审
        app = _subsidy_app(call, ent, on=on, patents=2)
        done.append(f"{app.organization.name}：{app.get_status_display()}{app.stage_label}")
    sdu = _user("sdu")
    if sdu is not None:
        # the university's two applications went through to payment: one 集中兑付 line covers both
        taken: set = set()
        for _ in range(2):
            app = _subsidy_app(call, sdu, on=on, patents=1, skip=taken)
            taken |= set(app.items.values_list("patent_id", flat=True))
            officer = _city_officer(app)
            if app.status != AppStatus.ACTIVE or officer is None:
                continue
            flows.check(application=app, by=officer, action="pass", reason="材料齐全，属实（演示）", on=on)
            flows.check(application=app, by=office, action="pass", reason="形式审查合格（演示）", on=on)
            flows.decide_funding(application=app, by=office, approve=True, reason="演示", on=on)
        if services.unpaid_approved(call).exists():
            batch = flows.create_batch(call=call, by=office)
            flows.mark_exported(batch=batch, by=office)
            flows.confirm_paid(batch=batch, by=office, paid_on=today - dt.timedelta(days=3), voucher="演示-记-0001")
            done.append(f"兑付批次{batch.number}：{batch.total}元")
            # the paid applications' 年度复核 is open: the university's reports are due in two weeks
            rnd = checks.open_round(call=call, by=office, kind="annual", due_on=today + dt.timedelta(days=14), on=today)
            done.append(f"{rnd.title}：{rnd.reports.count()}份报告待提交")
    haier = _user("haier")
    if haier is not None:
        app = _subsidy_app(call, haier, on=on, patents=1)
        officer = _city_officer(app)
        if app.status == AppStatus.ACTIVE and officer is not None:
            flows.check(application=app, by=officer, action="pass", reason="材料齐全（演示）", on=on)
        done.append(f"{app.organization.name}：{app.get_status_display()}{_refreshed(app).stage_label}")
    stdout.write(f"项目申报：{call.title}——" + "；".join(done))


def _refreshed(app: Application) -> Application:
    app.refresh_from_db()
    return app


def _workday_on_or_after(day: dt.date) -> dt.date:
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _load_award(*, types, office: User, stdout, today: dt.date) -> None:
    from ipplatform.experts.services import for_user

    programme = types[defaults.PATENT_AWARD]
    opens = today - dt.timedelta(days=150)
    call = services.create_call(
        by=office,
        programme=programme,
        year=today.year,
        title=f"{today.year}年度山东省专利奖（演示）",
        opens_on=opens,
        closes_on=opens + dt.timedelta(days=30),
        budget=Decimal("0"),
        guide=AWARD_GUIDE,
        quotas={"特别奖": 0, "一等奖": 1, "二等奖": 1, "三等奖": 1},
        is_demo=True,
    )
    on = opens + dt.timedelta(days=5)
    apps = []
    for username in ("qilu_ent", "sdu", "haier"):
        user = _user(username)
        if user is None or eligibility.refusals(programme=programme, org=user.organization, on=on):
            continue
        patent = next((p for p in _held_inventions(user.organization, on)), None)
        if patent is None:
            continue
        app = services.start_application(by=user, call=call, title=f"{patent.title[:60]}（演示）", on=on)
        app.is_demo = True
        app.save(update_fields=["is_demo"])
        services.save_form(
            by=user,
            application=app,
            raw={
                "patent_number": patent.pk,
                "summary": f"{patent.title}：演示申报材料，技术内容以专利文献为准。",
                "sales": "0",
                "implementation": "自行实施",
                "recommendation": "同意推荐（演示）",
                **{k: DEMO_BANK[k] for k in ("contact", "phone")},
            },
        )
        flows.submit(application=app, by=user, on=on)
        officer = _city_officer(app)
        if officer is None:
            continue
        flows.check(application=app, by=officer, action="pass", reason="同意推荐（演示）", on=on)
        flows.check(application=app, by=office, action="pass", reason="形式审查合格（演示）", on=on)
        apps.append(app)
    expert_user = _user("expert")
    expert = for_user(expert_user) if expert_user else None
    if not apps or expert is None:
        stdout.write(f"项目申报：{call.title}——无可参评的演示单位或专家，止于申报")
        return
    flows.assign_experts(call=call, by=office, on=on)
    for i, app in enumerate(apps):
        if not app.reviews.filter(expert=expert).exists():
            try:
                flows.assign_expert(application=app, expert=expert, by=office, on=on)
            except InputError as exc:
                stdout.write(f"  {app.organization.name}：{exc.message}")
        for review in app.reviews.select_related("expert__user"):
            scores = {"advanced": 26 - 2 * i, "novelty": 16 - i, "benefit": 25 - 2 * i, "social": 8, "protection": 8}
            if review.expert.user_id:
                flows.submit_review(review=review, by=review.expert.user, scores=scores, comment="演示评审意见")
            else:
                flows.submit_review(
                    review=review, by=office, scores=scores, comment="演示：纸质评分表代录", paper_sheet=True
                )
    flows.finish_review(call=call, by=office)
    start = _workday_on_or_after(today - dt.timedelta(days=60))
    flows.publish_notice(call=call, by=office, start=start)
    objection = flows.raise_objection(
        application=apps[-1],
        name="演示异议人",
        contact="0531-00000000（演示）",
        text="演示：对参评专利的实施效益数据提出异议，请核查。",
        on=add_working_days(start, 1),
    )
    flows.handle_objection(
        objection=objection, by=office, upheld=False, response="演示：经核查，效益数据有合同和发票佐证，异议不成立"
    )
    call.refresh_from_db()
    flows.close_notice(call=call, by=office, on=call.notice_end + dt.timedelta(days=1))
    flows.decide_awards(call=call, by=office, on=call.notice_end + dt.timedelta(days=3))
    stdout.write(
        f"项目申报：{call.title}——"
        + "；".join(f"{a.organization.name}{_refreshed(a).level or a.get_status_display()}" for a in apps)
    )


def _held_inventions(org, on: dt.date):
    from ipplatform.orgs.services import portfolio_patents
    from ipplatform.patents.legalstate import grant_date_of

    for p in portfolio_patents(org, on=on):
        if (
            p.patent_type == "invention"
            and not p.is_synthetic
            and (g := grant_date_of(patent=p))
            and g <= on
            and p.valid_at(on)
        ):
            yield p


@transaction.atomic
def load(*, stdout, options=None):
    types = defaults.ensure_programmes()
    office = _user("guihua")
    if office is None:
        stdout.write("项目申报：演示账号缺失，跳过")
        return
    # its own programmes' demo calls (other apps run their schemes on the engine with demo calls of their own)
    if Call.objects.filter(is_demo=True, programme__code__in=[defaults.PATENT_SUBSIDY, defaults.PATENT_AWARD]).exists():
        stdout.write("项目申报：演示年度申报已存在")
        return
    today = services.today()
    _load_subsidy(types=types, office=office, stdout=stdout, today=today)
    _load_award(types=types, office=office, stdout=stdout, today=today)
