"""Who sees what: deals by party and region (core.scopes), data rooms by approval, statistics and exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from ipplatform.market import flows, services
from ipplatform.market.models import Deal, MarketEvent

pytestmark = pytest.mark.usefixtures("market_reference")


def _deal(owned, users, listing_kwargs):
    listing = services.create_listing(
        user=users["sdu"], patent_id=owned.pk, deal_type="ordinary", trading_center_id=None, **listing_kwargs
    )
    return listing, flows.start_deal(user=users["qilu_ent"], listing=listing, message="询价")


def test_deal_visible_to_parties_and_their_city_only(owned, users, listing_kwargs, client):
    listing, deal = _deal(owned, users, listing_kwargs)
    for username, status in (
        ("sdu", 200),
        ("qilu_ent", 200),
        ("city370100", 200),
        ("admin", 200),
        ("haier", 403),
        ("city370200", 403),
    ):
        client.force_login(users[username])
        assert client.get(f"/market/deals/{deal.pk}/").status_code == status, username
    client.force_login(users["haier"])
    assert client.get("/api/v1/market/deals").json() == []
    response = client.post(
        f"/api/v1/market/deals/{deal.pk}/transition", {"action": "negotiate"}, content_type="application/json"
    )
    assert response.status_code == 403 and "超出您的数据范围" in response.json()["error"]
    client.force_login(users["city370100"])  # the city bureau sees the deal but is no party to it
    response = client.post(
        f"/api/v1/market/deals/{deal.pk}/transition", {"action": "negotiate"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Deal.objects.get(pk=deal.pk).state == "inquiry"


def test_data_room_only_for_approved_parties(owned, users, listing_kwargs, client):
    listing, _ = _deal(owned, users, listing_kwargs)
    doc = services.add_document(
        user=users["sdu"], listing=listing, upload=SimpleUploadedFile("技术交底书.pdf", b"%PDF-1.4 demo")
    )
    url = f"/market/documents/{doc.pk}/"
    client.force_login(users["qilu_ent"])
    assert client.get(url).status_code == 403
    assert "申请查看资料室" in client.get(f"/market/listings/{listing.pk}/").content.decode()
    client.post(f"/market/listings/{listing.pk}/access/", {"purpose": "评估可行性"})
    access = listing.access_requests.get()
    assert client.get(url).status_code == 403  # requested, not yet approved
    client.force_login(users["haier"])  # not the holder: cannot approve
    assert client.post(f"/market/access/{access.pk}/decide/", {"decision": "approve"}).status_code == 403
    client.force_login(users["sdu"])
    client.post(f"/market/access/{access.pk}/decide/", {"decision": "approve"})
    client.force_login(users["qilu_ent"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    client.force_login(users["haier"])
    assert client.get(url).status_code == 403
    client.force_login(users["sdu"])
    bad = client.post(
        f"/market/listings/{listing.pk}/documents/", {"file": SimpleUploadedFile("x.exe", b"MZ")}, follow=True
    )
    assert "类型不支持" in bad.content.decode()


def test_statistics_dashboard_and_excel(owned, users, listing_kwargs, client):
    _deal(owned, users, listing_kwargs)
    services.post_demand(
        user=users["laiwu_ent"],
        title="精密轴类零件在线检测",
        field="机械",
        problem="人工抽检效率低、漏检多，需要在线测量方案",
        deadline=timezone.localdate() + dt.timedelta(days=30),
        budget_max="50",
    )
    client.force_login(users["xietiao"])
    page = client.get("/market/stats/")
    assert page.status_code == 200
    data = page.context["data"]
    assert data["totals"]["listings"] == 1 and data["totals"]["demands"] == 1 and data["totals"]["deals"] == 1
    cities = {r["key"]: r for r in data["by_city"]}
    assert cities["370100"]["listings"] == 1 and cities["370100"]["deals"] == 1 and cities["370100"]["name"] == "济南市"
    # the demand comes from 莱芜市钢城区 (371203): counted under today's 济南市 after the 2019 merger
    assert cities["370100"]["demands"] == 1 and "371200" not in cities
    wb = load_workbook(io.BytesIO(client.get("/market/stats/?export=xlsx").content))
    assert wb.sheetnames == ["总体", "按地市", "按技术领域", "按月份"]
    rows = list(wb["总体"].values)
    assert ("挂牌项目", 1) in rows and ("技术需求", 1) in rows
    client.force_login(users["city370200"])  # Qingdao sees nothing of Jinan's market
    assert client.get("/market/stats/").context["data"]["totals"]["deals"] == 0


def test_events_registration_and_capacity(owned, users, listing_kwargs, orgs, client):
    listing, _ = _deal(owned, users, listing_kwargs)
    event = services.create_event(
        user=users["xietiao"],
        title="专利技术交易会",
        kind="fair",
        venue="济南",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=1),
        capacity=1,
        trading_center_id=orgs["center_nat"].pk,
        listing_ids=[listing.pk],
    )
    assert event.city_code == "370100" and list(event.listings.all()) == [listing]
    services.register_for_event(user=users["qilu_ent"], event=event, role="demand")
    client.force_login(users["haier"])
    response = client.post(f"/market/events/{event.pk}/register/", {"role": "demand"}, follow=True)
    assert "名额（1）已满" in response.content.decode()
    client.force_login(users["xietiao"])
    page = client.get(f"/market/events/{event.pk}/").content.decode()
    assert "济南时代新纪元科技有限公司" in page and listing.title in page
    client.force_login(users["qilu_ent"])
    assert client.get("/market/events/new/").status_code == 403
    assert MarketEvent.objects.count() == 1
    assert client.get("/market/").status_code == 200
