"""Listing refusals (ownership, validity, exclusive/sole licence, pledge, preservation) and the happy path, on real records."""

from __future__ import annotations

import datetime as dt

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.market import services
from ipplatform.market.enums import ListingState
from ipplatform.patents.models import LegalEvent

pytestmark = pytest.mark.usefixtures("market_reference")


def _refused(users, patent, deal_type, listing_kwargs, **extra) -> str:
    with pytest.raises(InputError) as exc:
        services.create_listing(user=users["sdu"], patent_id=patent.pk, deal_type=deal_type, **listing_kwargs, **extra)
    return exc.value.message


def test_owner_lists_in_force_patent(owned, users, listing_kwargs):
    listing = services.create_listing(user=users["sdu"], patent_id=owned.pk, deal_type="ordinary", **listing_kwargs)
    assert listing.state == ListingState.PUBLISHED
    assert listing.holder == users["sdu"].organization and listing.city_code == "370100"
    assert listing.asking_price == 30 and listing.ipc_main == owned.ipc_main
    assert listing in services.showcase(q=owned.title[:4])


def test_refused_when_not_the_patentee(owned, users, listing_kwargs):
    with pytest.raises(InputError) as exc:
        services.create_listing(user=users["haier"], patent_id=owned.pk, deal_type="assignment", **listing_kwargs)
    assert "不是该专利的专利权人" in exc.value.message and owned.applicants_text in exc.value.message


def test_refused_when_not_granted(real, users, listing_kwargs, become_holder):
    patent = next(p for p in real if ";" not in p.applicants_text)
    link = patent.applicant_links.get()
    become_holder(users["sdu"], link.applicant.name)
    assert "尚未授权" in _refused(users, patent, "assignment", listing_kwargs)


def test_refused_when_fees_lapsed(owned, users, listing_kwargs):
    LegalEvent.objects.create(patent=owned, date=dt.date(2022, 3, 1), code="fee_lapse", source="测试")
    assert "2022-03-01未缴年费终止" in _refused(users, owned, "ordinary", listing_kwargs)


@pytest.mark.parametrize("description", ["独占许可：许可某公司实施", "排他许可：许可某公司实施"])
def test_exclusive_or_sole_licence_in_force_forbids_licensing_not_assignment(owned, users, listing_kwargs, description):
    LegalEvent.objects.create(
        patent=owned, date=dt.date(2024, 1, 1), code="license", description=description, source="测试"
    )
    assert services.exclusive_licence_in_force(patent_id=owned.pk)
    assert "独占或排他许可" in _refused(users, owned, "ordinary", listing_kwargs)
    assert services.create_listing(user=users["sdu"], patent_id=owned.pk, deal_type="assignment", **listing_kwargs)
    LegalEvent.objects.create(patent=owned, date=dt.date(2025, 1, 1), code="license_end", source="测试")
    assert not services.exclusive_licence_in_force(patent_id=owned.pk)
    assert services.exclusive_licence_in_force(patent_id=owned.pk, on=dt.date(2024, 6, 1))


def test_pledge_without_consent_forbids_assignment(owned, users, listing_kwargs):
    LegalEvent.objects.create(
        patent=owned, date=dt.date(2024, 1, 1), code="pledge", description="齐鲁银行（演示）", source="质押登记"
    )
    message = _refused(users, owned, "assignment", listing_kwargs)
    assert "未经质权人同意不得转让" in message and "齐鲁银行" in message
    with pytest.raises(InputError) as exc:  # consent must be documented
        services.create_listing(
            user=users["sdu"], patent_id=owned.pk, deal_type="assignment", pledgee_consent=True, **listing_kwargs
        )
    assert exc.value.field == "pledgee_consent_note"
    listing = services.create_listing(
        user=users["sdu"],
        patent_id=owned.pk,
        deal_type="assignment",
        pledgee_consent=True,
        pledgee_consent_note="齐鲁银行2026年3月1日同意函",
        **listing_kwargs,
    )
    assert listing.pledgee_consent


def test_pledge_release_lifts_the_bar(owned, users, listing_kwargs):
    LegalEvent.objects.create(
        patent=owned, date=dt.date(2024, 1, 1), code="pledge", source="质押登记", reference="finance.pledge:1"
    )
    LegalEvent.objects.create(
        patent=owned, date=dt.date(2025, 1, 1), code="pledge_release", source="质押登记", reference="finance.pledge:1"
    )
    assert services.active_pledge_info(patent_id=owned.pk) == (False, "")
    assert services.active_pledge_info(patent_id=owned.pk, on=dt.date(2024, 5, 1))[0]
    assert services.create_listing(user=users["sdu"], patent_id=owned.pk, deal_type="assignment", **listing_kwargs)


def test_preservation_forbids_listing(owned, users, listing_kwargs):
    LegalEvent.objects.create(patent=owned, date=dt.date(2025, 1, 1), code="preservation", source="法院")
    assert "保全" in _refused(users, owned, "assignment", listing_kwargs)


def test_bad_input_names_the_field(owned, users, listing_kwargs):
    bad = dict(listing_kwargs, asking_price="三十万")
    with pytest.raises(InputError) as exc:
        services.create_listing(user=users["sdu"], patent_id=owned.pk, deal_type="ordinary", **bad)
    assert exc.value.field == "asking_price" and "三十万" in exc.value.message
    assert "开放许可须通过" in _refused(users, owned, "open", listing_kwargs)
    with pytest.raises(InputError) as exc:
        services.create_listing(user=users["sdu"], patent_id="CN999", deal_type="ordinary", **listing_kwargs)
    assert "没有专利" in exc.value.message


def test_listing_page_and_api(owned, users, client, listing_kwargs):
    client.force_login(users["sdu"])
    response = client.post("/market/listings/new/", {"patent": owned.pk, "deal_type": "ordinary", **listing_kwargs})
    assert response.status_code == 302
    listing = owned.market_listings.get()
    page = client.get(f"/market/listings/{listing.pk}/")
    assert page.status_code == 200 and owned.title in page.content.decode()
    refused = client.post("/market/listings/new/", {"patent": owned.pk, "deal_type": "ordinary", **listing_kwargs})
    assert refused.status_code == 400 and "请勿重复挂牌" in refused.content.decode()
    client.force_login(users["haier"])
    api = client.post(
        "/api/v1/market/listings",
        {"patent": owned.pk, "deal_type": "assignment", **listing_kwargs},
        content_type="application/json",
    )
    assert api.status_code == 400 and "不是该专利的专利权人" in api.json()["error"]
    check = client.get("/api/v1/market/listings/check", {"patent": owned.pk, "deal_type": "assignment"})
    assert check.json()["allowed"] is False
    assert client.get("/api/v1/market/listings").json()[0]["id"] == listing.pk
    # the holder edits the price; others may not
    edit = {
        "title": "流体发电系统",
        "summary": "更通俗的说明",
        "application_fields": "水利",
        "maturity": "industrial",
        "asking_price": "25万",
    }
    client.force_login(users["sdu"])
    bad = client.post(f"/market/listings/{listing.pk}/edit/", edit)
    assert bad.status_code == 400 and "“25万”不是有效的数字" in bad.content.decode()
    assert client.post(f"/market/listings/{listing.pk}/edit/", dict(edit, asking_price="25")).status_code == 302
    assert type(listing).objects.get(pk=listing.pk).asking_price == 25
    client.force_login(users["qilu_ent"])
    assert client.post(f"/market/listings/{listing.pk}/edit/", dict(edit, asking_price="1")).status_code == 403
    # holder withdraws with a reason; the history records it
    client.force_login(users["sdu"])
    client.post(f"/market/listings/{listing.pk}/action/", {"action": "withdraw", "reason": "技术已自行产业化"})
    listing = type(listing).objects.get(pk=listing.pk)
    assert listing.state == ListingState.WITHDRAWN
    from ipplatform.core.workflow import history

    assert [(t.transition, t.reason, t.actor_name) for t in history(listing)] == [
        ("withdraw", "技术已自行产业化", "sdu")
    ]


def test_a_university_user_acts_for_the_university_as_holder(users):
    assert services.holder_org(users["sdu"]) == users["sdu"].organization


def test_a_bank_user_cannot_offer_patents(users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.holder_org(users["bank"])


def test_a_listing_action_refused_returns_to_the_page_with_the_message(owned, users, client, listing_kwargs):
    listing = services.create_listing(user=users["sdu"], patent_id=owned.pk, deal_type="ordinary", **listing_kwargs)
    client.force_login(users["sdu"])
    detail = f"/market/listings/{listing.pk}/"
    response = client.post(
        f"{detail}action/", {"action": "fly"}, HTTP_REFERER=f"http://testserver{detail}", follow=True
    )
    assert "未知的操作“fly”" in response.content.decode()
