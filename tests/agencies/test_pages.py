"""Agency, alliance and key-unit pages for each role."""

from __future__ import annotations

from ipplatform.agencies import services


def test_agency_pages(client, users, orgs):
    a = services.register_agency(by=users["leader"], organization=orgs["agency"], licence_no="37101（演示）")
    client.force_login(users["leader"])
    assert orgs["agency"].name in client.get("/agencies/").content.decode()
    r = client.post(
        f"/agencies/{a.pk}/action/",
        {"action": "agent", "name": "陈代理", "qualification_no": "Q-1（演示）"},
        follow=True,
    )
    assert "陈代理" in r.content.decode()
    r = client.post(f"/agencies/{a.pk}/action/", {"action": "rate"}, follow=True)
    assert "信用评价：" in r.content.decode()
    assert client.get("/agencies/?export=xlsx").status_code == 200
    client.force_login(users["agency"])
    assert client.get(f"/agencies/{a.pk}/").status_code == 200
    assert client.post(f"/agencies/{a.pk}/action/", {"action": "rate"}, follow=True).status_code == 403
    client.force_login(users["city370200"])
    assert client.get(f"/agencies/{a.pk}/").status_code == 403
    client.force_login(users["haier"])
    assert client.get("/agencies/").status_code == 403


def test_alliance_and_unit_pages(client, users, orgs):
    client.force_login(users["leader"])
    r = client.post(
        "/alliances/new/",
        {
            "name": "山东新材料产业知识产权保护联盟（演示数据）",
            "field": "新材料",
            "region_code": "370100",
            "lead": orgs["ent_jinan"].pk,
            "established_on": "2025-03-01",
        },
    )
    a = orgs["ent_jinan"].led_alliances.get()
    assert r.status_code == 302
    client.post(f"/alliances/{a.pk}/action/", {"action": "member", "organization": orgs["sdu"].pk, "role": "member"})
    xl = client.get(f"/alliances/{a.pk}/?export=xlsx")
    assert xl.status_code == 200 and xl["Content-Type"].startswith("application/vnd.openxmlformats")
    client.post(
        "/key-units/new/",
        {
            "organization": orgs["haier"].pk,
            "batch": "演示数据：第一批",
            "basis": "演示数据",
            "valid_from": "2026-01-01",
            "is_demo": "1",
        },
    )
    assert "演示数据：第一批" in client.get("/key-units/").content.decode()
    client.force_login(users["sdu"])  # a member sees its alliance, not the key-unit list of others
    assert "山东新材料产业知识产权保护联盟" in client.get("/alliances/").content.decode()
    assert "演示数据：第一批" not in client.get("/key-units/").content.decode()
    assert client.post("/key-units/new/", {"organization": orgs["sdu"].pk}).status_code == 403
    assert not orgs["sdu"].key_protection.exists()
    client.force_login(users["haier"])
    assert client.get(f"/alliances/{a.pk}/").status_code == 403
