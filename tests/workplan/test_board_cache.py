"""The cached board: keyed by the viewer's scope (a city bureau never gets the supervisors' board), recomputed when a
work-plan record changes, and within a query budget once warm."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("workplan:board") + "?as_of=2015-06-10"


@pytest.fixture
def as_user(client, users):
    def login(name):
        client.force_login(users[name])
        return client

    return login


def task_links(page: str, plan) -> int:
    return sum(f'href="{reverse("workplan:task", args=[t.pk])}"' in page for t in plan.tasks.all())


def test_board_cache_follows_viewer_and_reminders(as_user, plan2015, users, django_assert_max_num_queries):
    from ipplatform.workplan.access import visible_tasks

    c = as_user("bangongshi")
    page = c.get(URL).content.decode()
    assert task_links(page, plan2015) == plan2015.tasks.count() and "#remind-form" in page
    assert not re.search(r"\d+待签收", page)
    with django_assert_max_num_queries(14):
        assert c.get(URL).status_code == 200  # warm
    city = as_user("city370200").get(URL).content.decode()  # same plan, date and filters: another viewer
    mine = visible_tasks(users["city370200"], plan2015).count()
    assert 0 < mine < plan2015.tasks.count() and task_links(city, plan2015) == mine and "#remind-form" not in city
    c = as_user("bangongshi")
    c.post(reverse("workplan:remind_missing", args=[plan2015.pk]), {"as_of": "2015-06-10"})
    assert re.search(r"\d+待签收", c.get(URL).content.decode())  # the new 督办 show on the cached board


def test_change_recorded_invalidates_the_board(plan2015, users):
    from ipplatform.workplan import services
    from ipplatform.workplan.units import change_recorded

    before = services.cached_board(plan=plan2015, user=users["bangongshi"])
    task = plan2015.tasks.get(number=1)
    change_recorded(task, by=users["admin"], reason="测试", lead="改过的任务名称")
    after = services.cached_board(plan=plan2015, user=users["bangongshi"])
    assert before["rows"][0]["task"].lead != "改过的任务名称" and after["rows"][0]["task"].lead == "改过的任务名称"
