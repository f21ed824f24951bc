"""Market business rules: ownership, encumbrances and refusals, listings, demands, data rooms, events, statistics."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ipplatform.core import regions, scopes
from ipplatform.core.enums import PROVINCE_ROLES, STAFF_ROLES, OrgKind
from ipplatform.core.inputs import MAX_MONEY, InputError, is_id, parse_date, parse_decimal
from ipplatform.core.models import Organization, TechField, TechFieldPattern
from ipplatform.core.workflow import run_transition
from ipplatform.orgs.services import holder_check, holders_of_record, portfolio_ids
from ipplatform.patents import legalstate
from ipplatform.patents.enums import LegalEventCode, PatentType
from ipplatform.patents.legalstate import add_months  # noqa: F401 - months as 细则 art 5; used as svc.add_months
from ipplatform.patents.models import LegalEvent, Patent

from .enums import (
    EXCLUSIVE_TYPES,
    LICENCE_TYPES,
    AccessState,
    DealState,
    DealType,
    DeclarationState,
    DemandState,
    ListingState,
    Maturity,
    ParticipantRole,
)
from .models import (
    DataRoomAccess,
    Deal,
    Demand,
    EventRegistration,
    Listing,
    ListingDocument,
    MarketEvent,
    OpenLicenceDeclaration,
)

HOLDER_KINDS = frozenset({OrgKind.ENTERPRISE, OrgKind.UNIVERSITY, OrgKind.INSTITUTE})
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".png", ".jpg", ".jpeg", ".zip", ".txt")


# ---------------------------------------------------------------- small helpers


def today() -> dt.date:
    """Today's date in the platform's time zone."""
    return timezone.localdate()


def parse_amount(value, *, field: str, label: str, required: bool = False) -> Decimal | None:
    """A non-negative amount in 万元 from form input, or a Chinese InputError naming the field.

    Beyond core.inputs.parse_decimal: the label names the unit (万元), a full-width comma is read as a thousands
    separator, more than two decimals are rounded, and the result always has two decimals."""
    if isinstance(value, str):
        value = value.replace("，", ",")
    amount = parse_decimal(
        value,
        field=field,
        label=f"{label}（万元）",
        min_value=0,
        max_value=MAX_MONEY,
        places=2,
        required=required,
        rounding=True,
    )
    return None if amount is None else amount.quantize(Decimal("0.01"))  # money is shown with two decimals (80.00万元)


def require_text(value, *, field: str, label: str, max_length: int | None = None) -> str:
    """Trimmed required text or a Chinese InputError."""
    text = (value or "").strip()
    if not text:
        raise InputError(f"请填写{label}", field=field)
    if max_length and len(text) > max_length:
        raise InputError(f"{label}不能超过{max_length}个字（现为{len(text)}个字）", field=field)
    return text


def choice(value, choices, *, field: str, label: str, required: bool = True) -> str:
    """A valid choice value or a Chinese InputError listing the allowed ones."""
    if value in (None, "") and not required:
        return ""
    if value not in choices.values:
        allowed = "、".join(choices.labels)
        raise InputError(f"{label}“{value or '（空）'}”无效，可选：{allowed}", field=field)
    return value


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in STAFF_ROLES))


def is_province(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in PROVINCE_ROLES))


def city_of_org(org: Organization | None) -> str:
    """Today's city code of an organisation (莱芜 mapped to 济南)."""
    if org is None or not org.region_code:
        return ""
    city = regions.city_code_of(org.region_code)
    return regions.to_current(city) if city else ""


def city_name(code: str) -> str:
    """A listing's or deal's city for users; 未归属 where none was recorded."""
    return regions.display_name(code, empty="未归属")


def tech_field_for(codes: list[str]) -> TechField | None:
    """The WIPO technology field of the first IPC code that maps to one (longest prefix wins)."""
    patterns = list(TechFieldPattern.objects.values_list("ipc_prefix", "field_id"))
    for code in codes:
        code = (code or "").upper().replace(" ", "")
        best = None
        for prefix, field_id in patterns:
            if code.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
                best = (prefix, field_id)
        if best:
            return TechField.objects.filter(pk=best[1]).first()
    return None


def patent_codes(patent: Patent) -> list[str]:
    codes = [patent.ipc_main] if patent.ipc_main else []
    return codes + [c for c in (patent.ipc_all or []) if c and c not in codes]


def get_patent(patent_id: str) -> Patent:
    """A patent by record id, application number or publication number, or a Chinese InputError."""
    key = (patent_id or "").strip().upper().replace("CN", "", 1).replace(".", "") if patent_id else ""
    if not key:
        raise InputError("请选择专利", field="patent")
    patent = (
        Patent.objects.filter(pk=key).first()
        or Patent.objects.filter(pk=patent_id.strip()).first()
        or Patent.objects.filter(application_number=patent_id.strip()).first()
        or Patent.objects.filter(publication_number=patent_id.strip().upper()).first()
    )
    if patent is None:
        raise InputError(f"平台专利库中没有专利“{patent_id}”", field="patent")
    return patent


def transition(obj, name: str, *, by, reason: str = "") -> None:
    """Apply a workflow transition (history recorded by core.workflow); a step not allowed now becomes a Chinese InputError."""
    from django_fsm import TransitionNotAllowed

    try:
        run_transition(obj, name, by=by, reason=reason)
    except TransitionNotAllowed as exc:
        raise InputError(str(exc) or "当前状态下不能执行该操作", field="action")


def add_legal_event(
    *, patent: Patent, date: dt.date, code: str, description: str, source: str, reference: str
) -> LegalEvent:
    """Record a legal event on the patent and announce the change (patents_changed) once the transaction commits."""
    from ipplatform.patents.signals import patents_changed

    event = LegalEvent.objects.create(
        patent=patent, date=date, code=code, description=description, source=source, reference=reference
    )
    pid = patent.pk
    transaction.on_commit(lambda: patents_changed.send(sender=LegalEvent, ids=[pid], deleted=[]))
    return event


# ---------------------------------------------------------------- ownership


def _assignment_deals(patent_id: str):
    return Deal.objects.filter(patent_id=patent_id, deal_type=DealType.ASSIGNMENT, state=DealState.COMPLETED).order_by(
        "completed_on", "pk"
    )


def applicant_names(patent: Patent) -> list[str]:
    """The applicants (patentees) of record, in order."""
    names = [link.applicant.name for link in patent.applicant_links.select_related("applicant").order_by("order")]
    if not names and patent.applicants_text:
        names = [n.strip() for n in patent.applicants_text.replace("；", ";").split(";") if n.strip()]
    return names


def holder_names(patent: Patent) -> list[str]:
    """Current patentees of record: the applicants, then registered transfers (orgs.services.holders_of_record)."""
    holders, _ = holders_of_record(patent)
    return [h.name for h in holders]


def is_owned_by(*, patent: Patent, organization: Organization, on: dt.date | None = None) -> bool:
    """True when the organisation is a current patentee through its verified applicant-name claims (orgs.services.holder_check)."""
    return holder_check(org=organization, patent=patent, on=on).ok


def patents_of(*, organization: Organization):
    """Patents whose current patentee is the organisation (verified claims and registered transfers)."""
    return Patent.objects.filter(pk__in=portfolio_ids(organization))


# ---------------------------------------------------------------- encumbrances


def _patent_with_events(patent_id: str) -> Patent:
    return Patent.objects.prefetch_related("legal_events").get(pk=patent_id)


def exclusive_licence_in_force(*, patent_id: str, on: dt.date | None = None, include_sole: bool = True) -> bool:
    """True when an exclusive (and, by default, sole) licence of the patent is in force on the day."""
    on = on or today()
    kinds = [DealType.EXCLUSIVE, DealType.SOLE] if include_sole else [DealType.EXCLUSIVE]
    deals = Deal.objects.filter(patent_id=patent_id, deal_type__in=kinds, state=DealState.COMPLETED)
    if (
        deals.filter(Q(licence_start__lte=on) | Q(licence_start__isnull=True))
        .filter(Q(licence_end__gte=on) | Q(licence_end__isnull=True))
        .exists()
    ):
        return True
    # Market deals are judged above with their own term; other recorded licences from their legal events.
    market_refs = {f"market.deal:{pk}" for pk in Deal.objects.filter(patent_id=patent_id).values_list("pk", flat=True)}
    return (
        legalstate.exclusive_licence_event(
            patent=_patent_with_events(patent_id), on=on, include_sole=include_sole, skip_references=market_refs
        )
        is not None
    )


def active_pledge_info(*, patent_id: str, on: dt.date | None = None) -> tuple[bool, str]:
    """(pledged, pledgee name or the event text) on the day, from the registered pledge legal event (legalstate)."""
    event = legalstate.pledge_event(patent=_patent_with_events(patent_id), on=on or today())
    if event is None:
        return False, ""
    text = event.description or ""
    return True, text.rsplit("质权人", 1)[1].split("；")[0] if "质权人" in text else text


def preservation_in_force(*, patent_id: str, on: dt.date | None = None) -> bool:
    """True when a preservation measure (财产保全) on the patent is in force on the day."""
    return legalstate.preservation_event(patent=_patent_with_events(patent_id), on=on or today()) is not None


def suspension_in_force(*, patent_id: str, on: dt.date | None = None) -> bool:
    """True when an ownership-dispute suspension (权属纠纷中止) is in force on the day."""
    return legalstate.suspension_event(patent=_patent_with_events(patent_id), on=on or today()) is not None


def fee_arrears(*, patent_id: str, on: dt.date | None = None) -> str:
    """Why the annual fees are not in order on the day ('' when paid or not recorded): grace period or lapse."""
    status = legalstate.fee_status(patent=_patent_with_events(patent_id), on=on or today())
    return status.text if status.state in ("in_grace", "lapsed") else ""


def fee_lapsed(*, patent_id: str, on: dt.date | None = None) -> bool:
    """A FEE_LAPSE event by the day, or fees unpaid past the grace period."""
    on = on or today()
    if LegalEvent.objects.filter(patent_id=patent_id, code=LegalEventCode.FEE_LAPSE, date__lte=on).exists():
        return True
    return legalstate.fee_status(patent=_patent_with_events(patent_id), on=on).state == "lapsed"


def not_in_force_reason(patent: Patent, on: dt.date) -> str:
    """Why the patent is not in force on the day, or '' when it is."""
    if patent.valid_at(on):
        return ""
    events = patent.events_until(on)
    from ipplatform.patents.enums import TERMINATING_EVENTS

    ended = [e for e in events if e.code in TERMINATING_EVENTS]
    if ended:
        return f"专利权已于{ended[0].date}{ended[0].get_code_display()}，不在有效期内"
    term_end = patent.term_end
    if term_end and on >= term_end:
        return f"专利权保护期已于{term_end}届满"
    if patent.patent_type == PatentType.INVENTION and not patent.grant_date:
        return "该发明专利申请尚未授权，不能作为专利权交易（可在授权后挂牌）"
    return "该专利尚未授权公告，不在有效期内"


def listing_refusals(
    *,
    patent: Patent,
    organization: Organization | None,
    deal_type: str,
    pledgee_consent: bool = False,
    on: dt.date | None = None,
) -> list[str]:
    """Every reason the organisation may not list the patent for this kind of deal now (empty when allowed)."""
    on = on or today()
    reasons = []
    if organization is None:
        return ["您的账号未关联单位，不能挂牌专利"]
    ownership = holder_check(org=organization, patent=patent, on=on)
    if not ownership.ok:
        reasons.append(f"“{organization.name}”不是该专利的专利权人：{ownership.reason}（{ownership.rule}）")
    reason = not_in_force_reason(patent, on)
    if reason:
        reasons.append(reason)
    if deal_type in LICENCE_TYPES and exclusive_licence_in_force(patent_id=patent.pk, on=on):
        reasons.append("该专利存在有效期内的独占或排他许可，不能再许可他人实施")
    if (
        deal_type in EXCLUSIVE_TYPES
        and OpenLicenceDeclaration.objects.filter(patent=patent, state=DeclarationState.PUBLISHED).exists()
    ):
        reasons.append(
            "该专利的开放许可声明仍然有效，开放许可实施期间不得就该专利给予独占或者排他许可（专利法第五十一条第三款）"
        )
    pledged, pledgee = active_pledge_info(patent_id=patent.pk, on=on)
    if pledged and not pledgee_consent:
        who = f"（质权人：{pledgee}）" if pledgee else ""
        what = "转让" if deal_type == DealType.ASSIGNMENT else "许可他人使用"
        reasons.append(f"该专利权已出质{who}，未经质权人同意不得{what}（民法典第四百四十四条第二款）")
    if preservation_in_force(patent_id=patent.pk, on=on):
        reasons.append("该专利权已被采取保全措施，保全期间不得转让或许可")
    if suspension_in_force(patent_id=patent.pk, on=on):
        reasons.append("该专利权因权属纠纷处于中止程序，中止期间不得转让或许可（专利法实施细则第一百零三条）")
    return reasons


# ---------------------------------------------------------------- listings


def holder_org(user) -> Organization:
    """The user's organisation when it may hold and offer patents (enterprise, university, institute), else 403."""
    org = getattr(user, "organization", None)
    if org is None or org.kind not in HOLDER_KINDS:
        raise PermissionDenied("只有企业、高校或科研院所的用户可以挂牌专利或发布开放许可")
    return org


@transaction.atomic
def create_listing(
    *,
    user,
    patent_id: str,
    deal_type: str,
    title: str = "",
    summary: str,
    application_fields: str,
    maturity: str,
    asking_price=None,
    negotiable: bool = False,
    fee_standard: str = "",
    licence_years=None,
    pledgee_consent: bool = False,
    pledgee_consent_note: str = "",
    trading_center_id=None,
    contact_person: str = "",
    contact_phone: str = "",
) -> Listing:
    """List an owned, in-force, unencumbered patent; refusals raise InputError with every reason."""
    org = holder_org(user)
    patent = get_patent(patent_id)
    deal_type = choice(deal_type, DealType, field="deal_type", label="交易方式")
    if deal_type == DealType.OPEN:
        raise InputError("开放许可须通过“开放许可声明”办理（需核验共有人同意、评价报告等条件）", field="deal_type")
    summary = require_text(summary, field="summary", label="通俗说明")
    application_fields = require_text(application_fields, field="application_fields", label="应用领域", max_length=300)
    maturity = choice(maturity, Maturity, field="maturity", label="技术成熟度")
    price = parse_amount(asking_price, field="asking_price", label="挂牌价格")
    if price is None and not negotiable and not (fee_standard or "").strip():
        raise InputError("请填写挂牌价格或许可费标准，或选择“价格面议”", field="asking_price")
    years = None
    if licence_years not in (None, ""):
        try:
            years = int(licence_years)
        except (TypeError, ValueError):
            raise InputError(f"许可期限“{licence_years}”应为整数年", field="licence_years")
        if not 1 <= years <= 20:
            raise InputError("许可期限应在1至20年之间", field="licence_years")
    consent = bool(pledgee_consent)
    if consent and not (pledgee_consent_note or "").strip():
        raise InputError("勾选“质权人已同意”时，请说明质权人同意的书面文件（名称、日期）", field="pledgee_consent_note")
    reasons = listing_refusals(patent=patent, organization=org, deal_type=deal_type, pledgee_consent=consent)
    if reasons:
        raise InputError("不能挂牌：" + "；".join(reasons), field="patent")
    if Listing.objects.filter(
        patent=patent, holder=org, deal_type=deal_type, state__in=[ListingState.PUBLISHED, ListingState.SUSPENDED]
    ).exists():
        raise InputError(f"该专利已有挂牌中的“{DealType(deal_type).label}”项目，请勿重复挂牌", field="patent")
    center = None
    if trading_center_id not in (None, ""):
        center = Organization.objects.filter(pk=trading_center_id, kind=OrgKind.TRADING_CENTER).first()
        if center is None:
            raise InputError("所选展示交易中心不存在", field="trading_center")
    codes = patent_codes(patent)
    return Listing.objects.create(
        patent=patent,
        holder=org,
        deal_type=deal_type,
        title=(title or "").strip()[:200] or patent.title[:200],
        summary=summary,
        application_fields=application_fields,
        maturity=maturity,
        asking_price=price,
        negotiable=bool(negotiable),
        fee_standard=(fee_standard or "").strip()[:300],
        licence_years=years if deal_type != DealType.ASSIGNMENT else None,
        pledgee_consent=consent,
        pledgee_consent_note=(pledgee_consent_note or "").strip()[:300],
        trading_center=center,
        city_code=city_of_org(org) or regions.to_current(patent.city_code or ""),
        ipc_main=patent.ipc_main,
        tech_field=tech_field_for(codes),
        contact_person=(contact_person or user.display_name)[:60],
        contact_phone=(contact_phone or org.contact_phone)[:40],
        created_by=user,
    )


@transaction.atomic
def update_listing(
    *,
    user,
    listing: Listing,
    title: str,
    summary: str,
    application_fields: str,
    maturity: str,
    asking_price=None,
    negotiable: bool = False,
    fee_standard: str = "",
    contact_person: str = "",
    contact_phone: str = "",
) -> Listing:
    """The holder edits the description and price of a listing (patent and deal type stay; the change is audited)."""
    if not can_manage_listing(user, listing):
        raise PermissionDenied("只有挂牌单位可以修改挂牌信息")
    if listing.state not in (ListingState.PUBLISHED, ListingState.SUSPENDED):
        raise InputError(f"挂牌{listing.get_state_display()}，不能修改", field="state")
    price = parse_amount(asking_price, field="asking_price", label="挂牌价格")
    if price is None and not negotiable and not (fee_standard or "").strip():
        raise InputError("请填写挂牌价格或许可费标准，或选择“价格面议”", field="asking_price")
    listing.title = require_text(title, field="title", label="挂牌标题", max_length=200)
    listing.summary = require_text(summary, field="summary", label="通俗说明")
    listing.application_fields = require_text(
        application_fields, field="application_fields", label="应用领域", max_length=300
    )
    listing.maturity = choice(maturity, Maturity, field="maturity", label="技术成熟度")
    listing.asking_price, listing.negotiable, listing.fee_standard = (
        price,
        bool(negotiable),
        (fee_standard or "").strip()[:300],
    )
    listing.contact_person, listing.contact_phone = (contact_person or "")[:60], (contact_phone or "")[:40]
    listing.save()
    return listing


def can_manage_listing(user, listing: Listing) -> bool:
    return bool(
        user.is_authenticated
        and (is_province(user) or (user.organization_id and user.organization_id == listing.holder_id))
    )


def can_start_deal(user, listing: Listing) -> bool:
    """Another body's user may open negotiations on a published listing; open licences are taken, not negotiated."""
    return bool(
        user.is_authenticated
        and user.organization_id
        and not can_manage_listing(user, listing)
        and listing.state == ListingState.PUBLISHED
        and listing.deal_type != DealType.OPEN
    )


def acts_for_organisation(user) -> bool:
    """Declaring an open licence and posting a demand are done for the user's body (their buttons show for these
    users; the services check the body's kind)."""
    return bool(user.is_authenticated and user.organization_id)


@transaction.atomic
def change_listing(*, user, listing: Listing, action: str, reason: str = "") -> Listing:
    """Suspend, resume or withdraw a listing (holder or provincial staff), with the reason recorded."""
    if not can_manage_listing(user, listing):
        raise PermissionDenied("只有挂牌单位或省局工作人员可以变更挂牌状态")
    if action not in ("suspend", "resume", "withdraw"):
        raise InputError(f"未知的操作“{action}”", field="action")
    if action in ("suspend", "withdraw") and not (reason or "").strip():
        raise InputError("请填写暂停或撤牌的理由", field="reason")
    if action == "resume":
        reasons = listing_refusals(
            patent=listing.patent,
            organization=listing.holder,
            deal_type=listing.deal_type,
            pledgee_consent=listing.pledgee_consent,
        )
        if reasons:
            raise InputError("不能恢复挂牌：" + "；".join(reasons), field="action")
    transition(listing, action, by=user, reason=(reason or "").strip())
    listing.save()
    return listing


def public_listings():
    """Published listings for the showcase."""
    return Listing.objects.filter(state=ListingState.PUBLISHED).select_related(
        "patent", "holder", "trading_center", "tech_field"
    )


def showcase(*, q: str = "", section: str = "", field: str = "", city: str = "", center: str = "", deal_type: str = ""):
    """Published listings filtered by industry (IPC section or WIPO field), city, trading centre, deal type and keyword."""
    qs = public_listings()
    if section:
        qs = qs.filter(ipc_main__startswith=section[:1].upper())
    if field:
        qs = qs.filter(tech_field_id=field) if is_id(field) else qs.none()
    if city:
        qs = qs.filter(city_code=city)
    if center:
        qs = qs.filter(trading_center_id=center) if is_id(center) else qs.none()
    if deal_type:
        qs = qs.filter(deal_type=deal_type)
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | Q(application_fields__icontains=q)
            | Q(patent__title__icontains=q)
            | Q(patent__id__icontains=q)
            | Q(holder__name__icontains=q)
        )
    return qs


# ---------------------------------------------------------------- data room


def can_see_data_room(user, listing: Listing) -> bool:
    """Holder, provincial staff and organisations whose access request was approved."""
    if not user.is_authenticated:
        return False
    if can_manage_listing(user, listing):
        return True
    return bool(
        user.organization_id
        and listing.access_requests.filter(organization_id=user.organization_id, state=AccessState.APPROVED).exists()
    )


@transaction.atomic
def add_document(*, user, listing: Listing, upload, description: str = "") -> ListingDocument:
    """Put a file into the listing's data room (holder only)."""
    if not can_manage_listing(user, listing):
        raise PermissionDenied("只有挂牌单位可以上传资料室文件")
    if upload is None:
        raise InputError("请选择要上传的文件", field="file")
    name = upload.name.rsplit("/", 1)[-1]
    if not name.lower().endswith(DOCUMENT_SUFFIXES):
        raise InputError(f"文件“{name}”类型不支持，可上传：{'、'.join(DOCUMENT_SUFFIXES)}", field="file")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise InputError(f"文件“{name}”超过20MB", field="file")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return ListingDocument.objects.create(
        listing=listing,
        name=name[:200],
        description=(description or "")[:300],
        file=upload,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )


@transaction.atomic
def request_access(*, user, listing: Listing, purpose: str = "") -> DataRoomAccess:
    """Ask the holder for access to the data room (one request per organisation)."""
    if not user.is_authenticated or user.organization_id is None:
        raise PermissionDenied("请以单位用户登录后申请查看资料室")
    if user.organization_id == listing.holder_id:
        raise InputError("本单位的挂牌无需申请", field="purpose")
    access, created = DataRoomAccess.objects.get_or_create(
        listing=listing,
        organization_id=user.organization_id,
        defaults={"requested_by": user, "purpose": (purpose or "")[:300]},
    )
    if not created and access.state == AccessState.REFUSED:
        access.state, access.requested_by, access.purpose, access.decided_at = (
            AccessState.REQUESTED,
            user,
            (purpose or "")[:300],
            None,
        )
        access.save()
    if access.state == AccessState.REQUESTED:
        _notify_org(
            listing.holder,
            title=f"资料室访问申请：{listing.title}",
            body=f"{user.organization.name}申请查看资料室。{purpose}",
            url=_url("market:listing_detail", listing.pk),
            key=f"market-access-{access.pk}-{access.state}",
        )
    return access


@transaction.atomic
def decide_access(*, user, access: DataRoomAccess, approve: bool) -> DataRoomAccess:
    """The holder approves or refuses a data room request."""
    if not can_manage_listing(user, access.listing):
        raise PermissionDenied("只有挂牌单位可以审批资料室访问")
    access.state = AccessState.APPROVED if approve else AccessState.REFUSED
    access.decided_by, access.decided_at = user, timezone.now()
    access.save()
    _notify_org(
        access.organization,
        title=f"资料室访问{'已批准' if approve else '未获批准'}：{access.listing.title}",
        url=_url("market:listing_detail", access.listing_id),
        key=f"market-access-{access.pk}-{access.state}",
    )
    return access


def _url(name: str, *args) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except (NoReverseMatch, ImportError):  # a link in a notification is never worth failing the business step
        return ""


def _notify_org(org: Organization | None, *, title: str, body: str = "", url: str = "", key: str = "") -> int:
    from ipplatform.core.notify import notify

    if org is None:
        return 0
    n = 0
    for u in org.users.filter(is_active=True):
        if (
            notify(user=u, title=title, body=body, url=url, kind="market", dedupe_key=f"{key}-{u.pk}" if key else "")
            is not None
        ):
            n += 1
    return n


# ---------------------------------------------------------------- demands


@transaction.atomic
def post_demand(
    *,
    user,
    title: str,
    field: str,
    problem: str,
    deadline,
    budget_min=None,
    budget_max=None,
    preferred_deal_type: str = "",
    ipc_hint: str = "",
) -> Demand:
    """Post a technology demand for the user's enterprise."""
    org = getattr(user, "organization", None)
    if org is None or org.kind not in HOLDER_KINDS:
        raise PermissionDenied("只有企业（或高校、科研院所）用户可以发布技术需求")
    title = require_text(title, field="title", label="需求名称", max_length=200)
    field_text = require_text(field, field="field", label="技术领域", max_length=200)
    problem = require_text(problem, field="problem", label="需要解决的问题")
    if len(problem) < 10:
        raise InputError("请用至少10个字描述需要解决的问题，以便准确匹配专利", field="problem")
    low = parse_amount(budget_min, field="budget_min", label="预算下限")
    high = parse_amount(budget_max, field="budget_max", label="预算上限")
    if low is not None and high is not None and low > high:
        raise InputError(f"预算下限（{low}万元）不能高于预算上限（{high}万元）", field="budget_min")
    day = parse_date(deadline, field="deadline", label="截止日期")
    if day < today():
        raise InputError(f"截止日期{day}已过，请填写今天或以后的日期", field="deadline")
    preferred = choice(preferred_deal_type, DealType, field="preferred_deal_type", label="意向交易方式", required=False)
    from ipplatform.lib.termmatch import split_codes

    codes = split_codes(ipc_hint)
    if (ipc_hint or "").strip() and not codes:
        raise InputError(f"分类号“{ipc_hint}”格式不正确，应如 F25D21/14 或 F25D", field="ipc_hint")
    return Demand.objects.create(
        organization=org,
        title=title,
        field=field_text,
        problem=problem,
        budget_min=low,
        budget_max=high,
        deadline=day,
        preferred_deal_type=preferred,
        ipc_hint="; ".join(codes),
        city_code=city_of_org(org),
        tech_field=tech_field_for(codes),
        created_by=user,
    )


def visible_demands(user):
    """Open demands are visible to every logged-in user; closed ones within the user's scope."""
    if not user.is_authenticated:
        return Demand.objects.none()
    own = scopes.restrict(Demand.objects.all(), user)
    return Demand.objects.filter(Q(state=DemandState.OPEN) | Q(pk__in=own.values("pk"))).select_related(
        "organization", "tech_field"
    )


@transaction.atomic
def close_demand(*, user, demand: Demand, reason: str) -> Demand:
    """Close a demand (its enterprise or provincial staff)."""
    if not (is_province(user) or user.organization_id == demand.organization_id):
        raise PermissionDenied("只有发布单位可以关闭需求")
    transition(demand, "close", by=user, reason=require_text(reason, field="reason", label="关闭理由"))
    demand.save()
    return demand


# ---------------------------------------------------------------- events


@transaction.atomic
def create_event(
    *,
    user,
    title: str,
    kind: str,
    venue: str,
    starts_on,
    ends_on,
    description: str = "",
    capacity=None,
    trading_center_id=None,
    listing_ids=(),
) -> MarketEvent:
    """Create a trading fair or matchmaking meeting (staff or trading centre users)."""
    if not (is_staff(user) or (user.organization and user.organization.kind == OrgKind.TRADING_CENTER)):
        raise PermissionDenied("只有知识产权局或展示交易中心可以发布交易活动")
    from .enums import EventKind

    start = parse_date(starts_on, field="starts_on", label="开始日期")
    end = parse_date(ends_on, field="ends_on", label="结束日期")
    if end < start:
        raise InputError("结束日期不能早于开始日期", field="ends_on")
    cap = None
    if capacity not in (None, ""):
        from ipplatform.core.inputs import parse_int

        cap = parse_int(capacity, field="capacity", label="名额", min_value=1, max_value=100000)
    center = (
        Organization.objects.filter(pk=trading_center_id, kind=OrgKind.TRADING_CENTER).first()
        if trading_center_id
        else None
    )
    event = MarketEvent.objects.create(
        title=require_text(title, field="title", label="活动名称", max_length=200),
        kind=choice(kind, EventKind, field="kind", label="活动类型"),
        venue=require_text(venue, field="venue", label="地点", max_length=200),
        starts_on=start,
        ends_on=end,
        description=description or "",
        capacity=cap,
        trading_center=center,
        city_code=city_of_org(center) if center else city_of_org(user.organization),
        created_by=user,
    )
    if listing_ids:
        event.listings.set(public_listings().filter(pk__in=list(listing_ids)))
    return event


@transaction.atomic
def register_for_event(*, user, event: MarketEvent, role: str, note: str = "") -> EventRegistration:
    """Register the user (and organisation) for an event, within its capacity."""
    if not user.is_authenticated:
        raise PermissionDenied("请登录后报名")
    role = choice(role, ParticipantRole, field="role", label="参会身份")
    if event.ends_on < today():
        raise InputError("活动已结束，不能报名", field="role")
    if EventRegistration.objects.filter(event=event, user=user).exists():
        raise InputError("您已报名该活动", field="role")
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise InputError(f"活动名额（{event.capacity}）已满", field="role")
    return EventRegistration.objects.create(
        event=event, user=user, organization=user.organization, role=role, note=(note or "")[:300]
    )


# ---------------------------------------------------------------- statistics


def _deals_in_scope(user):
    return scopes.restrict(Deal.objects.all(), user) if user is not None else Deal.objects.all()


def _stats_querysets(user, year: int | None):
    """Listings, demands and deals counted by the statistics: deals within the user's scope, listings and demands
    too for users below the province."""
    listings = Listing.objects.all()
    demands = Demand.objects.all()
    deals = _deals_in_scope(user)
    if user is not None and not is_province(user):
        listings = scopes.restrict(listings, user)
        demands = scopes.restrict(demands, user)
    if year:
        listings, demands = listings.filter(created_at__year=year), demands.filter(created_at__year=year)
        deals = deals.filter(created_at__year=year)
    return listings, demands, deals


def _totals(listings, demands, deals) -> dict:
    done = deals.filter(state=DealState.COMPLETED)
    return {
        "listings": listings.count(),
        "listings_open": listings.filter(state=ListingState.PUBLISHED).count(),
        "demands": demands.count(),
        "demands_open": demands.filter(state=DemandState.OPEN).count(),
        "deals": deals.count(),
        "deals_completed": done.count(),
        "amount": done.aggregate(s=Sum("amount"))["s"] or Decimal("0"),
        "open_declarations": OpenLicenceDeclaration.objects.filter(state=DeclarationState.PUBLISHED).count(),
    }


def market_totals(*, user=None, year: int | None = None) -> dict:
    """market_stats()["totals"] without the breakdowns by city, field and month (the showcase shows only these)."""
    return _totals(*_stats_querysets(user, year))


def market_stats(*, user=None, year: int | None = None) -> dict:
    """Listings, demands, deals and completed amounts by city, technology field and month (deals within the user's scope)."""
    listings, demands, deals = _stats_querysets(user, year)
    done = deals.filter(state=DealState.COMPLETED)
    totals = _totals(listings, demands, deals)

    def grouped(key: str, label_of):
        rows: dict[str, dict] = {}

        def bump(k, name, value=1):
            row = rows.setdefault(
                k or "",
                {
                    "key": k or "",
                    "name": label_of(k),
                    "listings": 0,
                    "demands": 0,
                    "deals": 0,
                    "completed": 0,
                    "amount": Decimal("0"),
                },
            )
            row[name] += value

        for k, n in listings.values_list(key).annotate(n=Count("pk")):
            bump(k, "listings", n)
        for k, n in demands.values_list(key).annotate(n=Count("pk")):
            bump(k, "demands", n)
        deal_key = key if key != "tech_field" else "listing__tech_field"
        for k, n in deals.values_list(deal_key).annotate(n=Count("pk")):
            bump(k, "deals", n)
        for k, n, s in done.values_list(deal_key).annotate(n=Count("pk"), s=Sum("amount")):
            bump(k, "completed", n)
            bump(k, "amount", s or Decimal("0"))
        return sorted(rows.values(), key=lambda r: (-r["amount"], -r["listings"] - r["demands"], str(r["key"])))

    fields = dict(TechField.objects.values_list("number", "name_zh"))
    by_city = grouped("city_code", city_name)
    by_field = grouped("tech_field", lambda k: fields.get(k, "未归类") if k else "未归类")
    months: dict[str, dict] = {}

    def month_rows(qs, name, *, amount=False):
        ann = {"n": Count("pk")}
        if amount:
            ann["s"] = Sum("amount")
        for rec in qs.annotate(m=TruncMonth("created_at")).values("m").annotate(**ann):
            if rec["m"] is None:
                continue
            key = rec["m"].strftime("%Y-%m")
            row = months.setdefault(
                key,
                {
                    "key": key,
                    "name": key,
                    "listings": 0,
                    "demands": 0,
                    "deals": 0,
                    "completed": 0,
                    "amount": Decimal("0"),
                },
            )
            row[name] += rec["n"]
            if amount:
                row["amount"] += rec["s"] or Decimal("0")

    month_rows(listings, "listings")
    month_rows(demands, "demands")
    month_rows(deals, "deals")
    month_rows(done, "completed", amount=True)
    by_month = [months[k] for k in sorted(months)]
    return {"totals": totals, "by_city": by_city, "by_field": by_field, "by_month": by_month}


STAT_HEADERS = ["{label}", "挂牌项目", "技术需求", "交易", "已完成交易", "成交金额（万元）"]


def stats_sheets(stats: dict) -> list:
    """Excel sheets of the market statistics (one per breakdown)."""
    from ipplatform.lib.xlsx import Sheet

    notes = [
        "口径：挂牌、需求按发布时间统计；交易按发起时间统计，金额为已完成交易的合同金额（万元）；地市按挂牌/需求单位所在地（现行区划）。"
    ]
    t = stats["totals"]
    summary = Sheet(
        "总体",
        ["指标", "数值"],
        [
            ["挂牌项目", t["listings"]],
            ["挂牌中", t["listings_open"]],
            ["技术需求", t["demands"]],
            ["征集中需求", t["demands_open"]],
            ["交易", t["deals"]],
            ["已完成交易", t["deals_completed"]],
            ["成交金额（万元）", t["amount"]],
            ["有效开放许可声明", t["open_declarations"]],
        ],
        notes=notes,
    )
    out = [summary]
    for title, label, rows in (
        ("按地市", "地市", stats["by_city"]),
        ("按技术领域", "技术领域", stats["by_field"]),
        ("按月份", "月份", stats["by_month"]),
    ):
        out.append(
            Sheet(
                title,
                [h.format(label=label) for h in STAT_HEADERS],
                [[r["name"], r["listings"], r["demands"], r["deals"], r["completed"], r["amount"]] for r in rows],
                notes=notes,
            )
        )
    return out
