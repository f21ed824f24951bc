"""The menu asks the view's own gate: for every demo account and every menu entry, the menu's permission decision is
the view's answer, and no entry shown answers 403, 404 or 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ipplatform.core.navigation import (
    GROUP_NAMES,
    all_items,
    breadcrumbs,
    gate_of,
    grouped,
    items_for,
    sidebar_html,
    view_allows,
)

CITY_SAMPLE = ("city370100", "city370200", "city371200")


def _opened(response) -> bool:
    location = response.get("Location", "")
    return response.status_code < 300 or (response.status_code in (301, 302) and "/login/" not in location)


def _refused(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 403 or (response.status_code == 302 and "/login/" in location)


@pytest.mark.django_db
def test_menu_decision_equals_view_decision_for_every_role(users):
    entries = [(item, reverse(item.url_name)) for _, item in all_items()]
    assert len(entries) > 60
    # one account per kind: the 17 city bureaus behave alike, three of them stand for the rest
    accounts = {k: u for k, u in users.items() if not k.startswith("city") or k in CITY_SAMPLE}
    mismatches, shown_refused, checked = [], [], 0
    for username, user in sorted(accounts.items()):
        client = Client()
        client.force_login(user)
        menu = {i["url_name"] for i in items_for(user)}
        for item, url in entries:
            response = client.get(url)
            assert response.status_code < 500, f"{username} {item.url_name}: {response.status_code}"
            allowed = view_allows(user, item.url_name)
            if allowed != _opened(response) or (not allowed and not _refused(response)):
                mismatches.append((username, item.url_name, allowed, response.status_code))
            if item.url_name in menu and not _opened(response):
                shown_refused.append((username, item.url_name, response.status_code))
            checked += 1
    assert checked == len(accounts) * len(entries) and len(accounts) >= 18
    assert not mismatches, "\n".join(map(str, mismatches))
    assert not shown_refused, "\n".join(map(str, shown_refused))


@pytest.mark.django_db
def test_visitors_see_only_public_entries_that_open(client, users):
    anonymous = items_for(type("Anon", (), {"is_authenticated": False})())
    assert anonymous and all(not _refused(client.get(i["url"])) for i in anonymous)
    assert {i["url_name"] for i in anonymous} == {item.url_name for _, item in all_items() if item.public}


@pytest.mark.django_db
def test_department_staff_outside_law_office_do_not_see_case_worker_pages(users):
    """信息中心 and 规划处 are department staff but not case workers: the five protection pages are not offered."""
    for username in ("xinxi", "guihua"):
        urls = {i["url_name"] for i in items_for(users[username])}
        assert not urls & {"protection:board", "protection:evidence_verify", "protection:stats", "protection:rules"}
    assert "protection:board" in {i["url_name"] for i in items_for(users["fawu"])}


def test_every_gated_entry_names_its_view_gate_once():
    """Menu entries reach the view's gate through the URL; at least the staff pages declare one."""
    gated = [item.url_name for _, item in all_items() if gate_of(_view(item.url_name)) is not None]
    assert "protection:board" in gated and "finance:fund" in gated and "core:audit" in gated


def _view(url_name):
    from django.urls import resolve

    return resolve(reverse(url_name)).func


@pytest.mark.django_db
def test_groups_current_entry_and_breadcrumbs(users):
    items = items_for(users["admin"])
    groups = grouped(items, "/finance/pledges/12/")
    assert [g["name"] for g in groups] == [n for n in GROUP_NAMES if n in {g["name"] for g in groups}]
    assert len(groups) == len(GROUP_NAMES)
    current = [i["url_name"] for g in groups for i in g["items"] if i["current"]]
    assert current == ["finance:pledges"]
    trail = breadcrumbs(items, "/finance/pledges/12/")
    assert [c["label"] for c in trail] == ["项目与资金", "专利权质押登记"]
    assert trail[-1]["url"] == reverse("finance:pledges")


def test_side_menu_opens_the_current_group_and_marks_the_current_entry(users):
    html = sidebar_html(grouped(items_for(users["admin"]), "/finance/pledges/12/"))
    groups = html.split("</details>")[:-1]
    assert len(groups) == len(GROUP_NAMES)
    opened = [g for g in groups if " open>" in g]
    assert len(opened) == 1 and "<summary>项目与资金<" in opened[0]
    assert f'href="{reverse("finance:pledges")}" class="active" aria-current="page"' in opened[0]
    assert html.count('aria-current="page"') == 1


def test_side_menu_escapes_entry_text():
    menu = [
        {
            "key": "x",
            "name": "A<B",
            "current": False,
            "items": [{"url": "/a?b=1&c=2", "label": "<script>", "description": 'say "hi"', "current": False}],
        }
    ]
    html = sidebar_html(menu)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="/a?b=1&amp;c=2"' in html and 'title="say &quot;hi&quot;"' in html and "A&lt;B" in html
    assert " open>" in html  # at most two groups: opened


def test_pages_show_the_side_menu(client, users):
    client.force_login(users["admin"])
    body = client.get(reverse("home")).content.decode()
    assert body.count('class="nav-sec"') == len(GROUP_NAMES)
