"""Yearly funding policies (资助政策) entered by the office: a new year's amounts reach the next call, bad amounts are
refused naming the field, and a policy freezes once an application has been made under it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.core.models import AuditEvent
from ipplatform.programmes import policies, services
from ipplatform.programmes.models import Policy

NEW_YEAR = {
    "year": "2027",
    "title": "2027年专利资助标准",
    "basis": "鲁知发〔2027〕1号 第五条",
    "amount_invention:grant": "6000",
    "amount_invention:application": "",
    "cap_per_applicant": "150000",
    "event_from": "2026-10-01",
    "event_to": "2027-09-30",
}


def _post(client, programme, data, policy=None):
    url = f"/programmes/types/{programme.pk}/policies/" + (f"{policy.pk}/" if policy else "")
    return client.post(url, data)


def test_a_new_years_policy_from_the_page_is_what_the_next_call_applies(client, programmes, users):
    subsidy = programmes["patent_subsidy"]
    client.force_login(users["guihua"])
    r = _post(client, subsidy, NEW_YEAR)
    assert r.status_code == 302
    policy = services.policy_for(programme=subsidy, year=2027)
    assert (policy.year, policy.amounts, policy.cap_per_applicant) == (2027, {"invention:grant": "6000"}, 150000)
    assert policy.amount_for("invention", "grant") == Decimal("6000") and policy.amount_for("utility", "grant") is None
    assert (policy.event_from, policy.event_to, policy.is_simulated) == (
        dt.date(2026, 10, 1),
        dt.date(2027, 9, 30),
        False,
    )


def test_a_new_policy_is_recorded_with_who_created_it(programmes, users):
    policy = policies.save_policy(programme=programmes["patent_subsidy"], by=users["guihua"], post=NEW_YEAR)
    event = AuditEvent.objects.get(object_type="programmes.policy", object_id=str(policy.pk), action="create")
    assert event.actor_id == users["guihua"].pk and event.after["amounts"] == {"invention:grant": "6000"}


def test_the_new_year_form_starts_from_the_latest_years_amounts(client, programmes, users):
    client.force_login(users["guihua"])
    page = client.get(f"/programmes/types/{programmes['patent_subsidy'].pk}/policies/").content.decode()
    form = page[page.index('id="policy-form"') :]
    assert 'name="year" value="2017"' in form  # the demo policies are 2015 and 2016
    assert 'name="amount_invention:grant" value="5000"' in form  # the 2016 amount, to be edited
    assert "checked" not in form  # the demo policy's 模拟数据 flag is not carried into a new year


def test_a_second_policy_for_the_same_year_is_refused_keeping_what_was_typed(client, programmes, users):
    subsidy = programmes["patent_subsidy"]
    client.force_login(users["guihua"])
    r = _post(client, subsidy, dict(NEW_YEAR, year="2016", title="重复的年度"))
    page = r.content.decode()
    assert r.status_code == 400 and "“专利资助”已有2016年度政策" in page and 'value="重复的年度"' in page
    assert Policy.objects.filter(programme=subsidy, year=2016).count() == 1


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("amount_utility:grant", "五百", "实用新型专利授权资助标准（元）“五百”不是有效的数字"),
        ("amount_utility:grant", "0", "实用新型专利授权资助标准（元）应在0.01到10000000之间"),
        ("amount_design:grant", "1e308", "外观设计专利授权资助标准（元）"),
        ("amount_invention:grant", "12.345", "发明专利授权资助标准（元）最多2位小数"),
        ("cap_per_applicant", "-1", "每单位年度上限（元）应在0.01到1000000000之间"),
        ("year", "²⁰²⁷", "政策年度"),
        ("year", "1999", "政策年度应在2000到2100之间"),
        ("event_to", "2026-02-30", "专利申请/授权日止“2026-02-30”不是有效日期"),
        ("event_to", "2026-09-30", "专利申请/授权日起（2026-10-01）不能晚于止（2026-09-30）"),
        ("title", "", "请填写政策名称"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(programmes, users, field, value, message):
    with pytest.raises(InputError) as refused:
        policies.save_policy(
            programme=programmes["patent_subsidy"], by=users["guihua"], post=dict(NEW_YEAR, **{field: value})
        )
    assert message in refused.value.message and refused.value.field == field
    assert not Policy.objects.filter(year=2027).exists()


def test_a_policy_without_any_amount_is_refused(programmes, users):
    post = {k: v for k, v in NEW_YEAR.items() if not k.startswith("amount_")}
    with pytest.raises(InputError, match="请至少填写一项资助标准"):
        policies.save_policy(programme=programmes["patent_subsidy"], by=users["guihua"], post=post)


def test_an_unused_policy_can_be_changed_and_the_change_is_recorded(client, programmes, users):
    subsidy = programmes["patent_subsidy"]
    policy = Policy.objects.get(programme=subsidy, year=2016)
    client.force_login(users["guihua"])
    values = policies.form_values(policy) | {"amount_invention:grant": "5500"}
    assert _post(client, subsidy, values, policy).status_code == 302
    policy.refresh_from_db()
    assert policy.amounts == {"invention:grant": "5500"}
    event = AuditEvent.objects.filter(object_type="programmes.policy", object_id=str(policy.pk), action="update").get()
    assert (event.before["amounts"], event.after["amounts"]) == (
        {"invention:grant": "5000"},
        {"invention:grant": "5500"},
    )


def test_a_policy_with_an_application_under_it_is_frozen(client, make_call, users, owners):
    call = make_call()  # the 2015 call applies the 2015 policy
    services.start_application(by=users["qilu_ent"], call=call, on=call.opens_on)
    with pytest.raises(InputError, match="已有1件申报按2015年度政策核定金额，政策不能再修改"):
        policies.save_policy(
            programme=call.programme,
            by=users["guihua"],
            post=policies.form_values(call.policy) | {"amount_invention:grant": "9000"},
            policy=call.policy,
        )
    call.policy.refresh_from_db()
    assert call.policy.amounts["invention:grant"] == "4000"
    client.force_login(users["guihua"])
    page = client.get(f"/programmes/types/{call.programme.pk}/policies/{call.policy.pk}/").content.decode()
    assert 'id="policy-frozen"' in page and 'id="policy-form"' not in page and "4000 元" in page


def test_only_the_provincial_office_sets_policies(client, programmes, users):
    url = f"/programmes/types/{programmes['patent_subsidy'].pk}/policies/"
    for username in ("city370100", "qilu_ent"):
        client.force_login(users[username])
        assert client.get(url).status_code == 403
        assert client.post(url, NEW_YEAR).status_code == 403
    assert not Policy.objects.filter(year=2027).exists()


def test_a_programme_that_does_not_pay_per_patent_has_no_policy_page(client, programmes, users):
    client.force_login(users["guihua"])
    assert client.get(f"/programmes/types/{programmes['patent_award'].pk}/policies/").status_code == 404
    with pytest.raises(InputError, match="不按专利件数核定金额"):
        policies.save_policy(programme=programmes["patent_award"], by=users["guihua"], post=NEW_YEAR)
