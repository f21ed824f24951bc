"""Enforcement measures as the law is written: 查封扣押 30 days + one extension of 30 approved by the head (行政强制法 art 25),
先行登记保存 decided in 7 working days (行政处罚法 arts 56, 85), goods handed to the police within 3 days of their filing
(移送规定 art 12), the platform's publication of notices, declarations and outcomes (电子商务法 art 44)."""

import datetime as dt

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.protection import law, services
from ipplatform.protection.models import Case

D = dt.date
pytestmark = pytest.mark.django_db


def _measure(case, users, measure, on, note="文书编号"):
    services.record_measure(case=case, by=users["city370200"], measure=measure, note=note, on=on)
    return Case.objects.get(pk=case.pk)


def _open(case, code):
    return case.deadlines.get(rule__code=code, status="open")


@pytest.fixture
def counterfeit(make_case, step):
    case = make_case("counterfeit", received_on=D(2025, 8, 20), title="销售假冒专利标识的水龙头")
    return step(step(case, "file_case", on=D(2025, 8, 25)), "begin_investigation", on=D(2025, 8, 26))


def test_seizure_thirty_days_over_national_day_and_one_extension_by_the_head(counterfeit, users, head):
    officer = users["city370200"]
    with pytest.raises(InputError, match="文书名称"):
        _measure(counterfeit, users, "seize", D(2025, 9, 1), note=" ")
    case = _measure(counterfeit, users, "seize", D(2025, 9, 1), note="青知查扣〔2025〕3号")
    deadline = _open(case, "CF_SEIZURE")
    assert deadline.due == D(2025, 10, 9)  # 30 days end on 10-01 (National Day, off to 10-08) → 10-09
    with pytest.raises(InputError, match="已有未了结"):
        _measure(case, users, "seize", D(2025, 9, 2))
    with pytest.raises(InputError, match="正职负责人或主持工作的负责人"):
        services.extend_deadline(
            deadline=deadline, by=officer, amount=30, approved_by=users["leader"], approval_ref="x", reason="需鉴定"
        )
    with pytest.raises(InputError, match="最多可延长30自然日"):
        services.extend_deadline(
            deadline=deadline,
            by=officer,
            amount=31,
            approved_by=head,
            approval_ref="青知延〔2025〕9号",
            reason="需鉴定",
        )
    services.extend_deadline(
        deadline=deadline, by=officer, amount=20, approved_by=head, approval_ref="青知延〔2025〕9号", reason="需鉴定"
    )
    deadline.refresh_from_db()
    assert deadline.due == D(2025, 10, 21)  # 50 days from 09-01
    with pytest.raises(InputError, match="只能延长一次"):
        services.extend_deadline(
            deadline=deadline, by=officer, amount=10, approved_by=head, approval_ref="青知延〔2025〕10号", reason="再延"
        )
    case = _measure(case, users, "release_seizure", D(2025, 10, 20), note="解除查封扣押决定书")
    assert case.deadlines.get(rule__code="CF_SEIZURE").status == "met"
    with pytest.raises(InputError, match="没有待办"):
        _measure(case, users, "release_seizure", D(2025, 10, 21))


def test_seizure_from_a_month_end_ends_after_february(counterfeit, users):
    case = _measure(counterfeit, users, "seize", D(2026, 1, 30))
    assert _open(case, "CF_SEIZURE").due == D(2026, 3, 2)  # 30 days → Sunday 03-01 → Monday 03-02


def test_preservation_decided_within_seven_working_days(counterfeit, users):
    # 9/28 (调休 Sunday) 9/29 9/30, National Day 10/1-8 off, 10/9 10/10 10/11 (调休 Saturday) 10/13
    case = _measure(counterfeit, users, "preserve", D(2025, 9, 26), note="先行登记保存通知书")
    assert _open(case, "CF_PRESERVE").due == D(2025, 10, 13)
    assert services.deadline_status(_open(case, "CF_PRESERVE"), on=D(2025, 10, 14)) == "overdue"
    case = _measure(case, users, "decide_preserved", D(2025, 10, 13), note="先行登记保存物品处理决定书")
    assert case.deadlines.get(rule__code="CF_PRESERVE").status == "met"


def test_goods_handed_to_the_police_within_three_days_of_their_filing(make_case, step, users, head):
    case = make_case("counterfeit", crime_suspected=True, title="大规模假冒他人专利")
    for name in ("file_case", "begin_investigation"):
        case = step(case, name, on=D(2026, 4, 20))
    child = step(case, "decide_transfer", on=D(2026, 4, 21), reason="涉嫌假冒专利罪").children.get()
    with pytest.raises(InputError, match="没有待办"):
        _measure(child, users, "hand_over_goods", D(2026, 4, 21))
    for name in ("form_task_group", "submit_transfer_report"):
        child = step(child, name, on=D(2026, 4, 22))
    child = step(child, "approve_transfer", on=D(2026, 4, 23), by=head)
    child = step(
        child,
        "transfer_to_police",
        on=D(2026, 4, 24),
        documents=["transfer_letter", "investigation_report", "items_list", "inspection_report", "other_materials"],
    )
    child = step(child, "police_accept", on=D(2026, 4, 30), reason="公安机关立案通知书")
    # 3 days end on 05-03, inside the May Day holiday (5/1-5/5) → 05-06
    assert _open(child, "PT_GOODS").due == D(2026, 5, 6)
    child = _measure(child, users, "hand_over_goods", D(2026, 5, 6), note="涉案物品移交清单")
    assert child.deadlines.get(rule__code="PT_GOODS").status == "met"
    with pytest.raises(InputError, match="不适用于"):
        _measure(child, users, "seize", D(2026, 5, 6))


def test_platform_publishes_notices_declarations_and_outcomes(make_case, step, users):
    case = make_case("ecommerce", platform="某电商平台", requester_name="某照明科技公司")
    case = _measure(case, users, "publish_notice", D(2026, 2, 24), note="https://example.invalid/notice/1")
    with pytest.raises(InputError, match="尚无处理结果"):
        _measure(case, users, "publish_outcome", D(2026, 2, 25))
    assert [m["label"] for m in case.measures] == ["平台公示通知"]
    assert (
        "电子商务法第四十四条" in law.RULES["ecommerce_publish"].article
        and law.RULES["ecommerce_publish"].enforced is True
    )
