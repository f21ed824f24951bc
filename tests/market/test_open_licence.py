"""Open licence (专利法 arts. 50–52): each bar, publication, online acceptance with notice and payment, withdrawal."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from ipplatform.core.inputs import InputError
from ipplatform.core.models import Notification
from ipplatform.market import flows
from ipplatform.market.enums import DeclarationState, ListingState
from ipplatform.market.models import OpenLicence, OpenLicenceDeclaration
from ipplatform.patents.models import LegalEvent

TODAY = timezone.localdate()
pytestmark = pytest.mark.usefixtures("market_reference")


def _declare(users, patent, announce=True, **extra):
    kwargs = dict(
        user=users["sdu"],
        patent_id=patent.pk,
        fee_method="lump_sum",
        lump_sum="5",
        term_start=TODAY,
        term_end=TODAY + dt.timedelta(days=3 * 365),
    )
    kwargs.update(extra)
    decl = flows.declare_open_licence(**kwargs)
    if announce:
        decl = flows.record_cnipa_announcement(
            user=users["sdu"], declaration=decl, announcement_no="CN-KF-2026-000123", announced_on=TODAY
        )
    return decl


def _bars(users, patent, **extra) -> str:
    with pytest.raises(InputError) as exc:
        _declare(users, patent, **extra)
    return exc.value.message


def test_bar_not_granted(real, users, become_holder):
    patent = next(p for p in real if ";" not in p.applicants_text)
    link = patent.applicant_links.get()
    become_holder(users["sdu"], link.applicant.name)
    assert "仅适用于已授权的专利" in _bars(users, patent)


def test_bar_co_owners_must_all_agree(real, users, become_holder):
    from tests.market import realdata

    patent = next(p for p in real if ";" in p.applicants_text)
    first = patent.applicant_links.order_by("order").first().applicant
    become_holder(users["sdu"], first.name)
    realdata.grant(patent, on=dt.date(2019, 6, 1))
    assert "全体共有人同意" in _bars(users, patent)
    assert _declare(users, patent, co_owners_consent=True).state == DeclarationState.PUBLISHED


def test_bar_exclusive_licence_in_force(owned, users):
    LegalEvent.objects.create(
        patent=owned, date=dt.date(2024, 1, 1), code="license", description="独占许可", source="测试"
    )
    assert "独占或排他许可有效期限内" in _bars(users, owned)


def test_bar_fees_not_paid(owned, users):
    LegalEvent.objects.create(patent=owned, date=dt.date(2023, 1, 1), code="fee_lapse", source="测试")
    assert "年费未按规定缴纳" in _bars(users, owned)


def test_bar_evaluation_report_for_utility_models(db, users, become_holder):
    from tests.market import realdata

    patent = realdata.load_sipo_export()[0]  # a real 2012 utility model, expired in 2022
    link = patent.applicant_links.order_by("order").first()
    become_holder(users["sdu"], link.applicant.name)
    message = _bars(users, patent)
    assert "实用新型专利声明开放许可须提供专利权评价报告" in message and "届满" in message
    # the same record as if filed recently: only the missing evaluation report bars it
    patent.application_date, patent.publication_date = dt.date(2021, 3, 1), dt.date(2021, 9, 1)
    patent.save()
    assert _bars(users, patent, term_end=dt.date(2030, 1, 1)).endswith("须提供专利权评价报告（专利法第五十条）")
    assert (
        _declare(users, patent, evaluation_report_no="PJ2021-3701-0008", term_end=dt.date(2030, 1, 1)).state
        == DeclarationState.PUBLISHED
    )


def test_declaration_takes_effect_only_with_cnipa_announcement(owned, users):
    decl = _declare(users, owned, announce=False, summary="像说明书一样通俗的介绍")
    # the platform checks and records; only CNIPA's announcement has legal effect (专利法 art 50)
    assert (
        decl.state == DeclarationState.SUBMITTED
        and decl.publication_no == ""
        and decl.listing.state == ListingState.SUSPENDED
    )
    assert not LegalEvent.objects.filter(patent=owned, code="open_license").exists()
    with pytest.raises(InputError, match="已提交，不能再接受新的许可"):
        flows.accept_open_licence(
            user=users["qilu_ent"], declaration=decl, payment_amount="5", payment_date=TODAY, payment_reference="P0"
        )
    with pytest.raises(InputError, match="公告日.*晚于今天"):
        flows.record_cnipa_announcement(
            user=users["sdu"], declaration=decl, announcement_no="X1", announced_on=TODAY + dt.timedelta(days=1)
        )
    decl = flows.record_cnipa_announcement(
        user=users["sdu"], declaration=decl, announcement_no="CN-KF-2026-000123", announced_on=TODAY
    )
    assert (
        decl.state == DeclarationState.PUBLISHED
        and decl.publication_no == "CN-KF-2026-000123"
        and decl.published_on == TODAY
    )
    assert decl.listing.state == ListingState.PUBLISHED
    event = LegalEvent.objects.get(
        patent=owned, code="open_license", reference=f"market.openlicence_declaration:{decl.pk}"
    )
    assert "国家知识产权局公告号CN-KF-2026-000123" in event.description


def test_bar_fee_arrears_in_the_grace_period(owned, users):
    from ipplatform.patents import legalstate

    grant = legalstate.grant_date_of(patent=owned)
    dues = legalstate.fee_due_dates(
        application_date=owned.application_date, grant_date=grant, until=dt.date(2024, 12, 31)
    )
    assert len(dues) >= 3
    for d in dues[:-1]:  # every fee paid except the last one
        LegalEvent.objects.create(patent=owned, date=d - dt.timedelta(days=10), code="fee_paid", source="测试")
    on = legalstate.add_months(dues[-1], 2)  # two months into the grace period: not yet lapsed, but in arrears
    bars = flows.open_licence_bars(patent=owned, organization=users["sdu"].organization, co_owners_consent=False, on=on)
    assert any("年费未按规定缴纳" in b and "滞纳期内" in b and "第八十六条第（三）项" in b for b in bars)
    paid_before = flows.open_licence_bars(
        patent=owned,
        organization=users["sdu"].organization,
        co_owners_consent=False,
        on=dues[-1] - dt.timedelta(days=1),
    )
    assert not any("年费" in b for b in paid_before)


def test_bar_suspension_and_pledge_with_consent(owned, users):
    LegalEvent.objects.create(
        patent=owned, date=dt.date(2024, 1, 1), code="suspension", description="权属纠纷请求中止", source="测试"
    )
    assert "权属纠纷处于中止程序" in _bars(users, owned)
    LegalEvent.objects.create(patent=owned, date=dt.date(2024, 6, 1), code="suspension_end", source="测试")
    LegalEvent.objects.create(
        patent=owned,
        date=dt.date(2024, 7, 1),
        code="pledge",
        description="质押登记号Y1；出质人甲；质权人某银行",
        source="质押登记",
        reference="cnipa:Y1",
    )
    assert "须提供质权人书面同意" in _bars(users, owned) and "某银行" in _bars(users, owned)
    decl = _declare(users, owned, pledgee_consent="某银行同意书（2026）1号")
    assert decl.state == DeclarationState.PUBLISHED and decl.pledgee_consent.startswith("某银行")


def test_declare_accept_withdraw(owned, users, client):
    decl = _declare(users, owned, summary="像说明书一样通俗的介绍")
    assert decl.state == DeclarationState.PUBLISHED and decl.publication_no == "CN-KF-2026-000123"
    assert decl.listing.deal_type == "open" and decl.listing.state == ListingState.PUBLISHED
    assert LegalEvent.objects.filter(
        patent=owned, code="open_license", reference=f"market.openlicence_declaration:{decl.pk}"
    ).exists()
    with pytest.raises(InputError) as exc:  # one declaration per patent
        _declare(users, owned)
    assert "已有待公告或有效的开放许可声明" in exc.value.message
    # while the declaration is in force no exclusive or sole licence (专利法 art 51(3))
    from ipplatform.market import services as msvc

    refusals = msvc.listing_refusals(patent=owned, organization=users["sdu"].organization, deal_type="exclusive")
    assert any("第五十一条第三款" in r for r in refusals)
    assert not any(
        "第五十一条第三款" in r
        for r in msvc.listing_refusals(patent=owned, organization=users["sdu"].organization, deal_type="ordinary")
    )
    with pytest.raises(InputError) as exc:  # payment below the published fee
        flows.accept_open_licence(
            user=users["qilu_ent"], declaration=decl, payment_amount="3", payment_date=TODAY, payment_reference="P1"
        )
    assert exc.value.field == "payment_amount"
    licence = flows.accept_open_licence(
        user=users["qilu_ent"], declaration=decl, payment_amount="5", payment_date=TODAY, payment_reference="HX20260001"
    )
    assert "专利法》第五十一条" in licence.notice_text and "HX20260001" in licence.notice_text
    assert licence.end_date == decl.term_end
    event = LegalEvent.objects.get(patent=owned, code="license", reference=f"market.openlicence:{licence.pk}")
    assert users["qilu_ent"].organization.name in event.description
    assert Notification.objects.filter(
        user=users["sdu"], title__contains="开放许可实施通知", body__contains="第八十七条"
    ).exists()
    # recordal of the licence with CNIPA (细则 art 87)
    with pytest.raises(InputError, match="不能早于书面通知日"):
        flows.record_open_licence_recordal(
            user=users["qilu_ent"],
            licence=licence,
            recordal_no="2026370000012",
            recorded_on=TODAY - dt.timedelta(days=1),
        )
    licence = flows.record_open_licence_recordal(
        user=users["qilu_ent"], licence=licence, recordal_no="2026370000012", recorded_on=TODAY
    )
    assert OpenLicence.objects.get(pk=licence.pk).recordal_no == "2026370000012"
    client.force_login(users["qilu_ent"])
    doc = Document(io.BytesIO(client.get(f"/market/open-licences/licences/{licence.pk}/notice.docx").content))
    assert any("HX20260001" in c.text for t in doc.tables for row in t.rows for c in row.cells)
    client.force_login(users["haier"])  # neither party: no access to the notice
    assert client.get(f"/market/open-licences/licences/{licence.pk}/notice.docx").status_code == 403
    # withdrawal: the earlier licence stays, new acceptances are refused
    flows.withdraw_open_licence(user=users["sdu"], declaration=decl, reason="拟转为独占许可")
    decl = OpenLicenceDeclaration.objects.get(pk=decl.pk)
    assert decl.state == DeclarationState.WITHDRAWN and decl.withdrawn_on == TODAY
    assert OpenLicence.objects.filter(pk=licence.pk, declaration=decl).exists()
    assert type(decl.listing).objects.get(pk=decl.listing_id).state == ListingState.WITHDRAWN
    assert (
        "此前已实施的1项许可不受影响" in LegalEvent.objects.get(patent=owned, code="open_license_withdrawn").description
    )
    with pytest.raises(InputError) as exc:
        flows.accept_open_licence(
            user=users["haier"], declaration=decl, payment_amount="5", payment_date=TODAY, payment_reference="P2"
        )
    assert "已撤回" in exc.value.message
    page = client.get(f"/market/open-licences/{decl.pk}/").content.decode()
    assert "已撤回" in page and "已实施单位" in page


# ---------------------------------------------------------------- royalty rate bounds (issue #19)


def test_a_royalty_rate_above_100_percent_is_refused_naming_the_field(owned, users):
    with pytest.raises(InputError, match="提成比例（%）应在0到100之间") as exc:
        _declare(users, owned, announce=False, fee_method="royalty", lump_sum=None, royalty_rate="150")
    assert exc.value.field == "royalty_rate"


def test_a_negative_royalty_rate_is_refused(owned, users):
    with pytest.raises(InputError, match="提成比例（%）应在0到100之间"):
        _declare(users, owned, announce=False, fee_method="royalty", lump_sum=None, royalty_rate="-5")


def test_a_royalty_rate_with_more_than_two_decimals_is_refused(owned, users):
    with pytest.raises(InputError, match="提成比例（%）最多2位小数"):
        _declare(users, owned, announce=False, fee_method="royalty", lump_sum=None, royalty_rate="3.125")


def test_a_royalty_rate_of_100_percent_is_kept(owned, users):
    decl = _declare(users, owned, announce=False, fee_method="royalty", lump_sum=None, royalty_rate="100")
    assert str(decl.royalty_rate) == "100"


def test_the_declaration_form_shows_the_royalty_error(owned, users, client):
    client.force_login(users["sdu"])
    form = {
        "patent": owned.pk,
        "fee_method": "royalty",
        "royalty_rate": "250",
        "term_start": TODAY.isoformat(),
        "term_end": (TODAY + dt.timedelta(days=365)).isoformat(),
    }
    page = client.post("/market/open-licences/new/", form)
    assert page.status_code == 400 and "提成比例（%）应在0到100之间" in page.content.decode()
