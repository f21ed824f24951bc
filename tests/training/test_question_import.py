"""Bulk question import from the Excel template: row-level Chinese errors with line and field, all-or-nothing or good rows."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from ipplatform.core.inputs import InputError
from ipplatform.training import question_import as qi
from ipplatform.training.models import QuestionBank

GOOD = [
    ["单选", "发明专利权的期限为多少年？", "十年", "十五年", "二十年", "", "", "", "C", "专利法第四十二条", ""],
    [
        "多选题",
        "专利法所称的发明创造包括哪些？",
        "发明",
        "实用新型",
        "外观设计",
        "商标",
        "",
        "",
        "A、B、C",
        "专利法第二条",
        "第二条第一款",
    ],
    ["判断", "实用新型专利权的期限为十年。", "", "", "", "", "", "", "对", "专利法第四十二条", ""],
    ["填空", "外观设计专利权的期限为____年。", "", "", "", "", "", "", "十五|15", "", ""],
]
BAD = [
    ["单项", "题型写错", "甲", "乙", "", "", "", "", "A", "", ""],  # line 6: 题型
    ["单选", "", "甲", "乙", "", "", "", "", "A", "", ""],  # line 7: 题干
    ["单选", "答案越界", "甲", "乙", "", "", "", "", "D", "", ""],  # line 8: 答案
    ["单选", "两个答案", "甲", "乙", "丙", "", "", "", "A,B", "", ""],  # line 9: 答案
    ["多选", "选项跳空", "甲", "", "丙", "", "", "", "A", "", ""],  # line 10: 选项C
    ["判断", "判断题答案", "", "", "", "", "", "", "是", "", ""],  # line 11: 答案
]


def xlsx(rows, headers=qi.HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def bank(db):
    return QuestionBank.objects.create(name="导入测试题库")


def test_good_rows_are_imported_with_answers_stored_like_the_form(bank):
    r = qi.import_questions(bank=bank, data=xlsx(GOOD), filename="题库.xlsx")
    assert (r.rows, r.created, r.errors, r.committed) == (4, 4, [], True)
    single, multiple, judge, fill = bank.questions.order_by("pk")
    assert single.kind == "single" and single.options == ["十年", "十五年", "二十年"] and single.answer == [2]
    assert multiple.kind == "multiple" and multiple.answer == [0, 1, 2] and multiple.explanation == "第二条第一款"
    assert judge.kind == "judge" and judge.answer is True and judge.options == []
    assert fill.answer == ["十五", "15"]


def test_bad_rows_are_reported_by_line_and_field_and_nothing_is_imported(bank):
    r = qi.import_questions(bank=bank, data=xlsx(GOOD + BAD), filename="题库.xlsx")
    assert not r.committed and r.created == 0 and bank.questions.count() == 0
    assert [(e["line"], e["field"]) for e in r.errors] == [
        (6, "题型"),
        (7, "题干"),
        (8, "答案"),
        (9, "答案"),
        (10, "选项C"),
        (11, "答案"),
    ]
    messages = {e["line"]: e["message"] for e in r.errors}
    assert "单项" in messages[6] and "不能为空" in messages[7] and "A–B" in messages[8]
    assert "只能有一个答案" in messages[9] and "选项B为空" in messages[10] and "对" in messages[11]


def test_lenient_mode_commits_the_good_rows_and_lists_the_bad(bank):
    r = qi.import_questions(bank=bank, data=xlsx(BAD[:1] + GOOD + BAD[1:2]), mode="lenient")
    assert r.committed and r.created == 4 and bank.questions.count() == 4
    assert [(e["line"], e["field"]) for e in r.errors] == [(2, "题型"), (7, "题干")]


def test_file_level_errors(bank):
    with pytest.raises(InputError, match="不是Excel"):
        qi.import_questions(bank=bank, data=b"kind,stem\n", filename="a.csv")
    with pytest.raises(InputError, match="无法作为Excel"):
        qi.import_questions(bank=bank, data=b"PK\x03\x04garbage", filename="a.xlsx")
    with pytest.raises(InputError, match="表头缺少列：答案"):
        qi.import_questions(
            bank=bank,
            data=xlsx(GOOD, headers=[h if h != "答案" else "正确答案" for h in qi.HEADERS]),
            filename="a.xlsx",
        )
    with pytest.raises(InputError, match="没有试题行"):
        qi.import_questions(bank=bank, data=xlsx([]), filename="a.xlsx")
    with pytest.raises(InputError, match="导入方式"):
        qi.import_questions(bank=bank, data=xlsx(GOOD), mode="maybe")
    assert bank.questions.count() == 0


def test_template_round_trips(bank):
    data = qi.template_bytes()
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["试题", "填写说明"]
    assert [c.value for c in wb["试题"][1]] == qi.HEADERS
    r = qi.import_questions(bank=bank, data=data, filename="试题导入模板.xlsx")
    assert r.created == 3 and not r.errors


def test_pages_download_template_and_import(client, users, bank):
    client.force_login(users["fawu"])
    resp = client.get("/training/banks/template.xlsx")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = io.BytesIO(xlsx(GOOD + BAD[:1]))
    upload.name = "题库.xlsx"
    resp = client.post(f"/training/banks/{bank.pk}/import/", {"file": upload, "mode": "all-or-nothing"})
    assert resp.status_code == 400 and "第6行" in resp.content.decode() and bank.questions.count() == 0
    upload.seek(0)
    resp = client.post(f"/training/banks/{bank.pk}/import/", {"file": upload, "mode": "lenient"})
    assert resp.status_code == 200 and "已导入4道试题" in resp.content.decode() and bank.questions.count() == 4
    client.force_login(users["haier"])
    assert client.get("/training/banks/template.xlsx").status_code == 403


def test_the_form_uses_the_same_answer_rule(bank):
    from ipplatform.training.forms import QuestionForm

    f = QuestionForm({"kind": "single", "stem": "题", "options_text": "甲\n乙", "answer_text": "1,2"})
    assert not f.is_valid() and "只能有一个答案" in str(f.errors["answer_text"])
    f = QuestionForm({"kind": "multiple", "stem": "题", "options_text": "甲\n乙\n丙", "answer_text": "1,3"})
    assert f.is_valid() and f.instance.answer == [0, 2]
    f = QuestionForm({"kind": "single", "stem": "题", "options_text": "甲", "answer_text": "1"})
    assert not f.is_valid() and "至少需要两个选项" in str(f.errors["options_text"])
