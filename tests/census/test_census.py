"""IP census: a round sent to three real-or-demo enterprises (青岛 海尔, 济南 齐鲁, 莱芜 钢城 → 济南 today), online answers with
validation, the Excel template and import with row-level errors, reminders, completion per city, results and exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from ipplatform.census import services
from ipplatform.census.models import CensusResponse
from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history

GOOD = {
    "industry": "C 制造业",
    "size": "大型",
    "employees": "1200",
    "rd_staff": "300",
    "revenue": "52000.5",
    "rd_spend": "2100",
    "inv_apps": "85",
    "inv_grants": "40",
    "valid_inv": "620",
    "pct_apps": "12",
    "trademarks": "90",
    "ip_dept": "是",
    "gbt29490": "是",
    "ip_staff": "8",
    "licence_income": "150",
    "pledged": "否",
    "infringed": "是",
    "measures": ["行政投诉", "司法诉讼"],
    "needs": ["维权援助", "海外布局指导"],
    "comments": "",
}


@pytest.fixture
def rnd(users, orgs):
    from ipplatform.core.demo import demo_uscc

    # 济南 and 莱芜 rows are matched by a (test) USCC; 海尔's registry entry has none, so its row is matched by name
    for seq, key in [(7, "ent_jinan"), (8, "ent_laiwu")]:
        orgs[key].uscc = demo_uscc(seq, orgs[key].region_code)
        orgs[key].save(update_fields=["uscc"])
    leader = users["leader"]
    r = services.create_round(
        by=leader,
        title="2026年企业知识产权状况普查",
        deadline=dt.date(2999, 12, 31),
        organizations=[orgs["haier"], orgs["ent_jinan"], orgs["ent_laiwu"]],
    )
    services.send_round(rnd=r, by=leader)
    return r


def _resp(rnd, org):
    return CensusResponse.objects.get(round=rnd, organization=org)


def test_questionnaire_is_versioned_data(db, users):
    q1 = services.default_questionnaire()
    assert (q1.code, q1.version, q1.sections.count(), q1.questions().count()) == ("ent_ip", 1, 4, 20)
    from ipplatform.census import defaults

    q2 = services.load_questionnaire(code="ent_ip", title=defaults.TITLE, spec=defaults.SPEC[:2])
    assert q2.version == 2 and services.default_questionnaire() == q2 and q1.questions().count() == 20
    with pytest.raises(InputError, match="不存在的题目"):
        services.load_questionnaire(
            code="x", title="x", spec=[("s", [dict(code="a", text="a", qtype="integer", not_above="zz")])]
        )


def test_send_notifies_and_scopes(rnd, users, orgs):
    assert users["haier"].notifications.filter(kind="census", title__contains="请填报").count() == 1
    assert [h.transition for h in history(rnd)] == ["send"]
    # a city bureau sees the province round but only its own enterprises; an enterprise only its own response
    assert {r.organization.name for r in services.responses_for(users["city370100"], rnd)} == {orgs["ent_jinan"].name}
    assert {r.organization.name for r in services.responses_for(users["city371200"], rnd)} == {orgs["ent_laiwu"].name}
    assert [r.organization for r in services.responses_for(users["haier"], rnd)] == [orgs["haier"]]
    assert rnd in services.rounds_for(users["city370200"]) and rnd in services.rounds_for(users["haier"])
    assert rnd not in services.rounds_for(users["sdu"])
    with pytest.raises(PermissionDenied):
        services.create_round(by=users["haier"], title="x", deadline=dt.date(2999, 1, 1), organizations=[orgs["haier"]])
    with pytest.raises(InputError, match="不在您的辖区"):  # 青岛 may not send to a 济南 enterprise
        services.create_round(
            by=users["city370200"], title="x", deadline=dt.date(2999, 1, 1), organizations=[orgs["ent_jinan"]]
        )


def test_online_answers_validated_then_submitted(rnd, users, orgs):
    resp = _resp(rnd, orgs["haier"])
    bad = dict(GOOD, rd_staff="1500", employees="1200", inv_apps="8.5", ip_dept="可能", size="特大", needs=["算命"])
    with pytest.raises(services.AnswerErrors) as exc:
        services.save_answers(response=resp, by=users["haier"], raw=bad, submit=True)
    errors = exc.value.errors
    assert errors["inv_apps"] == "“当年发明专利申请量”应为整数，填写的是“8.5”"
    assert errors["ip_dept"] == "“是否设立知识产权管理机构”应填“是”或“否”，填写的是“可能”"
    assert errors["size"] == "“企业规模”的选项中没有“特大”" and "算命" in errors["needs"]
    assert errors["rd_staff"] == "“研发人员数”（1500）不能大于“从业人员数”（1200）"
    # a draft may be partial but not wrong
    services.save_answers(response=resp, by=users["haier"], raw={"employees": "1200"}, submit=False)
    resp.refresh_from_db()
    assert resp.state == "pending" and resp.answers == {"employees": 1200}
    with pytest.raises(PermissionDenied):
        services.save_answers(response=resp, by=users["qilu_ent"], raw=GOOD, submit=True)
    services.save_answers(response=resp, by=users["haier"], raw=GOOD, submit=True)
    resp.refresh_from_db()
    assert (resp.state, resp.industry, resp.size_class, resp.source) == ("submitted", "C", "大型", "online")
    assert (
        resp.answers["revenue"] == 52000.5
        and resp.answers["ip_dept"] is True
        and resp.answers["measures"] == ["行政投诉", "司法诉讼"]
    )
    with pytest.raises(InputError, match="已提交"):
        services.save_answers(response=resp, by=users["haier"], raw=GOOD, submit=True)
    services.return_response(response=resp, by=users["leader"], reason="营业收入单位应为万元，请核对")
    resp.refresh_from_db()
    assert resp.state == "returned" and [h.transition for h in history(resp)] == ["submit", "return_for_correction"]


def _filled_template(rnd, user, fill):
    wb = load_workbook(io.BytesIO(services.template_bytes(rnd=rnd, user=user)))
    ws = wb["填报"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        fill(header, row)
    out = io.BytesIO()
    wb.save(out)
    return header, out.getvalue()


def test_excel_import_reports_file_line_and_field(rnd, users, orgs):
    leader = users["leader"]

    def fill(header, row):
        uscc = row[0].value
        for i, h in enumerate(header[2:], start=2):
            code = h.split("｜")[0]
            v = GOOD[code]
            row[i].value = "；".join(v) if isinstance(v, list) else v
        if uscc == orgs["ent_jinan"].uscc:
            row[header.index("employees｜从业人员数（人）")].value = "一百"
            row[header.index("pct_apps｜当年PCT国际专利申请量（件）")].value = -1

    header, data = _filled_template(rnd, leader, fill)
    assert (
        header[:3] == ["统一社会信用代码", "单位名称", "industry｜所属行业（国民经济行业门类）"] and len(header) == 22
    )
    result = services.import_excel(rnd=rnd, by=leader, filename="普查.xlsx", data=data)
    assert result["rows"] == 3 and result["saved"] == 2
    jinan_line = 2 + [
        r.organization for r in services.responses_for(leader, rnd).order_by("city_code", "organization__name")
    ].index(orgs["ent_jinan"])
    assert result["errors"] == [
        {
            "file": "普查.xlsx",
            "line": jinan_line,
            "field": "employees｜从业人员数（人）",
            "message": "“从业人员数”应为数字，填写的是“一百”",
        },
        {
            "file": "普查.xlsx",
            "line": jinan_line,
            "field": "pct_apps｜当年PCT国际专利申请量（件）",
            "message": "“当年PCT国际专利申请量”不能小于0",
        },
    ]
    assert _resp(rnd, orgs["ent_jinan"]).state == "pending" and _resp(rnd, orgs["haier"]).source == "excel"
    # the same file again: submitted rows are refused by name, never silently overwritten
    again = services.import_excel(rnd=rnd, by=leader, filename="普查.xlsx", data=data)
    assert again["saved"] == 0 and sum("已提交" in e["message"] for e in again["errors"]) == 2


def test_excel_import_bad_files_and_strangers(rnd, users, orgs):
    with pytest.raises(InputError, match="不是有效的Excel"):
        services.import_excel(rnd=rnd, by=users["leader"], filename="a.xlsx", data=b"not a workbook")
    wb = Workbook()
    wb.active.append(["名称"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(InputError) as exc:
        services.import_excel(rnd=rnd, by=users["leader"], filename="b.xlsx", data=buf.getvalue())
    assert exc.value.line == 1 and "统一社会信用代码" in exc.value.message

    # an enterprise uploading a row of another enterprise is told so, row by row
    def fill(header, row):
        row[0].value = orgs["ent_jinan"].uscc

    _, data = _filled_template(rnd, users["haier"], fill)
    res = services.import_excel(rnd=rnd, by=users["haier"], filename="c.xlsx", data=data)
    assert (
        res["saved"] == 0
        and res["errors"][0]["line"] == 2
        and "不是本次普查中您可填报的企业" in res["errors"][0]["message"]
    )


def test_reminders_and_completion_per_city(rnd, users, orgs):
    services.save_answers(response=_resp(rnd, orgs["haier"]), by=users["haier"], raw=GOOD, submit=True)
    assert services.remind(rnd=rnd, by=users["leader"], on=dt.date(2026, 6, 1)) == 2  # 齐鲁 and 钢城 users
    assert services.remind(rnd=rnd, by=users["leader"], on=dt.date(2026, 6, 1)) == 0  # once a day
    assert (
        services.remind(rnd=rnd, by=users["city370100"], on=dt.date(2026, 6, 2)) == 1
    )  # 济南's bureau: its own enterprise
    assert users["qilu_ent"].notifications.filter(title__startswith="催报").count() == 2
    rows = services.completion(rnd=rnd, user=users["leader"])
    assert [(r["city"], r["total"], r["submitted"], r["rate"]) for r in rows] == [
        ("济南市", 2, 0, 0.0),
        ("青岛市", 1, 1, 100.0),
        ("合计", 3, 1, 33.3),
    ]
    assert [(r["city"], r["total"]) for r in services.completion(rnd=rnd, user=users["city370200"])] == [
        ("青岛市", 1),
        ("合计", 1),
    ]


def test_results_by_city_industry_size_and_exports(rnd, users, orgs):
    services.save_answers(response=_resp(rnd, orgs["haier"]), by=users["haier"], raw=GOOD, submit=True)
    services.save_answers(
        response=_resp(rnd, orgs["ent_jinan"]),
        by=users["qilu_ent"],
        raw=dict(GOOD, size="小型", employees="80", rd_staff="20", inv_apps="5", ip_dept="否", industry="M"),
        submit=True,
    )
    res = services.results(rnd=rnd, user=users["leader"], dimension="size")
    inv = next(t for t in res["tables"] if t["question"].code == "inv_apps")
    assert inv["rows"] == [["大型", 1, "85", "85"], ["小型", 1, "5", "5"], ["合计", 2, "90", "45"]]
    dept = next(t for t in res["tables"] if t["question"].code == "ip_dept")
    assert dept["headers"][2:] == ["是", "否"] and dept["rows"][-1] == ["合计", 2, 1, 1]
    by_ind = services.results(rnd=rnd, user=users["leader"], dimension="industry")
    assert by_ind["groups"] == ["C 制造业", "M 科学研究和技术服务业"] and "已提交的2份问卷" in by_ind["source"]
    measures = next(
        t
        for t in services.results(rnd=rnd, user=users["leader"], dimension="city")["tables"]
        if t["question"].code == "measures"
    )
    assert measures["rows"][-1][:4] == ["合计", 2, 2, 2]
    with pytest.raises(InputError):
        services.results(rnd=rnd, user=users["leader"], dimension="colour")
    wb = load_workbook(io.BytesIO(services.results_workbook(rnd=rnd, user=users["leader"])))
    assert wb.sheetnames[0] == "完成情况" and "城市-employees" in wb.sheetnames and "企业规模-inv_apps" in wb.sheetnames
    from docx import Document

    doc = Document(io.BytesIO(services.report_docx(rnd=rnd, user=users["leader"])))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "发给3家企业" in text
        and "已提交2家" in text
        and "按行业" in text
        and len(doc.tables) >= 4
        and doc.inline_shapes
    )
