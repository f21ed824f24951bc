"""Pages and API: permissions on the server, bad input shown in Chinese, exports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from ipplatform.core.navigation import items_for
from ipplatform.workplan.models import Plan, PlanImport, ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client, users):
    def login(name):
        client.force_login(users[name])
        return client

    return login


def test_import_through_preview_pages(as_user):
    c = as_user("admin")
    assert c.get(reverse("workplan:import")).status_code == 200
    r = c.post(reverse("workplan:import"), {"year": "2016", "file": SimpleUploadedFile("plan.pdf", b"%PDF")})
    assert r.status_code == 200 and "不支持的文件格式“.pdf”" in r.content.decode()
    r = c.post(reverse("workplan:import"), {"year": "2016", "text": "一、部分\n——任务甲。内容。(办公室、研究会)\n"})
    imp = PlanImport.objects.get()
    assert r.status_code == 302 and r.url == reverse("workplan:import_preview", args=[imp.pk])
    page = c.get(r.url).content.decode()
    assert "研究会" in page and "无法对应的责任单位" in page and "确认导入（1项任务）" in page
    r = c.post(
        reverse("workplan:import_resolve", args=[imp.pk]), {"name": "研究会", "action": "map", "organization": ""}
    )
    assert r.status_code == 302 and "请为“研究会”选择对应的机构" in c.get(r.url).content.decode()
    r = c.post(
        reverse("workplan:import_resolve", args=[imp.pk]), {"name": "研究会", "action": "map", "organization": "abc"}
    )
    assert "“abc”不是有效的机构编号" in c.get(r.url).content.decode()
    r = c.post(reverse("workplan:import_commit", args=[imp.pk]))
    plan = Plan.objects.get(year=2016)
    assert r.url == f"{reverse('workplan:board')}?plan={plan.pk}"
    assert plan.tasks.get().assignments.filter(organization__isnull=True, unit_name="研究会").exists()
    assert c.get(reverse("workplan:import_template")).status_code == 200


def test_only_administrators_import(as_user):
    assert as_user("bangongshi").get(reverse("workplan:import")).status_code == 403
    assert as_user("city370200").post(reverse("workplan:import"), {"builtin": "1"}).status_code == 403
    assert not PlanImport.objects.exists()


def test_task_pages_respect_scope(as_user, task_of):
    t4, t9 = task_of(4), task_of(9)
    c = as_user("city370200")
    assert c.get(reverse("workplan:task", args=[t4.pk])).status_code == 403
    page = c.get(reverse("workplan:task", args=[t9.pk])).content.decode()
    assert "深入推动科技型小微企业知识产权质押融资工作" in page and "报送进展" in page
    assert c.get(reverse("workplan:task_report", args=[t4.pk])).status_code == 403
    index = c.get(reverse("workplan:index")).content.decode()
    assert "共 16 项" in index and "发挥奖励政策的激励作用" not in index
    assert as_user("huangdao").get(reverse("workplan:task", args=[t9.pk])).status_code == 403
    assert as_user("leader").get(reverse("workplan:task", args=[t4.pk])).status_code == 200


def test_file_report_page(as_user, task_of, users):
    task = task_of(9)
    c = as_user("city370200")
    url = reverse("workplan:task_report", args=[task.pk])
    r = c.post(url, {"period": "2015-06", "percent": "130", "text": "进展"})
    assert r.status_code == 200 and "完成进度130超出范围" in r.content.decode() and not ProgressReport.objects.exists()
    r = c.post(
        url,
        {
            "period": "2015-06",
            "percent": "50",
            "text": "银企对接会",
            "figures": "对接企业：12 家",
            "files": [SimpleUploadedFile("会议纪要.docx", b"PK demo")],
        },
    )
    assert r.status_code == 302
    report = ProgressReport.objects.get()
    att = report.attachments.get()
    assert c.get(reverse("workplan:attachment", args=[att.pk])).status_code == 200
    assert as_user("city370300").get(reverse("workplan:attachment", args=[att.pk])).status_code == 403
    lead = as_user("xietiao")
    assert "银企对接会" in lead.get(reverse("workplan:report", args=[report.pk])).content.decode()
    r = lead.post(reverse("workplan:report_review", args=[report.pk]), {"decision": "accept"})
    assert r.status_code == 302 and ProgressReport.objects.get().state == "accepted"
    wb = load_workbook(io.BytesIO(lead.get(reverse("workplan:reports") + "?export=xlsx").content))
    assert list(wb.active.iter_rows(min_row=2, values_only=True))[0][2:5] == ("青岛市知识产权局", "2015-06", 50)


def test_board_export_summary_and_reminder_pages(as_user, task_of, plan2015, users):
    c = as_user("bangongshi")
    page = c.get(reverse("workplan:board") + "?as_of=2015-06-10").content.decode()
    assert "2015年5月" in page and "发明专利申请量增长" in page and "按单位" in page
    assert "格式不正确" in c.get(reverse("workplan:board") + "?as_of=2015-13-01", follow=True).content.decode()
    r = c.get(reverse("workplan:board") + "?export=xlsx")
    assert (
        r["Content-Type"].startswith("application/vnd.openxmlformats")
        and "任务督导" in load_workbook(io.BytesIO(r.content)).sheetnames
    )
    r = c.get(reverse("workplan:summary", args=[plan2015.pk, "year"]))
    assert "全年落实情况" in Document(io.BytesIO(r.content)).paragraphs[0].text
    assert as_user("city370200").get(reverse("workplan:summary", args=[plan2015.pk, "year"])).status_code == 403
    c = as_user("bangongshi")
    r = c.post(
        reverse("workplan:task_remind", args=[task_of(7).pk]),
        {"organization": [users["city370100"].organization_id], "message": "请报送"},
    )
    assert r.status_code == 302
    reminder = task_of(7).reminders.get()
    jinan = as_user("city370100")
    assert "请报送" in jinan.get(reverse("workplan:reminders")).content.decode()
    r = jinan.post(reverse("workplan:reminder", args=[reminder.pk]), {"response": ""})
    assert r.status_code == 200 and "请填写签收答复" in r.content.decode()
    jinan.post(reverse("workplan:reminder", args=[reminder.pk]), {"response": "已落实"})
    assert task_of(7).reminders.get().state == "acknowledged"
    assert as_user("city370200").get(reverse("workplan:reminder", args=[reminder.pk])).status_code == 404


def test_api(as_user, plan2015):
    c = as_user("city370600")
    tasks = c.get("/api/v1/workplan/tasks").json()
    assert [t["number"] for t in tasks] == [1, 3, 5, 6, 7, 8, 9, 10, 11, 14, 18, 20, 22, 25, 28, 30]
    assert tasks[13]["lead_unit"] == "企业办" and "烟台市知识产权局" in tasks[13]["co_units"]
    r = c.get("/api/v1/workplan/board?as_of=2015-13-01")
    assert r.status_code == 400 and r.json()["field"] == "as_of"
    board = as_user("leader").get("/api/v1/workplan/board?year=2015&as_of=2015-06-10").json()
    assert board["counts"]["not_started"] == 36 and board["missing_reports"] == 385 - 111 and len(board["targets"]) == 3


def test_navigation_by_role(users, plan2015):
    labels = lambda name: [i["label"] for i in items_for(users[name]) if i["group"] == "督导"]  # noqa: E731
    assert labels("admin") == ["工作任务", "督导看板", "进展报告", "督办", "导入工作要点"]
    assert labels("city370200") == ["工作任务", "督导看板", "进展报告", "督办"]
    assert labels("haier") == []


def test_remind_missing_from_the_board(as_user, plan2015, users):
    c = as_user("bangongshi")
    assert "督办全部未报送单位（274家次）" in c.get(reverse("workplan:board") + "?as_of=2015-06-10").content.decode()
    r = c.post(
        reverse("workplan:remind_missing", args=[plan2015.pk]),
        {"as_of": "2015-06-10", "next": reverse("workplan:board")},
        follow=True,
    )
    assert "已向未报送单位发出274条督办" in r.content.decode()
    r = c.post(reverse("workplan:remind_missing", args=[plan2015.pk]), {"as_of": "2015-02-30"}, follow=True)
    assert "统计截至日期“2015-02-30”不是有效日期" in r.content.decode()


@pytest.mark.parametrize("name", ["admin", "leader", "city370200"])
def test_import_tab_shown_exactly_to_those_who_may_import(as_user, users, name):
    page = as_user(name).get(reverse("workplan:reminders")).content.decode()
    assert ("导入工作要点</a>" in page) is (name == "admin")


def test_can_import_only_administrators(users):
    from ipplatform.workplan import services

    names = ("admin", "leader", "bangongshi", "city370200", "public")
    assert [name for name in names if services.can_import(users[name])] == ["admin"]


def test_task_list_sorts_by_status_and_exports_the_ticked_tasks(as_user, task_of):
    import io
    import re

    from openpyxl import load_workbook

    c = as_user("leader")
    numbers = lambda html: [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', html)]  # noqa: E731
    by_number = numbers(c.get(reverse("workplan:index")).content.decode())
    assert len(by_number) > 20 and by_number == sorted(by_number)
    desc = numbers(c.get(reverse("workplan:index"), {"sort": "-number"}).content.decode())
    assert desc == sorted(by_number, reverse=True)
    assert c.get(reverse("workplan:index"), {"sort": "password"}).status_code == 400
    t4, t9 = task_of(4), task_of(9)
    resp = c.get(reverse("workplan:index"), {"export": "xlsx", "selected": "1", "ids": [t9.pk, t4.pk]})
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "序号")
    assert [r[0] for r in rows[header + 1 :]] == [4, 9]  # the ticked tasks, in the list's order
    # a city bureau's export holds only the tasks it carries, whatever ids it sends
    city = as_user("city370200").get(reverse("workplan:index"), {"export": "xlsx", "selected": "1", "ids": [t4.pk]})
    rows = list(load_workbook(io.BytesIO(city.content)).active.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "序号")
    assert rows[header + 1 :] == []
