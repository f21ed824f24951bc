"""Expert pool pages for each role."""

from __future__ import annotations

from ipplatform.experts import services


def test_expert_pages(client, users, orgs):
    e = services.save_expert(
        by=users["leader"],
        data={"name": "甲教授（演示）", "ipc_codes": "H01M", "industries": "C", "employer": orgs["sdu"]},
    )
    client.force_login(users["city370200"])
    assert "甲教授（演示）" in client.get("/experts/?ipc=H01M&industry=C").content.decode()
    assert "甲教授（演示）" not in client.get(f"/experts/?ipc=H01M&exclude={orgs['sdu'].pk}").content.decode()
    assert "门类“Z”不存在" in client.get("/experts/?industry=Z").content.decode()
    assert client.get("/experts/new/").status_code == 403
    client.force_login(users["leader"])
    r = client.post(
        f"/experts/{e.pk}/conflicts/",
        {"organization": orgs["haier"].pk, "kind": "cooperation", "note": "合作研发项目"},
        follow=True,
    )
    assert "合作研发项目" in r.content.decode()
    client.force_login(users["expert"])
    r = client.get("/experts/")
    assert r.status_code == 302  # to the expert's own entry
    assert client.get(f"/experts/{e.pk}/").status_code == 403
    client.force_login(users["haier"])
    assert client.get("/experts/").status_code == 403


def test_a_conflict_with_a_bad_date_is_refused_naming_the_field(client, users, orgs):
    e = services.save_expert(
        by=users["leader"], data={"name": "乙教授（演示）", "ipc_codes": "H01M", "industries": "C"}
    )
    client.force_login(users["leader"])
    r = client.post(
        f"/experts/{e.pk}/conflicts/",
        {"organization": orgs["haier"].pk, "kind": "cooperation", "since": "2025/01/01"},
        follow=True,
    )
    assert "起始日期“2025/01/01”不是有效日期" in r.content.decode()
