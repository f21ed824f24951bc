"""End to end in Chromium: a university lists a real patent and declares an open licence, an enterprise posts a demand,
sees the match with its reasons and takes the open licence online (screenshots under var/screenshots/)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.market import realdata


@pytest.mark.browser
def test_list_demand_match_and_take_open_licence(
    transactional_db, live_server, page, login, screenshot, users, become_holder
):
    from ipplatform.search import services as search

    corpus = realdata.load_sipo_export() + realdata.load_sipo_epub(limit=300)
    patent = next(
        p
        for p in corpus
        if p.source_file.startswith("sipo_export") and ";" not in p.applicants_text and len(p.abstract) > 150
    )
    link = patent.applicant_links.get()
    become_holder(users["sdu"], link.applicant.name)
    patent.application_date, patent.publication_date = (
        dt.date(2021, 3, 1),
        dt.date(2021, 9, 1),
    )  # scenario: within its term
    patent.save()
    search.rebuild_index()

    # 1. the university lists the patent; the form checks ownership and encumbrances before submitting
    login(page, live_server, "sdu")
    page.goto(f"{live_server.url}/market/listings/new/")
    page.fill("#patent", patent.pk)
    page.select_option("#deal_type", "ordinary")
    page.wait_for_selector("#check-result")
    assert "核验通过" in page.inner_text("#check")
    page.fill("#summary", "用预制的U型预留孔固定钢轨，安装拆卸方便，减少钢筋用量。")
    page.fill("#application_fields", "铁路、城市轨道交通")
    page.fill("#asking_price", "20")
    page.fill("#licence_years", "5")
    screenshot(page, "market_listing_form")
    page.click("button:has-text('提交挂牌')")
    page.wait_for_selector("text=挂牌成功")
    assert patent.title in page.inner_text("h1")
    screenshot(page, "market_listing_detail")

    # 2. it also declares an open licence (utility model: the evaluation report is required)
    page.goto(f"{live_server.url}/market/open-licences/new/")
    page.fill("#patent", patent.pk)
    page.fill("#lump_sum", "3")
    page.click("button:has-text('核验并登记声明')")
    assert "须提供专利权评价报告" in page.inner_text(".error-box")
    page.fill("#evaluation_report_no", "PJ2021-3701-0008")
    page.fill("#lump_sum", "3")
    page.click("button:has-text('核验并登记声明')")
    page.wait_for_selector("text=国家知识产权局公告后登记公告号即生效")
    # only CNIPA's announcement gives the declaration legal effect: the holder records its number
    page.fill("#announcement_no", "演示数据-KF2026000001")
    page.click("button:has-text('登记公告')")
    page.wait_for_selector("text=已登记国家知识产权局公告")

    # 3. an enterprise posts a demand in its own words and sees the match with the reasons
    page.click("button:has-text('退出')")
    login(page, live_server, "qilu_ent")
    page.goto(f"{live_server.url}/market/demands/new/")
    abstract = re.sub(r"^本实用新型公开了", "", patent.abstract)
    page.fill("#title", "轨道交通轨枕改进技术")
    page.fill("#field", "轨道交通")
    page.fill("#problem", "我们需要：" + abstract[:120])
    page.fill("#budget_max", "30")
    page.click("button:has-text('发布并匹配')")
    page.wait_for_selector("#listing-matches")
    first_row = page.inner_text("#listing-matches tr:nth-child(2)")
    assert patent.title in first_row and "共同术语" in first_row
    assert patent.title in page.inner_text("#patent-matches tr:nth-child(2)")
    screenshot(page, "market_demand_matches")

    # 4. it takes the open licence online: written notice and payment record
    page.goto(f"{live_server.url}/market/open-licences/")
    page.click(f"text={patent.title}") if page.locator(f"a:has-text('{patent.title}')").count() else page.click(
        "td a >> nth=0"
    )
    page.fill("#payment_reference", "HX-2026-0315")
    page.click("button:has-text('书面通知并实施')")
    page.wait_for_selector("#notice")
    notice = page.inner_text("#notice")
    assert "第五十一条" in notice and "HX-2026-0315" in notice and "济南时代新纪元科技有限公司" in notice
    screenshot(page, "market_open_licence_taken")
    with page.expect_download() as download:
        page.click("text=下载实施通知书（Word）")
    assert download.value.suggested_filename.endswith(".docx")
