"""假冒专利 penalties as the law is written: hearing window in working days, no decision before the party is heard,
the hearing itself, the decision's mandatory content, fine cap, limitation, publication, police decline."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django_fsm import can_proceed
from docx import Document

from ipplatform.core.inputs import InputError
from ipplatform.protection import documents, law, services
from ipplatform.protection.models import Case, DocumentTemplate

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def pre_decision(make_case, step):
    """A counterfeit case told of the intended penalty on Wednesday 2025-03-05."""

    def make(on=D(2025, 3, 5), **kw):
        case = make_case("counterfeit", received_on=D(2025, 2, 10), title="销售标注失效专利号的电动工具", **kw)
        for name in ("file_case", "begin_investigation", "submit_report", "legal_review"):
            case = step(case, name, on=D(2025, 2, 20))
        return step(case, "notify_pre_decision", on=on)

    return make


def _window(case):
    return case.deadlines.get(rule__code="CF_HEARING_REQ").due


def test_hearing_request_period_is_five_working_days(pre_decision, step):
    case = pre_decision()
    # the worked date: told 2025-03-05 → the law allows until 03-12 (not 03-10 in calendar days)
    assert _window(case) == D(2025, 3, 12)
    case = step(case, "request_hearing", on=D(2025, 3, 12))
    assert case.state == "hearing"


def test_hearing_window_over_a_holiday(pre_decision, step):
    # told Monday 2025-09-29: 9/30(1), National Day 10/1-8 off, 10/9(2) 10/10(3) 10/11 调休 Saturday(4) 10/13(5)
    case = pre_decision(on=D(2025, 9, 29))
    assert _window(case) == D(2025, 10, 13)
    with pytest.raises(InputError, match="听证申请已超过期限"):
        step(case, "request_hearing", on=D(2025, 10, 14))


@pytest.mark.parametrize("day", [D(2025, 3, 5), D(2025, 3, 10), D(2025, 3, 12)])
def test_no_penalty_inside_the_hearing_window(pre_decision, step, day):
    case = pre_decision()
    case._on = day
    assert not can_proceed(case.decide_penalty)  # the state machine itself refuses
    with pytest.raises(InputError, match="期限至2025-03-12届满"):
        step(case, "decide_penalty", on=day, penalty_amount="10000")
    assert Case.objects.get(pk=case.pk).state == "pre_decision"


def test_penalty_after_the_window_or_on_a_written_waiver(pre_decision, step, users):
    case = step(pre_decision(), "decide_penalty", on=D(2025, 3, 13), penalty_amount="10000")
    assert case.state == "decided" and case.decided_on == D(2025, 3, 13)
    other = pre_decision()
    with pytest.raises(InputError, match="书面放弃材料"):
        services.record_waiver(case=other, by=users["city370200"], note=" ", on=D(2025, 3, 6))
    services.record_waiver(
        case=other, by=users["city370200"], note="当事人签名的放弃陈述申辩和听证权利声明", on=D(2025, 3, 6)
    )
    other = step(Case.objects.get(pk=other.pk), "decide_penalty", on=D(2025, 3, 6), penalty_amount="10000")
    assert other.state == "decided"


def test_no_penalty_before_a_requested_hearing_is_held(pre_decision, step, users, head):
    case = step(pre_decision(), "request_hearing", on=D(2025, 3, 7))
    case._on = D(2025, 4, 30)
    assert not can_proceed(case.decide_penalty)
    with pytest.raises(InputError, match="听证举行并制作笔录前"):
        step(case, "decide_penalty", on=D(2025, 4, 30), penalty_amount="10000")
    officer = users["city370200"]
    # notice at least 7 working days ahead: told 3/10 → earliest 3/19
    with pytest.raises(InputError, match="最早可定于2025-03-19"):
        services.schedule_penalty_hearing(
            case=case, by=officer, hearing_date="2025-03-18", presider=head, on=D(2025, 3, 10)
        )
    # the handler investigated the case: he may not preside
    with pytest.raises(InputError, match="参与了本案调查，不能主持听证"):
        services.schedule_penalty_hearing(
            case=case, by=officer, hearing_date="2025-03-19", presider=officer, on=D(2025, 3, 10)
        )
    services.schedule_penalty_hearing(
        case=case, by=officer, hearing_date="2025-03-19", presider=head, on=D(2025, 3, 10)
    )
    case = Case.objects.get(pk=case.pk)
    with pytest.raises(InputError, match="不能在此前登记听证笔录"):
        services.record_penalty_hearing(case=case, by=head, record="当事人陈述申辩意见如下……" * 2, on=D(2025, 3, 18))
    with pytest.raises(InputError, match="由听证主持人登记"):
        services.record_penalty_hearing(case=case, by=officer, record="当事人陈述申辩意见如下……" * 2, on=D(2025, 3, 19))
    services.record_penalty_hearing(
        case=case, by=head, record="当事人陈述：货品系从厂家进货，不知专利已失效。", on=D(2025, 3, 19)
    )
    case = step(Case.objects.get(pk=case.pk), "decide_penalty", on=D(2025, 3, 20), penalty_amount="10000")
    assert case.state == "decided" and case.hearing_held_on == D(2025, 3, 19)


def test_fine_cap_of_patent_law_article_68(pre_decision, step):
    case = pre_decision()
    with pytest.raises(InputError, match="超过法定上限250000元"):
        step(case, "decide_penalty", on=D(2025, 3, 13), penalty_amount="250000.01")
    with pytest.raises(InputError, match="超过法定上限250000元"):
        step(
            case, "decide_penalty", on=D(2025, 3, 13), penalty_amount="300000", illegal_gains="50000"
        )  # 5万 or less: flat cap
    case = step(case, "decide_penalty", on=D(2025, 3, 13), penalty_amount="300000", illegal_gains="60000")  # 5 × 60,000
    assert case.penalty_amount == 300000 and case.illegal_gains == 60000
    assert law.fine_cap(illegal_gains=None) == 250000


def test_two_year_limitation(make_case, step):
    case = make_case("counterfeit", received_on=D(2025, 3, 2))
    case = step(case, "file_case", on=D(2025, 3, 3), violation_ended_on="2023-03-01")
    for name in ("begin_investigation", "submit_report", "legal_review", "notify_pre_decision"):
        case = step(case, name, on=D(2025, 3, 3))
    with pytest.raises(InputError, match="已超过2年，不再给予行政处罚"):
        step(case, "decide_penalty", on=D(2025, 3, 20), penalty_amount="1000")
    assert (
        law.limitation_bar(violation_ended_on=D(2023, 3, 2), discovered_on=D(2025, 3, 2)) == ""
    )  # the last day is in time
    assert (
        law.limitation_bar(violation_ended_on=D(2024, 2, 29), discovered_on=D(2026, 3, 1)) != ""
    )  # leap day + 2 years = 2026-02-28


def test_penalty_after_police_decline(make_case, step, head):
    case = make_case("counterfeit", crime_suspected=True, title="大规模假冒他人专利")
    for name in ("file_case", "begin_investigation"):
        case = step(case, name, on=D(2026, 3, 2))
    case = step(case, "decide_transfer", on=D(2026, 3, 3), reason="涉嫌假冒专利罪")
    with pytest.raises(InputError, match="不能执行"):
        step(case, "resume_after_police_decline", on=D(2026, 3, 4))
    child = case.children.get()
    for name in ("form_task_group", "submit_transfer_report"):
        child = step(child, name, on=D(2026, 3, 4))
    child = step(child, "approve_transfer", on=D(2026, 3, 4), by=head)
    child = step(
        child,
        "transfer_to_police",
        on=D(2026, 3, 5),
        documents=["transfer_letter", "investigation_report", "items_list", "inspection_report", "other_materials"],
    )
    step(child, "police_decline", on=D(2026, 3, 9), reason="不够刑事追诉标准")
    case = step(
        Case.objects.get(pk=case.pk),
        "resume_after_police_decline",
        on=D(2026, 3, 10),
        reason="依移送规定第十条依法处罚",
    )
    assert case.state == "reviewed"
    case = step(case, "notify_pre_decision", on=D(2026, 3, 10))
    case = step(case, "decide_penalty", on=D(2026, 3, 18), penalty_amount="20000")
    assert case.state == "decided" and case.outcome == "penalty"


def test_publication_due_within_twenty_working_days_before_execution(pre_decision, step, users):
    case = step(pre_decision(), "decide_penalty", on=D(2025, 3, 13), penalty_amount="10000")
    assert case.deadlines.get(rule__code="CF_PUBLISH", status="open").due == D(2025, 4, 11)  # 4/4 清明 off
    services.publish_penalty(case=case, by=users["city370200"], on=D(2025, 3, 14))  # before service and execution
    with pytest.raises(InputError, match="已于2025-03-14公示"):
        services.publish_penalty(case=Case.objects.get(pk=case.pk), by=users["city370200"], on=D(2025, 3, 15))


def _doc_text(case, code, by):
    name, data = documents.generate(case=case, template=DocumentTemplate.objects.get(code=code), by=by)
    return name, "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_penalty_decision_document_states_the_mandatory_content(pre_decision, step, users):
    officer = users["city370200"]
    case = pre_decision(
        respondent_address="青岛市市北区某路1号", summary="当事人销售的电动工具包装标注已终止的专利号ZL200920001234.5"
    )
    services.record_waiver(case=case, by=officer, note="放弃声明（2025-03-06签收）", on=D(2025, 3, 6))
    case = step(Case.objects.get(pk=case.pk), "decide_penalty", on=D(2025, 3, 6), penalty_amount="12000")
    assert not DocumentTemplate.objects.get(code="decision").applies_to("counterfeit")
    name, text = _doc_text(case, "penalty_decision", officer)
    assert name.endswith("行政处罚决定书.docx")
    for needed in (
        "青岛某电器有限公司",
        "青岛市市北区某路1号",
        "标注已终止的专利号",
        "专利法》第六十八条",
        "12000.00元",
        "15日内",
        "电子支付系统",
        "60日内",
        "行政复议",
        "6个月内",
        "行政诉讼",
        "2025年3月6日",
        "书面放弃",
        "印章",
    ):
        assert needed in text, needed
    assert "15日内依照《行政诉讼法》向人民法院起诉" not in text  # the dispute decision's route is not a penalty's


def test_rules_carry_articles():
    assert all(r.article and r.label for r in law.RULES.values())
    assert "第八十五条" in law.RULES["hearing_request"].article


def test_counter_notice_tells_the_rights_holder_to_complain_or_sue(make_case, step, users):
    case = make_case("ecommerce", platform="某电商平台", requester_name="某照明科技公司")
    case = step(case, "forward_to_seller", on=D(2026, 2, 24))
    case = step(case, "receive_counter", on=D(2026, 3, 2))
    case = step(case, "forward_counter", on=D(2026, 3, 3), delivered_on="2026-03-05")
    assert case.deadlines.get(rule__code="EC_WAIT", status="open").due == D(2026, 3, 20)  # 15 days from delivery
    _, text = _doc_text(case, "counter_notice_forward", users["city370200"])
    assert "某照明科技公司" in text and "某电商平台" in text and "向人民法院起诉" in text and "有关主管部门投诉" in text
    assert "第四十四条" in text and "公示" in text


# ---------------------------------------------------------------- payment, surcharge, 催告 and the court window


def test_payment_due_rolls_over_national_day_and_surcharge_is_capped():
    # served Tuesday 2025-09-16: 15 days end on 10-01 (National Day, off to 10-08) → the next working day 10-09
    due = law.payment_due(served_on=D(2025, 9, 16))
    assert due == D(2025, 10, 9)
    assert law.late_surcharge(fine=Decimal("10000"), due=due, on=D(2025, 10, 9)) == (0, Decimal("0.00"))
    assert law.late_surcharge(fine=Decimal("10000"), due=due, on=D(2025, 10, 10)) == (1, Decimal("300.00"))
    assert law.late_surcharge(fine=Decimal("10000"), due=due, on=D(2025, 11, 11)) == (33, Decimal("9900.00"))
    assert law.late_surcharge(fine=Decimal("10000"), due=due, on=D(2025, 11, 12)) == (
        34,
        Decimal("10000.00"),
    )  # capped at the fine


def test_court_window_after_remedies_at_month_end_and_on_a_holiday():
    # served 2025-08-31: review to 10-30; 6 months → 2026-02-28 (month end, a 调休 working Saturday); window to 2026-05-28
    d = law.enforcement_dates(served_on=D(2025, 8, 31))
    assert (d["review_end"], d["litigation_end"], d["window_from"], d["window_end"]) == (
        D(2025, 10, 30),
        D(2026, 2, 28),
        D(2026, 3, 1),
        D(2026, 5, 28),
    )
    # served 2025-11-03: 6 months end on 2026-05-03 (May Day holiday 5/1-5/5) → 05-06; the window runs to 2026-08-06
    d = law.enforcement_dates(served_on=D(2025, 11, 3))
    assert (d["litigation_end"], d["window_from"], d["window_end"]) == (D(2026, 5, 6), D(2026, 5, 7), D(2026, 8, 6))


def test_demand_runs_ten_working_days_and_bars_the_court_application():
    served, demand = D(2025, 3, 3), D(2025, 9, 29)
    # 10 working days from 09-29: 9/30, 10/9, 10/10, 10/11 (调休), 10/13-10/17, 10/20
    assert law.enforcement_dates(served_on=served, demand_served_on=demand)["demand_end"] == D(2025, 10, 20)
    assert "尚未届满" in law.court_application_bar(served_on=served, demand_served_on=None, on=D(2025, 9, 3))
    assert "应当催告" in law.court_application_bar(served_on=served, demand_served_on=None, on=D(2025, 9, 4))
    assert "2025-10-20届满后" in law.court_application_bar(
        served_on=served, demand_served_on=demand, on=D(2025, 10, 20)
    )
    assert law.court_application_bar(served_on=served, demand_served_on=demand, on=D(2025, 10, 21)) == ""
    assert "已于2025-12-03届满" in law.court_application_bar(
        served_on=served, demand_served_on=demand, on=D(2025, 12, 4)
    )


def test_payment_panel_demand_and_court_application_on_a_case(pre_decision, step, users):
    officer = users["city370200"]
    case = step(pre_decision(), "decide_penalty", on=D(2025, 3, 13), penalty_amount="10000")
    case = step(case, "serve_decision", on=D(2025, 3, 14))
    assert case.served_on == D(2025, 3, 14)
    panel = services.payment_panel(case, on=D(2025, 4, 1))
    assert panel["payment_due"] == D(2025, 3, 31)  # 03-29 is a Saturday → Monday 03-31
    assert (panel["late_days"], panel["surcharge"]) == (1, Decimal("300.00"))
    with pytest.raises(InputError, match="缴纳罚款期限至2025-03-31届满"):
        services.record_demand(case=case, by=officer, on=D(2025, 3, 31))
    with pytest.raises(InputError, match="应当催告"):
        services.apply_to_court(case=case, by=officer, on=D(2025, 9, 16))
    services.record_demand(case=case, by=officer, on=D(2025, 9, 29))
    case = Case.objects.get(pk=case.pk)
    with pytest.raises(InputError, match="届满后当事人仍未履行"):
        services.apply_to_court(case=case, by=officer, on=D(2025, 10, 20))
    services.apply_to_court(case=case, by=officer, on=D(2025, 10, 21))
    assert Case.objects.get(pk=case.pk).court_applied_on == D(2025, 10, 21)


def test_infringement_decision_needs_an_odd_panel_of_three_or_more(make_case, step, users, panel):
    from ipplatform.core.demo import _account

    case = step(make_case(received_on=D(2026, 3, 2)), "accept", on=D(2026, 3, 2))
    for name in ("serve_respondent", "begin_investigation", "written_review"):
        case = step(case, name, on=D(2026, 3, 20))
    with pytest.raises(InputError, match="3名或3名以上单数.*当前登记2名"):
        step(case, "decide", on=D(2026, 4, 1), outcome="dismiss", panel=panel[:2])
    org = users["city370200"].organization
    fourth = _account("panel3702003", users["city370200"].role, org, "执法人员3（演示）")
    with pytest.raises(InputError, match="当前登记4名"):
        step(case, "decide", on=D(2026, 4, 1), outcome="dismiss", panel=panel + [fourth.pk])
    with pytest.raises(InputError, match="本机关在职执法人员"):
        step(case, "decide", on=D(2026, 4, 1), outcome="dismiss", panel=panel[:2] + [users["city371200"].pk])
    case = step(case, "decide", on=D(2026, 4, 1), outcome="dismiss", panel=panel)
    assert sorted(case.panel_members.values_list("pk", flat=True)) == sorted(panel)


def test_case_page_shows_payment_due_surcharge_and_court_window(pre_decision, step, users, client):
    case = step(pre_decision(), "decide_penalty", on=D(2025, 3, 13), penalty_amount="10000")
    case = step(case, "serve_decision", on=D(2025, 3, 14))
    client.force_login(users["city370200"])
    html = client.get(f"/protection/cases/{case.pk}/").content.decode()
    assert "至 2025-03-31（收到决定书之日起15日" in html
    assert "计10000.00元（已达罚款数额，不再增加）" in html  # today is long past 2025-03-31 + 34 days
    assert "2025-09-16 至 2025-12-15" in html  # 6 months → 09-14 (Sunday) → 09-15; the window from 09-16 to 12-15
