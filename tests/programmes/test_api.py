"""The programme API: open calls public, applications scoped like the pages, submit through the same flow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ipplatform.programmes import services

from .conftest import BANK


@pytest.fixture
def today_in_call(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: dt.date(2015, 9, 15))


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_calls_public_shows_open_calls_only(make_call, today_in_call, users):
    open_call = make_call()
    make_call(year=2014, opens=dt.date(2014, 9, 1), closes=dt.date(2014, 9, 30))
    rows = client_for().get("/api/v1/programmes/calls").json()
    assert [r["id"] for r in rows] == [open_call.pk] and rows[0]["stages"][0] == "属地初审"
    assert len(client_for(users["guihua"]).get("/api/v1/programmes/calls?all=1").json()) == 2
    assert len(client_for(users["qilu_ent"]).get("/api/v1/programmes/calls?all=1").json()) == 1


def test_applications_are_scoped_and_submitted(make_call, make_patent, subsidy_application, today_in_call, users):
    call = make_call()
    mine = subsidy_application(call, [(make_patent(), "grant")], submit=False)
    qingdao = services.start_application(by=users["haier"], call=call, on=call.opens_on)
    services.save_form(by=users["haier"], application=qingdao, raw=BANK)

    def ids(user, query=""):
        response = client_for(user).get(f"/api/v1/programmes/applications{query}")
        assert response.status_code == 200
        return {r["id"] for r in response.json()}

    assert ids(users["qilu_ent"]) == {mine.pk}
    assert ids(users["guihua"]) == {mine.pk, qingdao.pk}
    assert ids(users["city370100"]) == set()  # drafts are the applicant's own
    assert client_for().get("/api/v1/programmes/applications").status_code in (401, 403)
    bad = client_for(users["guihua"]).get("/api/v1/programmes/applications?status=nope")
    assert bad.status_code == 400 and "status 应为" in str(bad.json())
    assert client_for(users["haier"]).get(f"/api/v1/programmes/applications/{mine.pk}").status_code in (403, 404)
    response = client_for(users["qilu_ent"]).post(f"/api/v1/programmes/applications/{mine.pk}/submit")
    assert response.status_code == 200 and response.json()["stage"] == "city_check"
    assert ids(users["city370100"]) == {mine.pk} and ids(users["city370200"]) == set()
    again = client_for(users["qilu_ent"]).post(f"/api/v1/programmes/applications/{mine.pk}/submit")
    assert again.status_code == 400 and "不能提交" in str(again.json())
    assert client_for(users["city370100"]).post(f"/api/v1/programmes/applications/{mine.pk}/submit").status_code == 403
