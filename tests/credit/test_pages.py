"""Credit pages for each role."""

from __future__ import annotations

import datetime as dt

from ipplatform.credit import services


def test_credit_pages_by_role(client, users, orgs):
    qilu = orgs["ent_jinan"]
    services.record_event(
        org=qilu,
        by=users["city370100"],
        kind="abnormal",
        occurred_on=dt.date(2025, 10, 9),
        description="非正常专利申请3件（演示数据）",
        is_demo=True,
    )
    client.force_login(users["city370100"])
    body = client.get("/credit/").content.decode()
    assert qilu.name in body and orgs["haier"].name not in body  # 济南's bureau: its own city
    page = client.get(f"/credit/orgs/{qilu.pk}/").content.decode()
    assert "80.00" in page and "非正常专利申请3件" in page and "演示数据" in page
    assert client.get(f"/credit/orgs/{orgs['haier'].pk}/").status_code == 403
    assert client.get("/credit/?export=xlsx").status_code == 200
    r = client.post(
        f"/credit/orgs/{qilu.pk}/events/",
        {
            "kind": "certification",
            "occurred_on": "2025-11-01",
            "description": "通过GB/T 29490认证（演示数据）",
            "is_demo": "1",
        },
        follow=True,
    )
    assert "已登记" in r.content.decode() and services.current(qilu).score == 85
    client.force_login(users["qilu_ent"])
    assert client.get("/credit/").status_code == 403
    assert "85.00" in client.get("/credit/mine/").content.decode()
    assert client.get(f"/credit/orgs/{orgs['haier'].pk}/").status_code == 403
    assert (
        client.post(
            f"/credit/orgs/{qilu.pk}/events/",
            {"kind": "certification", "occurred_on": "2025-11-01", "description": "x"},
        ).status_code
        == 403
    )
    assert services.current(qilu).score == 85  # an enterprise cannot record its own events
    assert client.get("/credit/list/").status_code == 200


def test_list_pages_and_actions(client, users, orgs):
    client.force_login(users["fawu"])
    r = client.post(
        f"/credit/orgs/{orgs['ent_jinan'].pk}/list/",
        {"reason": "骗取资助资金（演示数据）", "decision_no": "演示-1", "is_demo": "1"},
    )
    entry = orgs["ent_jinan"].dishonesty_entries.get()
    assert r.status_code == 302 and r["Location"] == f"/credit/list/{entry.pk}/"
    client.post(f"/credit/list/{entry.pk}/action/", {"action": "publish", "reason": "陈述申辩不成立"})
    entry.refresh_from_db()
    assert entry.state == "listed" and entry.listed_on == services.today()
    client.force_login(users["haier"])
    assert "骗取资助资金" in client.get("/credit/list/").content.decode()
    page = client.get(f"/credit/list/{entry.pk}/").content.decode()
    # the objection form (its reason field), not the words: the menu describes 公示 objections elsewhere
    assert "异议理由和证据" not in page
    client.force_login(users["qilu_ent"])
    page = client.get(f"/credit/list/{entry.pk}/").content.decode()
    assert "异议理由和证据" in page and "提出异议" in page and "资格审查结果" in page


def test_an_event_with_a_bad_date_is_refused_naming_the_field(client, users, orgs):
    qilu = orgs["ent_jinan"]
    client.force_login(users["city370100"])
    r = client.post(
        f"/credit/orgs/{qilu.pk}/events/",
        {"kind": "certification", "occurred_on": "2025-13-01", "description": "通过认证"},
        follow=True,
    )
    assert "发生日期“2025-13-01”不是有效日期" in r.content.decode()
