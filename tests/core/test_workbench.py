"""The workbench: to-do items from every app's providers, recent records from the audit trail, the leadership cockpit,
and the Chinese error pages with a way back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.utils.module_loading import import_string

from ipplatform.core import workbench
from ipplatform.core.context import acting_as
from ipplatform.core.errors import server_error

TODAY = dt.date(2026, 3, 2)


def fake_provider(*, user):
    return [
        workbench.Item("/b/", "有期限", dt.date(2026, 3, 9)),
        workbench.Item("/c/", "无期限"),
        workbench.Item("/a/", "已超期", dt.date(2026, 2, 1), late=True),
    ]


def test_every_registered_provider_imports():
    paths = [p for c in apps.get_app_configs() for p in getattr(c, "todo_providers", ())]
    assert {p.split(".")[1] for p in paths} >= {"finance", "protection", "workplan", "credit"}
    assert all(callable(import_string(p)) for p in paths)


@pytest.mark.django_db
def test_todo_items_come_from_providers_late_first(users, monkeypatch):
    config = apps.get_app_config("core")
    monkeypatch.setattr(config, "todo_providers", ("tests.core.test_workbench.fake_provider",), raising=False)
    items = [t for t in workbench.todo_items(users["fawu"]) if t.source == config.verbose_name]
    assert [t.text for t in items] == ["已超期", "有期限", "无期限"]


@pytest.mark.django_db
def test_recent_items_are_what_the_user_changed(users):
    from ipplatform.core.enums import OrgKind
    from ipplatform.core.models import Organization

    with acting_as(users["fawu"]):
        org = Organization.objects.create(name="工作台测试企业有限公司", kind=OrgKind.ENTERPRISE, region_code="370100")
        org.short_name = "工作台测试"
        org.save()
    with acting_as(users["guihua"]):
        Organization.objects.create(name="他人新增的企业有限公司", kind=OrgKind.ENTERPRISE, region_code="370100")
    recent = workbench.recent_items(users["fawu"])
    mine = [r for r in recent if "工作台测试企业" in r["repr"]]
    assert len(mine) == 1 and mine[0]["action"] == "修改"  # one line per record, its latest change
    assert not [r for r in recent if "他人新增" in r["repr"]]


@pytest.mark.django_db
def test_leader_lands_on_the_cockpit_others_on_their_workbench(client, users):
    client.force_login(users["leader"])
    page = client.get("/").content.decode()
    assert "领导驾驶舱" in page and "发明专利申请量" in page and "按申请日统计" in page and "待办事项" in page
    client.force_login(users["haier"])
    page = client.get("/").content.decode()
    assert "工作台" in page and "领导驾驶舱" not in page and "常用功能" in page and "最近处理" in page


@pytest.mark.django_db
def test_error_pages_are_chinese_with_a_way_back(client, users):
    response = client.get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404 and "页面或记录不存在" in text and "Resolver404" not in text
    assert "返回首页" in text and 'rel="icon"' in text
    client.force_login(users["fawu"])
    response = client.get("/audit/")
    text = response.content.decode()
    assert response.status_code == 403 and "无权访问" in text and "返回工作台" in text
    response = server_error(RequestFactory().get("/somewhere/"))
    text = response.content.decode()
    assert response.status_code == 500 and "服务器内部错误" in text and "返回首页" in text and "Traceback" not in text
