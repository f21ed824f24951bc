"""In a real browser: a semantic search (real e5 vectors of real records) and a demand's matches with explanations."""

import datetime as dt

import pytest
from django.utils import timezone

from ipplatform.search import services

from . import realsemantic


@pytest.mark.browser
def test_semantic_search_and_demand_matches_in_browser(
    live_server, transactional_db, reference_data, search_dir, settings, users, page, login, screenshot
):
    from ipplatform.market import services as market

    settings.SEMANTIC_EMBEDDER = "e5"
    realsemantic.load()
    services.rebuild_index()

    page.goto(f"{live_server.url}/search/semantic/")
    page.fill("#text", "我们回收打印机硒鼓，想找一种重新灌碳粉的工具，最好一瓶粉能灌好几次")
    page.click("#semantic-form button[type=submit]")
    page.wait_for_selector(".hit")
    first = page.locator(".hit").first
    assert "鼓粉盒再生墨粉填充装置" in first.locator("h3").inner_text()
    assert "语义相似度" in first.inner_text() and "语义第1" in first.inner_text()
    assert "语义向量覆盖 9 / 9 件" in page.inner_text("#coverage")
    assert "字面检索第 r 名另加 0.02/r" in page.inner_text("#fusion-note")  # the hybrid rule, stated on the page
    screenshot(page, "semantic_search")

    demand = market.post_demand(
        user=users["qilu_ent"],
        title="硒鼓再生灌粉工具",
        field="办公设备",
        problem="我们回收打印机硒鼓，想找一种重新灌碳粉的工具，最好一瓶粉能灌好几次，不同型号都能用",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    login(page, live_server, "qilu_ent")
    page.goto(f"{live_server.url}/market/demands/{demand.pk}/")
    page.wait_for_selector(".mk-why")
    text = page.inner_text(".content")
    assert "语义相近度×0.45" in text and "语义相近：相似度" in text and "多功能鼓粉盒再生墨粉填充装置" in text
    screenshot(page, "demand_matches_semantic")
