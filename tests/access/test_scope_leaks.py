"""The scope leaks found by probing the demo (issue 19), each fixed in the one permission layer (core.scopes)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from ipplatform.finance.subsidy_programmes import CODES
from ipplatform.market.models import MarketEvent
from ipplatform.programmes.models import Application, PaymentBatch, PaymentLine
from ipplatform.protection.models import Case
from ipplatform.search.models import SavedSearch


def _client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def batch(demo_world, db, users):
    """The demo pledge-interest payment batch (a 济南 applicant, on the programme engine) plus a 青岛 application paid
    in the same batch on its own line."""
    b = PaymentBatch.objects.get(call__programme__code__in=CODES, lines__applications__region_code__startswith="3701")
    jinan = Application.objects.get(payment_lines__batch=b)
    jinan.bank_account = f"{jinan.data['bank']} {jinan.data['account']}"
    qingdao = Application.objects.get(pk=jinan.pk)
    qingdao.pk = None
    qingdao.region_code, qingdao.organization = "370212", users["haier"].organization
    qingdao.data = {**jinan.data, "bank": "青岛银行", "account": "6222 0000 9999"}
    qingdao.save()
    qingdao.bank_account = "青岛银行 6222 0000 9999"
    line = PaymentLine.objects.create(batch=b, organization=qingdao.organization, amount=qingdao.amount)
    line.applications.set([qingdao])
    return b, jinan, qingdao


def test_payment_batch_detail_and_export_only_for_its_cities(batch, users):
    b, jinan, qingdao = batch
    url = f"/finance/subsidies/batches/{b.pk}/"
    assert _client(users["city370300"]).get(url).status_code == 403  # 淄博: nothing of its own in the batch
    page = _client(users["city370100"]).get(url).content.decode()
    assert jinan.bank_account in page and qingdao.bank_account not in page
    page = _client(users["huangdao"]).get(url).content.decode()  # 黄岛区 ⊄ 崂山区 370212
    assert "无权" in page or qingdao.bank_account not in page
    ws = load_workbook(io.BytesIO(_client(users["city370200"]).get(url + "?export=xlsx").content)).active
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert qingdao.bank_account in text and jinan.bank_account not in text
    ws = load_workbook(io.BytesIO(_client(users["admin"]).get(url + "?export=xlsx", follow=True).content)).active
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert qingdao.bank_account in text and jinan.bank_account in text


def test_payment_batch_list_by_city(batch, users):
    b, _, _ = batch
    assert b.number in _client(users["city370100"]).get("/finance/subsidies/batches/").content.decode()
    assert b.number in _client(users["leader"]).get("/finance/subsidies/batches/").content.decode()
    assert b.number not in _client(users["city370300"]).get("/finance/subsidies/batches/").content.decode()


@pytest.mark.parametrize("who", ["leader", "admin", "fawu", "guihua", "city370200"])
def test_saved_searches_run_and_delete_only_by_owner(demo_world, db, users, who):
    mine = SavedSearch.objects.create(user=users["city370100"], name="本市电池", query="电池")
    c = _client(users[who])
    assert c.post(f"/search/saved/{mine.pk}/run/").status_code in (403, 404)
    assert c.post(f"/search/saved/{mine.pk}/delete/").status_code in (403, 404)
    assert SavedSearch.objects.filter(pk=mine.pk).exists()
    assert _client(users["city370100"]).post(f"/search/saved/{mine.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.filter(pk=mine.pk).exists()


def test_city_bureau_cannot_create_a_case_of_another_city(demo_world, db, users):
    before = Case.objects.count()
    data = {
        "case_type": "infringement",
        "title": "跨市登记",
        "region_code": "370200",
        "respondent_name": "青岛某公司",
        "requester_name": "某权利人",
    }
    r = _client(users["city370100"]).post("/protection/cases/new/", data)
    assert r.status_code == 403 and "本辖区以外" in r.content.decode()
    assert Case.objects.count() == before
    r = _client(users["city370100"]).post("/protection/cases/new/", {**data, "region_code": "370102"})
    assert r.status_code == 302 and Case.objects.count() == before + 1
    r = _client(users["fawu"]).post("/protection/cases/new/", data)  # the provincial department: any city
    assert r.status_code == 302 and Case.objects.filter(region_code__startswith="3702", title="跨市登记").exists()


def test_event_registrants_only_within_scope(demo_world, db, users):
    event = MarketEvent.objects.filter(city_code="370100", registrations__isnull=False).distinct().first()
    someone = event.registrations.select_related("user").first().user.display_name
    url = f"/market/events/{event.pk}/"
    assert "报名名单" in _client(users["city370100"]).get(url).content.decode()
    assert "报名名单" in _client(users["leader"]).get(url).content.decode()
    for other in ("city370200", "huangdao"):
        page = _client(users[other]).get(url).content.decode()
        assert "报名名单" not in page and someone not in page
