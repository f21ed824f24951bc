"""Pages and API: Excel patent list with a bad row, scopes, registry export, statistics, active-pledge API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from ipplatform.finance import pledges, services
from ipplatform.finance.models import Pledge
from ipplatform.lib.workdays import is_workday

QILU = "济南时代新纪元科技有限公司"


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(services.PATENT_LIST_HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "清单.xlsx"
    return buf


def _form(users, **extra):
    data = {
        "pledgor": users["qilu_ent"].organization.pk,
        "contract_number": "QL-1",
        "contract_date": "2026-03-01",
        "debt_amount": "300",
        "debt_start": "2026-03-15",
        "debt_end": "2027-03-14",
        "security_scope": "本金及利息",
        "mode": "all",
    }
    data.update(extra)
    return data


@pytest.fixture
def twelve(make_patent):
    return [make_patent(owners=(QILU,)) for _ in range(12)]


def test_excel_patent_list_reports_bad_rows_and_commits_nothing_by_default(client, users, twelve):
    rows = [[f"ZL{p.pk[:-1]}.{p.pk[-1]}", p.title] for p in twelve]
    rows[7][1] = "完全不同的名称"  # twelve[7]: title mismatch (ends on line 12)
    rows.insert(3, ["201599999999.1", ""])  # line 5: unknown number
    rows.insert(6, [f"CN{twelve[0].pk}", ""])  # line 8: duplicate of line 2
    rows.insert(9, ["abc", ""])  # line 11: malformed
    client.force_login(users["bank"])
    r = client.post("/finance/pledges/new/", _form(users, patent_file=_xlsx(rows)))
    assert r.status_code == 200
    html = r.content.decode()
    assert "专利清单有4行错误，未提交任何内容" in html
    assert (
        "平台专利库中没有此申请号" in html
        and "与第2行重复" in html
        and "名称与专利库不一致" in html
        and "申请号格式不正确" in html
    )
    assert Pledge.objects.count() == 0
    lines = sorted(e["line"] for e in services.parse_patent_list(_xlsx(rows)).errors)
    assert lines == [5, 8, 11, 12]
    # the user chooses to commit the good rows: a pledge with the 11 good patents, bad rows listed
    r = client.post("/finance/pledges/new/", _form(users, patent_file=_xlsx(rows), mode="partial"), follow=True)
    pledge = Pledge.objects.get()
    assert pledge.items.count() == 11 and pledge.state == "draft"
    assert "4行有误未纳入" in r.content.decode()


def test_more_than_ten_typed_numbers_need_the_excel_list(client, users, twelve):
    client.force_login(users["bank"])
    r = client.post("/finance/pledges/new/", _form(users, patent_numbers="\n".join(p.pk for p in twelve)))
    assert "超过10件时请使用Excel专利清单导入" in r.content.decode() and Pledge.objects.count() == 0


def test_bad_input_is_a_chinese_message_not_a_500(client, users, twelve):
    client.force_login(users["bank"])
    r = client.post("/finance/pledges/new/", _form(users, patent_numbers=twelve[0].pk, debt_end="2027-13-40"))
    assert r.status_code == 200 and "债务履行期止“2027-13-40”不是有效日期" in r.content.decode()
    r = client.post(
        "/finance/pledges/new/", _form(users, patent_numbers=twelve[0].pk, patent_file=io.BytesIO(b"not excel"))
    )
    assert r.status_code == 200 and "无法读取该Excel文件" in r.content.decode()


def test_scopes_and_pages(client, users, twelve, pledge_data):
    p = pledges.create_pledge(
        by=users["bank"], pledgor=users["qilu_ent"].organization, patents=twelve[:2], data=pledge_data
    )
    today = timezone.localdate()
    pledges.confirm_pledge(pledge=p, by=users["qilu_ent"], co_owner_consent=False, today=today)
    pledges.register_pledge(pledge=p, by=users["xietiao"], today=today)
    for username, status in (
        ("bank", 200),
        ("qilu_ent", 200),
        ("xietiao", 200),
        ("city370100", 200),
        ("haier", 403),
        ("city370200", 403),
    ):
        client.force_login(users[username])
        assert client.get(f"/finance/pledges/{p.pk}/").status_code == status, username
    client.force_login(users["haier"])
    assert p.number not in client.get("/finance/pledges/").content.decode()
    client.force_login(users["xietiao"])
    for url in (
        "/finance/",
        "/finance/pledges/",
        "/finance/pledges/stats/",
        "/finance/valuations/",
        "/finance/valuations/model/",
        "/finance/subsidies/",
        "/finance/subsidies/rules/",
        "/finance/subsidies/batches/",
        "/finance/fund/",
    ):
        assert client.get(url).status_code == 200, url
    r = client.get("/finance/pledges/?export=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert (
        rows[1][0] == "平台受理号"
        and rows[2][0] == p.number
        and rows[2][5] == 2
        and rows[1][14] == "国家知识产权局质押登记号"
    )
    r = client.get("/finance/pledges/stats/?export=xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["按银行", "按地市", "按技术领域", "按月份"]
    bank_rows = [[c.value for c in row] for row in wb["按银行"].iter_rows()]
    assert bank_rows[-1] == ["齐鲁银行（演示）", 1, 500]
    city_rows = [[c.value for c in row] for row in wb["按地市"].iter_rows()]
    assert city_rows[-1][0] in ("济南市", "370100")


def test_active_pledge_api_and_action_api(client, users, twelve, pledge_data):
    p = pledges.create_pledge(
        by=users["bank"], pledgor=users["qilu_ent"].organization, patents=[twelve[0]], data=pledge_data
    )
    client.force_login(users["qilu_ent"])
    r = client.post(f"/api/v1/finance/pledges/{p.pk}/actions", {"action": "confirm"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    r = client.post(f"/api/v1/finance/pledges/{p.pk}/actions", {"action": "register"}, content_type="application/json")
    assert r.status_code == 403 and "协调管理处" in r.json()["error"]
    client.force_login(users["xietiao"])
    r = client.post(
        f"/api/v1/finance/pledges/{p.pk}/actions", {"action": "cancel", "reason": "x"}, content_type="application/json"
    )
    assert r.status_code == 400 and "不能执行" in r.json()["error"]
    assert (
        client.post(
            f"/api/v1/finance/pledges/{p.pk}/actions", {"action": "register"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        client.get(f"/api/v1/finance/patents/{twelve[0].pk}/pledge").json()["pledged"] is False
    )  # not yet registered by CNIPA
    pledges.record_cnipa_registration(
        pledge=type(p).objects.get(pk=p.pk),
        by=users["xietiao"],
        registration_no="Y2026980000789",
        registered_on=timezone.localdate(),
    )
    r = client.get(f"/api/v1/finance/patents/{twelve[0].pk}/pledge")
    assert r.json()["pledged"] is True and r.json()["pledgee"] == "齐鲁银行（演示）"
    assert client.get(f"/api/v1/finance/patents/{twelve[1].pk}/pledge").json()["pledged"] is False
    assert client.get(f"/api/v1/finance/patents/{twelve[0].pk}/pledge?on=2020-13-01").status_code == 400
    detail = client.get(f"/api/v1/finance/pledges/{p.pk}").json()
    assert [h["to"] for h in detail["history"]] == ["submitted", "registered"]


def test_public_notice_lists_applications_in_notice_to_visitors(client, users, make_patent, pledge_data):
    """The finance notice page links to the engine's public 公示 of each call, which shows the computed amount and
    takes objections from anyone."""
    from ipplatform.finance import subsidies
    from ipplatform.finance import subsidy_programmes as sp
    from ipplatform.programmes import flows
    from ipplatform.programmes import services as programme_services
    from ipplatform.programmes.models import Objection

    today = (
        timezone.localdate()
    )  # the public objection is dated today: the 公示 runs from the last working day up to today
    start = today
    while not is_workday(start):
        start -= dt.timedelta(days=1)
    subsidies.save_rule(
        by=users["xietiao"],
        data={
            "kind": "premium",
            "region_code": "370000",
            "year": today.year,
            "name": "保费补助",
            "mode": "premium_share",
            "share": "0.6",
            "cap_per_enterprise": "10",
        },
    )
    programme = sp.ensure_programme_types()[sp.PATENT_INSURANCE]
    call = programme_services.create_call(
        by=users["xietiao"],
        programme=programme,
        year=today.year,
        title=f"{today.year}年专利保险补贴",
        opens_on=dt.date(today.year, 1, 1),
        closes_on=dt.date(today.year, 12, 31),
        budget=Decimal("100000"),
    )
    app = programme_services.start_application(by=users["qilu_ent"], call=call, on=today)
    raw = {"insurer": "人保财险", "policy_number": "P-1", "premium_paid": "5", "contact": "郑", "phone": "1"}
    programme_services.save_form(by=users["qilu_ent"], application=app, raw={**raw, "bank": "齐鲁银行", "account": "1"})
    flows.submit(application=app, by=users["qilu_ent"], on=today)
    html = client.get("/finance/subsidies/notice/").content.decode()
    assert call.title not in html  # submitted, not yet in notice
    flows.check(application=app, by=users["city370100"], action="pass", reason="材料齐全", on=today)
    flows.publish_notice(call=call, by=users["xietiao"], start=start)
    html = client.get("/finance/subsidies/notice/").content.decode()
    assert call.title in html and f"/programmes/calls/{call.pk}/notice/" in html
    html = client.get(f"/programmes/calls/{call.pk}/notice/").content.decode()
    assert QILU in html and "30000.00" in html  # 5万元 × 0.6 = 3万元, in 元
    client.post(
        f"/programmes/applications/{app.pk}/objection/",
        {"name": "某保险公司", "contact": "0531-1", "text": "该保单已于公示前退保，保费已退回"},
    )
    assert Objection.objects.filter(application=app, name="某保险公司").exists()


def test_valuation_started_from_a_draft_pledge_is_linked_to_it(client, users, make_patent, pledge_data):
    patent = make_patent()
    p = pledges.create_pledge(
        by=users["bank"], pledgor=users["qilu_ent"].organization, patents=[patent], data=pledge_data
    )
    client.force_login(users["bank"])
    html = client.get(f"/finance/pledges/{p.pk}/").content.decode()
    assert f"/finance/valuations/new/?pledge={p.pk}" in html
    r = client.post(
        "/finance/valuations/new/",
        {
            "pledge": p.pk,
            "organization": users["qilu_ent"].organization.pk,
            "scenario": "pledge",
            "patent_numbers": patent.pk,
        },
    )
    assert r.status_code == 302
    assert Pledge.objects.get(pk=p.pk).valuation.items.get().patent == patent
    # an enterprise user cannot score the bank's valuation: the page says so and a POST is refused
    client.force_login(users["qilu_ent"])
    v = Pledge.objects.get(pk=p.pk).valuation
    url = f"/finance/valuations/{v.pk}/items/{v.items.get().pk}/"
    assert "只有本次评估的评估人可以评分" in client.get(url).content.decode()
    assert client.post(url, {"s_stability": "8"}).status_code == 403
