"""Demo market data from real patent records (idempotent): listings of 山东大学's and 海尔智家's own patents (verified claims
of their own names), an open licence, demands by the demo enterprises, one licence deal taken to completion (contract
DEMO-…, pages say 演示数据), one in negotiation, and a trading fair."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from ipplatform.core.enums import OrgKind
from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization, User
from ipplatform.patents.enums import EntityType, PatentType
from ipplatform.patents.models import Patent

from . import flows, services
from .enums import DealType, EventKind, FeeMethod, Maturity, ParticipantRole
from .models import Deal, Demand, Listing, MarketEvent, OpenLicenceDeclaration

CANDIDATES = 400


def _in_force(qs, *, limit: int) -> list[Patent]:
    today = services.today()
    granted = qs.filter(
        Q(grant_date__isnull=False)
        | Q(patent_type__in=[PatentType.UTILITY, PatentType.DESIGN], publication_date__isnull=False)
    )
    out = []
    for p in granted.order_by("-application_date", "pk").prefetch_related("legal_events")[:CANDIDATES]:
        if (
            p.valid_at(today)
            and not services.exclusive_licence_in_force(patent_id=p.pk)
            and not services.active_pledge_info(patent_id=p.pk)[0]
        ):
            out.append(p)
            if len(out) >= limit:
                break
    return out


def _holder_patents(org: Organization, *, stdout, limit: int = 4) -> list[Patent]:
    """The organisation's own in-force patents (verified claims of its own names, orgs registry); none when it has none."""
    own = _in_force(services.patents_of(organization=org).filter(is_synthetic=False), limit=limit)
    if not own:
        stdout.write(f"  “{org.name}”在专利库中没有本单位名称下的有效专利，不生成其挂牌（不关联其他申请人的专利）")
    return own


def _summary(p: Patent) -> str:
    text = (p.abstract or "").replace("本发明", "该技术").replace("本实用新型", "该技术")
    return (text[:160] + "…") if len(text) > 160 else (text or f"“{p.title}”相关技术，可用于改进现有产品和工艺。")


def load(*, stdout, options) -> dict:
    """Create the demo market (skips what exists)."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["sdu", "haier", "qilu_ent", "laiwu_ent", "xietiao"]).select_related(
            "organization"
        )
    }
    if len(users) < 5 or not Patent.objects.exists():
        stdout.write("  交易市场：缺少演示账号或专利数据，跳过")
        return {}
    centers = {o.name: o for o in Organization.objects.filter(kind=OrgKind.TRADING_CENTER)}
    center_nat = centers.get("国家专利技术（济南）展示交易中心")
    center_prov = centers.get("山东省专利技术（青岛）展示交易中心")
    counts = {"listings": 0, "demands": 0, "deals": 0, "declarations": 0, "events": 0}
    plan = [
        (
            "sdu",
            EntityType.UNIVERSITY,
            ("处理", "方法"),
            center_nat,
            [DealType.ORDINARY, DealType.ASSIGNMENT, DealType.EXCLUSIVE],
        ),
        (
            "haier",
            EntityType.ENTERPRISE,
            ("空调", "冰箱", "洗衣", "电视"),
            center_prov,
            [DealType.ORDINARY, DealType.SOLE, DealType.ASSIGNMENT],
        ),
    ]
    first_listing = {}
    for username, etype, keywords, center, types in plan:
        user = users[username]
        if Listing.objects.filter(holder=user.organization).exists():
            first_listing[username] = Listing.objects.filter(holder=user.organization).order_by("pk").first()
            continue
        patents = _holder_patents(user.organization, stdout=stdout, limit=4)
        for i, p in enumerate(patents[:3]):
            deal_type = types[i % len(types)]
            try:
                with transaction.atomic():
                    listing = services.create_listing(
                        user=user,
                        patent_id=p.pk,
                        deal_type=deal_type,
                        summary=_summary(p),
                        application_fields="装备制造、家用电器、新材料"
                        if username == "haier"
                        else "高端装备、信息技术、节能环保",
                        maturity=[Maturity.PILOT, Maturity.PROTOTYPE, Maturity.INDUSTRIAL][i % 3],
                        asking_price=[30, 120, 80][i % 3],
                        fee_standard="入门费加销售额2%提成" if deal_type != DealType.ASSIGNMENT else "",
                        licence_years=5 if deal_type != DealType.ASSIGNMENT else None,
                        trading_center_id=center.pk if center else None,
                        contact_phone="0531-88390000" if username == "sdu" else "0532-88930000",
                    )
            except InputError as e:
                stdout.write(f"  挂牌{p.display_number}未成功：{e.message}")
                continue
            counts["listings"] += 1
            first_listing.setdefault(username, listing)
        if (
            len(patents) > 3
            and username == "sdu"
            and not OpenLicenceDeclaration.objects.filter(holder=user.organization).exists()
        ):
            p = patents[3]
            today = services.today()
            try:
                with transaction.atomic():
                    decl = flows.declare_open_licence(
                        user=user,
                        patent_id=p.pk,
                        fee_method=FeeMethod.LUMP_SUM,
                        lump_sum=5,
                        term_start=today,
                        term_end=min(
                            today.replace(year=today.year + 3),
                            (p.term_end or today.replace(year=today.year + 3)) - dt.timedelta(days=1),
                        ),
                        evaluation_report_no="演示-PJ2026-0001" if p.patent_type != PatentType.INVENTION else "",
                        summary=_summary(p),
                        application_fields="中小微企业技术改造",
                        co_owners_consent=True,
                    )
                    # the announcement number is marked as demo data: only CNIPA issues real ones
                    flows.record_cnipa_announcement(
                        user=user,
                        declaration=decl,
                        announcement_no=f"演示数据-KF{today:%Y}{decl.pk:05d}",
                        announced_on=today,
                    )
                counts["declarations"] += 1
            except InputError as e:
                stdout.write(f"  开放许可{p.display_number}未成功：{e.message}")
    today = services.today()
    demand_specs = [
        (
            "qilu_ent",
            "寻求高分子复合材料改性技术",
            "新材料",
            "现有塑料制品耐热性差、易老化，希望引进改性配方或工艺，提高耐热温度和使用寿命，适合中小批量生产。",
            20,
            80,
            DealType.ORDINARY,
        ),
        (
            "laiwu_ent",
            "精密零部件加工在线检测技术",
            "机械制造",
            "精密轴类零件加工后靠人工抽检，效率低、漏检多，需要在线测量和自动分拣的技术方案。",
            10,
            50,
            DealType.ASSIGNMENT,
        ),
    ]
    src = first_listing.get("sdu")
    if src is not None:
        demand_specs.insert(
            0,
            (
                "qilu_ent",
                f"寻求{src.patent.title[:30]}相关技术",
                src.application_fields[:40] or "技术改造",
                f"我们在生产中需要解决的问题：{(src.patent.abstract or src.patent.title)[:120]}",
                10,
                60,
                DealType.ORDINARY,
            ),
        )
    for username, title, field_text, problem, low, high, dtype in demand_specs:
        if Demand.objects.filter(title=title, organization=users[username].organization).exists():
            continue
        try:
            services.post_demand(
                user=users[username],
                title=title,
                field=field_text,
                problem=problem,
                deadline=today + dt.timedelta(days=120),
                budget_min=low,
                budget_max=high,
                preferred_deal_type=dtype,
            )
            counts["demands"] += 1
        except InputError as e:
            stdout.write(f"  需求“{title}”未成功：{e.message}")
    if not Deal.objects.exists():
        counts["deals"] += _demo_deals(users, first_listing, stdout)
    title = f"{today.year}年山东省专利技术交易会"
    if not MarketEvent.objects.filter(title=title).exists():
        event = services.create_event(
            user=users["xietiao"],
            title=title,
            kind=EventKind.FAIR,
            venue="国家专利技术（济南）展示交易中心 展厅",
            starts_on=today + dt.timedelta(days=20),
            ends_on=today + dt.timedelta(days=21),
            capacity=200,
            description="集中展示高校院所和企业的可转让、可许可专利，现场对接技术需求。",
            trading_center_id=center_nat.pk if center_nat else None,
            listing_ids=list(Listing.objects.values_list("pk", flat=True)[:10]),
        )
        services.create_event(
            user=users["xietiao"],
            title=f"{today.year}年青岛家电产业专利对接会",
            kind=EventKind.MATCHMAKING,
            venue="山东省专利技术（青岛）展示交易中心",
            starts_on=today + dt.timedelta(days=45),
            ends_on=today + dt.timedelta(days=45),
            capacity=80,
            trading_center_id=center_prov.pk if center_prov else None,
            listing_ids=list(Listing.objects.filter(holder=users["haier"].organization).values_list("pk", flat=True)),
        )
        for username, role in (
            ("haier", ParticipantRole.DEMAND),
            ("qilu_ent", ParticipantRole.DEMAND),
            ("sdu", ParticipantRole.SUPPLY),
        ):
            services.register_for_event(user=users[username], event=event, role=role)
        counts["events"] += 2
    stdout.write(
        f"  交易市场：挂牌{counts['listings']}项、开放许可{counts['declarations']}项、需求{counts['demands']}项、"
        f"交易{counts['deals']}笔、活动{counts['events']}场"
    )
    return counts


def _demo_deals(users, first_listing, stdout) -> int:
    n = 0
    today = services.today()
    sdu_listing = first_listing.get("sdu")
    if sdu_listing is not None and sdu_listing.deal_type != DealType.OPEN:
        try:
            with transaction.atomic():
                deal = flows.start_deal(
                    user=users["qilu_ent"], listing=sdu_listing, message="【演示数据】拟用于新产品线，希望了解许可条件"
                )
                flows.advance_deal(user=users["sdu"], deal=deal, action="negotiate", reason="双方约定面谈")
                extra = {}
                if deal.deal_type != DealType.ASSIGNMENT:
                    end = today.replace(year=today.year + 3)
                    if deal.patent.term_end and end > deal.patent.term_end:
                        end = deal.patent.term_end - dt.timedelta(days=1)
                    extra = {"licence_start": today, "licence_end": end}
                flows.advance_deal(
                    user=users["sdu"],
                    deal=deal,
                    action="sign_contract",
                    amount=25,
                    contract_no="DEMO-SDU-2026-JS-001",
                    contract_signed_on=today - dt.timedelta(days=80),
                    **extra,
                )
                flows.advance_deal(
                    user=users["qilu_ent"], deal=deal, action="submit_registration", reason="已向国家知识产权局提交备案"
                )
                flows.advance_deal(
                    user=users["sdu"],
                    deal=deal,
                    action="complete",
                    registration_no="DEMO-X2026370000000123",
                    registered_on=today,
                )
            n += 1
        except InputError as e:
            stdout.write(f"  演示交易未成功：{e.message}")
    haier_listing = first_listing.get("haier")
    if haier_listing is not None and haier_listing.deal_type != DealType.OPEN:
        try:
            with transaction.atomic():
                deal = flows.start_deal(
                    user=users["laiwu_ent"], listing=haier_listing, message="【演示数据】希望获得许可用于配套产品"
                )
                flows.advance_deal(user=users["haier"], deal=deal, action="negotiate", reason="进入商务谈判")
            n += 1
        except InputError as e:
            stdout.write(f"  演示交易未成功：{e.message}")
    return n
