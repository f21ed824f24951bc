"""Boards, reminders, documents, statistics, experts, agency transfers and the staff pages."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from ipplatform.core.inputs import InputError
from ipplatform.core.models import Notification, Organization
from ipplatform.protection import services, stats
from ipplatform.protection.models import Case, DocumentTemplate

D = dt.date
pytestmark = pytest.mark.django_db


def test_board_statuses_and_daily_reminders_deduplicated(make_case, step, users):
    officer = users["city370200"]
    overdue = make_case(received_on=D(2026, 2, 12), handler=officer)  # 受理审查 due 2/26
    soon = make_case(received_on=D(2026, 3, 2), handler=officer)  # due 3/9
    later = step(make_case(received_on=D(2026, 3, 2)), "accept", on=D(2026, 3, 2))  # 送达 due 3/9, 结案 6/2
    rows = services.board(user=officer, on=D(2026, 3, 5))
    by_case = {(r["case"].pk, r["deadline"].rule.code): r["status"] for r in rows}
    assert by_case[(overdue.pk, "INF_ACCEPT")] == "overdue"
    assert by_case[(soon.pk, "INF_ACCEPT")] == "due_soon"
    assert by_case[(later.pk, "INF_CLOSE")] == "ok"
    assert [r["case"].pk for r in services.board(user=officer, status="overdue", on=D(2026, 3, 5))] == [overdue.pk]
    assert services.board(user=users["city370100"], on=D(2026, 3, 5)) == []
    call_command("protection_reminders", "--date", "2026-03-05", stdout=io.StringIO())
    call_command("protection_reminders", "--date", "2026-03-05", stdout=io.StringIO())
    mine = Notification.objects.filter(user=officer, kind="protection_deadline")
    assert mine.count() == 3 and {n.title[:3] for n in mine} == {"已超期", "即将到"}
    # an unassigned case's reminder goes to its bureau's officers (送达 due 3/9 is due soon)
    assert mine.filter(title__contains=later.case_no).count() == 1
    call_command("protection_reminders", "--date", "2026-03-06", stdout=io.StringIO())
    assert Notification.objects.filter(user=officer, kind="protection_deadline").count() == 6


def test_documents_from_editable_templates(make_case, step, users, client):
    case = step(make_case(received_on=D(2026, 2, 12), patent_no="ZL201510123456.7"), "accept", on=D(2026, 2, 13))
    client.force_login(users["city370200"])
    for code, words in [
        ("acceptance_notice", ["受理通知书", "海尔集团公司", "ZL201510123456.7", case.case_no]),
        ("defence_notice", ["答辩通知书", "15日内", "2026年2月13日"]),
    ]:
        response = client.get(f"/protection/cases/{case.pk}/documents/{code}/")
        assert response["Content-Type"].endswith("wordprocessingml.document")
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert all(w in text for w in words), (code, text)
    template = DocumentTemplate.objects.get(code="acceptance_notice")
    template.body = "{案号}：特别提示 {请求人}"
    template.save()
    text = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(client.get(f"/protection/cases/{case.pk}/documents/acceptance_notice/").content)
        ).paragraphs
    )
    assert f"{case.case_no}：特别提示 海尔集团公司" in text
    template.body = "{不存在的字段}"
    with pytest.raises(Exception, match="未知占位符"):
        template.full_clean()
    response = client.get(f"/protection/cases/{case.pk}/documents/police_transfer_letter/", follow=True)
    assert "不适用于专利侵权纠纷行政裁决" in response.content.decode()


def test_statistics_and_excel_exports(make_case, step, users, client):
    step(make_case(received_on=D(2026, 2, 12)), "refuse", on=D(2026, 2, 20))
    make_case("counterfeit", received_on=D(2026, 3, 2))
    make_case(region_code="370102", by=users["city370100"], received_on=D(2026, 3, 3))
    data = stats.statistics(user=users["leader"], year=2026)
    assert data["total"] == 3
    assert data["by_type"][0][:5] == ["专利侵权纠纷行政裁决", 2, 1, 8.0, 8]
    assert dict(data["by_city"]) == {"青岛市": 2, "济南市": 1} and dict(data["by_month"]) == {
        "2026-02": 1,
        "2026-03": 2,
    }
    assert dict(data["by_outcome"]) == {"办理中": 2, "不予受理": 1}
    client.force_login(users["city370200"])
    wb = load_workbook(io.BytesIO(client.get("/protection/statistics/?year=2026&export=xlsx").content))
    assert wb.sheetnames == ["按类型", "按城市", "按月份", "按结果"]
    assert [c.value for c in list(wb["按城市"].iter_rows())[-1]] == ["青岛市", 2]  # the city bureau's own cases only
    cases = load_workbook(io.BytesIO(client.get("/protection/?export=xlsx").content)).active
    assert cases.max_row == 2 + 2  # note line, header, two Qingdao cases
    board = load_workbook(io.BytesIO(client.get("/protection/deadlines/?export=xlsx").content)).active
    assert any("法律依据" == c.value for c in list(board.iter_rows())[1])


def test_expert_consultation_requires_a_no_conflict_declaration(make_case, users, client):
    case = make_case()
    officer, expert = users["city370200"], users["expert"]
    services.ensure_expert_profiles()
    assert [e.user for e in services.experts(field="H01M")] == [expert] and not services.experts(field="G06F").exists()
    c = services.request_consultation(case=case, by=officer, expert=expert, question="被控产品是否落入权利要求1？")
    with pytest.raises(InputError, match="须先声明"):
        services.answer_consultation(consultation=c, by=expert, answer="落入")
    client.force_login(expert)
    assert client.get(f"/protection/consultations/{c.pk}/").status_code == 200
    assert client.get(f"/protection/cases/{case.pk}/").status_code == 403
    client.post(
        f"/protection/consultations/{c.pk}/", {"action": "declare", "has_conflict": "0", "statement": "无利益冲突"}
    )
    client.post(f"/protection/consultations/{c.pk}/", {"action": "answer", "answer": "技术特征全部覆盖，落入保护范围"})
    c.refresh_from_db()
    assert c.state == "answered" and c.answer.startswith("技术特征")
    other = make_case()
    c2 = services.request_consultation(case=other, by=officer, expert=expert, question="？")
    services.declare_conflict(consultation=c2, by=expert, has_conflict=True, statement="曾担任被请求人技术顾问")
    c2.refresh_from_db()
    assert c2.state == "declined"
    with pytest.raises(InputError, match="应当回避"):
        services.request_consultation(case=other, by=officer, expert=expert, question="再问")


def test_agency_transfer_with_receipt(make_case, users, client):
    case = make_case()
    customs = Organization.objects.get(name="青岛海关")
    client.force_login(users["city370200"])
    client.post(
        f"/protection/cases/{case.pk}/agency/",
        {"kind": "assist", "to_org": customs.pk, "content": "请协查出口货物", "documents": "协查函"},
    )
    t = case.agency_transfers.get()
    assert t.to_org == customs and t.receipt_at is None
    client.post(f"/protection/transfers/{t.pk}/receipt/", {"receipt_by": "青岛海关 张", "note": "已受理"})
    t.refresh_from_db()
    assert t.receipt_by == "青岛海关 张" and t.receipt_at is not None
    page = client.post(f"/protection/transfers/{t.pk}/receipt/", {"receipt_by": "又一次"}, follow=True).content.decode()
    assert "不能重复登记" in page


def test_staff_pages_render_and_intake_handling(users, client):
    client.force_login(users["fawu"])
    response = client.post(
        "/protection/intakes/new/",
        {
            "channel": "phone",
            "kind": "consultation",
            "subject": "如何申请维权援助",
            "description": "咨询",
            "requester_name": "王先生",
            "requester_phone": "0531-1234567",
            "infringement_place": "潍坊市",
        },
        follow=True,
    )
    assert "已登记：查询编号" in response.content.decode()
    intake = response.context["intake"]
    assert intake.handling_org.name == "潍坊市知识产权局" and intake.recorded_by == users["fawu"]
    client.post(f"/protection/intakes/{intake.pk}/action/", {"action": "convert", "case_type": "infringement"})
    assert not Case.objects.exists()  # a consultation is answered, not converted
    client.post(
        f"/protection/intakes/{intake.pk}/action/", {"action": "answer", "reply": "可向潍坊市知识产权局提出请求"}
    )
    intake.refresh_from_db()
    assert intake.state == "answered" and intake.public_reply
    response = client.post(
        "/protection/cases/new/",
        {"case_type": "counterfeit", "title": "展会现场假冒专利", "region_code": "370700", "received_on": "2026-02-12"},
        follow=True,
    )
    case = Case.objects.get()
    assert (
        case.case_type == "counterfeit" and case.city_code == "370700" and case.handling_org.name == "潍坊市知识产权局"
    )
    for url in [
        "/protection/",
        "/protection/intakes/",
        f"/protection/cases/{case.pk}/",
        "/protection/deadlines/",
        "/protection/evidence/verify/",
        "/protection/experts/",
        "/protection/consultations/",
        "/protection/statistics/",
        "/protection/rules/",
        f"/protection/intakes/{intake.pk}/",
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(users["public"])
    assert client.get("/protection/deadlines/").status_code == 403


def test_api_lists_and_moves_cases_with_chinese_errors(make_case, users, client):
    case = make_case()
    client.force_login(users["city370200"])
    listed = client.get("/api/v1/protection/cases/?case_type=infringement").json()
    assert listed["count"] == 1 and listed["results"][0]["transitions"] == [
        "request_correction",
        "accept",
        "refuse",
        "withdraw",
    ]
    bad = client.post(
        f"/api/v1/protection/cases/{case.pk}/transition/",
        {"transition": "decide", "reason": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "在“待受理审查”状态下不能执行“作出处理决定”" in bad.json()["error"]
    ok = client.post(
        f"/api/v1/protection/cases/{case.pk}/transition/",
        {"transition": "accept", "reason": "受理"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    client.force_login(users["city370100"])
    assert client.get(f"/api/v1/protection/cases/{case.pk}/").status_code == 403


def test_demo_data_is_idempotent_and_consistent(users):
    from ipplatform.protection import demo, evidence

    out = io.StringIO()
    demo.load(stdout=out, options={})
    demo.load(stdout=out, options={})
    assert "已存在，跳过" in out.getvalue()
    assert Case.objects.count() == 7  # six demo cases and the police transfer opened by one of them
    assert set(Case.objects.values_list("city_code", flat=True)) == {"370100", "370200", "370600", "370700", "371300"}
    assert Case.objects.filter(state="suspended").exists() and Case.objects.filter(state="transferred_police").exists()
    assert all(r.ok for r in evidence.verify_all())


def test_jurisdiction_transfer_moves_the_case_between_bureaus(make_case, users, client):
    case = make_case(handler=users["city370200"])
    client.force_login(users["city370200"])
    page = client.post(
        f"/protection/cases/{case.pk}/jurisdiction/", {"region_code": "371300", "reason": ""}, follow=True
    ).content.decode()
    assert "请填写移送管辖的理由" in page
    response = client.post(
        f"/protection/cases/{case.pk}/jurisdiction/", {"region_code": "371300", "reason": "侵权行为地在临沂市兰山区"}
    )
    assert response.status_code == 302 and response["Location"] == "/protection/"
    case = Case.objects.get(pk=case.pk)
    assert (case.city_code, case.handling_org.name, case.handler) == ("371300", "临沂市知识产权局", None)
    assert case.agency_transfers.get().kind == "transfer"
    assert not services.cases_for(users["city370200"]).filter(pk=case.pk).exists()
    assert services.cases_for(users["city371300"]).filter(pk=case.pk).exists()
    assert Notification.objects.filter(user=users["city371300"], title__startswith="移送管辖").exists()
