"""The provincial dashboard and a city sub-platform in a real browser: targets panel and map rendered."""
from __future__ import annotations

import pytest


@pytest.mark.browser
def test_province_and_city_dashboards(transactional_db, corpus, users, live_server, page, login, screenshot):
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/stats/?year=2015&synthetic=1")
    page.wait_for_selector("#map-chart canvas")
    targets = page.locator("#targets .target")
    assert targets.count() == 3
    assert "已完成" in targets.nth(0).inner_text() and "口径" in targets.nth(0).inner_text()
    assert "滞后" in page.locator('#targets [data-key="valid_invention_per_10k"]').inner_text()
    assert page.locator(".synthetic-banner").is_visible()
    assert page.locator("#table-cities tbody tr").count() == 17
    page.wait_for_timeout(500)
    screenshot(page, "analytics_province")

    page.click("text=莱芜市")
    page.wait_for_url("**/city/371200/**")
    page.wait_for_selector("#map-chart canvas")
    assert "莱芜市专利统计监测" in page.locator("h1").inner_text()
    inv = page.locator("#table-by_type tbody tr").first.locator("td")
    assert inv.nth(0).inner_text() == "发明" and inv.nth(1).inner_text() == "2"  # P3, P8
    assert page.locator("#targets .target").count() == 3
    assert page.locator('a[href="/search/?city=371200"]').count() >= 1
    page.wait_for_timeout(500)
    screenshot(page, "analytics_city_371200")
