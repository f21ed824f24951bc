"""Deals: inquiry → negotiation → contract → registration → completed, with state history, legal events, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipplatform.core.inputs import InputError
from ipplatform.core.models import Notification
from ipplatform.core.workflow import history
from ipplatform.market import flows, services
from ipplatform.market.enums import DealState, ListingState
from ipplatform.patents.models import LegalEvent

TODAY = timezone.localdate()
pytestmark = pytest.mark.usefixtures("market_reference")


def _listing(users, patent, deal_type, listing_kwargs):
    return services.create_listing(user=users["sdu"], patent_id=patent.pk, deal_type=deal_type, **listing_kwargs)


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_assignment_deal_history_and_legal_event(owned, users, listing_kwargs, orgs):
    listing = _listing(users, owned, "assignment", listing_kwargs)
    deal = flows.start_deal(user=users["haier"], listing=listing, message="拟用于新产品")
    assert deal.state == DealState.INQUIRY and deal.seller == users["sdu"].organization
    with pytest.raises(InputError) as exc:  # no skipping steps
        flows.advance_deal(user=users["sdu"], deal=deal, action="complete", registration_no="X1", registered_on=TODAY)
    assert "当前状态“意向洽询”下不能执行“登记完成”操作" == exc.value.message
    flows.advance_deal(user=users["sdu"], deal=deal, action="negotiate", reason="约定面谈")
    with pytest.raises(InputError) as exc:
        flows.advance_deal(user=users["sdu"], deal=deal, action="sign_contract", amount="80", contract_signed_on=TODAY)
    assert exc.value.field == "contract_no"
    flows.advance_deal(
        user=users["haier"],
        deal=_fresh(deal),
        action="sign_contract",
        amount="80",
        contract_no="HT-001",
        contract_signed_on=TODAY,
    )
    assert _fresh(listing).state == ListingState.SUSPENDED  # an assignment under contract is off the showcase
    flows.advance_deal(
        user=users["haier"], deal=_fresh(deal), action="submit_registration", reason="已提交著录项目变更"
    )
    deal = flows.advance_deal(
        user=users["sdu"], deal=_fresh(deal), action="complete", registration_no="ZL-BG-2026-01", registered_on=TODAY
    )
    steps = [(t.source, t.target, t.actor_name) for t in history(deal)]
    assert steps == [
        ("inquiry", "negotiation", "sdu"),
        ("negotiation", "contract", "haier"),
        ("contract", "registration", "haier"),
        ("registration", "completed", "sdu"),
    ]
    assert history(deal)[1].reason == "合同HT-001，金额80.00万元"
    event = LegalEvent.objects.get(patent=owned, reference=f"market.deal:{deal.pk}")
    assert event.code == "transfer" and event.source == "交易登记" and "海尔智家股份有限公司" in event.description
    assert _fresh(listing).state == ListingState.CLOSED
    # ownership follows the registered assignment
    assert services.holder_names(owned) == ["海尔智家股份有限公司"]
    assert services.is_owned_by(patent=owned, organization=users["haier"].organization)
    assert not services.is_owned_by(patent=owned, organization=users["sdu"].organization)
    assert owned in services.patents_of(organization=users["haier"].organization)
    assert owned not in services.patents_of(organization=users["sdu"].organization)
    with pytest.raises(InputError):
        _listing(users, owned, "ordinary", listing_kwargs)
    stats = services.market_stats(user=users["admin"])
    assert stats["totals"]["deals_completed"] == 1 and stats["totals"]["amount"] == 80


def test_exclusive_licence_deal_blocks_further_licences_until_it_ends(owned, users, listing_kwargs):
    listing = _listing(users, owned, "exclusive", listing_kwargs)
    deal = flows.start_deal(user=users["haier"], listing=listing)
    flows.advance_deal(user=users["sdu"], deal=deal, action="negotiate")
    end = TODAY + dt.timedelta(days=400)
    flows.advance_deal(
        user=users["sdu"],
        deal=_fresh(deal),
        action="sign_contract",
        amount="50",
        contract_no="XK-1",
        contract_signed_on=TODAY - dt.timedelta(days=10),
        licence_start=TODAY - dt.timedelta(days=10),
        licence_end=end,
    )
    deal = _fresh(deal)
    assert deal.recordal_deadline == services.add_months(TODAY - dt.timedelta(days=10), 3)
    flows.advance_deal(user=users["haier"], deal=deal, action="submit_registration")
    flows.advance_deal(
        user=users["sdu"], deal=_fresh(deal), action="complete", registration_no="BA-2026-7", registered_on=TODAY
    )
    assert LegalEvent.objects.get(reference=f"market.deal:{deal.pk}").code == "license"
    assert services.exclusive_licence_in_force(patent_id=owned.pk)
    assert not services.exclusive_licence_in_force(patent_id=owned.pk, on=end + dt.timedelta(days=1))
    with pytest.raises(InputError) as exc:
        _listing(users, owned, "ordinary", listing_kwargs)
    assert "独占或排他许可" in exc.value.message


def test_recordal_reminder_before_the_three_month_limit(owned, users, listing_kwargs):
    listing = _listing(users, owned, "ordinary", listing_kwargs)
    deal = flows.start_deal(user=users["qilu_ent"], listing=listing)
    flows.advance_deal(user=users["sdu"], deal=deal, action="negotiate")
    signed = TODAY - dt.timedelta(days=80)
    flows.advance_deal(
        user=users["sdu"],
        deal=_fresh(deal),
        action="sign_contract",
        amount="10",
        contract_no="PT-9",
        contract_signed_on=signed,
        licence_start=signed,
        licence_end=signed + dt.timedelta(days=700),
    )
    deadline = _fresh(deal).recordal_deadline
    assert deadline == services.add_months(signed, 3)
    assert flows.send_recordal_reminders(on=deadline - dt.timedelta(days=30)) == 0  # not yet
    sent = flows.send_recordal_reminders(on=deadline - dt.timedelta(days=10))
    assert sent == 2  # one user of each party
    assert flows.send_recordal_reminders(on=deadline - dt.timedelta(days=9)) == 0  # sent once
    note = Notification.objects.get(user=users["qilu_ent"], title__contains="备案期限将至")
    assert str(deadline) in note.title and "PT-9" in note.body
    assert flows.send_recordal_reminders(on=deadline + dt.timedelta(days=1)) == 2
    assert Notification.objects.filter(user=users["sdu"], title__contains="已逾期").exists()


def test_cancel_needs_a_reason_and_resumes_the_listing(owned, users, listing_kwargs, client):
    listing = _listing(users, owned, "assignment", listing_kwargs)
    deal = flows.start_deal(user=users["haier"], listing=listing)
    with pytest.raises(InputError):
        flows.advance_deal(user=users["haier"], deal=deal, action="cancel")
    with pytest.raises(InputError) as exc:  # one open deal per buyer and listing
        flows.start_deal(user=users["haier"], listing=listing)
    assert f"#{deal.pk}" in exc.value.message
    client.force_login(users["haier"])
    skipped = client.post(f"/market/deals/{deal.pk}/action/", {"action": "complete"}, follow=True)
    assert skipped.status_code == 200 and "不能执行" in skipped.content.decode()
    response = client.post(f"/market/deals/{deal.pk}/action/", {"action": "cancel", "reason": "价格未谈拢"})
    assert response.status_code == 302
    assert _fresh(deal).state == DealState.CANCELLED
    assert history(deal).last().reason == "价格未谈拢"
    page = client.get(f"/market/deals/{deal.pk}/").content.decode()
    assert "价格未谈拢" in page and "已取消" in page


def test_daily_command_suspends_lapsed_listings_and_closes_expired_demands(owned, users, listing_kwargs):
    from django.core.management import call_command

    listing = _listing(users, owned, "ordinary", listing_kwargs)
    demand = services.post_demand(
        user=users["qilu_ent"], title="需求", field="食品", problem="需要提高片剂贮藏稳定性的工艺方案", deadline=TODAY
    )
    LegalEvent.objects.create(patent=owned, date=TODAY, code="fee_lapse", source="测试")
    call_command("market_reminders", stdout=__import__("io").StringIO())
    assert _fresh(listing).state == ListingState.SUSPENDED
    assert "未缴年费终止" in history(listing).last().reason and history(listing).last().actor_name
    assert Notification.objects.filter(user=users["sdu"], title__startswith="挂牌已暂停").exists()
    assert _fresh(demand).state == "open"  # deadline is today: still open
    assert flows.close_expired_demands(on=TODAY + dt.timedelta(days=1)) == 1
    assert _fresh(demand).state == "closed"
