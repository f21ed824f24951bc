"""The provincial dashboard and a city sub-platform in a real browser: targets panel and map rendered."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.conftest import SCREENSHOT_DIR


@pytest.mark.browser
def test_province_and_city_dashboards(transactional_db, corpus, users, live_server, page, login, screenshot):
    login(page, live_server, "leader")
    page.goto(f"{live_server.url}/stats/?year=2015&synthetic=1")
    page.wait_for_selector("#map-chart canvas")
    targets = page.locator("#targets .target")
    assert targets.count() == 3
    # no official figures in this database: nothing supports a status
    assert (
        all("数据不足" in targets.nth(i).inner_text() for i in range(3)) and "按申请日" in targets.nth(0).inner_text()
    )
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


@pytest.mark.browser
def test_dashboards_with_official_figures(
    transactional_db, corpus, users, live_server, page, login, screenshot, settings, tmp_path
):
    """The real official table loaded: 2013 (official 全年 figures), 2015 (1-9月 only) and the latest year on the 16-city map."""
    from ipplatform.analytics import aggregates, services
    from ipplatform.core.official import load_shipped

    from .conftest import make_patent

    load_shipped()
    make_patent(
        "P20", "invention", dt.date(2020, 5, 6), None, None, "370116", "enterprise", False
    )  # 济南市莱芜区 (2019-)
    make_patent(
        "P21", "invention", dt.date(2013, 5, 6), dt.date(2014, 8, 1), None, "370902", "university", False
    )  # 泰安
    aggregates.rebuild()
    login(page, live_server, "leader")

    page.goto(f"{live_server.url}/stats/?year=2013")
    page.wait_for_selector("#map-chart canvas")
    official = page.locator("#table-official").inner_text()
    assert "2013年全年" in official and "67,642" in official and "8913" in official
    per10k = page.locator('#targets [data-key="valid_invention_per_10k"]').inner_text()
    assert "滞后" in per10k and "官方统计" in per10k and "2.89" in per10k  # the provincial office's own figure
    assert (
        "数据不足" in page.locator('#targets [data-key="invention_applications_growth"]').inner_text()
    )  # no 2012 full year
    assert "各市不排名" in page.locator("#rank-withheld").inner_text()
    assert "平台收录真实记录" in page.locator("#provenance").inner_text()
    page.wait_for_timeout(400)
    screenshot(page, "analytics_province_2013")

    page.goto(f"{live_server.url}/stats/?year=2015")
    page.wait_for_selector("#map-chart canvas")
    official = page.locator("#table-official").inner_text()
    assert "2015年1-9月" in official and "47,790" in official and "2015年全年" not in official.split("授权量")[0]
    grants = page.locator('#targets [data-key="invention_grants_growth"]').inner_text()
    assert "已完成" in grants and "16,881" in grants and "10,538" in grants
    apps = page.locator('#targets [data-key="invention_applications_growth"]').inner_text()
    assert "数据不足" in apps and "1-9月" in apps and "已完成" not in apps
    page.wait_for_timeout(400)
    screenshot(page, "analytics_province_2015")

    page.goto(f"{live_server.url}/stats/")  # default: the latest year with data
    page.wait_for_selector("#map-chart canvas")
    assert "2020年" in page.locator("#period-line").inner_text()
    assert page.locator('#map-chart[data-map="shandong_2020"]').count() == 1
    assert "原莱芜市" in page.locator(".card", has=page.locator("#map-chart")).inner_text()
    assert "无已导入的官方统计数" in page.locator("#table-official").inner_text()
    page.wait_for_timeout(400)
    screenshot(page, "analytics_province_latest")

    page.goto(f"{live_server.url}/city/370100/?year=2016")
    page.wait_for_selector("#table-official")
    official = page.locator("#table-official").inner_text()
    assert "14,669" in official and "14,628" in official  # Jinan 2016 applications and valid inventions
    assert "不排名" in page.locator("#rank-line").inner_text()
    assert "没有任何年份" not in page.content()
    page.wait_for_timeout(400)
    screenshot(page, "analytics_city_370100_2016")

    settings.DATA_DIR = tmp_path
    data = services.build_report_document(year=2015, city_code=None, divisions="2015", include_synthetic=False)
    from docx import Document

    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = ["\t".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]
    (SCREENSHOT_DIR / "analytics_report_2015.txt").write_text(text + "\n\n" + "\n".join(tables), encoding="utf-8")
    assert "数据说明：平台收录真实记录" in text and "平台收录的山东省记录中" in text
    assert any("2015年1-9月" in row and "47790" in row for row in tables)
    assert not any("已完成" in row and "发明专利申请量增长" in row for row in tables)
