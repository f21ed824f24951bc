"""Demo data for 质押融资与价值评估 (idempotent): value-model weights, subsidy rules for the province and 青岛,
a risk compensation fund, and pledges, a valuation and pledge-interest applications (on the programme engine: a demo
call of 质押融资贴息) on real patent records of the demo enterprises' own names (verified applicant-name claims, orgs
registry). Demo contracts are numbered DEMO-…; pages say 演示数据."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ipplatform.core.models import User
from ipplatform.patents.models import Patent
from ipplatform.programmes import flows
from ipplatform.programmes import services as programme_services

from . import pledges, subsidies, subsidy_programmes, valuations
from .enums import Scenario
from .models import FundContribution, Pledge, RiskFund, SubsidyRule

DEMO_PREFIX = "DEMO-"
MIN_OWN_PATENTS = 4  # the pledgor's own patents in force that the four demo pledges need (one each at least)


def _user(username):
    return User.objects.filter(username=username).select_related("organization").first()


def _rules(by, year: int) -> None:
    specs = [
        {
            "kind": "interest",
            "region_code": "370000",
            "name": "科技型小微企业知识产权质押融资贴息",
            "mode": "interest_share",
            "share": "0.5",
            "cap_per_enterprise": "50",
            "sme_only": True,
            "first_pledge_only": True,
            "basis": "《山东省科技型小微企业知识产权质押融资贴息、补助办法》（演示）",
        },
        {
            "kind": "interest",
            "region_code": "370200",
            "name": "青岛市专利权质押贷款贴息",
            "mode": "lpr_share",
            "share": "0.6",
            "lpr_rate": "3.10" if year >= 2020 else "4.35",
            "cap_per_enterprise": "30",
            "require_repaid": True,
            "require_registered_before_disbursement": True,
            "basis": "青岛市专利质押贴息办法（演示）",
        },
        {
            "kind": "premium",
            "region_code": "370000",
            "name": "专利保险保费补助",
            "mode": "premium_share",
            "share": "0.6",
            "cap_per_enterprise": "10",
            "basis": "山东省专利保险试点工作方案（演示）",
        },
    ]
    for spec in specs:
        if not SubsidyRule.objects.filter(kind=spec["kind"], region_code=spec["region_code"], year=year).exists():
            subsidies.save_rule(by=by, data={**spec, "year": year})


def _subsidy_call(by, year: int):
    """This year's demo call of 质押融资贴息 on the programme engine (budget and dates 演示)."""
    from ipplatform.programmes.models import Call

    programme = subsidy_programmes.ensure_programme_types()[subsidy_programmes.PLEDGE_INTEREST]
    found = Call.objects.filter(programme=programme, year=year, is_demo=True).first()
    return found or programme_services.create_call(
        by=by,
        programme=programme,
        year=year,
        title=f"{year}年知识产权质押融资贴息（演示）",
        opens_on=dt.date(year, 1, 1),
        closes_on=dt.date(year, 12, 31),
        budget=Decimal("2000000"),
        guide="演示数据：贴息按企业所在地市（否则全省）当年的补助政策规则计算，公示5个工作日，集中兑付。",
        is_demo=True,
    )


def _apply(user, call, pledge, facts: dict, *, on: dt.date):
    """A pledge-interest application of `user`'s organisation about `pledge`, filled in and submitted on `on`."""
    app = programme_services.start_application(by=user, call=call, on=on)
    app.is_demo = True
    app.save(update_fields=["is_demo"])
    raw = {"pledge_no": pledge.cnipa_registration_no, "contact": "财务部（演示）", "phone": "0531-00000000", **facts}
    programme_services.save_form(by=user, application=app, raw=raw)
    return flows.submit(application=app, by=user, on=on)


def _valid_patents(applicant_q: Q, on: dt.date, limit: int) -> list[Patent]:
    qs = (
        Patent.objects.filter(applicant_q, is_synthetic=False)
        .exclude(patent_type="")
        .distinct()
        .prefetch_related("legal_events", "applicant_links__applicant")
        .order_by("application_date", "id")
    )
    out = []
    for p in qs[:400]:
        if p.valid_at(on) and p.term_end and p.term_end > on + dt.timedelta(days=200):
            out.append(p)
        if len(out) >= limit:
            break
    return out


def _own_valid_patents(user, on: dt.date, limit: int) -> list[Patent]:
    """In-force patents the user's organisation holds through its verified applicant-name claims (orgs registry)."""
    from ipplatform.orgs.services import portfolio_ids

    if user is None or user.organization is None:
        return []
    return _valid_patents(Q(pk__in=portfolio_ids(user.organization)), on, limit)


@transaction.atomic
def load(*, stdout, options=None):
    today = timezone.localdate()
    x, bank, ent = _user("xietiao"), _user("bank"), _user("qilu_ent")
    if x is None or bank is None or ent is None:
        stdout.write("finance: 演示账号缺失，跳过")
        return
    for scenario in Scenario.values:
        valuations.current_model(scenario=scenario)
    for year in sorted({today.year, 2015}):
        _rules(x, year)
    subsidy_programmes.ensure_programme_types()
    fund, created = RiskFund.objects.get_or_create(
        name="山东省专利权质押融资风险补偿资金（演示）",
        defaults={
            "region_code": "370000",
            "sharing_ratio": Decimal("0.4"),
            "cap_per_loan": Decimal("200"),
            "established_on": dt.date(2015, 12, 1),
        },
    )
    if created:
        FundContribution.objects.create(
            fund=fund, date=dt.date(2015, 12, 1), amount=Decimal("2000"), source="省财政知识产权专项资金"
        )
        FundContribution.objects.create(
            fund=fund, date=dt.date(today.year, 1, 15), amount=Decimal("1000"), source="省财政追加"
        )
    if Pledge.objects.filter(contract_number__startswith=DEMO_PREFIX).exists():
        stdout.write("finance: 演示质押数据已存在")
        return
    year = today.year
    jan = dt.date(year, 1, 5)
    # The pledgor is a demo enterprise or university that holds enough patents of its own (verified claims of its own
    # name); no organisation is linked to another body's patents.
    ent, patents = None, []
    for username in ("qilu_ent", "laiwu_ent", "haier", "sdu"):
        own = _own_valid_patents(_user(username), today, 9)
        if len(own) >= MIN_OWN_PATENTS:
            ent, patents = _user(username), own
            break
    if ent is None:
        stdout.write(
            f"finance: 演示企业和高校（真实申请人，只认领本单位名称）在专利库中均不足{MIN_OWN_PATENTS}件有效专利，未生成演示质押"
            "（政策规则、模型权重和风险补偿资金已生成）"
        )
        return
    # four pledges (A repaid, B active, F defaulted, D awaiting confirmation) on distinct patents: A takes what the
    # other three leave (1 to 3 patents), each of the others one or two
    a_n = max(1, min(3, len(patents) - 3))
    spare = patents[a_n:]
    b_items, f_items, d_items = spare[0:1], spare[1:2], spare[2:4] if len(spare) >= 4 else spare[2:3]
    org = ent.organization
    second = next(
        (u for u in (_user(n) for n in ("haier", "sdu", "qilu_ent", "laiwu_ent")) if u and u.organization_id != org.pk),
        None,
    )
    haier_patents = [p for p in _own_valid_patents(second, today, 12) if p not in patents][:3] if second else []
    scope = "主债权本金、利息、罚息、复利、违约金、损害赔偿金和实现质权的费用"

    def pledge(pledgor_user, items, n, *, registered, debt, start, end, disbursed):
        earliest_end = min(p.term_end for p in items)
        data = {
            "contract_number": f"{DEMO_PREFIX}QLYH-{start:%Y%m}-{n:03d}",
            "contract_date": registered - dt.timedelta(days=7),
            "debt_amount": Decimal(debt),
            "debt_start": start,
            "debt_end": min(end, earliest_end - dt.timedelta(days=1)),
            "security_scope": scope,
            "loan_rate": Decimal("4.35"),
            "disbursed_on": disbursed,
            "co_owner_consent": True,
            "risks_confirmed": True,
        }  # the parties confirmed the same-day filing risk in writing
        p = pledges.create_pledge(by=bank, pledgor=pledgor_user.organization, patents=items, data=data)
        pledges.confirm_pledge(
            pledge=p, by=pledgor_user, co_owner_consent=True, today=registered - dt.timedelta(days=2)
        )
        return p

    # A: first pledge of the year, repaid and cancelled; interest subsidy checked, noticed, decided and put in an
    # exported payment batch on the programme engine
    a = pledge(
        ent,
        patents[0:a_n],
        1,
        registered=dt.date(year, 1, 8),
        debt="300",
        start=dt.date(year, 1, 12),
        end=dt.date(year, 9, 30),
        disbursed=dt.date(year, 1, 12),
    )
    v = valuations.create_valuation(
        by=bank, title="", scenario=Scenario.PLEDGE, patents=patents[0:a_n], organization=org, as_of=jan
    )
    demo_scores = [
        {
            "stability": 8,
            "non_circumvention": 6,
            "dependency": 8,
            "detectability": 8,
            "remaining_term": 6,
            "multi_country": 0,
            "licensing": 10,
            "advancement": 6,
            "trend": 8,
            "applicability": 6,
            "complementary": 8,
            "substitutability": 6,
            "maturity": 8,
            "market_application": 8,
            "market_size": 6,
            "market_share": 4,
            "competition": 6,
            "policy_fit": 8,
        },
    ]
    for i, item in enumerate(v.items.all()):
        scores = dict(demo_scores[0])
        scores["stability"] = [8, 6, 8][i % 3]
        scores["market_share"] = [4, 6, 2][i % 3]
        valuations.score_item(
            item=item, by=bank, scores=scores, comments={"stability": "检索未发现破坏新颖性的对比文件"}
        )
    valuations.generate_report(valuation=v, by=bank)
    a.valuation = v
    a.save(update_fields=["valuation"])
    pledges.register_pledge(pledge=a, by=x, today=dt.date(year, 1, 8))
    pledges.record_cnipa_registration(
        pledge=a,
        by=x,
        registration_no=f"演示数据-Y{year}3700001",
        registered_on=dt.date(year, 1, 8),
        today=dt.date(year, 1, 8),
    )
    if today > dt.date(year, 10, 12):
        pledges.cancel_pledge(
            pledge=a,
            by=bank,
            reason="借款人已按期还本付息，申请注销",
            repaid_on=dt.date(year, 9, 30),
            today=dt.date(year, 10, 9),
        )
        call = _subsidy_call(x, year)
        app = _apply(
            ent,
            call,
            a,
            {"interest_paid": "9.79", "bank": "齐鲁银行济南分行", "account": "8000 1234 5678（演示）"},
            on=dt.date(year, 10, 9),
        )
        city = _user(f"city{org.city_code}")
        if city is not None:  # 属地初审 by the bureau of the enterprise's city, then 公示 for 5 working days
            flows.check(
                application=app, by=city, action="pass", reason="材料齐全，首次质押，符合条件", on=dt.date(year, 10, 9)
            )
            flows.publish_notice(call=call, by=x, start=dt.date(year, 10, 12))
            call.refresh_from_db()
            if today > call.notice_end:
                after = call.notice_end + dt.timedelta(days=1)
                flows.close_notice(call=call, by=x, on=after)
                flows.decide_funding(application=app, by=x, approve=True, reason="公示期满无异议", on=after)
                batch = flows.create_batch(call=call, by=x)
                flows.mark_exported(batch=batch, by=x)

    # B: active pledge under the risk fund; F: defaulted, compensated, disposed
    b = pledge(
        ent,
        b_items,
        2,
        registered=dt.date(year, 6, 15),
        debt="500",
        start=dt.date(year, 6, 18),
        end=dt.date(year + 1, 6, 17),
        disbursed=dt.date(year, 6, 18),
    )
    pledges.register_pledge(pledge=b, by=x, today=dt.date(year, 6, 15))
    pledges.record_cnipa_registration(
        pledge=b,
        by=x,
        registration_no=f"演示数据-Y{year}3700002",
        registered_on=dt.date(year, 6, 15),
        today=dt.date(year, 6, 15),
    )
    subsidies.cover_loan(fund=fund, pledge=b, by=bank, today=dt.date(year, 6, 20))
    f = pledge(
        ent,
        f_items,
        3,
        registered=dt.date(year, 2, 3),
        debt="200",
        start=dt.date(year, 2, 5),
        end=dt.date(year, 8, 4),
        disbursed=dt.date(year, 2, 5),
    )
    pledges.register_pledge(pledge=f, by=x, today=dt.date(year, 2, 3))
    pledges.record_cnipa_registration(
        pledge=f,
        by=x,
        registration_no=f"演示数据-Y{year}3700003",
        registered_on=dt.date(year, 2, 3),
        today=dt.date(year, 2, 3),
    )
    loan = subsidies.cover_loan(fund=fund, pledge=f, by=bank, today=dt.date(year, 2, 6))
    if today > dt.date(year, 9, 1):
        report = subsidies.report_default(
            loan=loan,
            by=bank,
            outstanding="200",
            recovered="60",
            description="借款人经营困难，逾期未还本金",
            reported_on=dt.date(year, 8, 20),
        )
        subsidies.decide_default(report=report, by=x, approve=True, reason="经核实符合补偿条件")
        subsidies.pay_default(report=report, by=x, paid_on=dt.date(year, 9, 1))
        pledges.dispose_pledge(
            pledge=f, by=bank, reason="质押专利经协议折价转让给第三方，所得60万元偿还贷款", today=dt.date(year, 9, 1)
        )

    # D: awaiting the enterprise's confirmation; E: refused — the pledgor is not the registered patentee
    data = {
        "contract_number": f"{DEMO_PREFIX}QLYH-{year}11-004",
        "contract_date": today,
        "debt_amount": Decimal("150"),
        "debt_start": today + dt.timedelta(days=5),
        "debt_end": min(today + dt.timedelta(days=365), min(p.term_end for p in d_items) - dt.timedelta(days=1)),
        "security_scope": scope,
    }
    pledges.create_pledge(by=bank, pledgor=org, patents=d_items, data=data)
    if haier_patents:
        haier_user = second
        if haier_user and len(haier_patents) >= 3:
            c = pledge(
                haier_user,
                haier_patents[1:3],
                6,
                registered=dt.date(year, 3, 2),
                debt="800",
                start=dt.date(year, 3, 5),
                end=dt.date(year, 10, 31),
                disbursed=dt.date(year, 3, 5),
            )
            pledges.register_pledge(pledge=c, by=x, today=dt.date(year, 3, 2))
            pledges.record_cnipa_registration(
                pledge=c,
                by=x,
                registration_no=f"演示数据-Y{year}3700004",
                registered_on=dt.date(year, 3, 2),
                today=dt.date(year, 3, 2),
            )
            if today > dt.date(year, 11, 5):
                pledges.cancel_pledge(
                    pledge=c, by=bank, reason="贷款已结清", repaid_on=dt.date(year, 10, 31), today=dt.date(year, 11, 3)
                )
                _apply(
                    haier_user,
                    _subsidy_call(x, year),
                    c,
                    {
                        "loan_amount": "800",
                        "loan_start": f"{year}-03-05",
                        "loan_end": f"{year}-10-31",
                        "interest_paid": "21.80",
                        "bank": "齐鲁银行青岛分行",
                        "account": "8000 5555 0001（演示）",
                    },
                    on=dt.date(year, 11, 4),
                )
    n = Pledge.objects.filter(contract_number__startswith=DEMO_PREFIX).count()
    stdout.write(
        f"finance: 演示数据已生成：{n}笔质押（出质人“{org.name}”，均为其本单位名称下的专利），1项价值评估，补助政策（全省、青岛）和风险补偿资金"
    )
