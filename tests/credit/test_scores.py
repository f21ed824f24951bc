"""Credit scores on worked examples: base 90, rule points per event, caps, the years an event counts, withdrawal, and the
feed from protection case decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history
from ipplatform.credit import services
from ipplatform.credit.models import CreditEvent, CreditScore


def ev(org, kind, on, **kw):
    return CreditEvent.objects.create(
        organization=org, kind=kind, occurred_on=on, description=kw.pop("description", f"{kind} {on}"), **kw
    )


@pytest.fixture
def qilu(orgs):
    return orgs["ent_jinan"]


def test_worked_example_deductions_additions_and_cap(qilu):
    # 2024-03-01 adjudicated infringement −15; 2025-06-30 counterfeit penalty −20; certification +5 (2025-01-10)
    ev(qilu, "infringement", dt.date(2024, 3, 1))
    ev(qilu, "counterfeit", dt.date(2025, 6, 30))
    ev(qilu, "certification", dt.date(2025, 1, 10))
    score, reasons = services.compute(org=qilu, on=dt.date(2026, 1, 15))
    assert score == Decimal("60.00")  # 90 − 15 − 20 + 5
    assert [(r["rule"], r["points"]) for r in reasons] == [
        ("base", "90"),
        ("certification", "5.00"),
        ("counterfeit", "-20.00"),
        ("infringement", "-15.00"),
    ]
    inf = next(r for r in reasons if r["rule"] == "infringement")
    assert inf["until"] == "2027-03-01" and "第六十五条" in inf["basis"]
    # a fourth abnormal-application finding is capped at −30 in total
    for d in (dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1), dt.date(2025, 5, 6)):
        ev(qilu, "abnormal", d)
    score, reasons = services.compute(org=qilu, on=dt.date(2026, 1, 15))
    abnormal = [r for r in reasons if r["rule"] == "abnormal"]
    assert [r["points"] for r in abnormal] == ["-10.00", "-10.00", "-10.00", "0.00"] and abnormal[-1][
        "note"
    ] == "已达该项累计上限"
    assert score == Decimal("30.00")


def test_events_stop_counting_after_their_years_including_leap_day(qilu):
    ev(qilu, "infringement", dt.date(2024, 2, 29))
    assert services.compute(org=qilu, on=dt.date(2027, 2, 27))[0] == Decimal("75.00")
    assert services.compute(org=qilu, on=dt.date(2027, 2, 28))[0] == Decimal("90.00")  # 29 Feb + 3 years = 28 Feb 2027
    # an event after `on` does not count yet
    ev(qilu, "subsidy_fraud", dt.date(2026, 5, 1))
    assert services.compute(org=qilu, on=dt.date(2026, 4, 30))[0] == Decimal("75.00")
    assert services.compute(org=qilu, on=dt.date(2026, 5, 1))[0] == Decimal("45.00")


def test_score_never_leaves_zero_to_hundred(qilu):
    for d in (dt.date(2025, 1, 2), dt.date(2025, 2, 3)):
        ev(qilu, "subsidy_fraud", d)
    for d in (dt.date(2025, 3, 3), dt.date(2025, 4, 1)):
        ev(qilu, "counterfeit", d)
    score, reasons = services.compute(org=qilu, on=dt.date(2025, 12, 31))
    assert (
        score == Decimal("0.00") and reasons[-1]["rule"] == "clamp" and reasons[-1]["points"] == "10.00"
    )  # 90 − 60 − 40 = −10
    ev(qilu, "certification", dt.date(2025, 1, 5), state="withdrawn")  # a withdrawn event never counts
    assert not any(r["rule"] == "certification" for r in services.compute(org=qilu, on=dt.date(2025, 12, 31))[1])


def test_record_event_recomputes_and_tells_the_enterprise(qilu, users):
    officer = users["city370100"]
    e = services.record_event(
        org=qilu,
        by=officer,
        kind="false_statement",
        occurred_on=dt.date(2025, 9, 1),
        description="申报材料中的专利证书系伪造（演示数据）",
        evidence_url="/finance/subsidies/1/",
        is_demo=True,
    )
    latest = CreditScore.objects.filter(organization=qilu).first()
    assert latest.score == Decimal("80.00") and "提交虚假材料" in latest.trigger
    assert any(
        r.get("event") == e.pk and r["evidence_url"] == "/finance/subsidies/1/" and r["demo"] for r in latest.reasons
    )
    assert users["qilu_ent"].notifications.filter(kind="credit").exists()
    services.withdraw_event(event=e, by=officer, reason="复议撤销原决定")
    assert CreditScore.objects.filter(organization=qilu).first().score == Decimal("90.00")
    assert [h.transition for h in history(e)] == ["withdraw"]


def test_record_event_rules_at_the_boundary(qilu, users):
    with pytest.raises(PermissionDenied):  # Qingdao's bureau is outside Jinan
        services.record_event(
            org=qilu, by=users["city370200"], kind="abnormal", occurred_on=dt.date(2025, 1, 1), description="x"
        )
    with pytest.raises(InputError, match="晚于今天"):
        services.record_event(
            org=qilu, by=users["city370100"], kind="abnormal", occurred_on=dt.date(2999, 1, 1), description="x"
        )
    with pytest.raises(InputError, match="证据链接"):
        services.record_event(
            org=qilu,
            by=users["city370100"],
            kind="abnormal",
            occurred_on=dt.date(2025, 1, 1),
            description="x",
            evidence_url="javascript:alert(1)",
        )
    with pytest.raises(PermissionDenied):
        services.record_event(
            org=qilu, by=users["qilu_ent"], kind="certification", occurred_on=dt.date(2025, 1, 1), description="x"
        )


def test_protection_decision_feeds_the_respondents_credit(users, orgs, settings, tmp_path):
    """A counterfeit case decided with a penalty against a platform organisation becomes its credit event, once."""
    from ipplatform.protection import services as ps
    from ipplatform.protection.models import Case

    settings.DATA_DIR = tmp_path
    qilu = orgs["ent_jinan"]
    officer = users["city370100"]
    case = ps.create_case(
        case_type="counterfeit",
        title="销售标注失效专利号的产品（演示数据）",
        by=officer,
        region_code="370112",
        respondent_name=qilu.name,
        received_on=dt.date(2026, 3, 2),
    )
    Case.objects.filter(pk=case.pk).update(respondent_org=qilu, state="pre_decision")
    case.refresh_from_db()
    ps.transition(case=case, name="decide_penalty", by=officer, reason="事实清楚，依法处罚", on=dt.date(2026, 4, 1))
    events = CreditEvent.objects.filter(organization=qilu, source="protection")
    assert [(e.kind, e.source_ref, e.evidence_url) for e in events] == [
        ("counterfeit", case.case_no, f"/protection/cases/{case.pk}/")
    ]
    assert services.current(qilu).score == Decimal("70.00")
