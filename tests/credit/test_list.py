"""The serious-dishonesty list: entry, publication, appeal, repair after its waiting period, exit when the period ends,
and the refusal reason every eligibility check states."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history
from ipplatform.credit import services
from ipplatform.credit.models import DishonestyEntry


@pytest.fixture
def listed(users, orgs):
    """济南齐鲁新材料（演示 enterprise）listed on 29 Feb 2024 (a leap day)."""
    e = services.propose_entry(
        by=users["fawu"],
        org=orgs["ent_jinan"],
        reason="骗取专利资助资金（演示数据）",
        decision_no="鲁知信〔2024〕1号（演示）",
        on=dt.date(2024, 2, 1),
        is_demo=True,
    )
    services.act(entry=e, by=users["fawu"], name="publish", reason="陈述申辩不成立", on=dt.date(2024, 2, 29))
    e.refresh_from_db()
    return e


def test_publication_sets_period_and_repair_date_on_a_leap_day(listed):
    assert (listed.state, listed.listed_on, listed.ends_on, listed.repair_from) == (
        "listed",
        dt.date(2024, 2, 29),
        dt.date(2027, 2, 28),
        dt.date(2025, 2, 28),
    )
    assert "第44号" in listed.legal_basis


def test_eligibility_block_states_the_reason_until_exit(listed, orgs):
    org = orgs["ent_jinan"]
    assert services.eligibility_block(org=org, on=dt.date(2024, 2, 28)) == ""  # before listing
    reason = services.eligibility_block(org=org, on=dt.date(2025, 1, 1))
    assert (
        "已于2024-02-29被列入严重失信主体名单" in reason
        and "鲁知信〔2024〕1号（演示）" in reason
        and "期限至2027-02-28" in reason
    )
    assert "可于2025-02-28起申请信用修复" in reason
    assert services.eligibility_block(org=org, on=dt.date(2027, 2, 28)) == ""  # the period is over that day
    assert services.eligibility_block(org=orgs["haier"], on=dt.date(2025, 1, 1)) == ""


def test_appeal_is_the_partys_and_the_office_decides(listed, users):
    with pytest.raises(PermissionDenied):
        services.act(entry=listed, by=users["haier"], name="appeal", reason="不是我们")
    services.act(
        entry=listed, by=users["qilu_ent"], name="appeal", reason="资助资金已全额退回，请求复核", on=dt.date(2024, 3, 5)
    )
    assert listed.state == "appealing" and services.eligibility_block(
        org=listed.organization, on=dt.date(2024, 3, 6)
    )  # still blocked
    with pytest.raises(PermissionDenied):
        services.act(entry=listed, by=users["city370100"], name="uphold", reason="维持")
    services.act(entry=listed, by=users["fawu"], name="uphold", reason="事实清楚，维持列入", on=dt.date(2024, 3, 20))
    assert [h.transition for h in history(listed)] == ["publish", "appeal", "uphold"]


def test_repair_only_after_a_year_then_early_exit(listed, users):
    with pytest.raises(InputError, match="2025-02-28"):
        services.act(
            entry=listed, by=users["qilu_ent"], name="request_repair", reason="已整改", on=dt.date(2025, 2, 27)
        )
    services.act(
        entry=listed,
        by=users["qilu_ent"],
        name="request_repair",
        reason="已退回资金并完成合规整改",
        on=dt.date(2025, 2, 28),
    )
    services.act(
        entry=listed, by=users["fawu"], name="approve_repair", reason="符合信用修复条件", on=dt.date(2025, 3, 10)
    )
    listed.refresh_from_db()
    assert (listed.state, listed.exited_on) == ("repaired", dt.date(2025, 3, 10))
    assert services.eligibility_block(org=listed.organization, on=dt.date(2025, 3, 11)) == ""
    assert users["qilu_ent"].notifications.filter(title__contains="信用修复后提前移出").exists()


def test_expiry_only_when_the_period_is_over(listed, users):
    with pytest.raises(InputError, match="未满"):
        services.act(entry=listed, by=users["fawu"], name="expire", reason="期满", on=dt.date(2027, 2, 27))
    assert services.expire_due(on=dt.date(2027, 2, 27)) == 0
    assert services.expire_due(on=dt.date(2027, 2, 28)) == 1
    listed.refresh_from_db()
    assert (listed.state, listed.exited_on) == ("expired", dt.date(2027, 2, 28))
    last = history(listed).last()
    assert (last.transition, last.actor_id) == ("expire", None) and "期满" in last.reason


def test_one_open_entry_per_organisation_and_visibility(listed, users, orgs):
    with pytest.raises(InputError, match="未移出"):
        services.propose_entry(by=users["fawu"], org=orgs["ent_jinan"], reason="再次")
    assert list(services.entries_for(users["haier"])) == [listed]  # published entries are public
    proposed = services.propose_entry(by=users["fawu"], org=orgs["haier"], reason="演示数据：拟列入", is_demo=True)
    assert proposed not in services.entries_for(users["qilu_ent"])  # not published: only officers and the party
    assert proposed in services.entries_for(users["haier"]) and proposed in services.entries_for(users["city370200"])
    assert proposed not in services.entries_for(users["city370100"])


def test_subsidy_eligibility_refuses_with_the_list_reason(listed, users, orgs):
    """Both subsidy programmes (质押融资贴息, 专利保险补贴, on the programme engine) run the same eligibility check."""
    from ipplatform.finance import subsidy_programmes
    from ipplatform.programmes import eligibility

    # keep the entry in force today, whatever today is
    DishonestyEntry.objects.filter(pk=listed.pk).update(listed_on=dt.date(2024, 2, 29), ends_on=dt.date(2999, 1, 1))
    today = timezone.localdate()
    for programme in subsidy_programmes.ensure_programme_types().values():
        reasons = eligibility.refusals(programme=programme, org=orgs["ent_jinan"], on=today)
        assert any("被列入严重失信主体名单" in r and "骗取专利资助资金" in r for r in reasons), programme.code
        # Haier is not listed: no such reason
        assert not any("严重失信" in r for r in eligibility.refusals(programme=programme, org=orgs["haier"], on=today))
