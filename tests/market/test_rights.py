"""Who may start negotiations and act for a body: decided in services and passed to the templates by the views."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ipplatform.market import services
from ipplatform.market.enums import ListingState

pytestmark = pytest.mark.usefixtures("market_reference")


@pytest.fixture
def listing(owned, users, listing_kwargs):
    return services.create_listing(user=users["sdu"], patent_id=owned.pk, deal_type="ordinary", **listing_kwargs)


def test_another_body_may_start_negotiations_on_a_published_listing(listing, users):
    assert services.can_start_deal(users["haier"], listing)


def test_the_holder_does_not_negotiate_with_itself(listing, users):
    assert not services.can_start_deal(users["sdu"], listing)


def test_nobody_negotiates_on_a_suspended_listing(listing, users):
    services.change_listing(user=users["sdu"], listing=listing, action="suspend", reason="权利人暂停")
    assert listing.state == ListingState.SUSPENDED and not services.can_start_deal(users["haier"], listing)


def test_an_open_licence_is_taken_not_negotiated(listing, users):
    listing.deal_type = "open"
    assert not services.can_start_deal(users["haier"], listing)


def test_a_visitor_does_not_negotiate(listing):
    assert not services.can_start_deal(AnonymousUser(), listing)


def test_a_user_of_a_body_acts_for_it(users):
    assert services.acts_for_organisation(users["haier"])


def test_a_visitor_acts_for_no_body():
    assert not services.acts_for_organisation(AnonymousUser())


def test_the_listing_page_offers_negotiation_to_another_body(listing, users, client):
    client.force_login(users["haier"])
    assert f"/market/listings/{listing.pk}/inquire/" in client.get(f"/market/listings/{listing.pk}/").content.decode()
