"""The public portal: front page, 17 city sub-sites (2015 divisions), thematic sub-sites; reachable without login and
linked from the login page; the logged-in home page is unchanged."""

import pytest
from django.urls import reverse

from ipplatform.core import regions
from ipplatform.publicity import services as publicity

pytestmark = pytest.mark.django_db


def _publish(users, username, title, category="news"):
    a = publicity.save_article(
        user=users[username], article=None, data={"category": category, "title": title, "body": "正文"}
    )
    a = publicity.transition(user=users[username], article=a, action="submit")
    reviewer = (
        "city" + users[username].organization.region_code[:4] + "00" if username.startswith("huangdao") else "leader"
    )
    return publicity.transition(user=users[reviewer], article=a, action="approve")


def test_front_page_is_public(client, users):
    notice = _publish(users, "bangongshi", "省局通知一则", "notice")
    r = client.get(reverse("portal:index"))
    html = r.content.decode()
    assert r.status_code == 200
    assert notice.title in html and reverse("protection:intake_public") in html and reverse("market:showcase") in html
    assert html.count("/portal/city/") == 17


def test_anonymous_home_still_goes_to_login_which_links_the_portal(client):
    r = client.get("/")
    assert r.status_code == 302 and r.url.startswith(reverse("login"))
    assert reverse("portal:index") in client.get(reverse("login")).content.decode()


def test_seventeen_city_sites_including_laiwu(client, reference_data):
    codes = [c for c, _ in regions.cities(regions.REVISION_2015)]
    assert len(codes) == 17 and "371200" in codes
    r = client.get(reverse("portal:city", args=["371200"]))
    assert r.status_code == 200 and "莱芜市" in r.content.decode()
    assert client.get(reverse("portal:city", args=["370211"])).status_code == 404
    assert client.get(reverse("portal:city", args=["110100"])).status_code == 404


def test_city_site_shows_its_own_news_and_contacts(client, users):
    qd = _publish(users, "huangdao", "黄岛区工作动态")
    province = _publish(users, "bangongshi", "省局工作动态")
    html = client.get(reverse("portal:city", args=["370200"])).content.decode()
    assert qd.title in html and province.title not in html
    assert users["city370200"].organization.name in html
    assert qd.title not in client.get(reverse("portal:city", args=["370100"])).content.decode()


def test_city_without_records_says_so_instead_of_zeros(client, reference_data):
    from django.core.cache import cache

    cache.clear()
    html = client.get(reverse("portal:city", args=["370200"])).content.decode()
    assert "平台尚无该地区的专利记录" in html and "全省位次" not in html


def test_city_figures_say_what_they_are_computed_from(client, reference_data, monkeypatch):
    from django.core.cache import cache

    from ipplatform.analytics import services as stats

    cache.clear()
    summary = {
        "applications": 120,
        "invention_applications": 40,
        "grants": 70,
        "valid_invention": 300,
        "valid_invention_per_10k": 0.3,
    }
    fake = {
        "summary": summary,
        "period": {"label": "2014年"},
        "valid_date": None,
        "rank": {"applications": 2, "valid_invention": 3},
        "basis": {
            "applications": "申请量：按申请日统计",
            "grants": "授权量：按授权日统计",
            "valid": "有效发明专利：截至",
            "population": "常住人口：某来源",
        },
    }
    monkeypatch.setattr(stats, "default_year", lambda include_synthetic=False: 2014)
    monkeypatch.setattr(
        stats,
        "dashboard",
        lambda **kw: fake if kw["city_code"] == "370200" and kw["include_synthetic"] is False else None,
    )
    html = client.get(reverse("portal:city", args=["370200"])).content.decode()
    assert "申请量：按申请日统计" in html and ">120<" in html and "申请量第2位" in html
    cache.clear()


def test_topic_site_for_shared_databases_only(client, users):
    from ipplatform.navigation.models import ThematicDatabase

    shared = ThematicDatabase.objects.create(name="新能源汽车", is_shared=True, description="专题说明")
    private = ThematicDatabase.objects.create(name="内部专题", is_shared=False)
    html = client.get(reverse("portal:topic", args=[shared.pk])).content.decode()
    assert "新能源汽车" in html and "按申请年份" in html
    assert client.get(reverse("portal:topic", args=[private.pk])).status_code == 404
    assert "新能源汽车" in client.get(reverse("portal:index")).content.decode()
