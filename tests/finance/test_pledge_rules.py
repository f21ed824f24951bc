"""Every registration rule refuses (or asks for correction / confirmation) with its reason; the workflow and its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history
from ipplatform.finance import pledges, services
from ipplatform.finance.enums import PledgeState
from ipplatform.finance.models import Pledge
from ipplatform.patents.models import LegalEvent

from .conftest import TODAY

QILU = "济南时代新纪元科技有限公司"


def _pledge(users, patents, data, **overrides):
    data = {**data, **overrides}
    return pledges.create_pledge(by=users["bank"], pledgor=users["qilu_ent"].organization, patents=patents, data=data)


def _codes(pledge):
    return sorted({c.code for c in pledges.check_pledge(pledge, on=TODAY)})


@pytest.fixture
def base(users, make_patent, pledge_data):
    return {"users": users, "make": make_patent, "data": pledge_data}


def test_clean_pledge_passes_every_rule(base):
    p = _pledge(base["users"], [base["make"]()], base["data"])
    assert pledges.check_pledge(p, on=TODAY) == []


def test_not_owner(base):
    p = _pledge(base["users"], [base["make"](owners=("海尔集团公司",))], base["data"])
    checks = pledges.check_pledge(p, on=TODAY)
    assert [c.code for c in checks] == ["not_owner"]
    assert "海尔集团公司" in checks[0].reason and QILU in checks[0].reason
    assert checks[0].effect == "refuse"


def test_applicant_linked_by_hand_is_not_an_owner_but_a_verified_former_name_is(base):
    from ipplatform.orgs import services as orgs

    org = base["users"]["qilu_ent"].organization
    patent = base["make"](owners=("齐鲁新材料（济南）有限公司",), org_links={"齐鲁新材料（济南）有限公司": org})
    p = _pledge(base["users"], [patent], base["data"])
    checks = pledges.check_pledge(p, on=TODAY)
    assert _codes(p) == ["not_owner"] and "未经认领核验" in checks[0].reason and "专利法第十条" in checks[0].reason
    # the old name recorded as 曾用名 and claimed with the name-change notice, verified by the city bureau: it counts
    orgs.add_former_name(org=org, name="齐鲁新材料（济南）有限公司", used_until=dt.date(2020, 5, 1))
    base["users"]["qilu_ent"].organization.applicant_claims.create(
        name="齐鲁新材料(济南)有限公司", name_norm="x", kind="former", state="verified"
    )
    assert _codes(p) == []


def test_name_match_is_normalised(base):
    # traditional characters and a stray space: the same registered patentee as the verified claim of its name
    patent = base["make"](owners=("济南時代新紀元 科技有限公司",))
    assert _codes(_pledge(base["users"], [patent], base["data"])) == []


def test_lapsed_and_invalidated(base):
    lapsed = base["make"](events=[(dt.date(2025, 6, 1), "fee_lapse")])
    invalid = base["make"](events=[(dt.date(2024, 1, 5), "invalidation_request"), (dt.date(2025, 1, 5), "invalidated")])
    p = _pledge(base["users"], [lapsed, invalid], base["data"])
    checks = [c for c in pledges.check_pledge(p, on=TODAY) if c.code == "lapsed"]
    assert {c.patent_id for c in checks} == {lapsed.pk, invalid.pk}
    assert any("未缴年费终止" in c.reason for c in checks) and any("无效" in c.reason for c in checks)


def test_expired_term_is_lapsed(base):
    old = base["make"](patent_type="utility", app_date=dt.date(2015, 1, 10), grant_date=dt.date(2015, 7, 1))
    assert "lapsed" in _codes(_pledge(base["users"], [old], base["data"]))


def test_not_granted(base):
    p = _pledge(base["users"], [base["make"](grant_date=None)], base["data"])
    assert _codes(p) == ["not_granted"]


def test_annual_fee_unpaid_in_and_after_grace_is_refused(base):
    # application 2016-05-04: the fee for the year from 2025-05-04 was due; grace ends 2025-11-04 (细则 art 115 with art 5)
    unpaid = base["make"](events=[(dt.date(2023, 4, 20), "fee_paid"), (dt.date(2024, 6, 1), "fee_paid")])
    paid = base["make"](events=[(dt.date(2024, 4, 20), "fee_paid"), (dt.date(2025, 4, 20), "fee_paid")])
    p = _pledge(base["users"], [unpaid, paid], base["data"])
    checks = [c for c in pledges.check_pledge(p, on=TODAY) if c.code == "fee_unpaid"]
    assert [c.patent_id for c in checks] == [unpaid.pk]
    assert "2025-05-04" in checks[0].reason and "专利权自2025-05-04起终止" in checks[0].reason
    assert checks[0].effect == "refuse"
    # within the grace period the unpaid fee is already a ground for refusal, with the surcharge owed so far
    in_grace = [c for c in pledges.check_pledge(p, on=dt.date(2025, 10, 1)) if c.code == "fee_unpaid"]
    assert [c.patent_id for c in in_grace] == [unpaid.pk] and in_grace[0].effect == "refuse"
    assert "至2025-11-04" in in_grace[0].reason and "20%" in in_grace[0].reason


def test_preservation_and_suspension(base):
    preserved = base["make"](events=[(dt.date(2025, 12, 1), "preservation", "法院财产保全")])
    released = base["make"](events=[(dt.date(2025, 1, 1), "preservation"), (dt.date(2025, 6, 1), "preservation_end")])
    suspended = base["make"](events=[(dt.date(2026, 1, 8), "transfer", "权属纠纷，程序中止")])
    p = _pledge(base["users"], [preserved, released, suspended], base["data"])
    ids = {c.patent_id for c in pledges.check_pledge(p, on=TODAY) if c.code == "suspended"}
    assert ids == {preserved.pk, suspended.pk}


def test_debt_term_beyond_expiry(base):
    utility = base["make"](patent_type="utility", app_date=dt.date(2017, 1, 10), grant_date=dt.date(2017, 8, 1))
    p = _pledge(base["users"], [utility], base["data"])
    checks = pledges.check_pledge(p, on=TODAY)
    assert [c.code for c in checks] == ["term_beyond_expiry"]
    assert "2027-01-10" in checks[0].reason


def test_contract_terms_missing(base):
    p = _pledge(base["users"], [base["make"]()], base["data"], contract_number="", security_scope=" ")
    checks = pledges.check_pledge(p, on=TODAY)
    assert [c.code for c in checks] == ["contract_missing"]
    assert "质押合同编号" in checks[0].reason and "担保范围" in checks[0].reason


def test_co_owner_consent(base):
    shared = base["make"](owners=(QILU, "山东大学"))
    p = _pledge(base["users"], [shared], base["data"])
    checks = pledges.check_pledge(p, on=TODAY)
    assert [c.code for c in checks] == ["co_owner_consent"] and "山东大学" in checks[0].reason
    p.co_owner_consent = True
    p.save()
    assert _codes(p) == []


def test_already_pledged(base):
    users, patent = base["users"], base["make"]()
    first = _pledge(users, [patent], base["data"])
    pledges.confirm_pledge(pledge=first, by=users["qilu_ent"], co_owner_consent=False, today=TODAY)
    pledges.register_pledge(pledge=first, by=users["xietiao"], today=TODAY)
    second = _pledge(users, [patent], base["data"])
    # approved on the platform but not yet registered by CNIPA: no pledge exists yet (民法典 art 444)
    assert pledges.check_pledge(second, on=TODAY) == []
    pledges.record_cnipa_registration(
        pledge=first, by=users["bank"], registration_no="Y2026980000123", registered_on=TODAY, today=TODAY
    )
    checks = pledges.check_pledge(second, on=TODAY)
    assert [c.code for c in checks] == ["already_pledged"] and "Y2026980000123" in checks[0].reason
    # an imported pledge event without release blocks as well
    other = base["make"](events=[(dt.date(2024, 3, 1), "pledge", "质押登记")])
    assert "already_pledged" in _codes(_pledge(users, [other], base["data"]))


def test_pending_invalidation_and_same_day_utility_need_confirmation(base):
    make = base["make"]
    pending = make(events=[(dt.date(2025, 11, 1), "invalidation_request")])
    utility = make(
        patent_type="utility", app_date=dt.date(2018, 3, 2), grant_date=dt.date(2018, 9, 1), title="一种节能换热器"
    )
    make(patent_type="invention", app_date=dt.date(2018, 3, 2), grant_date=None, title="一种节能换热器")
    data = {**base["data"], "debt_end": dt.date(2027, 3, 1)}
    p = _pledge(base["users"], [pending, utility], data)
    checks = pledges.check_pledge(p, on=TODAY)
    assert sorted(c.code for c in checks) == ["pending_invalidation", "same_day_utility"]
    assert all(c.effect == "confirm" for c in checks)
    p.risks_confirmed = True
    p.save()
    assert _codes(p) == []


def test_every_rule_has_a_test_above():
    tested = {
        "not_owner",
        "lapsed",
        "not_granted",
        "fee_unpaid",
        "suspended",
        "term_beyond_expiry",
        "contract_missing",
        "co_owner_consent",
        "already_pledged",
        "pending_invalidation",
        "same_day_utility",
    }
    assert tested == set(pledges.RULES)


def test_register_refuses_with_reasons_and_refusal_uses_them(base):
    users = base["users"]
    p = _pledge(users, [base["make"](grant_date=None)], base["data"])
    pledges.confirm_pledge(pledge=p, by=users["qilu_ent"], co_owner_consent=False, today=TODAY)
    with pytest.raises(InputError, match="专利尚未授权"):
        pledges.register_pledge(pledge=p, by=users["xietiao"], today=TODAY)
    pledges.refuse_pledge(pledge=p, by=users["xietiao"], today=TODAY)
    p = Pledge.objects.get(pk=p.pk)
    assert p.state == PledgeState.REFUSED and "专利尚未授权" in p.refusal_reason


def test_full_workflow_history_and_legal_events(base):
    users = base["users"]
    patent = base["make"]()
    p = _pledge(users, [patent], base["data"], contract_number="")
    with pytest.raises(PermissionDenied):
        pledges.confirm_pledge(pledge=p, by=users["laiwu_ent"], co_owner_consent=False, today=TODAY)
    pledges.confirm_pledge(pledge=p, by=users["qilu_ent"], co_owner_consent=False, today=TODAY)
    assert p.due_on == dt.date(2026, 3, 13)  # 3 working days after Tuesday 10 March
    with pytest.raises(PermissionDenied):
        pledges.register_pledge(pledge=p, by=users["fawu"], today=TODAY)  # another department may not register
    pledges.issue_defect(pledge=p, by=users["xietiao"], reason="请补充质押合同编号")
    pledges.update_pledge(pledge=p, by=users["bank"], data={"contract_number": "QL-ZY-2026-009"})
    pledges.resubmit_pledge(pledge=p, by=users["bank"], today=dt.date(2026, 3, 12))
    assert p.due_on == dt.date(2026, 3, 17)
    pledges.register_pledge(pledge=p, by=users["xietiao"], today=dt.date(2026, 3, 13))
    assert p.number.startswith("Y2026370000")  # the platform's own application number, not a registration
    assert not LegalEvent.objects.filter(patent=patent, code="pledge").exists()
    assert pledges.active_pledge(patent_id=patent.pk, on=dt.date(2026, 3, 13)) is None
    with pytest.raises(InputError, match="早于平台审查合格日"):
        pledges.record_cnipa_registration(
            pledge=p,
            by=users["bank"],
            registration_no="Y2026980000456",
            registered_on=dt.date(2026, 3, 12),
            today=dt.date(2026, 3, 18),
        )
    pledges.record_cnipa_registration(
        pledge=p,
        by=users["bank"],
        registration_no="Y2026980000456",
        registered_on=dt.date(2026, 3, 17),
        today=dt.date(2026, 3, 18),
    )
    event = LegalEvent.objects.get(patent=patent, code="pledge")
    assert (
        event.source == "质押登记"
        and event.reference == f"finance.pledge:{p.pk}"
        and event.date == dt.date(2026, 3, 17)
    )
    assert "质押登记号Y2026980000456" in event.description
    assert pledges.active_pledge(patent_id=patent.pk, on=dt.date(2026, 3, 17)).pledgee == users["bank"].organization
    assert pledges.active_pledge(patent_id=patent.pk, on=dt.date(2026, 3, 16)) is None
    pledges.change_pledge(
        pledge=p, by=users["bank"], changes={"debt_amount": "600"}, reason="追加授信", today=dt.date(2026, 6, 1)
    )
    with pytest.raises(InputError, match="晚于"):
        pledges.change_pledge(
            pledge=p,
            by=users["bank"],
            changes={"debt_end": dt.date(2037, 1, 1)},
            reason="展期",
            today=dt.date(2026, 6, 1),
        )
    pledges.cancel_pledge(pledge=p, by=users["bank"], reason="贷款已还清", today=dt.date(2027, 3, 14))
    release = LegalEvent.objects.get(patent=patent, code="pledge_release")
    assert release.reference == f"finance.pledge:{p.pk}"
    assert pledges.active_pledge(patent_id=patent.pk, on=dt.date(2027, 3, 14)) is None
    assert pledges.active_pledge(patent_id=patent.pk, on=dt.date(2026, 12, 1)).pk == p.pk
    steps = [(h.source, h.target, h.actor_name) for h in history(Pledge.objects.get(pk=p.pk))]
    assert steps == [
        ("draft", "submitted", "qilu_ent"),
        ("submitted", "defect", "xietiao"),
        ("defect", "resubmitted", "bank"),
        ("resubmitted", "registered", "xietiao"),
        ("registered", "registered", "bank"),
        ("registered", "cancelled", "bank"),
    ]
    assert [h.reason for h in history(p)][1] == "请补充质押合同编号"
    assert Pledge.objects.get(pk=p.pk).debt_amount == Decimal("600")


def test_only_banks_create_pledges(base):
    with pytest.raises(PermissionDenied):
        pledges.create_pledge(
            by=base["users"]["qilu_ent"],
            pledgor=base["users"]["qilu_ent"].organization,
            patents=[base["make"]()],
            data=base["data"],
        )


def test_overdue_registration_reminder_is_sent_once(base):
    from ipplatform.core.models import Notification

    users = base["users"]
    p = _pledge(users, [base["make"]()], base["data"])
    pledges.confirm_pledge(pledge=p, by=users["qilu_ent"], co_owner_consent=False, today=TODAY)  # due 2026-03-13
    assert services.send_reminders(today=dt.date(2026, 3, 13)) == 0
    sent = services.send_reminders(today=dt.date(2026, 3, 16))
    assert sent >= 1 and Notification.objects.filter(user=users["xietiao"], kind="finance.overdue").count() == 1
    assert services.send_reminders(today=dt.date(2026, 3, 17)) == 0  # deduplicated


# ---------------------------------------------------------------- the daily recount of review dates


def test_a_review_date_counted_on_an_older_calendar_moves_to_the_right_day(base):
    """Submitted on Tuesday 30 September 2025: 1–8 October are the National Day and Mid-Autumn holidays and Saturday
    11 October is a working day, so the 3 working days are 9, 10 and 11 October. A date counted Monday to Friday
    (3 October) is what a calendar without 2025's arrangement would have stored."""
    users = base["users"]
    p = _pledge(users, [base["make"]()], base["data"])
    pledges.confirm_pledge(pledge=p, by=users["qilu_ent"], co_owner_consent=False, today=dt.date(2025, 9, 30))
    assert p.due_on == dt.date(2025, 10, 11)
    Pledge.objects.filter(pk=p.pk).update(due_on=dt.date(2025, 10, 3))
    assert pledges.recompute_review_due() == {"pledges": 1, "moved": 1}
    p.refresh_from_db()
    assert p.due_on == dt.date(2025, 10, 11)
    assert pledges.recompute_review_due() == {"pledges": 1, "moved": 0}


def test_the_recount_leaves_pledges_that_are_not_awaiting_review(base):
    users = base["users"]
    draft = _pledge(users, [base["make"]()], base["data"])
    Pledge.objects.filter(pk=draft.pk).update(submitted_on=dt.date(2025, 9, 30), due_on=dt.date(2025, 10, 3))
    assert pledges.recompute_review_due() == {"pledges": 0, "moved": 0}
    draft.refresh_from_db()
    assert draft.due_on == dt.date(2025, 10, 3)


def test_the_daily_finance_job_recounts_before_it_reminds(base):
    import io

    from django.core.management import call_command

    users = base["users"]
    p = _pledge(users, [base["make"]()], base["data"])
    pledges.confirm_pledge(pledge=p, by=users["qilu_ent"], co_owner_consent=False, today=dt.date(2025, 9, 30))
    Pledge.objects.filter(pk=p.pk).update(due_on=dt.date(2025, 10, 3))
    out = io.StringIO()
    call_command("finance_reminders", stdout=out, verbosity=0)
    assert "待审查质押登记1件，1件的审查期限按现行日历调整" in out.getvalue()
    p.refresh_from_db()
    assert p.due_on == dt.date(2025, 10, 11)
