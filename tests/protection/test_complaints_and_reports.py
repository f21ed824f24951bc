"""12330 complaints decided (accepted or refused) within 7 working days of receipt (投诉举报处理暂行办法 art 14); a named
reporter told within 5 working days of the decision to open a case (art 31)."""

import datetime as dt

import pytest
from django.utils import timezone

from ipplatform.core.inputs import InputError
from ipplatform.protection import law, services
from ipplatform.protection.models import Case, Intake

D = dt.date
pytestmark = pytest.mark.django_db


def _intake(kind, received: dt.date, name="张某"):
    intake, _ = services.submit_intake(
        channel="phone",
        kind=kind,
        subject="某门店销售标注虚假专利号的净水器",
        description="门店货架上的净水器",
        requester_name=name,
        requester_phone="13800000000",
        respondent_name="青岛某净水器门店",
        respondent_address="青岛市市南区",
        region_code="370202",
    )
    Intake.objects.filter(pk=intake.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(received, dt.time(10, 0)))
    )
    return Intake.objects.get(pk=intake.pk)


@pytest.mark.parametrize(
    "received, due",
    [
        (
            D(2025, 9, 26),
            D(2025, 10, 13),
        ),  # 9/28 调休 Sunday counts; National Day 10/1-8 off; 10/11 调休 Saturday counts
        (D(2025, 5, 30), D(2025, 6, 11)),  # month end before 端午 (5/31-6/2 off)
    ],
)
def test_complaint_decision_due_in_seven_working_days(received, due):
    intake = _intake("complaint", received)
    got = law.complaint_decision(intake=intake, on=due)
    assert got["due"] == due and not got["overdue"] and "第十四条" in got["article"]
    assert law.complaint_decision(intake=intake, on=due + dt.timedelta(days=1))["overdue"]


def test_decided_complaints_and_reports_have_no_acceptance_warning(users):
    intake = _intake("complaint", D(2025, 9, 26))
    services.close_intake(
        intake=intake, by=users["city370200"], action="refer_out", reply="不属于本部门职责，已告知向人民法院起诉"
    )
    assert law.complaint_decision(intake=Intake.objects.get(pk=intake.pk), on=D(2025, 10, 20)) is None
    assert law.complaint_decision(intake=_intake("report", D(2025, 9, 26)), on=D(2025, 10, 20)) is None


def test_intake_list_warns_of_an_overdue_complaint(client, users):
    _intake("complaint", D(2025, 9, 26))
    client.force_login(users["city370200"])
    html = client.get("/protection/intakes/").content.decode()
    assert "受理决定已逾期（2025-10-13）" in html


def test_named_reporter_told_within_five_working_days_of_filing(users, step):
    officer = users["city370200"]
    named = services.convert_intake(intake=_intake("report", D(2025, 9, 22)), by=officer, case_type="counterfeit")
    named = step(named, "file_case", on=D(2025, 9, 26))
    # 9/28 (调休 Sunday), 9/29, 9/30, National Day 10/1-8 off, 10/9, 10/10
    assert named.deadlines.get(rule__code="CF_REPORTER", status="open").due == D(2025, 10, 10)
    services.record_measure(
        case=named, by=officer, measure="tell_reporter", note="电话告知并记录（12330回访单）", on=D(2025, 10, 9)
    )
    assert Case.objects.get(pk=named.pk).deadlines.get(rule__code="CF_REPORTER").status == "met"
    anonymous = services.convert_intake(
        intake=_intake("report", D(2025, 9, 22), name="匿名群众"), by=officer, case_type="counterfeit"
    )
    anonymous = step(anonymous, "file_case", on=D(2025, 9, 26))
    assert not anonymous.deadlines.filter(rule__code="CF_REPORTER").exists()
    with pytest.raises(InputError, match="没有待办"):
        services.record_measure(case=anonymous, by=officer, measure="tell_reporter", note="x", on=D(2025, 10, 9))


def test_a_decision_due_in_a_year_without_its_holidays_is_marked_for_checking(client, users):
    """Received on the last working day of the covered years: the 7 working days run into a year whose holidays
    are not loaded, and the page says so beside the date."""
    from ipplatform.lib.workdays import last_covered_year

    last = last_covered_year()
    intake = _intake("complaint", D(last, 12, 28))
    client.force_login(users["city370200"])
    html = client.get(f"/protection/intakes/{intake.pk}/").content.decode()
    due = html[html.index('id="acceptance-due"') :][:600]
    assert f"{last + 1}年假日未载入，待核对" in due and f"收录至{last}年" in due


def test_a_decision_due_in_a_covered_year_has_no_mark(client, users):
    intake = _intake("complaint", D(2025, 9, 26))
    client.force_login(users["city370200"])
    html = client.get(f"/protection/intakes/{intake.pk}/").content.decode()
    assert 'id="acceptance-due"' in html and "待核对" not in html


def test_the_rules_page_says_which_years_of_holidays_are_loaded(client, users):
    from ipplatform.lib.workdays import last_covered_year

    client.force_login(users["city370200"])
    html = client.get("/protection/rules/").content.decode()
    assert f"已载入至{last_covered_year()}年" in html and "第二条按日期规定的元旦1月1日" in html
