"""Importing plans from text, Word and Excel: preview, unit resolution, commit."""

import io

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import Workbook

from ipplatform.core.enums import OrgKind
from ipplatform.core.inputs import InputError
from ipplatform.core.models import AuditEvent, Organization, StateTransition
from ipplatform.workplan import services
from ipplatform.workplan.enums import UnitRole
from ipplatform.workplan.models import Assignment, Plan, PlanImport, UnitAlias

pytestmark = pytest.mark.django_db

DEPARTMENT_COUNT = 10
CITY_COUNT = 17


def units_of(task):
    lead = [a.organization.name for a in task.assignments.filter(role=UnitRole.LEAD)]
    coop = [a.organization.name for a in task.assignments.filter(role=UnitRole.COOP).select_related("organization")]
    return lead, coop


def test_builtin_2015_preview_and_commit(users):
    imp = services.stage_builtin(user=users["admin"])
    view = services.preview(imp)
    assert (
        view["section_count"],
        view["task_count"],
        view["assignment_count"],
        view["unresolved"],
        view["warnings"],
    ) == (6, 36, 385, [], [])
    assert not Plan.objects.exists()  # nothing before the preview is confirmed
    plan = services.commit_import(imp=imp, by=users["admin"])
    assert plan.year == 2015 and plan.sections.count() == 6 and plan.tasks.count() == 36
    assert Assignment.objects.filter(task__plan=plan).count() == 385
    assert Assignment.objects.filter(task__plan=plan, role=UnitRole.LEAD).count() == 36
    assert not Assignment.objects.filter(task__plan=plan, organization__isnull=True).exists()
    assert [(t.key, float(t.target)) for t in plan.targets.all()] == [
        ("invention_applications_growth", 15.0),
        ("invention_grants_growth", 15.0),
        ("valid_invention_per_10k", 5.0),
    ]
    imp = PlanImport.objects.get(pk=imp.pk)
    assert imp.state == "committed" and imp.plan == plan
    st = StateTransition.objects.get(object_id=str(imp.pk), transition="commit")
    assert st.actor_name == "admin" and "36项任务" in st.reason
    assert AuditEvent.objects.filter(
        action="import", object_id=str(plan.pk), reason__contains="385个责任单位分工"
    ).exists()
    assert users["guihua"].notifications.filter(title="2015年工作要点已下达").exists()


def test_units_of_spot_checked_tasks(plan2015):
    t = {n: plan2015.tasks.get(number=n) for n in (1, 4, 6, 8, 19, 25, 31, 36)}
    lead, coop = units_of(t[1])  # 国际合作处及各处室、单位,各市知识产权局
    assert lead == ["国际合作处"] and len(coop) == DEPARTMENT_COUNT - 1 + CITY_COUNT and "国际合作处" not in coop
    assert "办公室" in coop and "莱芜市知识产权局" in coop and "菏泽市知识产权局" in coop
    assert units_of(t[4]) == (["协调管理处"], [])
    lead, coop = units_of(t[6])  # 各有关市知识产权局: all cities until the administrator narrows them
    assert (
        lead == ["国际合作处"]
        and len(coop) == CITY_COUNT
        and {a.via for a in t[6].assignments.filter(role=UnitRole.COOP)} == {"各有关市知识产权局"}
    )
    lead, coop = units_of(t[8])
    assert lead == ["规划发展处"] and coop[:2] == ["协调管理处", "企业办"] and len(coop) == 2 + CITY_COUNT
    assert units_of(t[19]) == (["办公室"], ["法律事务处", "专利代办处", "青岛市知识产权局"])
    assert units_of(t[25]) == (["企业办"], ["专利信息服务中心", "鉴定中心", "烟台市知识产权局"])
    lead, coop = units_of(t[31])
    assert lead == ["机关党委"] and coop[0] == "菏泽市知识产权局" and len(coop) == 1 + DEPARTMENT_COUNT - 1
    assert units_of(t[36]) == (["办公室"], ["机关党委"])
    assert t[19].assignments.get(organization__name="青岛市知识产权局").organization.kind == OrgKind.CITY_BUREAU


def test_links_to_platform_parts(plan2015):
    links = {t.number: t.links for t in plan2015.tasks.all()}
    assert "finance_pledge" in links[9] and "protection" in links[14] and "protection" in links[16]
    assert "search" in links[20] and "navigation" in links[10] and links[32] == []


PLAN_WITH_UNKNOWN = """总体要求。
一、第一部分
——任务一。内容一。(规划发展处、山东省知识产权研究会,各有关市知识产权局)
——任务二。内容二。(知识产权发展研究院)
——任务三。内容三。
"""


def test_unknown_units_are_listed_resolved_or_kept(users):
    admin = users["admin"]
    imp = services.stage_import(user=admin, year=2016, name="2016.txt", data=PLAN_WITH_UNKNOWN.encode())
    view = services.preview(imp)
    assert view["unresolved"] == [
        {"name": "山东省知识产权研究会", "tasks": [1]},
        {"name": "知识产权发展研究院", "tasks": [2]},
    ]
    assert any("第5行" in w and "没有责任单位括号" in w for w in view["warnings"])
    services.resolve_unit(
        imp=imp, name="山东省知识产权研究会", by=admin, organization_id=Organization.objects.get(name="协调管理处").pk
    )
    view = services.preview(imp)
    assert [u["name"] for u in view["unresolved"]] == ["知识产权发展研究院"]
    with pytest.raises(InputError) as exc:
        services.resolve_unit(imp=imp, name="不存在的单位", by=admin, organization_id=1)
    assert exc.value.field == "name"
    plan = services.commit_import(imp=imp, by=admin)
    t1, t2, t3 = plan.tasks.order_by("number")
    assert units_of(t1)[0] == ["规划发展处"] and "协调管理处" in units_of(t1)[1]
    kept = t2.assignments.get()
    assert (
        kept.organization is None and kept.unit_name == "知识产权发展研究院" and kept.role == UnitRole.LEAD
    )  # never dropped
    assert t3.assignments.count() == 0
    assert UnitAlias.objects.get(name="山东省知识产权研究会").organization.name == "协调管理处"
    # resolved after import by creating the unit in the admin and mapping it; the alias serves next year's import
    new_org = Organization.objects.create(name="山东省知识产权发展研究院", kind=OrgKind.OTHER, region_code="370000")
    services.map_assignment(assignment=kept, user=admin, organization_id=new_org.pk)
    assert services.match_unit("知识产权发展研究院") == new_org


def test_create_organisation_for_unknown_unit(users):
    admin = users["admin"]
    imp = services.stage_import(user=admin, year=2016, name="2016.txt", data=PLAN_WITH_UNKNOWN.encode())
    org = services.resolve_unit(
        imp=imp, name="知识产权发展研究院", by=admin, create_kind=OrgKind.DEPARTMENT, create_name="知识产权发展研究院"
    )
    assert org.kind == OrgKind.DEPARTMENT and org.parent.name == "山东省知识产权局"
    assert "知识产权发展研究院" not in [u["name"] for u in services.preview(imp)["unresolved"]]


def test_name_variants_match(orgs):
    assert services.match_unit("青岛市局").name == "青岛市知识产权局"
    assert services.match_unit("山东省知识产权局办公室").name == "办公室"
    assert services.match_unit("烟台知识产权局").name == "烟台市知识产权局"
    assert services.match_unit("知识产权研究会") is None


def test_bad_input_is_refused_with_place(users, plan2015):
    admin = users["admin"]
    with pytest.raises(InputError, match="2015年工作要点已导入"):
        services.stage_builtin(user=admin)
    with pytest.raises(InputError, match="不是有效年份"):
        services.stage_import(user=admin, year="二〇一六", name="a.txt", data=b"x")
    with pytest.raises(InputError, match="不支持的文件格式“.pdf”"):
        services.stage_import(user=admin, year=2016, name="a.pdf", data=b"%PDF")
    with pytest.raises(InputError) as exc:
        services.stage_import(user=admin, year=2016, name="a.txt", data="前言\n——任务。(办公室)\n一、部分\n".encode())
    assert exc.value.line == 2 and "a.txt" in exc.value.message
    with pytest.raises(InputError, match="无法读取Word文件"):
        services.stage_import(user=admin, year=2016, name="a.docx", data=b"not a zip")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.stage_import(user=users["guihua"], year=2016, name="a.txt", data=PLAN_WITH_UNKNOWN.encode())


def test_gb18030_text(users):
    imp = services.stage_import(
        user=users["admin"], year=2016, name="gbk.txt", data=PLAN_WITH_UNKNOWN.encode("gb18030")
    )
    assert services.preview(imp)["task_count"] == 3


def test_word_import(users):
    doc = Document()
    for line in services.BUILTIN_PLAN.read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    imp = services.stage_import(
        user=users["admin"], year=2016, title="2016年工作要点", name="2016年工作要点.docx", data=buf.getvalue()
    )
    view = services.preview(imp)
    assert imp.source_kind == "docx" and (view["section_count"], view["task_count"], view["assignment_count"]) == (
        6,
        36,
        385,
    )
    plan = services.commit_import(imp=imp, by=users["admin"])
    assert units_of(plan.tasks.get(number=25)) == (["企业办"], ["专利信息服务中心", "鉴定中心", "烟台市知识产权局"])


def xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_import_and_template(users):
    data = xlsx(
        [
            ["2016年工作要点"],
            ["部分", "任务", "工作内容", "责任单位"],
            ["总体要求", "", "实现全省发明专利申请量和授权量增长12%以上。", ""],
            ["一、强化宏观筹划", "积极推进省部合作会商", "召开省部合作会商工作会议。", "办公室及各处室、单位"],
            ["一、强化宏观筹划", "做好试点示范工作", "推进试点示范城市建设。", "协调管理处,各市知识产权局"],
            ["二、促进运用", "推动质押融资", "设立风险补偿资金。", "（协调管理处，青岛市知识产权局、某某研究所）"],
        ]
    )
    imp = services.stage_import(user=users["admin"], year=2016, name="plan.xlsx", data=data, frequency="quarterly")
    view = services.preview(imp)
    assert (view["section_count"], view["task_count"]) == (2, 3)
    assert view["assignment_count"] == DEPARTMENT_COUNT + (1 + CITY_COUNT) + 3
    assert view["unresolved"] == [{"name": "某某研究所", "tasks": [3]}]
    assert view["sections"][1]["tasks"][0]["line"] == 6  # the spreadsheet row
    assert view["targets"][0]["target"] == 12.0
    plan = services.commit_import(imp=imp, by=users["admin"])
    assert plan.frequency == "quarterly" and plan.tasks.get(number=3).frequency == "quarterly"
    # the template round-trips through the importer
    imp2 = services.stage_import(user=users["admin"], year=2017, name="template.xlsx", data=services.excel_template())
    assert services.preview(imp2)["task_count"] == 2
    with pytest.raises(InputError) as exc:
        services.stage_import(
            user=users["admin"], year=2018, name="bad.xlsx", data=xlsx([["标题", "说明"], ["a", "b"]])
        )
    assert "表头不正确" in exc.value.message


def test_cancel_preview_is_recorded(users):
    imp = services.stage_import(user=users["admin"], year=2016, name="2016.txt", data=PLAN_WITH_UNKNOWN.encode())
    services.cancel_import(imp=imp, by=users["admin"], reason="文件有误")
    assert PlanImport.objects.get(pk=imp.pk).state == "cancelled"
    assert StateTransition.objects.get(object_id=str(imp.pk), transition="cancel").reason == "文件有误"
    with pytest.raises(InputError):
        services.resolve_unit(
            imp=PlanImport.objects.get(pk=imp.pk), name="知识产权发展研究院", by=users["admin"], organization_id=1
        )


def test_command_previews_and_commits(users, capsys):
    call_command("import_workplan")
    out = capsys.readouterr().out
    assert "6个部分，36项任务，385个责任单位分工" in out and "仅预览" in out and not Plan.objects.exists()
    call_command("import_workplan", "--commit")
    assert Plan.objects.get(year=2015).tasks.count() == 36


def test_demo_is_idempotent(users):
    from ipplatform.workplan import demo
    from ipplatform.workplan.models import Milestone, ProgressReport, Reminder

    demo.load()
    demo.load()
    plan = Plan.objects.get(year=2015)
    assert plan.tasks.count() == 36 and PlanImport.objects.count() == 1
    assert ProgressReport.objects.filter(task__plan=plan).count() == 7
    assert (
        Milestone.objects.filter(task__plan=plan).count() == 4 and Milestone.objects.filter(state="done").count() == 1
    )
    assert Reminder.objects.get().organization.name == "济南市知识产权局"
    assert ProgressReport.objects.get(task__number=9, organization__name="青岛市知识产权局").submitted_at.year == 2015
