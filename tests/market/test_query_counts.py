"""The showcase within a query budget: headline totals without the breakdowns, listings per trading centre in one
grouped query (the same figures as counting them one by one)."""

import pytest

from ipplatform.market import services

pytestmark = pytest.mark.usefixtures("market_reference")


def test_showcase_totals_and_centre_counts_in_a_query_budget(
    owned, users, listing_kwargs, client, django_assert_max_num_queries
):
    services.create_listing(
        user=users["sdu"], patent_id=owned.pk, deal_type="ordinary", trading_center_id=None, **listing_kwargs
    )
    for user in (None, users["xietiao"], users["city370100"]):
        assert services.market_totals(user=user) == services.market_stats(user=user)["totals"]
    assert services.market_totals(user=None)["listings"] == 1
    client.get("/market/")
    with django_assert_max_num_queries(18):
        page = client.get("/market/")
    assert page.status_code == 200
    cards = page.context["center_cards"]
    assert cards and all(n == services.public_listings().filter(trading_center=c).count() for c, n in cards)
