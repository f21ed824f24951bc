"""The pages by role: an enterprise applies for 专利资助, its city bureau checks, the office reviews, decides and pays;
another city's bureau and another enterprise are refused; the 公示 page is public."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from ipplatform.programmes import flows, services
from ipplatform.programmes.enums import AppStatus
from ipplatform.programmes.models import Application

from .conftest import BANK


@pytest.fixture
def open_call(make_call, monkeypatch):
    today = dt.date(2015, 9, 15)
    monkeypatch.setattr(services, "today", lambda: today)
    return make_call()


def test_subsidy_through_the_pages(client, open_call, make_patent, users, owners):
    patent = make_patent()
    client.force_login(users["qilu_ent"])
    page = client.get("/programmes/").content.decode()
    assert "2015年度专利资助" in page and "可以申报" in page
    assert "4000" in client.get(f"/programmes/calls/{open_call.pk}/").content.decode()
    r = client.post(f"/programmes/calls/{open_call.pk}/apply/")
    app = Application.objects.get(call=open_call)
    assert r["Location"] == f"/programmes/applications/{app.pk}/"
    client.post(f"/programmes/applications/{app.pk}/edit/", dict(BANK, what="form"))
    r = client.post(
        f"/programmes/applications/{app.pk}/edit/", {"what": "claim", "patent": patent.pk, "kind": "grant"}, follow=True
    )
    assert "已加入申报" in r.content.decode()
    r = client.post(
        f"/programmes/applications/{app.pk}/edit/", {"what": "claim", "patent": patent.pk, "kind": "grant"}, follow=True
    )
    assert "已列入本申报" in r.content.decode()
    r = client.post(
        f"/programmes/applications/{app.pk}/edit/",
        {"what": "file", "code": "licence", "file": io.BytesIO(b"%PDF-1.4 test")},
        follow=True,
    )
    assert "只接受" in r.content.decode()  # a file without a .pdf/.jpg/.png name
    client.post(f"/programmes/applications/{app.pk}/action/", {"action": "submit"})
    app.refresh_from_db()
    assert app.status == AppStatus.ACTIVE and app.stage == "city_check"

    client.force_login(users["city370200"])
    assert client.get(f"/programmes/applications/{app.pk}/").status_code == 403
    assert client.post(f"/programmes/applications/{app.pk}/action/", {"action": "pass"}).status_code == 403
    client.force_login(users["haier"])
    assert client.get(f"/programmes/applications/{app.pk}/").status_code == 403

    client.force_login(users["city370100"])
    listing = client.get(f"/programmes/calls/{open_call.pk}/applications/").content.decode()
    assert owners["qilu_ent"].name in listing
    page = client.get(f"/programmes/applications/{app.pk}/").content.decode()
    assert "提交审查结论" in page and "银行账号" in page
    client.post(f"/programmes/applications/{app.pk}/action/", {"action": "pass", "reason": "属实"})
    app.refresh_from_db()
    assert app.stage == "formal_check"

    client.force_login(users["guihua"])
    client.post(f"/programmes/applications/{app.pk}/action/", {"action": "pass", "reason": "合格"})
    r = client.post(f"/programmes/applications/{app.pk}/action/", {"action": "approve"}, follow=True)
    assert "资助决定已记录" in r.content.decode()
    app.refresh_from_db()
    assert app.status == AppStatus.APPROVED and str(app.amount) == "4000.00"
    r = client.post(f"/programmes/calls/{open_call.pk}/action/", {"action": "create_batch"})
    batch = open_call.batches.get()
    assert r["Location"] == f"/programmes/batches/{batch.pk}/"
    data = client.get(f"/programmes/batches/{batch.pk}/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(data.content)).active.iter_rows(values_only=True))
    assert rows[3][1] == owners["qilu_ent"].name and rows[3][4] == "专利资助" and rows[3][8] == 4000
    client.post(f"/programmes/batches/{batch.pk}/action/", {"paid_on": "2015-12-01", "voucher": "记-0001"})
    app.refresh_from_db()
    assert app.status == AppStatus.PAID
    xlsx = client.get(f"/programmes/calls/{open_call.pk}/applications/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

    doc = client.get(f"/programmes/calls/{open_call.pk}/decision.docx")
    assert doc.status_code == 200 and doc["Content-Type"].endswith("wordprocessingml.document")

    client.force_login(users["qilu_ent"])
    assert client.get(f"/programmes/batches/{batch.pk}/").status_code == 403
    assert client.get(f"/programmes/calls/{open_call.pk}/decision.docx").status_code == 403
    assert client.get(f"/programmes/calls/{open_call.pk}/applications/").status_code == 403


def test_ineligible_body_is_told_why(client, open_call, users):
    client.force_login(users["bank"])
    page = client.get(f"/programmes/calls/{open_call.pk}/").content.decode()
    assert "不符合" in page and "仅限企业、高等院校、科研院所" in page and "开始申报" not in page
    r = client.post(f"/programmes/calls/{open_call.pk}/apply/", follow=True)
    assert "不符合申报条件" in r.content.decode() and not Application.objects.exists()


def test_office_opens_a_call(client, programmes, users):
    client.force_login(users["guihua"])
    assert "发布年度申报" in client.get("/programmes/calls/new/").content.decode()
    r = client.post(
        "/programmes/calls/new/",
        {
            "programme": programmes["patent_award"].pk,
            "year": "2016",
            "opens_on": "2016-05-01",
            "closes_on": "2016-06-30",
            "budget": "0",
            "quota_一等奖": "3",
            "guide": "指南",
        },
    )
    call = programmes["patent_award"].calls.get()
    assert r["Location"] == f"/programmes/calls/{call.pk}/" and call.quotas == {"一等奖": 3}
    client.force_login(users["city370100"])
    assert client.get("/programmes/calls/new/").status_code == 403


def test_public_notice_and_objection(client, make_call, users, owners, make_patent, monkeypatch):
    from ipplatform.core.models import User
    from ipplatform.experts.models import Expert

    call = make_call("patent_award", quotas={"一等奖": 1})
    user = users["qilu_ent"]
    patent = make_patent()
    app = services.start_application(by=user, call=call, on=call.opens_on)
    services.save_form(
        by=user,
        application=app,
        raw={"patent_number": patent.pk, "summary": "简介", "sales": "10", "implementation": "自行实施", **BANK},
    )
    flows.submit(application=app, by=user, on=call.opens_on)
    flows.check(application=app, by=users["city370100"], action="pass", on=call.opens_on)
    flows.check(application=app, by=users["guihua"], action="pass", on=call.opens_on)
    expert = Expert.objects.create(
        user=User.objects.create(username="pe1", role="expert"), name="专家甲", ipc_codes="H01M", uses=["awards"]
    )
    flows.assign_experts(call=call, by=users["guihua"])
    review = app.reviews.get(expert=expert)
    client.force_login(expert.user)
    page = client.get(f"/programmes/reviews/{review.pk}/").content.decode()
    assert "盲评" in page and owners["qilu_ent"].name not in page
    client.post(
        f"/programmes/reviews/{review.pk}/submit/",
        {"advanced": 25, "novelty": 15, "benefit": 25, "social": 8, "protection": 9},
    )
    review.refresh_from_db()
    assert review.total == 82
    flows.finish_review(call=call, by=users["guihua"])
    flows.publish_notice(call=call, by=users["guihua"], start=dt.date(2015, 9, 30))
    monkeypatch.setattr(services, "today", lambda: dt.date(2015, 10, 8))
    client.logout()
    page = client.get(f"/programmes/calls/{call.pk}/notice/").content.decode()
    assert owners["qilu_ent"].name in page and "2015-10-12" in page and "提出异议" in page
    r = client.post(
        f"/programmes/applications/{app.pk}/objection/",
        {"name": "张某", "contact": "138", "text": "销售数据与实际不符，请核查。"},
    )
    assert r["Location"] == f"/programmes/calls/{call.pk}/notice/" and app.objections.count() == 1
    client.force_login(users["guihua"])
    assert "销售数据与实际不符" in client.get(f"/programmes/calls/{call.pk}/").content.decode()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("year", "²⁰¹⁶", "年度"),  # superscript digits pass str.isdigit() but not int()
        ("year", "20160", "年度"),
        ("budget", "NaN", "预算（元）"),
        ("budget", "1e308", "预算（元）"),
        ("quota_一等奖", "³", "“一等奖”名额"),
    ],
)
def test_a_call_with_a_bad_number_is_refused_naming_the_field(client, programmes, users, field, value, message):
    client.force_login(users["guihua"])
    form = {
        "programme": programmes["patent_award"].pk,
        "year": "2016",
        "opens_on": "2016-05-01",
        "closes_on": "2016-06-30",
        "budget": "0",
        "guide": "指南",
        field: value,
    }
    r = client.post("/programmes/calls/new/", form, follow=True)
    assert r.status_code == 200 and message in r.content.decode()
    assert not programmes["patent_award"].calls.exists()


def test_a_notice_ending_in_a_year_without_its_holidays_is_marked_for_checking(client, make_call, users):
    """The notice period is counted in working days; past the last year chinese-calendar covers, the lunar holidays
    are not counted, and the public page, the call page and the notice list say so beside the end date."""
    from ipplatform.lib.workdays import last_covered_year

    last = last_covered_year()
    call = make_call("patent_award", quotas={"一等奖": 1})
    call.notice_start, call.notice_end = dt.date(last, 12, 28), dt.date(last + 1, 1, 5)
    call.save(update_fields=["notice_start", "notice_end"])
    mark = f"{last + 1}年假日未载入，待核对"
    assert mark in client.get(f"/programmes/calls/{call.pk}/notice/").content.decode()
    client.force_login(users["guihua"])
    assert mark in client.get(f"/programmes/calls/{call.pk}/").content.decode()


def test_a_notice_ending_in_a_covered_year_has_no_mark(client, make_call):
    call = make_call("patent_award", quotas={"一等奖": 1})
    call.notice_start, call.notice_end = dt.date(2015, 9, 30), dt.date(2015, 10, 12)
    call.save(update_fields=["notice_start", "notice_end"])
    page = client.get(f"/programmes/calls/{call.pk}/notice/").content.decode()
    assert "2015-10-12" in page and "待核对" not in page
