"""Rules that used to sit in views and templates: the home page's to-do list, role rights, valuation linking; bulk
changes on the audit trail; subsidy applications on the programme engine in the to-do list."""

from __future__ import annotations

import datetime as dt

import pytest

from ipplatform.core import audit
from ipplatform.core.inputs import InputError
from ipplatform.core.models import AuditEvent
from ipplatform.finance import pledges, services, valuations
from ipplatform.finance.enums import PledgeState
from ipplatform.finance.models import SubsidyRule
from ipplatform.programmes import flows

from .conftest import TODAY
from .test_subsidies import _apply, _registered, _rule, calls, rules  # noqa: F401 - fixtures used below


def _draft(users, make_patent, pledge_data):
    org = users["qilu_ent"].organization
    return pledges.create_pledge(
        by=users["bank"], pledgor=org, patents=[make_patent(owners=(org.name,))], data=pledge_data
    )


def _texts(items):
    return [item.text for item in items]


# ---------------------------------------------------------------- to-do list


def test_pledgor_is_asked_to_confirm_the_banks_draft(users, make_patent, pledge_data):
    pledge = _draft(users, make_patent, pledge_data)
    items = services.todo_for(user=users["qilu_ent"])
    assert [(i.url, i.text) for i in items] == [
        (f"/finance/pledges/{pledge.pk}/", f"请确认{users['bank'].organization.name}提交的质押登记")
    ]


def test_bank_is_reminded_of_a_defect_notice(users, make_patent, pledge_data):
    pledge = _draft(users, make_patent, pledge_data)
    pledges.confirm_pledge(pledge=pledge, by=users["qilu_ent"], co_owner_consent=False, today=TODAY)
    pledges.issue_defect(pledge=pledge, by=users["xietiao"], reason="请补充担保范围")
    assert _texts(services.todo_for(user=users["bank"])) == [f"补正通知：{pledge.pledgor.name}"]


def test_reviewer_sees_a_pledge_past_its_review_period_as_late(users, make_patent, pledge_data):
    pledge = _draft(users, make_patent, pledge_data)
    pledges.confirm_pledge(pledge=pledge, by=users["qilu_ent"], co_owner_consent=False, today=TODAY)
    [item] = services.todo_for(user=users["xietiao"], today=pledge.due_on + dt.timedelta(days=1))
    assert (item.text, item.due, item.late) == (f"质押登记审查：{pledge.pledgor.name}", pledge.due_on, True)


def test_bureau_then_office_see_a_subsidy_at_their_stage(rules, calls, users, make_patent, pledge_data):  # noqa: F811
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    app, _ = _apply(users, calls, "qilu_ent", pledge=pledge, interest_paid="20", submit=True)
    url = f"/programmes/applications/{app.pk}/"
    assert url in [i.url for i in services.todo_for(user=users["city370100"])]  # 属地初审: the city's bureau
    assert url not in [i.url for i in services.todo_for(user=users["city370200"])]
    assert url not in [i.url for i in services.todo_for(user=users["xietiao"])]
    flows.check(application=app, by=users["city370100"], action="pass", reason="材料齐全", on=TODAY)
    flows.publish_notice(call=app.call, by=users["xietiao"], start=TODAY)
    [item] = [i for i in services.todo_for(user=users["xietiao"], today=dt.date(2026, 3, 17)) if i.url == url]
    assert (item.due, item.late) == (dt.date(2026, 3, 16), True) and "公示" in item.text
    assert services.send_reminders(today=dt.date(2026, 3, 17)) >= 1  # the notice has ended: the office is reminded


def test_a_member_of_the_public_has_nothing_to_do(users, make_patent, pledge_data):
    _draft(users, make_patent, pledge_data)
    assert services.todo_for(user=users["public"]) == []


# ---------------------------------------------------------------- rights shown as tabs and links


def test_enterprise_users_do_not_see_programme_figures(users):
    assert not services.can_see_programme_figures(users["qilu_ent"])


def test_banks_see_programme_figures(users):
    assert services.can_see_programme_figures(users["bank"])


def test_banks_do_not_see_subsidies(users):
    assert not services.can_see_subsidies(users["bank"])


def test_enterprises_see_subsidies(users):
    assert services.can_see_subsidies(users["qilu_ent"])


def test_staff_administer_subsidies(users):
    assert services.can_administer_subsidies(users["xietiao"])


def test_enterprises_do_not_administer_subsidies(users):
    assert not services.can_administer_subsidies(users["qilu_ent"])


def test_enterprise_tabs_leave_out_statistics(client, users):
    client.force_login(users["qilu_ent"])
    page = client.get("/finance/").content.decode()
    assert "/finance/pledges/stats/" not in page and "/finance/subsidies/" in page


# ---------------------------------------------------------------- linking a valuation to the bank's pledge


def test_a_new_valuation_becomes_the_drafts_valuation(users, make_patent, pledge_data):
    pledge = _draft(users, make_patent, pledge_data)
    valuation = valuations.create_valuation(
        by=users["bank"], title="质押评估", scenario="pledge", patents=[pledge.items.first().patent]
    )
    assert pledges.link_valuation(pledge_id=str(pledge.pk), valuation=valuation, by=users["bank"]) == pledge
    pledge.refresh_from_db()
    assert pledge.valuation == valuation


def test_a_registered_pledge_keeps_its_valuation(users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    valuation = valuations.create_valuation(
        by=users["bank"], title="质押评估", scenario="pledge", patents=[pledge.items.first().patent]
    )
    assert pledge.state == PledgeState.REGISTERED
    assert pledges.link_valuation(pledge_id=str(pledge.pk), valuation=valuation, by=users["bank"]) is None


def test_another_organisation_cannot_link_a_valuation(users, make_patent, pledge_data):
    pledge = _draft(users, make_patent, pledge_data)
    valuation = valuations.create_valuation(
        by=users["xietiao"], title="评估", scenario="pledge", patents=[pledge.items.first().patent]
    )
    assert pledges.link_valuation(pledge_id=str(pledge.pk), valuation=valuation, by=users["xietiao"]) is None


# ---------------------------------------------------------------- bulk changes on the audit trail


def test_a_superseded_rule_is_recorded_with_who_and_why(rules, users):  # noqa: F811
    old = rules["province"]
    _rule(users["xietiao"], share="0.4", name="知识产权质押融资贴息（修订）")
    event = AuditEvent.objects.filter(object_type="finance.subsidyrule", object_id=str(old.pk), action="update").latest(
        "seq"
    )
    assert (event.actor_id, event.before, event.after, event.reason) == (
        users["xietiao"].pk,
        {"is_current": True},
        {"is_current": False},
        "由新版本政策“知识产权质押融资贴息（修订）”取代",
    )


def test_superseded_weights_are_recorded(users):
    current = valuations.current_model(scenario="pledge")
    weights = dict(current.weights)
    valuations.save_model_version(
        scenario="pledge",
        alpha=current.alpha,
        beta=current.beta,
        gamma=current.gamma,
        weights=weights,
        note="年度复核",
        by=users["xietiao"],
    )
    event = AuditEvent.objects.filter(
        object_type="finance.valuemodelversion", object_id=str(current.pk), action="update"
    ).latest("seq")
    assert event.after == {"is_current": False} and event.reason.endswith("年度复核")


def test_update_recorded_skips_objects_already_in_the_target_state(rules, users):  # noqa: F811
    qs = SubsidyRule.objects.filter(pk=rules["province"].pk)
    audit.update_recorded(qs, by=users["xietiao"], reason="停用", is_current=False)
    assert audit.update_recorded(qs, by=users["xietiao"], reason="再次停用", is_current=False) == 0


# ---------------------------------------------------------------- bounded rates and years


def test_an_lpr_rate_above_100_percent_is_refused(users):
    with pytest.raises(InputError, match="基准利率/LPR（%）应在0到100之间"):
        _rule(users["xietiao"], region_code="370200", mode="lpr_share", share="0.6", lpr_rate="310")


def test_a_policy_year_outside_the_calendar_range_is_refused(users):
    with pytest.raises(InputError, match="政策年度应在1900到2100之间"):
        _rule(users["xietiao"], year="20260")


def _weights_with(users, **changes):
    current = valuations.current_model(scenario="pledge")
    data = {"alpha": current.alpha, "beta": current.beta, "gamma": current.gamma, "weights": dict(current.weights)}
    data.update(changes)
    return valuations.save_model_version(scenario="pledge", note="复核", by=users["xietiao"], **data)


def test_a_weight_written_as_nan_is_refused_in_chinese(users):
    with pytest.raises(InputError, match="权重α“NaN”不是有效的数字"):
        _weights_with(users, alpha="NaN")


def test_an_indicator_weight_above_one_is_refused(users):
    weights = dict(valuations.current_model(scenario="pledge").weights)
    code = next(iter(weights))
    weights[code] = "2"
    with pytest.raises(InputError, match="的权重应在0到1之间"):
        _weights_with(users, weights=weights)


# ---------------------------------------------------------------- who scores a valuation


def test_the_appraiser_scores_their_valuation(users, make_patent):
    valuation = valuations.create_valuation(by=users["bank"], title="评估", scenario="pledge", patents=[make_patent()])
    assert valuations.can_score(users["bank"], valuation)


def test_another_appraiser_does_not_score_it(users, make_patent):
    valuation = valuations.create_valuation(by=users["bank"], title="评估", scenario="pledge", patents=[make_patent()])
    assert not valuations.can_score(users["expert"], valuation)


# ---------------------------------------------------------------- what each party may do with a pledge


def test_the_pledgor_confirms_the_banks_draft(users, make_patent, pledge_data):
    assert pledges.rights_for(user=users["qilu_ent"], pledge=_draft(users, make_patent, pledge_data))["can_confirm"]


def test_the_bank_does_not_confirm_its_own_draft(users, make_patent, pledge_data):
    assert not pledges.rights_for(user=users["bank"], pledge=_draft(users, make_patent, pledge_data))["can_confirm"]


def test_the_bank_edits_its_draft_and_may_commission_a_valuation(users, make_patent, pledge_data):
    rights = pledges.rights_for(user=users["bank"], pledge=_draft(users, make_patent, pledge_data))
    assert rights["can_edit"] and rights["can_commission_valuation"]


def test_the_reviewer_reviews_a_confirmed_pledge(users, make_patent, pledge_data):
    pledge = _draft(users, make_patent, pledge_data)
    pledges.confirm_pledge(pledge=pledge, by=users["qilu_ent"], co_owner_consent=False, today=TODAY)
    assert pledges.rights_for(user=users["xietiao"], pledge=pledge)["can_review"]


def test_the_cnipa_registration_is_recorded_once(users, make_patent, pledge_data):
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    assert not pledges.rights_for(user=users["bank"], pledge=pledge)["can_record_cnipa"]
