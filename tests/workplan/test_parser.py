"""The plan parser on every task of the 2015 document and on malformed input."""

from pathlib import Path

import pytest

from ipplatform.workplan import parser
from ipplatform.workplan.parser import ALL_CITIES, ALL_DEPARTMENTS, NAMED, RELEVANT_CITIES, RELEVANT_DEPARTMENTS

PLAN_2015 = Path(__file__).resolve().parents[2] / "data" / "workplan" / "shandong_2015_work_plan.txt"

# Every task of the 2015 plan, checked by hand against the document: (number, lead sentence start, bracket as parsed:
# named units in order, lead first, then the collective phrases).
EXPECTED_2015 = [
    (1, "做好《深入实施国家知识产权战略行动计划", ["国际合作处"], ["各处室、单位", "各市知识产权局"]),
    (2, "积极推进省部合作会商", ["办公室"], ["各处室、单位"]),
    (3, "制定出台《山东省专利事业“十三五”发展规划》", ["规划发展处"], ["各处室、单位", "各市知识产权局"]),
    (4, "发挥奖励政策的激励作用", ["协调管理处"], []),
    (5, "制定出台《山东省知识产权服务业发展规划", ["规划发展处"], ["各有关处室、单位", "各市知识产权局"]),
    (6, "深入推进区域知识产权战略实施", ["国际合作处"], ["各有关市知识产权局"]),
    (7, "扎实推进《山东省专利事业发展战略推进计划》的制定和落实", ["协调管理处"], ["各市知识产权局"]),
    (8, "深入推动企事业单位知识产权优势培育工作", ["规划发展处", "协调管理处", "企业办"], ["各市知识产权局"]),
    (9, "深入推动科技型小微企业知识产权质押融资工作", ["协调管理处"], ["各有关市知识产权局"]),
    (
        10,
        "实施专利导航重点产业发展工程",
        ["规划发展处", "企业办", "鉴定中心", "专利信息服务中心"],
        ["各有关市知识产权局"],
    ),
    (11, "开展知识产权运营服务工作", ["规划发展处"], ["各有关市知识产权局"]),
    (12, "推进培育专利技术市场", ["协调管理处"], []),
    (13, "继续完善知识产权法规体系建设", ["法律事务处"], []),
    (14, "强化专利行政执法工作", ["法律事务处", "鉴定中心"], ["各有关市知识产权局"]),
    (15, "建立重点产业知识产权保护联盟", ["法律事务处"], []),
    (16, "深入开展知识产权维权援助", ["法律事务处", "国际合作处", "鉴定中心"], []),
    (17, "完善专利执法协作机制", ["法律事务处"], []),
    (18, "探索建立知识产权管理新机制", ["办公室", "法律事务处", "规划发展处"], ["各地市知识产权局"]),
    (19, "创新知识产权服务业发展模式", ["办公室", "法律事务处", "专利代办处", "青岛市知识产权局"], []),
    (20, "建设全省知识产权公共服务综合平台", ["规划发展处", "专利信息服务中心", "鉴定中心"], ["各有关市知识产权局"]),
    (21, "积极开展专利信息服务", ["专利信息服务中心", "鉴定中心"], []),
    (22, "做好试点示范工作", ["协调管理处"], ["各市知识产权局"]),
    (23, "提高专项资金的管理和运用效能", ["规划发展处", "专利代办处"], []),
    (24, "增强专利代理服务能力", ["国际合作处"], []),
    (25, "深入推动知识产权优势企业培育工作", ["企业办", "专利信息服务中心", "鉴定中心", "烟台市知识产权局"], []),
    (26, "推动知识产权交流与合作", ["国际合作处"], []),
    (27, "继续加大知识产权宣传教育力度", ["办公室"], []),
    (28, "继续做好知识产权培训工作", ["办公室"], ["各处室、单位", "各市知识产权局"]),
    (29, "推动知识产权人才工作", ["办公室"], []),
    (30, "推动知识产权文化建设", ["机关党委"], ["各市知识产权局"]),
    (31, "做好第一书记抓促脱贫工作", ["机关党委", "菏泽市知识产权局"], ["各处室、单位"]),
    (32, "强化新形势下党的组织建设", ["机关党委"], []),
    (33, "切实做好精神文明创建活动", ["机关党委"], []),
    (34, "严格落实廉政建设责任制", ["机关党委"], ["各处室、单位"]),
    (35, "持续深入改进工作作风", ["机关党委"], ["各处室、单位"]),
    (36, "加强法治建设", ["办公室", "机关党委"], []),
]


@pytest.fixture(scope="module")
def plan():
    return parser.parse_plan(PLAN_2015.read_text(encoding="utf-8"))


def test_2015_plan_has_six_sections_and_36_tasks(plan):
    assert [s.numeral for s in plan.sections] == ["一", "二", "三", "四", "五", "六"]
    assert [len(s.tasks) for s in plan.sections] == [7, 5, 5, 9, 4, 6]
    assert len(plan.tasks) == 36
    assert plan.warnings == []
    assert plan.sections[5].title == "强化知识产权系统政风行风和法治建设,营造全系统良好的发展环境"
    assert plan.preamble.startswith("2015年是全面完成“十二五”发展规划的收官之年")


@pytest.mark.parametrize("number,lead_start,named,collective", EXPECTED_2015)
def test_every_2015_task_with_its_units(plan, number, lead_start, named, collective):
    task = plan.tasks[number - 1]
    assert task.number == number
    assert task.lead.startswith(lead_start)
    assert "。" not in task.lead and task.body and not task.body.endswith(")")
    assert task.warnings == []
    assert [u.text for u in task.units if u.kind == NAMED] == named
    assert [u.text for u in task.units if u.kind != NAMED] == collective
    assert task.units[0].lead and task.units[0].text == named[0]
    assert not any(u.lead for u in task.units[1:])


def test_dash_alone_on_its_line_takes_the_next_line(plan):
    navigation, platform = plan.tasks[9], plan.tasks[19]
    assert (navigation.line, navigation.lead) == (13, "实施专利导航重点产业发展工程")
    assert navigation.body.startswith("启动建设专利导航研究院")
    assert (platform.line, platform.lead) == (26, "建设全省知识产权公共服务综合平台")
    assert plan.sections[1].tasks[3].lead == "开展知识产权运营服务工作"  # the task after it is not swallowed


def test_brackets_inside_the_body_are_not_the_units(plan):
    operations = plan.tasks[10]
    assert "政府与社会资本合作(PPP)" in operations.body
    assert operations.units_text == "规划发展处,各有关市知识产权局"


def test_collective_kinds():
    refs = parser.parse_units("规划发展处及各有关处室、单位，各市知识产权局；各有关市知识产权局、各地市知识产权局")
    assert [(r.text, r.kind) for r in refs] == [
        ("规划发展处", NAMED),
        ("各有关处室、单位", RELEVANT_DEPARTMENTS),
        ("各市知识产权局", ALL_CITIES),
        ("各有关市知识产权局", RELEVANT_CITIES),
        ("各地市知识产权局", ALL_CITIES),
    ]
    assert [(r.text, r.kind) for r in parser.parse_units("机关党委及各处室、单位")] == [
        ("机关党委", NAMED),
        ("各处室、单位", ALL_DEPARTMENTS),
    ]


def test_unknown_unit_is_kept_as_named():
    refs = parser.parse_units("规划发展处、知识产权发展研究中心")
    assert [(r.text, r.kind, r.lead) for r in refs] == [
        ("规划发展处", NAMED, True),
        ("知识产权发展研究中心", NAMED, False),
    ]


MALFORMED = """前言。实现全省发明专利申请量和授权量增长20%以上,力争万人有效发明专利拥有量达到6.5件。
一、第一部分
——没有括号的任务。内容写完了但没有责任单位。
——括号为空的任务。内容。()
——统称打头的任务。内容。(各市知识产权局)
——有未知单位的任务。内容。(规划发展处、山东省知识产权研究会)
这一段不以破折号开头。(办公室)
三、序号跳了
——全角括号任务。内容。（法律事务处，青岛市知识产权局）
"""


def test_malformed_lines_get_warnings_with_line_numbers():
    plan = parser.parse_plan(MALFORMED)
    tasks = plan.tasks
    assert len(tasks) == 6
    assert tasks[0].units == [] and "第3行" in tasks[0].warnings[0] and "没有责任单位括号" in tasks[0].warnings[0]
    assert tasks[1].units == [] and "第4行" in tasks[1].warnings[0] and "括号为空" in tasks[1].warnings[0]
    assert tasks[2].units[0].kind == ALL_CITIES and "未明确牵头单位" in tasks[2].warnings[0]
    assert [u.text for u in tasks[3].units] == ["规划发展处", "山东省知识产权研究会"] and tasks[3].warnings == []
    assert tasks[4].lead == "这一段不以破折号开头" and any("第7行" in w and "新任务" in w for w in plan.warnings)
    assert any("第8行" in w and "应为第2部分" in w for w in plan.warnings)
    assert [u.text for u in tasks[5].units] == ["法律事务处", "青岛市知识产权局"]
    assert parser.parse_targets(plan.preamble)[0]["target"] == 20.0
    assert parser.parse_targets(plan.preamble)[2] == {
        "key": "valid_invention_per_10k",
        "label": "万人有效发明专利拥有量",
        "target": 6.5,
        "unit": "件",
        "text": "力争万人有效发明专利拥有量达到6.5件",
    }


@pytest.mark.parametrize(
    "text,message,line",
    [
        ("", "文件内容为空", None),
        ("只有一段话，没有部分标题。", "未识别到任何部分标题", None),
        ("——任务在标题之前。(办公室)\n一、部分\n", "第1行：任务出现在第一个部分标题", 1),
        ("总体要求\n一、部分\n二、部分\n", "未识别到任何任务", None),
    ],
)
def test_unreadable_plans_raise_with_place(text, message, line):
    with pytest.raises(parser.PlanParseError) as exc:
        parser.parse_plan(text)
    assert message in exc.value.message and exc.value.line == line


def test_targets_of_2015(plan):
    assert [(t["key"], t["target"], t["unit"]) for t in parser.parse_targets(plan.preamble)] == [
        ("invention_applications_growth", 15.0, "%"),
        ("invention_grants_growth", 15.0, "%"),
        ("valid_invention_per_10k", 5.0, "件"),
    ]


def test_helpers():
    assert [parser.chinese_number(n) for n in ("一", "六", "十", "十二", "二十")] == [1, 6, 10, 12, 20]
    assert parser.split_trailing_bracket("甲(乙(丙)丁)") == ("甲", "乙(丙)丁")
    assert parser.split_trailing_bracket("没有括号。") == ("没有括号。", None)


def test_spreadsheet_rows_parse():
    rows = [
        (2, ["总体要求", "", "实现全省发明专利申请量和授权量增长15%以上", ""]),
        (3, ["一、第一部分", "任务甲", "内容甲。", "办公室及各处室、单位"]),
        (4, ["", "任务乙", "内容乙。", "（协调管理处，各市知识产权局）"]),
        (5, ["二、第二部分", "", "", ""]),
        (6, ["二、第二部分", "任务丙", "内容丙。", ""]),
    ]
    plan = parser.parse_rows(rows)
    assert [len(s.tasks) for s in plan.sections] == [2, 1]
    assert plan.tasks[1].line == 4 and [u.text for u in plan.tasks[1].units] == ["协调管理处", "各市知识产权局"]
    assert "第6行" in plan.tasks[2].warnings[0] and any("第5行" in w for w in plan.warnings)
    with pytest.raises(parser.PlanParseError) as exc:
        parser.parse_rows([(2, ["", "任务", "内容", "办公室"])])
    assert exc.value.line == 2
