"""Scopes, milestones, progress reports, 督办, the supervision board and the summary documents."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from ipplatform.core.inputs import InputError
from ipplatform.core.models import StateTransition
from ipplatform.workplan import documents, services
from ipplatform.workplan.enums import Health
from ipplatform.workplan.models import Assignment, ProgressReport, Reminder, Task

pytestmark = pytest.mark.django_db


def test_scopes(users, plan2015, task_of):
    seen = lambda name: set(services.visible_tasks(users[name], plan2015).values_list("number", flat=True))  # noqa: E731
    assert (
        len(seen("admin")) == len(seen("leader")) == len(seen("bangongshi")) == 36
    )  # leadership, admins and 办公室 see all
    assert seen("city370200") == {
        1,
        3,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        14,
        18,
        19,
        20,
        22,
        28,
        30,
    }  # 青岛: all-city tasks + its named task 19
    assert 25 in seen("city370600") and 19 not in seen("city370600")  # 烟台 is named only in task 25
    assert 31 in seen("city371700") and 25 not in seen("city371700")  # 菏泽 in task 31
    assert seen("fawu") == {1, 2, 3, 5, 13, 14, 15, 16, 17, 18, 19, 28, 31, 34, 35}
    assert seen("huangdao") == set() and seen("haier") == set() and seen("public") == set()
    with pytest.raises(PermissionDenied):
        services.get_task(users["city370200"], task_of(4).pk)
    assert services.get_task(users["city370200"], task_of(19).pk).number == 19


def test_report_flow_and_who_sees_it(users, task_of):
    task = task_of(9)  # 协调管理处, 各有关市知识产权局
    qd = users["city370200"]
    pdf = SimpleUploadedFile("青岛质押融资情况.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    report = services.file_report(
        task=task,
        user=qd,
        period_key="2015-06",
        percent="40",
        text="召开银企对接会。",
        figures="专利质押融资金额：2.1 亿元\n对接企业：12 家",
        files=[pdf],
    )
    assert report.organization.name == "青岛市知识产权局" and report.figures == [
        {"name": "专利质押融资金额", "value": 2.1, "unit": "亿元"},
        {"name": "对接企业", "value": 12, "unit": "家"},
    ]
    att = report.attachments.get()
    assert att.size == 13 and att.file.read() == b"%PDF-1.4 demo"
    assert Task.objects.get(pk=task.pk).state == "in_progress"
    assert StateTransition.objects.filter(object_id=str(task.pk), transition="start", actor_name="city370200").exists()
    # the lead unit sees its co-operators' reports and is notified; another co-operating city does not see them
    assert list(services.visible_reports(users["xietiao"], task)) == [report]
    assert users["xietiao"].notifications.filter(title__contains="青岛市知识产权局报送了任务9").exists()
    assert list(services.visible_reports(users["city370300"], task)) == []
    assert list(services.visible_reports(users["bangongshi"], task)) == [report]
    with pytest.raises(PermissionDenied):
        services.get_report(users["city370300"], report.pk)
    # the lead returns it, the city revises it; every change recorded
    with pytest.raises(PermissionDenied):
        services.review_report(report=report, user=users["city370300"], decision="accept")
    own = services.file_report(
        task=task, user=users["xietiao"], period_key="2015-06", percent=45, text="牵头单位本期进展。"
    )
    with pytest.raises(PermissionDenied):  # the lead does not review its own report; 办公室 does
        services.review_report(report=own, user=users["xietiao"], decision="accept")
    services.review_report(report=own, user=users["bangongshi"], decision="accept")
    with pytest.raises(InputError, match="须说明"):
        services.review_report(report=report, user=users["xietiao"], decision="return_for_revision")
    services.review_report(
        report=report, user=users["xietiao"], decision="return_for_revision", note="请补充对接企业名单"
    )
    report = services.file_report(task=task, user=qd, period_key="2015-06", percent=45, text="补充了对接企业名单。")
    assert (
        ProgressReport.objects.filter(task=task, organization=qd.organization).count() == 1
        and report.state == "submitted"
        and report.percent == 45
    )
    moves = list(
        StateTransition.objects.filter(object_id=str(report.pk), content_type__model="progressreport").values_list(
            "transition", "actor_name", "reason"
        )
    )
    assert moves == [
        ("return_for_revision", "xietiao", "请补充对接企业名单"),
        ("resubmit", "city370200", "修改后重新报送"),
    ]


@pytest.mark.parametrize(
    "kwargs,field,text",
    [
        ({"percent": "101"}, "percent", "超出范围"),
        ({"percent": "一半"}, "percent", "不是整数"),
        ({"text": "  "}, "text", "不能为空"),
        ({"period_key": "2015-Q2"}, "period", "按月报送"),
        ({"period_key": "2016-01"}, "period", "2015年度"),
        ({"period_key": "2015-13"}, "period", "无效"),
        ({"figures": "金额：3 亿元\n对接了很多企业"}, "figures", "第2行"),
    ],
)
def test_report_validation(users, task_of, kwargs, field, text):
    args = {"period_key": "2015-06", "percent": 30, "text": "进展。", "figures": ""} | kwargs
    with pytest.raises(InputError) as exc:
        services.file_report(task=task_of(9), user=users["city370200"], **args)
    assert exc.value.field == field and text in exc.value.message


def test_report_refusals(users, task_of):
    services.file_report(task=task_of(9), user=users["city370200"], period_key="2015-06", percent=30, text="进展。")
    with pytest.raises(InputError, match="已报送2015年6月"):
        services.file_report(task=task_of(9), user=users["city370200"], period_key="2015-06", percent=35, text="再报。")
    with pytest.raises(PermissionDenied):
        services.file_report(task=task_of(4), user=users["city370200"], period_key="2015-06", percent=30, text="进展。")
    with pytest.raises(InputError, match="类型.exe"):
        services.file_report(
            task=task_of(9),
            user=users["city370200"],
            period_key="2015-07",
            percent=30,
            text="进展。",
            files=[SimpleUploadedFile("x.exe", b"MZ")],
        )


def test_board_statuses_missing_reports_and_overdue(users, task_of, plan2015):
    xietiao = users["xietiao"]
    m = services.add_milestone(task=task_of(4), user=xietiao, title="专利奖励办法出台", due_date="2015-05-31")
    services.file_report(task=task_of(9), user=xietiao, period_key="2015-05", percent=40, text="贴息办法起草。")
    services.file_report(task=task_of(12), user=xietiao, period_key="2015-05", percent=10, text="调研。")
    services.complete_task(task=task_of(13), user=users["fawu"], reason="纠纷处理办法修订完成")
    data = services.board(plan=plan2015, user=users["bangongshi"], as_of=dt.date(2015, 6, 10))
    rows = {r["task"].number: r for r in data["rows"]}
    assert data["expected"] == 44
    assert rows[4]["health"] == Health.LATE and rows[4]["overdue"] == [m]  # overdue milestone
    assert rows[9]["health"] == Health.ON_TRACK and rows[9]["percent"] == 40
    assert rows[12]["health"] == Health.LATE  # 10% while 44% of the year has passed
    assert rows[13]["health"] == Health.COMPLETED and rows[13]["missing"] == []
    assert rows[32]["health"] == Health.NOT_STARTED
    # task 9 names "各有关市知识产权局": the 17 cities were not narrowed in the preview, so they are unconfirmed and not counted
    assert rows[9]["due"].key == "2015-05" and rows[9]["missing"] == [] and len(rows[9]["unconfirmed"]) == 17
    assert data["counts"] == {Health.ON_TRACK: 1, Health.LATE: 2, Health.NOT_STARTED: 32, Health.COMPLETED: 1}
    unconfirmed_open = sum(len(r["unconfirmed"]) for r in data["rows"] if r["task"].number != 13)
    assert data["unconfirmed_total"] == sum(len(r["unconfirmed"]) for r in data["rows"]) > 0
    # every confirmed unit of every open task (task 13 is done) less the two May reports
    assert len(data["missing"]) == 385 - 1 - 2 - unconfirmed_open
    unit = next(u for u in data["units"] if u["org"].name == "协调管理处")
    assert (unit["lead"], unit[Health.LATE], unit[Health.ON_TRACK]) == (5, 2, 1)
    services.finish_milestone(milestone=m, user=xietiao, done_on="2015-06-05")
    rows = {
        r["task"].number: r
        for r in services.board(plan=plan2015, user=users["leader"], as_of=dt.date(2015, 6, 10))["rows"]
    }
    assert rows[4]["health"] == Health.ON_TRACK and rows[4]["overdue"] == []
    # a city bureau's board holds only its tasks
    assert len(services.board(plan=plan2015, user=users["city370200"], as_of=dt.date(2015, 6, 10))["rows"]) == 16


def test_reminder_must_be_acknowledged(users, task_of):
    task = task_of(7)
    with pytest.raises(PermissionDenied):
        services.send_reminder(
            task=task, by=users["city370200"], organization_ids=[users["city370100"].organization_id], message="请报送"
        )
    [r] = services.send_reminder(
        task=task,
        by=users["bangongshi"],
        organization_ids=[users["city370100"].organization_id, users["haier"].organization_id],
        message="请报送推进计划落实进展",
        reply_by="2015-07-15",
    )
    assert r.organization.name == "济南市知识产权局"  # 海尔 is not a unit of the task and is ignored
    note = users["city370100"].notifications.get(kind="督办")
    assert note.url == f"/workplan/reminders/{r.pk}/" and "2015-07-15" in note.body
    with pytest.raises(PermissionDenied):
        services.acknowledge_reminder(reminder=r, user=users["city370200"], response="收到")
    with pytest.raises(InputError, match="签收答复"):
        services.acknowledge_reminder(reminder=r, user=users["city370100"], response="")
    services.acknowledge_reminder(reminder=r, user=users["city370100"], response="已部署，7月10日前报送")
    r = Reminder.objects.get(pk=r.pk)
    assert r.state == "acknowledged" and r.acknowledged_by == users["city370100"] and r.acknowledged_at is not None
    st = StateTransition.objects.get(object_id=str(r.pk), content_type__model="reminder")
    assert (st.source, st.target, st.actor_name, st.reason) == (
        "sent",
        "acknowledged",
        "city370100",
        "已部署，7月10日前报送",
    )
    assert users["bangongshi"].notifications.filter(title="济南市知识产权局已签收督办").exists()


def test_milestone_rules(users, task_of):
    with pytest.raises(InputError, match="不是有效日期"):
        services.add_milestone(task=task_of(4), user=users["xietiao"], title="节点", due_date="2015/13/01")
    with pytest.raises(InputError, match="不能为空"):
        services.add_milestone(task=task_of(4), user=users["xietiao"], title=" ", due_date="2015-06-01")
    with pytest.raises(PermissionDenied):
        services.add_milestone(task=task_of(4), user=users["fawu"], title="节点", due_date="2015-06-01")
    m = services.add_milestone(task=task_of(4), user=users["xietiao"], title="节点", due_date="2015-06-01")
    with pytest.raises(PermissionDenied):
        services.finish_milestone(milestone=m, user=users["fawu"])


def test_a_unit_that_filed_nothing_can_be_removed(users, task_of):
    task = task_of(6)  # 各有关市知识产权局: the administrator narrows the cities
    services.remove_assignment(
        assignment=task.assignments.get(organization__name="济南市知识产权局"), user=users["admin"]
    )
    assert task.assignments.count() == 17


def test_a_unit_cannot_be_added_twice(users, task_of):
    with pytest.raises(InputError, match="已是该任务的责任单位"):
        services.add_assignment(
            task=task_of(6), user=users["admin"], organization_id=users["city370200"].organization_id
        )


def test_a_new_lead_unit_takes_the_lead(users, task_of):
    task = task_of(6)
    services.add_assignment(task=task, user=users["admin"], organization_id=users["fawu"].organization_id, role="lead")
    assert task.assignments.get(role="lead").organization.name == "法律事务处"
    assert task.assignments.get(organization__name="国际合作处").role == "coop"


def test_a_unit_that_reported_cannot_be_removed(users, task_of):
    task = task_of(6)
    services.file_report(task=task, user=users["city370200"], period_key="2015-03", percent=10, text="进展。")
    with pytest.raises(InputError, match="已报送进展"):
        services.remove_assignment(
            assignment=task.assignments.get(organization__name="青岛市知识产权局"), user=users["admin"]
        )


def test_board_workbook_and_summary(users, task_of, plan2015):
    services.file_report(
        task=task_of(9),
        user=users["xietiao"],
        period_key="2015-06",
        percent=45,
        text="风险补偿资金设立。",
        figures="质押融资金额：7.6 亿元",
    )
    services.file_report(
        task=task_of(9), user=users["city370200"], period_key="2015-06", percent=50, text="青岛银企对接会。"
    )
    services.send_reminder(
        task=task_of(7),
        by=users["bangongshi"],
        organization_ids=[users["city370100"].organization_id],
        message="请报送",
    )
    wb = load_workbook(
        io.BytesIO(documents.board_workbook(plan=plan2015, user=users["bangongshi"], as_of=dt.date(2015, 7, 10)))
    )
    assert wb.sheetnames == ["任务督导", "单位督导", "未报送", "逾期节点", "督办", "年度目标"]
    tasks = list(wb["任务督导"].iter_rows(min_row=3, values_only=True))
    assert len(tasks) == 36 and tasks[8][:4] == (
        9,
        "二、促进知识产权运用,助推产业结构调整升级",
        "深入推动科技型小微企业知识产权质押融资工作",
        "协调管理处",
    )
    # task 9's cities come from "各有关市知识产权局", not narrowed: unconfirmed, so no city is listed as missing
    assert tasks[8][6] == 45 and tasks[8][9] == "2015年6月" and not tasks[8][10]
    assert [r[0] for r in wb["年度目标"].iter_rows(min_row=2, values_only=True) if r[0] and r[0] != "指标"] == [
        "发明专利申请量增长",
        "发明专利授权量增长",
        "万人有效发明专利拥有量",
    ]
    assert len(list(wb["督办"].iter_rows(min_row=2, values_only=True))) == 1
    doc = Document(io.BytesIO(documents.summary_document(plan=plan2015, user=users["bangongshi"], kind="half")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2015年全省知识产权工作要点上半年落实情况" in text
    assert "协调管理处（2015-06，45%）：风险补偿资金设立。 主要数据：质押融资金额7.6亿元。" in text
    assert "青岛市知识产权局（2015-06，50%）：青岛银企对接会。" in text
    assert "共6个部分、36项任务" in text
    with pytest.raises(InputError):
        documents.summary_document(plan=plan2015, user=users["bangongshi"], kind="quarter")


def test_targets_keep_their_values_when_the_statistics_service_fails(monkeypatch, plan2015):
    from ipplatform.analytics import services as analytics

    def broken(*, year, city_code=None):
        raise RuntimeError("statistics tables being rebuilt")

    monkeypatch.setattr(analytics, "target_status", broken)
    targets, note = services.targets_with_measurements(plan2015)
    assert note == "统计服务暂时不可用：仅显示目标值"
    assert [(t["label"], float(t["target"]), t["value"]) for t in targets] == [
        ("发明专利申请量增长", 15.0, None),
        ("发明专利授权量增长", 15.0, None),
        ("万人有效发明专利拥有量", 5.0, None),
    ]


def test_targets_with_statistics_service(monkeypatch, plan2015):
    from ipplatform.analytics import services as analytics

    monkeypatch.setattr(
        analytics,
        "target_status",
        lambda *, year, city_code=None: [
            {
                "key": "valid_invention_per_10k",
                "label": "万人有效发明专利拥有量",
                "target": 5,
                "value": 4.21,
                "unit": "件",
                "status": "behind",
                "basis": f"{year}年末",
            }
        ],
        raising=False,
    )
    targets, note = services.targets_with_measurements(plan2015)
    assert (
        note == ""
        and targets[2]["value"] == 4.21
        and targets[2]["status_label"] == "落后"
        and targets[2]["basis"] == "2015年末"
    )
    assert targets[0]["value"] is None


def test_live_figures_quote_the_linked_apps_statistics(users):
    from ipplatform.workplan import links

    rows = links.live_figures(["finance_pledge", "protection", "search"], year=2015, user=users["city370200"])
    labels = [(r["source"], r["label"], r["value"]) for r in rows]
    assert ("质押融资登记统计", "2015年全省专利权质押登记", 0) in labels and (
        "质押融资登记统计",
        "2015年青岛市质押登记",
        0,
    ) in labels
    assert ("维权援助与执法案件统计", "2015年受理案件（本人可见范围）", 0) in labels


def test_live_figures_leave_out_a_part_whose_statistics_fail(users, monkeypatch):
    from ipplatform.workplan import links

    def broken(**kwargs):
        raise RuntimeError("finance changed")

    monkeypatch.setitem(links.ADAPTERS, "finance_pledge", broken)
    rows = links.live_figures(["finance_pledge", "protection"], year=2015, user=users["fawu"])
    assert [r["source"] for r in rows] == ["维权援助与执法案件统计"]


def test_reporting_frequency_change(users, task_of):
    task = task_of(4)
    with pytest.raises(PermissionDenied):
        services.set_frequency(task=task, user=users["xietiao"], frequency="quarterly")
    services.set_frequency(task=task, user=users["bangongshi"], frequency="quarterly")
    report = services.file_report(
        task=task, user=users["xietiao"], period_key="2015-Q2", percent=50, text="征求意见完成。"
    )
    assert (report.period_start, report.period_end) == (dt.date(2015, 4, 1), dt.date(2015, 6, 30))
    with pytest.raises(InputError, match="已有按季度报送的进展报告"):
        services.set_frequency(task=task, user=users["bangongshi"], frequency="monthly")


def test_remind_all_missing_units(users, task_of, plan2015):
    services.file_report(
        task=task_of(9), user=users["xietiao"], period_key="2015-05", percent=40, text="贴息办法起草。"
    )
    with pytest.raises(PermissionDenied):
        services.remind_missing(plan=plan2015, by=users["guihua"], as_of=dt.date(2015, 6, 10))
    n = services.remind_missing(
        plan=plan2015, by=users["bangongshi"], as_of=dt.date(2015, 6, 10), reply_by="2015-06-20"
    )
    confirmed = Assignment.objects.filter(task__plan=plan2015, confirmed=True).count()
    assert confirmed == 385 - 111  # 111 units came from "各有关…" collectives and were not confirmed
    assert n == confirmed - 1 and Reminder.objects.count() == confirmed - 1
    qd = Reminder.objects.filter(organization=users["city370200"].organization)
    qd_confirmed = Assignment.objects.filter(
        task__plan=plan2015, organization=users["city370200"].organization, confirmed=True
    ).count()
    assert qd.count() == qd_confirmed < 16 and "2015年5月" in qd.first().message
    [note] = users["city370200"].notifications.filter(kind="督办")
    assert note.title == "督办：10项任务未按期报送进展" and "2015-06-20" in note.body
    assert (
        services.remind_missing(plan=plan2015, by=users["bangongshi"], as_of=dt.date(2015, 6, 10)) == 0
    )  # open ones are not repeated


def test_preview_narrows_relevant_collectives(users):
    """“各有关市知识产权局” of task 9 narrowed to 济南 and 青岛 in the preview: two confirmed assignments, counted on the board."""
    from ipplatform.core.models import Organization
    from ipplatform.workplan.models import Assignment

    admin = users["admin"]
    imp = services.stage_builtin(user=admin)
    view = services.preview(imp)
    task9 = next(t for s in view["sections"] for t in s["tasks"] if t["number"] == 9)
    assert task9["unconfirmed_count"] == 17 and view["unconfirmed_count"] >= 17
    choice = task9["narrow_choices"][0]
    assert choice["via"] == "各有关市知识产权局" and len(choice["members"]) == 17
    jinan, qingdao = (Organization.objects.get(kind="city_bureau", region_code=c) for c in ("370100", "370200"))
    services.narrow_collective(
        imp=imp, task_number=9, via="各有关市知识产权局", organization_ids=[jinan.pk, str(qingdao.pk)], by=admin
    )
    imp = type(imp).objects.get(pk=imp.pk)
    task9 = next(t for s in services.preview(imp)["sections"] for t in s["tasks"] if t["number"] == 9)
    assert task9["unconfirmed_count"] == 0 and task9["collective_count"] == 2
    with pytest.raises(InputError, match="不属于"):
        services.narrow_collective(
            imp=imp,
            task_number=9,
            via="各有关市知识产权局",
            organization_ids=[users["xietiao"].organization_id],
            by=admin,
        )
    with pytest.raises(InputError, match="没有"):
        services.narrow_collective(imp=imp, task_number=9, via="各市知识产权局", organization_ids=[], by=admin)
    plan = services.commit_import(imp=imp, by=admin)
    t9 = plan.tasks.get(number=9)
    assert set(t9.assignments.filter(via__startswith="各有关").values_list("organization__region_code", flat=True)) == {
        "370100",
        "370200",
    }
    assert all(a.confirmed for a in Assignment.objects.filter(task=t9))
    data = services.board(plan=plan, user=users["bangongshi"], as_of=dt.date(2015, 6, 10))
    row9 = next(r for r in data["rows"] if r["task"].number == 9)
    assert {a.organization.region_code for a in row9["missing"] if a.organization.region_code.startswith("37")} >= {
        "370100",
        "370200",
    }
    # on the task page an administrator confirms the remaining units of another task's group
    other = next(t for t in plan.tasks.all() if t.assignments.filter(confirmed=False).exists())
    via = other.assignments.filter(confirmed=False).first().via
    assert services.confirm_collective(task=other, user=admin, via=via) > 0
    assert not other.assignments.filter(via=via, confirmed=False).exists()
