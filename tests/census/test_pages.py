"""Census pages for each role: who may open what, the online form, uploads and downloads."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from ipplatform.census import services
from ipplatform.census.models import CensusResponse


@pytest.fixture
def rnd(users, orgs):
    from ipplatform.core.demo import demo_uscc

    orgs["ent_jinan"].uscc = demo_uscc(7, orgs["ent_jinan"].region_code)  # a test USCC: rows are matched by it
    orgs["ent_jinan"].save(update_fields=["uscc"])
    r = services.create_round(
        by=users["city370100"],
        title="济南市2026年企业知识产权普查",
        deadline=dt.date(2999, 1, 1),
        organizations=[orgs["ent_jinan"]],
    )
    services.send_round(rnd=r, by=users["city370100"])
    return r


def test_pages_by_role(client, users, rnd, orgs):
    client.force_login(users["city370100"])
    assert "济南市2026年企业知识产权普查" in client.get("/census/").content.decode()
    page = client.get(f"/census/rounds/{rnd.pk}/").content.decode()
    assert "济南市" in page and "完成率" in page
    assert client.get(f"/census/rounds/{rnd.pk}/results/?by=industry").status_code == 200
    assert client.get(f"/census/rounds/{rnd.pk}/results/?export=docx").status_code == 200
    assert client.get("/census/rounds/new/").status_code == 200
    client.force_login(users["city370200"])  # 青岛 did not send it and has none of its enterprises
    assert client.get(f"/census/rounds/{rnd.pk}/").status_code == 403
    client.force_login(users["qilu_ent"])
    resp = CensusResponse.objects.get(round=rnd, organization=orgs["ent_jinan"])
    assert client.get(f"/census/rounds/{rnd.pk}/").status_code == 302  # to its own questionnaire
    assert client.get(f"/census/rounds/{rnd.pk}/results/").status_code == 403
    province = services.create_round(
        by=users["leader"],
        title="全省普查",
        deadline=dt.date(2999, 1, 1),
        organizations=[orgs["haier"], orgs["ent_jinan"]],
    )
    services.send_round(rnd=province, by=users["leader"])
    other = CensusResponse.objects.get(round=province, organization=orgs["haier"])
    assert client.get(f"/census/responses/{other.pk}/").status_code == 403
    assert client.get(f"/census/responses/{resp.pk}/").status_code == 200
    client.force_login(users["bank"])
    assert client.get("/census/").status_code == 403


def test_online_form_shows_errors_in_place_and_submits(client, users, rnd, orgs):
    resp = CensusResponse.objects.get(round=rnd, organization=orgs["ent_jinan"])
    client.force_login(users["qilu_ent"])
    r = client.post(f"/census/responses/{resp.pk}/", {"submit": "1", "employees": "abc"})
    body = r.content.decode()
    assert r.status_code == 200 and "“从业人员数”应为数字，填写的是“abc”" in body and "“企业规模”为必填项" in body
    from .test_census import GOOD

    data = {k: v for k, v in GOOD.items()}
    data["submit"] = "1"
    r = client.post(f"/census/responses/{resp.pk}/", data)
    assert r.status_code == 302
    resp.refresh_from_db()
    assert resp.state == "submitted" and resp.answers["needs"] == ["维权援助", "海外布局指导"]


def test_template_download_and_upload_errors_shown(client, users, rnd):
    client.force_login(users["city370100"])
    xl = client.get(f"/census/rounds/{rnd.pk}/template.xlsx")
    wb = load_workbook(io.BytesIO(xl.content))
    ws = wb["填报"]
    ws.cell(row=2, column=5).value = "很多"  # employees of the first row
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "济南普查.xlsx"
    buf.seek(0)
    r = client.post(f"/census/rounds/{rnd.pk}/import/", {"file": buf}, follow=True)
    body = r.content.decode()
    assert (
        "济南普查.xlsx" in body
        and "“从业人员数”应为数字，填写的是“很多”" in body
        and "employees｜从业人员数（人）" in body
    )
