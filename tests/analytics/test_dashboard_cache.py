"""The dashboards' cached body fragment: scoped (a city bureau never gets another city's fragment, a non-admin never
the administrator's), the same HTML as an uncached render, recomputed when the records change, and the pages stay
within a query budget once it is warm."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from .conftest import make_patent

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def as_user(users):
    def login(name):
        c = Client()
        c.force_login(users[name])
        return c

    return login


def body(response) -> str:
    """The dashboard's body (the cached fragment and what follows), CSRF tokens left out."""
    html = response.content.decode()
    return CSRF.sub("", html[html.index('id="period-line"') :])


def test_city_bureau_never_gets_another_citys_fragment(corpus, data_dir, as_user):
    qingdao, jinan = as_user("city370200"), as_user("city370100")
    qd = qingdao.get("/city/370200/?year=2015")
    assert qd.status_code == 200 and "本市最新专利申请" in qd.content.decode() and "测试专利P2" in body(qd)
    jn = jinan.get("/city/370100/?year=2015")  # same filters, another city: its own fragment
    assert jn.status_code == 200 and "测试专利P2" not in body(jn) and "测试专利P1" not in body(jn)  # P1: 2014
    assert body(jn) != body(qd)
    assert jinan.get("/city/370200/?year=2015").status_code == 403  # Qingdao's fragment is cached: still refused
    assert "测试专利P2" not in jinan.get("/api/v1/stats/summary?year=2015").content.decode()
    province = as_user("leader").get("/stats/?year=2015")
    assert "本市最新专利申请" not in body(province)  # the province page never shows a city's cached body


def test_administrators_fragment_is_not_shown_to_others(corpus, data_dir, as_user):
    link = "官方统计数据维护与导入"
    assert link in body(as_user("admin").get("/stats/?year=2015"))
    page = body(as_user("leader").get("/stats/?year=2015"))
    assert link not in page and "全部官方统计数据" in page


def test_cached_body_equals_uncached_render_and_follows_the_records(
    corpus, data_dir, as_user, settings, django_capture_on_commit_callbacks
):
    from ipplatform.patents.models import Patent
    from ipplatform.patents.signals import patents_changed

    c = as_user("city370200")
    first = body(c.get("/city/370200/?year=2015"))
    assert body(c.get("/city/370200/?year=2015")) == first  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        make_patent("P12", "invention", dt.date(2015, 9, 9), None, None, "370203", "enterprise", False)
        patents_changed.send(sender=Patent, ids=["P12"], deleted=[])
    after = body(c.get("/city/370200/?year=2015"))
    assert after != first and "测试专利P12" in after  # the changed record shows in the cached figures and list
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        "shared": settings.CACHES["shared"],
    }
    assert body(c.get("/city/370200/?year=2015")) == after  # the cache changes nothing on the page


@pytest.mark.parametrize(
    "url,user,budget",
    [
        ("/stats/?year=2015", "leader", 6),
        ("/city/370200/?year=2015", "city370200", 7),
        ("/api/v1/stats/summary?year=2015", "city370200", 4),
    ],
)
def test_dashboard_query_budget_when_warm(corpus, data_dir, as_user, django_assert_max_num_queries, url, user, budget):
    c = as_user(user)
    assert c.get(url).status_code == 200  # fills the cache
    with django_assert_max_num_queries(budget):
        assert c.get(url).status_code == 200
