"""Multi-step market workflows: open licences (专利法第五十至五十二条) and deals from inquiry to registration."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipplatform.core.inputs import InputError, parse_date, parse_rate
from ipplatform.core.workflow import run_transition
from ipplatform.patents import legalstate
from ipplatform.patents.enums import LegalEventCode, PatentType
from ipplatform.patents.models import Patent

from . import services as svc
from .enums import (
    EXCLUSIVE_TYPES,
    LICENCE_TYPES,
    DealState,
    DealType,
    DeclarationState,
    DemandState,
    FeeMethod,
    ListingState,
    Maturity,
)
from .models import Deal, Demand, Listing, OpenLicence, OpenLicenceDeclaration

SOURCE = "交易登记"
OPEN_SOURCE = "开放许可"
RECORDAL_MONTHS = 3
REMINDER_DAYS = 15


# ---------------------------------------------------------------- open licence


def open_licence_bars(
    *,
    patent: Patent,
    organization,
    co_owners_consent: bool,
    evaluation_report_no: str = "",
    pledgee_consent: str = "",
    on: dt.date | None = None,
) -> list[str]:
    """Every bar to an open licence declaration (empty when the patentee may declare; 专利法 art 50, 细则 art 86)."""
    on = on or svc.today()
    bars = []
    ownership = svc.holder_check(org=organization, patent=patent, on=on)
    if not ownership.ok:
        bars.append(f"只有专利权人可以声明开放许可：{ownership.reason}（{ownership.rule}）")
    if patent.patent_type == PatentType.INVENTION and not patent.grant_date:
        bars.append("开放许可仅适用于已授权的专利，该发明专利申请尚未授权")
    elif not patent.valid_at(on):
        bars.append(svc.not_in_force_reason(patent, on) or "专利权不在有效期内")
    holders = svc.holder_names(patent)
    if len(holders) > 1 and not co_owners_consent:
        bars.append(f"该专利为共有专利（{'、'.join(holders)}），开放许可须经全体共有人同意")
    if svc.exclusive_licence_in_force(patent_id=patent.pk, on=on):
        bars.append("专利权处于独占或排他许可有效期限内，不得实行开放许可（专利法实施细则第八十六条第（一）项）")
    arrears = svc.fee_arrears(patent_id=patent.pk, on=on)
    if arrears or svc.fee_lapsed(patent_id=patent.pk, on=on):
        bars.append(
            f"专利年费未按规定缴纳，不得实行开放许可（专利法实施细则第八十六条第（三）项）{('：' + arrears) if arrears else ''}"
        )
    if svc.preservation_in_force(patent_id=patent.pk, on=on):
        bars.append("专利权被采取保全措施，不得实行开放许可（专利法实施细则第八十六条第（二）项、第一百零四条）")
    if svc.suspension_in_force(patent_id=patent.pk, on=on):
        bars.append(
            "专利权因权属纠纷处于中止程序，不得实行开放许可（专利法实施细则第八十六条第（二）项、第一百零三条）"
        )
    pledged, pledgee = svc.active_pledge_info(patent_id=patent.pk, on=on)
    if pledged and not (pledgee_consent or "").strip():
        bars.append(
            f"专利权已出质{('（质权人：' + pledgee + '）') if pledgee else ''}，"
            "须提供质权人书面同意（专利法实施细则第八十六条第（四）项；民法典第四百四十四条）"
        )
    if patent.patent_type in (PatentType.UTILITY, PatentType.DESIGN) and not (evaluation_report_no or "").strip():
        bars.append(f"{patent.get_patent_type_display()}专利声明开放许可须提供专利权评价报告（专利法第五十条）")
    return bars


@transaction.atomic
def declare_open_licence(
    *,
    user,
    patent_id: str,
    fee_method: str,
    term_start,
    term_end,
    lump_sum=None,
    royalty_rate=None,
    fee_note: str = "",
    co_owners_consent: bool = False,
    evaluation_report_no: str = "",
    summary: str = "",
    application_fields: str = "",
    maturity: str = Maturity.PROTOTYPE,
    pledgee_consent: str = "",
) -> OpenLicenceDeclaration:
    """Check the bars and record the declaration for submission to CNIPA; it takes effect once CNIPA announces it."""
    org = svc.holder_org(user)
    patent = svc.get_patent(patent_id)
    fee_method = svc.choice(fee_method, FeeMethod, field="fee_method", label="许可使用费支付方式")
    lump = svc.parse_amount(lump_sum, field="lump_sum", label="入门费/年费")
    rate = parse_rate(royalty_rate, field="royalty_rate", label="提成比例（%）", required=False)
    if fee_method in (FeeMethod.LUMP_SUM, FeeMethod.ANNUAL, FeeMethod.COMBINED) and lump is None:
        raise InputError(f"支付方式为“{FeeMethod(fee_method).label}”时须填写金额（万元）", field="lump_sum")
    if fee_method in (FeeMethod.ROYALTY, FeeMethod.COMBINED) and rate is None:
        raise InputError("按提成支付时须填写提成比例（%）", field="royalty_rate")
    start = parse_date(term_start, field="term_start", label="许可期限起")
    end = parse_date(term_end, field="term_end", label="许可期限止")
    if end <= start:
        raise InputError("许可期限止须晚于许可期限起", field="term_end")
    bars = open_licence_bars(
        patent=patent,
        organization=org,
        co_owners_consent=bool(co_owners_consent),
        evaluation_report_no=evaluation_report_no,
        pledgee_consent=pledgee_consent,
    )
    if bars:
        raise InputError("不能声明开放许可：" + "；".join(bars), field="patent")
    term_end_ = legalstate.term_end_of(patent=patent)
    if term_end_ and end > term_end_:
        raise InputError(f"许可期限不能超过专利权保护期（至{term_end_}）", field="term_end")
    if OpenLicenceDeclaration.objects.filter(
        patent=patent, state__in=[DeclarationState.SUBMITTED, DeclarationState.PUBLISHED]
    ).exists():
        raise InputError("该专利已有待公告或有效的开放许可声明", field="patent")
    decl = OpenLicenceDeclaration.objects.create(
        patent=patent,
        holder=org,
        fee_method=fee_method,
        lump_sum=lump,
        royalty_rate=rate,
        fee_note=(fee_note or "").strip()[:300],
        term_start=start,
        term_end=end,
        co_owners_consent=bool(co_owners_consent),
        evaluation_report_no=(evaluation_report_no or "").strip()[:60],
        pledgee_consent=(pledgee_consent or "").strip()[:200],
        created_by=user,
    )
    # the showcase listing waits (suspended) until CNIPA announces the declaration
    decl.listing = Listing.objects.create(
        patent=patent,
        holder=org,
        deal_type=DealType.OPEN,
        title=patent.title[:200],
        state=ListingState.SUSPENDED,
        summary=(summary or "").strip() or (patent.abstract or patent.title),
        application_fields=(application_fields or "").strip()[:300] or "不限",
        maturity=maturity if maturity in Maturity.values else Maturity.PROTOTYPE,
        fee_standard=decl.fee_text[:300],
        asking_price=lump,
        licence_years=None,
        city_code=svc.city_of_org(org),
        ipc_main=patent.ipc_main,
        tech_field=svc.tech_field_for(svc.patent_codes(patent)),
        contact_person=user.display_name[:60],
        contact_phone=org.contact_phone[:40],
        created_by=user,
    )
    decl.save()
    return decl


@transaction.atomic
def record_cnipa_announcement(
    *, user, declaration: OpenLicenceDeclaration, announcement_no: str, announced_on
) -> OpenLicenceDeclaration:
    """Record CNIPA's announcement of the declaration (its legal effect, 专利法 art 50): showcase listing and legal event."""
    if not (svc.is_province(user) or user.organization_id == declaration.holder_id):
        raise PermissionDenied("只有专利权人或省局工作人员可以登记国家知识产权局公告")
    if declaration.state != DeclarationState.SUBMITTED:
        raise InputError(f"该声明{declaration.get_state_display()}，不能再登记公告", field="announcement_no")
    number = svc.require_text(announcement_no, field="announcement_no", label="国家知识产权局公告号", max_length=40)
    day = parse_date(announced_on, field="announced_on", label="公告日")
    if day > svc.today():
        raise InputError(f"公告日{day}晚于今天", field="announced_on")
    if declaration.created_at and day < timezone.localtime(declaration.created_at).date():
        raise InputError("公告日不能早于声明提交日", field="announced_on")
    patent = declaration.patent
    declaration.publication_no, declaration.published_on = number, day
    svc.transition(declaration, "publish", by=user, reason=f"国家知识产权局公告开放许可声明，公告号{number}")
    if declaration.listing and declaration.listing.state == ListingState.SUSPENDED:
        run_transition(declaration.listing, "resume", by=user, reason=f"国家知识产权局公告开放许可声明（{number}）")
        declaration.listing.save()
    declaration.save()
    svc.add_legal_event(
        patent=patent,
        date=day,
        code=LegalEventCode.OPEN_LICENSE,
        source=OPEN_SOURCE,
        reference=f"market.openlicence_declaration:{declaration.pk}",
        description=f"开放许可声明（国家知识产权局公告号{number}）：{declaration.fee_text}；期限{declaration.term_start}至{declaration.term_end}",
    )
    return declaration


@transaction.atomic
def record_open_licence_recordal(*, user, licence: OpenLicence, recordal_no: str, recorded_on) -> OpenLicence:
    """Record CNIPA's recordal of a licence taken under an open licence (细则 art 87)."""
    if not (svc.is_province(user) or user.organization_id in (licence.licensee_id, licence.declaration.holder_id)):
        raise PermissionDenied("只有许可双方或省局工作人员可以登记备案")
    if licence.recordal_no:
        raise InputError(f"已于{licence.recorded_on}备案（{licence.recordal_no}）", field="recordal_no")
    number = svc.require_text(recordal_no, field="recordal_no", label="备案号", max_length=60)
    day = parse_date(recorded_on, field="recorded_on", label="备案日")
    if day < licence.notice_date:
        raise InputError("备案日不能早于书面通知日", field="recorded_on")
    if day > svc.today():
        raise InputError(f"备案日{day}晚于今天", field="recorded_on")
    licence.recordal_no, licence.recorded_on = number, day
    licence.save(update_fields=["recordal_no", "recorded_on"])
    return licence


def notice_text(
    *, declaration: OpenLicenceDeclaration, licensee, start: dt.date, amount, paid_on: dt.date, reference: str
) -> str:
    """The written notice a licensee sends to the patentee (专利法第五十一条第一款)."""
    p = declaration.patent
    return (
        f"{declaration.holder.name}：\n"
        f"根据国家知识产权局于{declaration.published_on}公告的贵方开放许可声明（公告号{declaration.publication_no}），"
        f"我单位{licensee.name}决定实施专利“{p.title}”（申请号{p.display_number}），"
        f"许可期限自{start}起至{declaration.term_end}止，许可使用费按“{declaration.fee_text}”支付。"
        f"我单位已于{paid_on}支付许可使用费{amount}万元（付款凭证号{reference}）。\n"
        f"依照《中华人民共和国专利法》第五十一条，专利实施许可自本通知送达之日起生效。\n"
        f"{licensee.name}\n{svc.today()}"
    )


@transaction.atomic
def accept_open_licence(
    *, user, declaration: OpenLicenceDeclaration, payment_amount, payment_date, payment_reference: str, start_date=None
) -> OpenLicence:
    """A licensee takes a published open licence online: written notice, payment record, legal event, notice to the holder."""
    org = getattr(user, "organization", None)
    if org is None:
        raise PermissionDenied("请以单位用户登录后实施开放许可")
    if declaration.state != DeclarationState.PUBLISHED:
        raise InputError(f"该开放许可声明{declaration.get_state_display()}，不能再接受新的许可", field="declaration")
    if org.pk == declaration.holder_id:
        raise InputError("专利权人不能向自己实施许可", field="declaration")
    if OpenLicence.objects.filter(declaration=declaration, licensee=org).exists():
        raise InputError("贵单位已取得该开放许可", field="declaration")
    amount = svc.parse_amount(payment_amount, field="payment_amount", label="已付许可费", required=True)
    paid_on = parse_date(payment_date, field="payment_date", label="付款日期")
    if paid_on > svc.today():
        raise InputError(f"付款日期{paid_on}晚于今天", field="payment_date")
    reference = svc.require_text(payment_reference, field="payment_reference", label="付款凭证号", max_length=60)
    start = parse_date(start_date, field="start_date", label="许可起始日", required=False) or svc.today()
    if start < declaration.term_start or start > declaration.term_end:
        raise InputError(
            f"许可起始日须在声明的许可期限内（{declaration.term_start}至{declaration.term_end}）", field="start_date"
        )
    if (
        declaration.fee_method in (FeeMethod.LUMP_SUM, FeeMethod.ANNUAL, FeeMethod.COMBINED)
        and declaration.lump_sum
        and amount < declaration.lump_sum
    ):
        raise InputError(f"已付许可费{amount}万元低于声明的{declaration.lump_sum}万元", field="payment_amount")
    text = notice_text(
        declaration=declaration, licensee=org, start=start, amount=amount, paid_on=paid_on, reference=reference
    )
    licence = OpenLicence.objects.create(
        declaration=declaration,
        licensee=org,
        accepted_by=user,
        notice_date=svc.today(),
        notice_text=text,
        start_date=start,
        end_date=declaration.term_end,
        payment_amount=amount,
        payment_date=paid_on,
        payment_reference=reference,
    )
    svc.add_legal_event(
        patent=declaration.patent,
        date=svc.today(),
        code=LegalEventCode.LICENSE,
        source=OPEN_SOURCE,
        reference=f"market.openlicence:{licence.pk}",
        description=f"开放许可（普通许可）：{declaration.holder.name}许可{org.name}实施，期限{start}至{declaration.term_end}",
    )
    svc._notify_org(
        declaration.holder,
        title=f"开放许可实施通知：{declaration.patent.title}",
        body=f"{org.name}已根据开放许可声明（公告号{declaration.publication_no}）实施专利，已付{amount}万元。"
        "请凭书面通知向国家知识产权局办理实施许可备案（专利法实施细则第八十七条）。",
        url=svc._url("market:open_detail", declaration.pk),
        key=f"market-openlicence-{licence.pk}",
    )
    return licence


@transaction.atomic
def withdraw_open_licence(*, user, declaration: OpenLicenceDeclaration, reason: str) -> OpenLicenceDeclaration:
    """Withdraw a declaration; licences granted earlier stay in force (专利法第五十条第二款)."""
    if not (svc.is_province(user) or user.organization_id == declaration.holder_id):
        raise PermissionDenied("只有专利权人可以撤回开放许可声明")
    reason = svc.require_text(reason, field="reason", label="撤回理由")
    svc.transition(declaration, "withdraw", by=user, reason=reason)
    declaration.withdrawn_on = svc.today()
    declaration.save()
    if declaration.listing and declaration.listing.state in (ListingState.PUBLISHED, ListingState.SUSPENDED):
        run_transition(declaration.listing, "withdraw", by=user, reason=f"开放许可声明撤回：{reason}")
        declaration.listing.save()
    svc.add_legal_event(
        patent=declaration.patent,
        date=declaration.withdrawn_on,
        code=LegalEventCode.OPEN_LICENSE_WITHDRAWN,
        source=OPEN_SOURCE,
        reference=f"market.openlicence_declaration:{declaration.pk}",
        description=f"撤回开放许可声明{declaration.publication_no}；此前已实施的{declaration.licences.count()}项许可不受影响",
    )
    return declaration


def open_licence_notice_docx(licence: OpenLicence) -> bytes:
    """The written notice and payment record as a Word document."""
    from ipplatform.lib import worddoc

    d = licence.declaration
    doc = worddoc.new_document("开放许可实施通知书", subtitle=f"开放许可声明 {d.publication_no}", formal=True)
    worddoc.add_paragraphs(doc, licence.notice_text)
    worddoc.add_table(
        doc,
        ["项目", "内容"],
        [
            ["专利", f"{d.patent.display_number} {d.patent.title}"],
            ["专利权人", d.holder.name],
            ["被许可人", licence.licensee.name],
            ["许可类型", "开放许可（普通许可）"],
            ["许可期限", f"{licence.start_date} 至 {licence.end_date}"],
            ["费用标准", d.fee_text],
            ["已付许可费（万元）", licence.payment_amount],
            ["付款日期", licence.payment_date],
            ["付款凭证号", licence.payment_reference],
            ["通知日期", licence.notice_date],
        ],
        caption="付款记录",
    )
    if getattr(d.patent, "is_synthetic", False):
        doc.add_paragraph(worddoc.SYNTHETIC_NOTICE)
    return worddoc.to_bytes(doc)


# ---------------------------------------------------------------- deals


def is_party(user, deal: Deal) -> bool:
    return bool(user.is_authenticated and user.organization_id in (deal.seller_id, deal.buyer_id))


@transaction.atomic
def start_deal(*, user, listing: Listing, message: str = "", demand: Demand | None = None) -> Deal:
    """A buyer opens an inquiry on a published listing (open licences are taken online instead)."""
    org = getattr(user, "organization", None)
    if org is None:
        raise PermissionDenied("请以单位用户登录后洽询")
    if listing.state != ListingState.PUBLISHED:
        raise InputError(f"该挂牌{listing.get_state_display()}，不能洽询", field="listing")
    if listing.deal_type == DealType.OPEN:
        raise InputError("开放许可无需洽谈，请在开放许可页面在线实施", field="listing")
    if org.pk == listing.holder_id:
        raise InputError("不能洽询本单位的挂牌", field="listing")
    if demand is not None and demand.organization_id != org.pk:
        raise PermissionDenied("只能以本单位的需求发起洽询")
    existing = (
        Deal.objects.filter(listing=listing, buyer=org)
        .exclude(state__in=[DealState.COMPLETED, DealState.CANCELLED])
        .first()
    )
    if existing:
        raise InputError(f"贵单位已就该挂牌发起交易#{existing.pk}，请在交易页面继续", field="listing")
    deal = Deal.objects.create(
        patent=listing.patent,
        listing=listing,
        demand=demand,
        deal_type=listing.deal_type,
        seller=listing.holder,
        buyer=org,
        trading_center=listing.trading_center,
        city_code=listing.city_code,
        message=(message or "").strip(),
        created_by=user,
    )
    if demand is not None and demand.state == DemandState.OPEN:
        run_transition(demand, "mark_matched", by=user, reason=f"就挂牌“{listing.title}”发起交易#{deal.pk}")
        demand.save()
    svc._notify_org(
        listing.holder,
        title=f"新的交易洽询：{listing.title}",
        body=f"{org.name}：{message}",
        url=svc._url("market:deal_detail", deal.pk),
        key=f"market-deal-{deal.pk}-inquiry",
    )
    return deal


DEAL_ACTIONS = {
    "negotiate": "进入谈判",
    "sign_contract": "签订合同",
    "submit_registration": "提交登记/备案",
    "complete": "登记完成",
    "cancel": "取消交易",
}


def available_actions(user, deal: Deal) -> list[tuple[str, str]]:
    """The transitions the user may apply now, as (name, label)."""
    if not (is_party(user, deal) or svc.is_province(user)):
        return []
    names = [t.name for t in deal.get_available_state_transitions()]
    return [(n, DEAL_ACTIONS[n]) for n in DEAL_ACTIONS if n in names]


@transaction.atomic
def advance_deal(
    *,
    user,
    deal: Deal,
    action: str,
    reason: str = "",
    amount=None,
    contract_no: str = "",
    contract_signed_on=None,
    licence_start=None,
    licence_end=None,
    registration_no: str = "",
    registered_on=None,
) -> Deal:
    """Move a deal one step with the reason recorded; contract and registration steps take their particulars."""
    if not (is_party(user, deal) or svc.is_province(user)):
        raise PermissionDenied("只有交易双方或省局工作人员可以办理该交易")
    if action not in DEAL_ACTIONS:
        raise InputError(f"未知的交易操作“{action}”", field="action")
    if action not in {t.name for t in deal.get_available_state_transitions()}:
        raise InputError(f"当前状态“{deal.get_state_display()}”下不能执行“{DEAL_ACTIONS[action]}”操作", field="action")
    reason = (reason or "").strip()
    if action == "cancel" and not reason:
        raise InputError("请填写取消交易的理由", field="reason")
    if action == "sign_contract":
        deal.amount = svc.parse_amount(amount, field="amount", label="合同金额", required=True)
        deal.contract_no = svc.require_text(contract_no, field="contract_no", label="合同编号", max_length=60)
        deal.contract_signed_on = parse_date(contract_signed_on, field="contract_signed_on", label="合同签订日")
        if deal.contract_signed_on > svc.today():
            raise InputError("合同签订日不能晚于今天", field="contract_signed_on")
        if deal.deal_type in LICENCE_TYPES:
            deal.licence_start = parse_date(licence_start, field="licence_start", label="许可期限起")
            deal.licence_end = parse_date(licence_end, field="licence_end", label="许可期限止")
            if deal.licence_end <= deal.licence_start:
                raise InputError("许可期限止须晚于许可期限起", field="licence_end")
            if deal.patent.term_end and deal.licence_end > deal.patent.term_end:
                raise InputError(f"许可期限不能超过专利权保护期（至{deal.patent.term_end}）", field="licence_end")
            deal.recordal_deadline = add_months_safe(deal.contract_signed_on, RECORDAL_MONTHS)
        reasons = svc.listing_refusals(
            patent=deal.patent,
            organization=deal.seller,
            deal_type=deal.deal_type,
            pledgee_consent=bool(deal.listing and deal.listing.pledgee_consent),
            on=deal.contract_signed_on,
        )
        if reasons:
            raise InputError("不能签订合同：" + "；".join(reasons), field="action")
        reason = reason or f"合同{deal.contract_no}，金额{deal.amount}万元"
    if action == "complete":
        deal.registration_no = svc.require_text(
            registration_no, field="registration_no", label="登记/备案号", max_length=60
        )
        deal.registered_on = parse_date(registered_on, field="registered_on", label="登记/备案日")
        if deal.contract_signed_on and deal.registered_on < deal.contract_signed_on:
            raise InputError("登记/备案日不能早于合同签订日", field="registered_on")
        deal.completed_on = svc.today()
        reason = (
            reason
            or f"国家知识产权局{'登记' if deal.deal_type == DealType.ASSIGNMENT else '备案'}号{deal.registration_no}"
        )
    svc.transition(deal, action, by=user, reason=reason)
    deal.save()
    if action == "contract" or action == "sign_contract":
        if (
            deal.listing
            and deal.listing.state == ListingState.PUBLISHED
            and deal.deal_type in (DealType.ASSIGNMENT, *EXCLUSIVE_TYPES)
        ):
            run_transition(deal.listing, "suspend", by=user, reason=f"交易#{deal.pk}已签订合同")
            deal.listing.save()
    if action == "complete":
        _record_completion(deal, user)
    if action == "cancel" and deal.listing and deal.listing.state == ListingState.SUSPENDED and not _other_active(deal):
        run_transition(deal.listing, "resume", by=user, reason=f"交易#{deal.pk}取消")
        deal.listing.save()
    other = deal.buyer if user.organization_id == deal.seller_id else deal.seller
    svc._notify_org(
        other,
        title=f"交易#{deal.pk}：{DEAL_ACTIONS[action]}",
        body=reason,
        url=svc._url("market:deal_detail", deal.pk),
        key=f"market-deal-{deal.pk}-{action}",
    )
    return deal


def add_months_safe(day: dt.date, months: int) -> dt.date:
    return svc.add_months(day, months)


def _other_active(deal: Deal) -> bool:
    return (
        Deal.objects.filter(listing=deal.listing)
        .exclude(pk=deal.pk)
        .exclude(state__in=[DealState.COMPLETED, DealState.CANCELLED])
        .exists()
    )


def _record_completion(deal: Deal, user) -> None:
    if deal.deal_type == DealType.ASSIGNMENT:
        code, text = (
            LegalEventCode.TRANSFER,
            f"专利权转让：{deal.seller.name} → {deal.buyer.name}，登记号{deal.registration_no}",
        )
    else:
        code = LegalEventCode.LICENSE
        text = (
            f"专利实施许可（{deal.get_deal_type_display()}）：{deal.seller.name}许可{deal.buyer.name}，"
            f"期限{deal.licence_start}至{deal.licence_end}，备案号{deal.registration_no}"
        )
    svc.add_legal_event(
        patent=deal.patent,
        date=deal.registered_on,
        code=code,
        description=text,
        source=SOURCE,
        reference=deal.reference,
    )
    listing = deal.listing
    if (
        listing
        and listing.state in (ListingState.PUBLISHED, ListingState.SUSPENDED)
        and deal.deal_type in (DealType.ASSIGNMENT, *EXCLUSIVE_TYPES)
    ):
        run_transition(listing, "close", by=user, reason=f"交易#{deal.pk}已完成")
        listing.save()
    if deal.deal_type == DealType.ASSIGNMENT:
        for other in Listing.objects.filter(
            patent=deal.patent, holder=deal.seller, state__in=[ListingState.PUBLISHED, ListingState.SUSPENDED]
        ):
            run_transition(other, "withdraw", by=user, reason=f"专利权已转让（交易#{deal.pk}）")
            other.save()


def send_recordal_reminders(*, on: dt.date | None = None, days_before: int = REMINDER_DAYS) -> int:
    """Remind both parties of licence contracts not yet recorded when the 3-month limit is near or passed."""
    on = on or svc.today()
    sent = 0
    qs = Deal.objects.filter(
        state__in=[DealState.CONTRACT, DealState.REGISTRATION],
        deal_type__in=list(LICENCE_TYPES),
        recordal_deadline__isnull=False,
        registered_on__isnull=True,
        recordal_deadline__lte=on + dt.timedelta(days=days_before),
    ).select_related("seller", "buyer", "patent")
    for deal in qs:
        overdue = deal.recordal_deadline < on
        title = (
            f"许可合同备案已逾期：交易#{deal.pk}"
            if overdue
            else f"许可合同备案期限将至：交易#{deal.pk}（{deal.recordal_deadline}）"
        )
        body = (
            f"专利“{deal.patent.title}”的{deal.get_deal_type_display()}合同（{deal.contract_no}）于{deal.contract_signed_on}签订，"
            f"应自合同生效之日起3个月内（{deal.recordal_deadline}前）向国家知识产权局办理备案。"
        )
        key = f"market-recordal-{deal.pk}-{'overdue' if overdue else 'due'}"
        for org in (deal.seller, deal.buyer):
            sent += svc._notify_org(org, title=title, body=body, url=svc._url("market:deal_detail", deal.pk), key=key)
    return sent


def review_listings(*, on: dt.date | None = None) -> int:
    """Suspend published listings whose patent lapsed or became encumbered since listing, with the reasons recorded."""
    on = on or svc.today()
    suspended = 0
    for listing in (
        Listing.objects.filter(state=ListingState.PUBLISHED)
        .exclude(deal_type=DealType.OPEN)
        .select_related("patent", "holder")
    ):
        reasons = svc.listing_refusals(
            patent=listing.patent,
            organization=listing.holder,
            deal_type=listing.deal_type,
            pledgee_consent=listing.pledgee_consent,
            on=on,
        )
        if not reasons:
            continue
        with transaction.atomic():
            run_transition(listing, "suspend", by=None, reason="系统核验：" + "；".join(reasons))
            listing.save()
        svc._notify_org(
            listing.holder,
            title=f"挂牌已暂停：{listing.title}",
            body="；".join(reasons),
            url=svc._url("market:listing_detail", listing.pk),
            key=f"market-review-{listing.pk}-{on}",
        )
        suspended += 1
    return suspended


def close_expired_demands(*, on: dt.date | None = None) -> int:
    """Close open demands whose deadline has passed."""
    on = on or svc.today()
    closed = 0
    for demand in Demand.objects.filter(state=DemandState.OPEN, deadline__lt=on):
        with transaction.atomic():
            run_transition(demand, "close", by=None, reason=f"截止日期{demand.deadline}已过")
            demand.save()
        closed += 1
    return closed
