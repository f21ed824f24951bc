"""Each case type walked through its main and exceptional paths, with deadlines on hand-computed dates."""

import datetime as dt

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.core.models import StateTransition
from ipplatform.core.workflow import history
from ipplatform.protection import services
from ipplatform.protection.models import Case

D = dt.date
pytestmark = pytest.mark.django_db


def due(case, code):
    return case.deadlines.get(rule__code=code, status="open").due


def test_infringement_main_path_with_correction_hearing_and_sue_period(make_case, step, users, panel):
    case = make_case(received_on=D(2026, 2, 12))
    assert case.case_no.startswith("鲁知裁〔2026〕") and case.state == "requested"
    assert due(case, "INF_ACCEPT") == D(2026, 2, 26)
    case = step(case, "request_correction", on=D(2026, 2, 13), reason="请求书未写明被请求人住所")
    assert not case.deadlines.filter(rule__code="INF_ACCEPT", status="open").exists()
    case = step(case, "resubmit", on=D(2026, 2, 24), reason="已补正")
    # restarts from the correction: 2/25(1) 2/26(2) 2/27(3) 2/28 Sat 调休(4) 3/2(5)
    assert due(case, "INF_ACCEPT") == D(2026, 3, 2)
    case = step(case, "accept", on=D(2026, 3, 2))
    assert case.accepted_on == D(2026, 3, 2)
    assert due(case, "INF_SERVE") == D(2026, 3, 9)
    assert due(case, "INF_CLOSE") == D(2026, 6, 2)
    case = step(case, "serve_respondent", on=D(2026, 3, 5))
    assert due(case, "INF_DEFENCE") == D(2026, 3, 20)
    case = step(case, "begin_investigation", on=D(2026, 3, 20))
    with pytest.raises(InputError, match="至少提前3个工作日"):
        step(case, "schedule_hearing", on=D(2026, 3, 25), hearing_date="2026-03-27")
    case = step(case, "schedule_hearing", on=D(2026, 3, 25), hearing_date="2026-03-30")
    assert case.state == "hearing_scheduled" and case.hearing_at.date() == D(2026, 3, 30)
    case = step(case, "hold_hearing", on=D(2026, 3, 30))
    with pytest.raises(InputError, match="请选择处理决定"):
        step(case, "decide", on=D(2026, 4, 1))
    case = step(case, "decide", on=D(2026, 4, 1), outcome="stop_infringement", panel=panel)
    assert case.deadlines.get(rule__code="INF_CLOSE").status == "met"
    case = step(case, "serve_decision", on=D(2026, 4, 1))
    assert due(case, "INF_SUE") == D(2026, 4, 16)
    with pytest.raises(InputError, match="起诉期尚未届满"):
        step(case, "become_final", on=D(2026, 4, 10))
    case = step(case, "become_final", on=D(2026, 4, 17), reason="期满未起诉")
    case = step(case, "close", on=D(2026, 4, 20), reason="履行完毕")
    assert case.state == "closed" and case.closed_on == D(2026, 4, 20) and case.outcome == "stop_infringement"
    rows = list(history(case))
    assert [r.transition for r in rows][:3] == ["request_correction", "resubmit", "accept"]
    assert rows[0].actor_name == "city370200" and rows[0].reason == "请求书未写明被请求人住所"
    assert rows[-1].source == "final" and rows[-1].target == "closed"


def test_suspension_moves_the_close_deadline_and_resume_returns_to_the_same_step(make_case, step, users):
    case = step(make_case(received_on=D(2025, 7, 7)), "accept", on=D(2025, 7, 8))
    assert due(case, "INF_CLOSE") == D(2025, 10, 9)
    case = step(case, "serve_respondent", on=D(2025, 7, 10))
    case = step(case, "begin_investigation", on=D(2025, 7, 28))
    with pytest.raises(InputError, match="中止须填写依据"):
        step(case, "suspend", on=D(2025, 8, 1))
    case = step(
        case, "suspend", on=D(2025, 8, 1), basis="无效宣告请求受理通知书 4W123456", reason="被请求人请求宣告专利权无效"
    )
    assert case.state == "suspended" and case.resume_state == "investigating"
    with pytest.raises(InputError, match="不能执行"):
        step(case, "decide", outcome="dismiss")
    rows = services.board(user=users["city370200"], on=D(2025, 8, 5))
    assert {r["status"] for r in rows} == {"suspended"}
    case = step(case, "resume", on=D(2025, 8, 11), reason="无效宣告审查决定维持专利权有效")
    assert case.state == "investigating"
    # 10 days suspended: 10/8 + 10 = 10/18 Saturday → 10/20
    assert due(case, "INF_CLOSE") == D(2025, 10, 20)


def test_extension_needs_the_head_of_the_body_and_stays_within_the_rule(make_case, step, users, head):
    case = step(make_case(received_on=D(2025, 7, 7)), "accept", on=D(2025, 7, 8))
    deadline = case.deadlines.get(rule__code="INF_CLOSE", status="open")
    officer = users["city370200"]
    with pytest.raises(InputError, match="申请人以外的批准人"):
        services.extend_deadline(
            deadline=deadline,
            by=officer,
            amount=1,
            approved_by=officer,
            approval_ref="青知延〔2025〕1号",
            reason="案情复杂",
        )
    with pytest.raises(InputError, match="最多可延长1月"):
        services.extend_deadline(
            deadline=deadline,
            by=officer,
            amount=2,
            approved_by=head,
            approval_ref="青知延〔2025〕1号",
            reason="案情复杂",
        )
    # the province leader is not the head of the Qingdao bureau (移送规定 art 5; 专利行政执法办法 art 21)
    with pytest.raises(InputError, match="正职负责人或主持工作的负责人"):
        services.extend_deadline(
            deadline=deadline,
            by=officer,
            amount=1,
            approved_by=users["leader"],
            approval_ref="青知延〔2025〕1号",
            reason="需现场勘验",
        )
    services.extend_deadline(
        deadline=deadline, by=officer, amount=1, approved_by=head, approval_ref="青知延〔2025〕1号", reason="需现场勘验"
    )
    deadline.refresh_from_db()
    # 4 months from 7/8 = 11/8 (Saturday) → 11/10
    assert deadline.due == D(2025, 11, 10)
    ext = deadline.extensions.get()
    assert (ext.old_due, ext.new_due, ext.approved_by) == (D(2025, 10, 9), D(2025, 11, 10), head)
    with pytest.raises(InputError, match="还可延长0月"):
        services.extend_deadline(
            deadline=deadline, by=officer, amount=1, approved_by=head, approval_ref="x", reason="y"
        )


def test_refusal_withdrawal_and_illegal_transitions(make_case, step):
    refused = step(make_case(), "refuse", on=D(2026, 2, 13), reason="不属于本局管辖")
    assert refused.state == "refused" and refused.outcome == "refused" and refused.is_terminal
    assert not refused.deadlines.filter(status="open").exists()
    with pytest.raises(InputError, match="在“不予受理”状态下不能执行“受理”"):
        step(refused, "accept")
    case = step(
        step(make_case(), "accept", on=D(2026, 2, 13)), "withdraw", on=D(2026, 2, 24), reason="双方和解，请求人撤回"
    )
    assert case.state == "withdrawn" and case.closed_on == D(2026, 2, 24)
    fresh = make_case()
    with pytest.raises(InputError, match="不能执行“立案”"):
        step(fresh, "file_case")  # a counterfeit-case step on a dispute
    with pytest.raises(InputError, match="请填写办理意见"):
        step(fresh, "accept", reason=" ")
    with pytest.raises(InputError, match="未知的办理操作"):
        step(fresh, "delete")
    assert StateTransition.objects.filter(object_id=str(fresh.pk)).count() == 0


def test_counterfeit_path_hearing_window_and_extension(make_case, step, users, head):
    case = make_case("counterfeit", received_on=D(2025, 1, 20), title="标注失效专利号销售电动工具")
    assert case.case_no.startswith("鲁知假") and due(case, "CF_FILE") == D(2025, 2, 14)
    services.extend_deadline(
        deadline=case.deadlines.get(rule__code="CF_FILE"),
        by=users["city370200"],
        amount=15,
        approved_by=head,
        approval_ref="青知假延〔2025〕2号",
        reason="需协查外地线索",
    )
    assert due(case, "CF_FILE") == D(2025, 3, 7)
    case = step(case, "file_case", on=D(2025, 7, 4))
    assert due(case, "CF_DECIDE") == D(2025, 10, 9)
    for name in ("begin_investigation", "submit_report", "legal_review"):
        case = step(case, name, on=D(2025, 9, 1))
    case = step(case, "notify_pre_decision", on=D(2025, 9, 2))
    # 5 working days (行政处罚法 arts 64, 85): 9/3(1) 9/4(2) 9/5(3) 9/8(4) 9/9(5) — not 9/8 in calendar days
    assert due(case, "CF_HEARING_REQ") == D(2025, 9, 9)
    with pytest.raises(InputError, match="听证申请已超过期限"):
        step(case, "request_hearing", on=D(2025, 9, 10))
    case = step(case, "request_hearing", on=D(2025, 9, 9))
    # requested: no decision before the hearing is held and recorded
    with pytest.raises(InputError, match="听证举行并制作笔录前不得作出处罚决定"):
        step(case, "decide_penalty", on=D(2025, 9, 20), penalty_amount="50000")
    presider = head
    services.schedule_penalty_hearing(
        case=case, by=users["city370200"], hearing_date="2025-09-19", presider=presider, on=D(2025, 9, 10)
    )
    case = Case.objects.get(pk=case.pk)
    assert case.hearing_notice_on == D(2025, 9, 10) and case.hearing_presider == presider
    services.record_penalty_hearing(
        case=case,
        by=presider,
        on=D(2025, 9, 19),
        record="当事人陈述：不知专利已失效；调查人员出示进货单据；当事人对证据无异议。",
    )
    case = step(case, "decide_penalty", on=D(2025, 9, 22), penalty_amount="50000")
    assert case.outcome == "penalty" and str(case.penalty_amount) == "50000.00"
    # 7 working days (行政处罚法 arts 61, 85): 9/23(1) 9/24 9/25 9/26(4) 9/28 调休 Sunday(5) 9/29(6) 9/30(7)
    assert due(case, "CF_SERVE") == D(2025, 9, 30)
    # 20 working days (公示规定 art 9): 7 to 9/30, 国庆 10/1-8 off, 10/9(8) 10/10(9) 10/11 调休 Saturday(10) ... 10/24(20)
    assert due(case, "CF_PUBLISH") == D(2025, 10, 24)
    case = step(case, "serve_decision", on=D(2025, 9, 25))
    services.publish_penalty(case=case, by=users["city370200"], on=D(2025, 9, 26))
    case = Case.objects.get(pk=case.pk)
    assert case.published_on == D(2025, 9, 26) and case.deadlines.get(rule__code="CF_PUBLISH").status == "met"
    for name in ("execute", "archive"):
        case = step(case, name, on=D(2025, 10, 20))
    assert case.state == "archived"


def test_penalty_refused_where_transfer_is_required(make_case, step):
    case = make_case("counterfeit", crime_suspected=True, title="大规模假冒他人专利")
    for name in ("file_case", "begin_investigation", "submit_report", "legal_review", "notify_pre_decision"):
        case = step(case, name, on=D(2026, 3, 2))
    with pytest.raises(InputError, match="不得以行政处罚代替移送"):
        step(case, "decide_penalty", penalty_amount="10000")
    with pytest.raises(InputError, match="不得以行政处罚代替移送"):
        step(case, "decide_no_penalty")
    assert Case.objects.get(pk=case.pk).state == "pre_decision"
    case = step(case, "decide_transfer", on=D(2026, 3, 5), reason="涉嫌假冒专利罪")
    child = case.children.get()
    assert case.state == "transferred_police" and child.case_type == "police_transfer" and child.state == "suspicion"
    assert child.case_no.startswith("鲁知移") and child.city_code == case.city_code


def test_ecommerce_complaint_lifted_after_fifteen_days_and_determination(make_case, step, users):
    case = make_case("ecommerce", received_on=D(2026, 2, 12), platform="某电商平台")
    assert due(case, "EC_FORWARD") == D(2026, 2, 24)  # 2/13(1) 2/14 Sat 调休(2) 2/24(3)
    case = step(case, "request_determination", on=D(2026, 2, 13), reason="平台请求出具侵权判定意见")
    assert case.state == "determining" and due(case, "EC_DETERMINE") == D(2026, 2, 24)
    case = step(case, "answer_determination", on=D(2026, 2, 14), reason="构成侵权可能性较大")
    assert case.state == "notice_received"
    case = step(case, "forward_to_seller", on=D(2026, 2, 24))
    case = step(case, "receive_counter", on=D(2026, 3, 2))
    with pytest.raises(InputError, match="到达权利人的日期"):
        step(case, "forward_counter", on=D(2026, 3, 3))
    # the 15 days run from when the declaration reaches the rights holder (电子商务法 art 43), not from forwarding
    case = step(case, "forward_counter", on=D(2026, 3, 3), delivered_on="2026-03-04")
    assert case.counter_delivered_on == D(2026, 3, 4) and due(case, "EC_WAIT") == D(2026, 3, 19)
    with pytest.raises(InputError, match="等待期尚未届满"):
        step(case, "lift_measures", on=D(2026, 3, 19))
    # a party's period that has run out asks for the next step; it is not an office delay
    statuses = {
        r["deadline"].rule.code: r["status"] for r in services.board(user=users["city370200"], on=D(2026, 3, 20))
    }
    assert statuses == {"EC_WAIT": "period_over"}
    case = step(case, "lift_measures", on=D(2026, 3, 20), reason="期满未收到投诉或起诉通知")
    assert case.state == "lifted" and case.outcome == "lifted"
    other = step(make_case("ecommerce"), "forward_to_seller", on=D(2026, 2, 24))
    other = step(other, "maintain_measures", on=D(2026, 2, 26), reason="权利人已向法院起诉")
    assert other.state == "maintained"


def test_police_transfer_documents_24_hours_and_reconsideration(make_case, step, head):
    case = make_case("police_transfer", received_on=D(2026, 2, 12))
    case = step(case, "form_task_group", on=D(2026, 2, 12))
    case = step(case, "submit_transfer_report", on=D(2026, 2, 13))
    assert due(case, "PT_CHIEF") == D(2026, 2, 24)
    with pytest.raises(InputError, match="正职负责人或主持工作的负责人"):
        step(case, "approve_transfer", on=D(2026, 2, 13), reason="承办人自行批准")
    case = step(case, "approve_transfer", on=D(2026, 2, 13), reason="负责人批准", by=head)
    d = case.deadlines.get(rule__code="PT_TRANSFER", status="open")
    assert d.due_at - d.anchor_at == dt.timedelta(hours=24)
    with pytest.raises(InputError, match="缺少：涉案物品清单、有关检验报告或者鉴定结论"):
        step(case, "transfer_to_police", documents=["transfer_letter", "investigation_report", "other_materials"])
    case = step(
        case,
        "transfer_to_police",
        on=D(2026, 2, 14),
        documents=["transfer_letter", "investigation_report", "items_list", "inspection_report", "other_materials"],
    )
    assert len(case.transfer_documents) == 5 and due(case, "PT_POLICE") == D(2026, 2, 24)
    case = step(case, "police_decline", on=D(2026, 2, 24), reason="公安机关认为不构成犯罪")
    case = step(case, "request_reconsideration", on=D(2026, 2, 25))
    case = step(case, "reconsideration_upheld", on=D(2026, 3, 2), reason="复议维持")
    assert case.state == "closed" and case.outcome == "police_declined"
    rejected = make_case("police_transfer")
    for name in ("form_task_group", "submit_transfer_report"):
        rejected = step(rejected, name)
    rejected = step(rejected, "reject_transfer", by=head)
    assert rejected.state == "not_transferred"


def test_withdrawal_while_suspended_and_no_penalty_archive(make_case, step):
    case = step(make_case(received_on=D(2026, 3, 2)), "accept", on=D(2026, 3, 2))
    case = step(case, "suspend", on=D(2026, 3, 3), basis="无效宣告受理通知书")
    case = step(case, "withdraw", on=D(2026, 3, 10), reason="请求人撤回")
    assert case.state == "withdrawn" and case.suspensions.get().end == D(2026, 3, 10)
    cf = make_case("counterfeit")
    for name in ("file_case", "begin_investigation", "submit_report", "legal_review"):
        cf = step(cf, name)
    cf = step(cf, "decide_no_penalty", reason="违法行为轻微并及时改正")
    cf = step(cf, "serve_decision")
    assert [n for n, _ in services.available_transitions(cf)] == ["execute", "archive"]
    cf = step(cf, "archive")
    assert cf.state == "archived" and cf.outcome == "no_penalty"
