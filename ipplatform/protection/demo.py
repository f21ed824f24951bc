"""Demo data: 12330 intakes and cases of every type in several states across cities (idempotent)."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

from django.utils import timezone

from ipplatform.core.models import Organization, User

from . import evidence, services
from .enums import Channel, IntakeKind
from .models import AgencyHead, Case

MARKER = "（演示）"


def _png(color=(200, 60, 60)) -> bytes:
    """A small valid PNG (a photo stand-in)."""
    w = h = 16
    raw = b"".join(b"\x00" + bytes(color) * w for _ in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def ensure_head(officer) -> User:
    """The demo head (正职负责人) of an officer's bureau: approves extensions and police transfers."""
    from ipplatform.core.demo import _account

    org = officer.organization
    head = AgencyHead.objects.filter(organization=org, is_active=True).select_related("user").first()
    if head is not None:
        return head.user
    user = _account(f"head{officer.username.removeprefix('city')}", officer.role, org, f"{org.name}负责人（演示）")
    AgencyHead.objects.get_or_create(organization=org, user=user, defaults={"capacity": "chief"})
    return user


def ensure_panel(officer) -> list[int]:
    """Three officers of the bureau (the officer and two demo colleagues) for an infringement panel (专利行政执法办法 art 13)."""
    from ipplatform.core.demo import _account

    org = officer.organization
    tail = officer.username.removeprefix("city")
    others = [_account(f"panel{tail}{i}", officer.role, org, f"{org.name}执法人员{i}（演示）") for i in (1, 2)]
    return [officer.pk] + [u.pk for u in others]


def _walk(case, steps, by):
    for name, on, reason, data in steps:
        services.transition(case=case, name=name, by=by, reason=reason, on=on, **data)
        case = Case.objects.get(pk=case.pk)
    return case


def load(*, stdout, options):
    if Case.objects.filter(title__endswith=MARKER).exists():
        stdout.write("维权执法演示数据已存在，跳过")
        return
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "city370200",
                "city370100",
                "city371300",
                "city370600",
                "city370700",
                "fawu",
                "leader",
                "expert",
                "public",
                "haier",
            ]
        )
    }
    if len(users) < 8:
        stdout.write("缺少演示账号，跳过维权执法演示数据")
        return
    qd, jn, ly, yt, wf = (users[k] for k in ("city370200", "city370100", "city371300", "city370600", "city370700"))
    for officer in (qd, jn, ly, yt, wf):
        ensure_head(officer)
    today = timezone.localdate()
    d = lambda n: today - dt.timedelta(days=n)  # noqa: E731

    # 1. 青岛：公众网上投诉 → 侵权纠纷，已送达答辩
    intake, _ = services.submit_intake(
        channel=Channel.WEB,
        kind=IntakeKind.COMPLAINT,
        subject="黄岛某公司销售仿冒我司专利空调外机" + MARKER,
        description="我公司发现青岛市黄岛区某电器公司在其门店销售的空调外机落入我司发明专利权利要求1的保护范围。",
        requester_name="海尔集团公司",
        requester_phone="0532-88939999",
        respondent_name="青岛某电器销售有限公司",
        respondent_address="山东省青岛市黄岛区长江中路",
        patent_no="ZL201510123456.7",
        user=users["haier"],
    )
    c1 = services.convert_intake(intake=intake, by=qd, case_type="infringement", reason="材料齐全，转侵权纠纷处理")
    c1 = _walk(
        c1, [("accept", today, "请求符合受理条件", {}), ("serve_respondent", today, "已直接送达请求书副本", {})], qd
    )
    evidence.add_record(
        case=c1,
        by=qd,
        upload=io.BytesIO(_png()),
        file_name="门店现场.png",
        stage="inspection",
        kind="photo",
        title="被控侵权产品陈列照片",
        captured_at=timezone.now() - dt.timedelta(hours=2),
        officers=[qd, "青岛市局 执法员 刘"],
        device="执法记录仪 QD-017",
        location="青岛市黄岛区长江中路门店",
    )

    # 2. 济南：侵权纠纷，被请求人提出无效宣告 → 中止
    c2 = services.create_case(
        case_type="infringement",
        title="历城某公司侵犯新材料配方发明专利纠纷" + MARKER,
        by=jn,
        region_code="370112",
        requester_name="济南齐鲁新材料科技有限公司（演示）",
        respondent_name="济南某化工有限公司",
        respondent_address="济南市历城区",
        patent_no="ZL201410555666.1",
        received_on=d(40),
        handler=jn,
    )
    c2 = _walk(
        c2,
        [
            ("accept", d(38), "受理", {}),
            ("serve_respondent", d(36), "送达", {}),
            ("begin_investigation", d(20), "答辩期满，开始调查", {}),
            (
                "suspend",
                d(10),
                "被请求人提交无效宣告请求受理通知书",
                {"basis": "国家知识产权局无效宣告请求受理通知书 4W11xxxx"},
            ),
        ],
        jn,
    )

    # 3. 临沂：假冒专利查处，已告知陈述申辩
    c3 = services.create_case(
        case_type="counterfeit",
        title="兰山区批发市场销售标注失效专利号的电动工具" + MARKER,
        by=ly,
        region_code="371302",
        respondent_name="临沂某五金商行",
        respondent_address="临沂市兰山区",
        patent_no="ZL200920001234.5",
        received_on=d(60),
        handler=ly,
    )
    c3 = _walk(
        c3,
        [
            ("file_case", d(55), "线索属实，立案调查", {}),
            ("begin_investigation", d(54), "调查", {}),
            ("submit_report", d(20), "调查终结", {}),
            ("legal_review", d(15), "法制审核通过", {}),
            ("notify_pre_decision", d(2), "告知拟处罚", {}),
        ],
        ly,
    )
    evidence.add_record(
        case=c3,
        by=ly,
        upload=io.BytesIO(
            "询问笔录\n被询问人：某五金商行经营者\n问：产品包装上标注的专利号从何而来？\n答：厂家提供。".encode()
        ),
        file_name="询问笔录.txt",
        stage="inquiry",
        kind="document",
        title="经营者询问笔录",
        captured_at=timezone.now() - dt.timedelta(days=50),
        officers=[ly, "临沂市局 执法员 孙"],
        device="录音笔 LY-03",
        location="临沂市兰山区某五金商行",
        algorithm="sm3",
    )
    evidence.add_record(
        case=c3,
        by=ly,
        upload=io.BytesIO(_png((60, 120, 200))),
        file_name="扣押物品.png",
        stage="sealing",
        kind="photo",
        title="先行登记保存物品照片",
        captured_at=timezone.now() - dt.timedelta(days=50),
        officers=[ly, "临沂市局 执法员 孙"],
        device="执法记录仪 LY-011",
        location="临沂市兰山区某五金商行仓库",
        approved_by="临沂市局 负责人 王",
    )

    # 4. 烟台：假冒专利涉嫌犯罪 → 移送公安
    c4 = services.create_case(
        case_type="counterfeit",
        title="芝罘区某厂大规模假冒他人专利" + MARKER,
        by=yt,
        region_code="370602",
        respondent_name="烟台某机械厂",
        respondent_address="烟台市芝罘区",
        patent_no="ZL201310777888.2",
        received_on=d(30),
        handler=yt,
        crime_suspected=True,
    )
    c4 = _walk(
        c4,
        [
            ("file_case", d(28), "立案", {}),
            ("begin_investigation", d(27), "调查", {}),
            ("decide_transfer", d(6), "非法经营数额达到刑事追诉标准，涉嫌假冒专利罪", {}),
        ],
        yt,
    )
    pt = c4.children.first()
    pt = _walk(
        pt, [("form_task_group", d(6), "成立专案组", {}), ("submit_transfer_report", d(5), "报请负责人审批", {})], yt
    )
    _walk(pt, [("approve_transfer", d(4), "批准移送", {})], ensure_head(yt))
    police = Organization.objects.filter(kind="partner_agency", name__contains="公安").first()
    if police:
        services.send_to_agency(
            case=c4, by=yt, to_org=police, kind="notice", content="通报涉嫌假冒专利犯罪案件线索", documents="调查报告"
        )

    # 5. 潍坊：电商平台投诉，等待期
    c5 = services.create_case(
        case_type="ecommerce",
        title="某电商平台店铺销售侵犯外观设计专利的灯具" + MARKER,
        by=wf,
        region_code="370702",
        respondent_name="潍坊某灯饰网店",
        respondent_address="潍坊市潍城区",
        platform="某电商平台",
        patent_no="ZL202030123456.X",
        requester_name="某照明科技公司",
        received_on=d(14),
        handler=wf,
    )
    _walk(
        c5,
        [
            ("forward_to_seller", d(13), "平台已下架并转送", {}),
            ("receive_counter", d(11), "收到不侵权声明", {}),
            ("forward_counter", d(10), "已转送投诉人，告知其可投诉或起诉", {"delivered_on": d(9)}),
        ],
        wf,
    )

    # 6. 青岛：侵权纠纷已作出决定并送达
    c6 = services.create_case(
        case_type="infringement",
        title="城阳区某公司侵犯洗衣机实用新型专利纠纷" + MARKER,
        by=qd,
        region_code="370214",
        requester_name="青岛某家电公司",
        respondent_name="青岛某洗涤设备厂",
        respondent_address="青岛市城阳区",
        patent_no="ZL201620111222.3",
        received_on=d(80),
        handler=qd,
    )
    _walk(
        c6,
        [
            ("accept", d(78), "受理", {}),
            ("serve_respondent", d(76), "送达", {}),
            ("begin_investigation", d(60), "调查", {}),
            ("written_review", d(40), "事实清楚，书面审理", {}),
            ("decide", d(20), "被控产品落入保护范围", {"outcome": "stop_infringement", "panel": ensure_panel(qd)}),
            ("serve_decision", d(18), "直接送达", {}),
        ],
        qd,
    )

    # 7. 举报（身份保密）和咨询
    services.submit_intake(
        channel=Channel.PHONE,
        kind=IntakeKind.REPORT,
        subject="举报某门店销售假冒专利产品" + MARKER,
        description="市中区某门店销售的净水器标注虚假专利号。",
        requester_name="匿名群众",
        requester_phone="13800000000",
        respondent_name="济南某净水器门店",
        respondent_address="济南市市中区",
        recorded_by=users["fawu"],
    )
    consult, _ = services.submit_intake(
        channel=Channel.WALK_IN,
        kind=IntakeKind.CONSULTATION,
        subject="专利被侵权如何请求行政裁决" + MARKER,
        description="咨询申请专利侵权纠纷行政裁决需要提交哪些材料。",
        requester_name="卫女士",
        requester_phone="0531-12345678",
        infringement_place="济南市",
        recorded_by=users["fawu"],
    )
    services.close_intake(
        intake=consult,
        by=users["fawu"],
        action="answer",
        reply="请提交请求书、专利权有效证明、被请求人身份信息及侵权证据，详见《专利行政执法办法》第十条。",
    )

    # 8. 专家咨询
    services.ensure_expert_profiles()
    c = services.request_consultation(
        case=c1, by=qd, expert=users["expert"], question="被控侵权空调外机是否落入权利要求1的保护范围？"
    )
    services.declare_conflict(
        consultation=c, by=users["expert"], has_conflict=False, statement="与双方当事人不存在利益冲突。"
    )
    stdout.write(f"维权执法演示数据：{Case.objects.filter(title__endswith=MARKER).count()}件演示案件")
