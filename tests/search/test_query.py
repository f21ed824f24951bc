"""The query language: every construct parses to the intended tree; errors are Chinese with the right position."""

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.search import query as ql
from ipplatform.search.query import And, DateRange, HistoryRef, Keyword, Not, Or, Prox, Text, parse

DEF = ql.DEFAULT_FIELDS


def test_default_fields_and_implicit_and():
    assert parse("石墨烯 电池") == And((Text(DEF, "石墨烯"), Text(DEF, "电池")))


@pytest.mark.parametrize(
    "q", ["名称=(石墨烯 AND 电池)", "TI=(石墨烯 与 电池)", "ti:(石墨烯 and 电池)", "名称＝（石墨烯　AND　电池）"]
)
def test_field_group_chinese_and_english(q):
    assert parse(q) == And((Text(("ti",), "石墨烯"), Text(("ti",), "电池")))


def test_precedence_not_and_or():
    # A OR B AND NOT C  ==  A OR (B AND (NOT C))
    assert parse("甲 OR 乙 AND NOT 丙") == Or((Text(DEF, "甲"), And((Text(DEF, "乙"), Not(Text(DEF, "丙"))))))
    assert parse("甲 或 乙 非 丙") == Or((Text(DEF, "甲"), And((Text(DEF, "乙"), Not(Text(DEF, "丙"))))))
    assert parse("(甲 OR 乙) AND 丙") == And((Or((Text(DEF, "甲"), Text(DEF, "乙"))), Text(DEF, "丙")))


def test_chinese_operator_only_as_separate_word():
    assert parse("非晶 合金") == And((Text(DEF, "非晶"), Text(DEF, "合金")))


def test_tx_covers_title_abstract_claims():
    assert parse("TX=电池") == Text(("ti", "ab", "cl"), "电池")


def test_phrase_keeps_spaces_and_operators_literal():
    assert parse('"LED 灯 AND"') == Text(DEF, "led 灯 and")
    node = parse('"a+b"')
    assert ql.literal_pieces(node.pattern) == ["a+b"] and not ql.is_truncated(node.pattern)


def test_truncation():
    node = parse("名称=固定+装置")
    assert node == Text(("ti",), "固定+装置") and ql.is_truncated(node.pattern)
    assert ql.pattern_regex("电#池?") == "电[^\n]池[^\n]?"
    assert parse("石墨+") == Text(DEF, "石墨")  # trailing + adds nothing to a substring


def test_proximity():
    assert parse("TI=(电池 5W 隔膜)") == Prox(("ti",), "电池", "隔膜", 5, True)
    assert parse("电池 3d 隔膜") == Prox(DEF, "电池", "隔膜", 3, False)


@pytest.mark.parametrize(
    "q, low, high",
    [
        ("AD=2015", 20150101, 20151231),
        ("申请日=2015-03", 20150301, 20150331),
        ("AD=2015.03.02", 20150302, 20150302),
        ("AD>=2015-01-01", 20150101, None),
        ("AD>2015", 20160101, None),
        ("AD<2015", None, 20141231),
        ("AD<=2015-06", None, 20150631),
        ("AD=[20150101 TO 20151231]", 20150101, 20151231),
        ("公开日=[2014 TO 2015-06]", 20140101, 20150631),
    ],
)
def test_dates(q, low, high):
    node = parse(q)
    assert isinstance(node, DateRange) and (node.low, node.high) == (low, high)


def test_date_or_group_and_grant_date():
    assert parse("AD=(2014 OR 2015)") == Or((DateRange("ad", 20140101, 20141231), DateRange("ad", 20150101, 20151231)))
    assert parse("授权日>=2020").field == "gd"


def test_keywords_and_normalisation():
    assert parse("IC=H01M") == Keyword("ic", "h01m")
    assert parse("主分类号=H01M10/05") == Keyword("mc", "h01m10/05")
    assert parse("申请号=CN201611077462.9") == Keyword("an", "2016110774629")
    assert parse("PN=CN106690327A") == Keyword("pn", "106690327a")
    assert parse("类型=发明") == Keyword("pt", "invention")
    assert parse("法律状态=有效") == Keyword("ls", "valid")
    assert parse("申请人类型=大专院校") == Keyword("et", "university")
    assert parse("RC=青岛市") == Keyword("rc", "青岛市")
    assert parse("IC=(H01M OR H01G)") == Or((Keyword("ic", "h01m"), Keyword("ic", "h01g")))


def test_history_references():
    assert parse("#3 AND #5") == And((HistoryRef(3), HistoryRef(5)))


def _err(q):
    with pytest.raises(InputError) as ei:
        parse(q)
    return ei.value


@pytest.mark.parametrize(
    "q, pos, words",
    [
        ("名称=(石墨烯 AND 电池", 3, "括号未闭合"),
        ("石墨烯 AND", 7, "缺少检索词"),
        ("石墨烯 AND )", 8, "缺少检索词"),
        ("XX=电池", 0, "未知的字段"),
        ('"石墨烯', 0, "引号未闭合"),
        ("AD=2015-13-01", 3, "日期"),
        ("AD=[20160101 TO 20150101]", 4, "起始日期晚于"),
        ("类型=专利", 3, "可选"),
        ("名称>电池", 2, "只能用“=”"),
        ("电池)", 2, "多余的右括号"),
        ("OR 电池", 0, "前缺少检索词"),
        ("电池 5W", 3, "邻近算符"),
        ("名称=(PA=海尔)", 4, "不能再指定字段"),
        ("+", 0, "截词符不能单独使用"),
        ("", 0, "检索式为空"),
        ("()", 1, "括号内没有检索词"),
        ("AD=[2015 2016]", 9, "缺少 TO"),
    ],
)
def test_errors_have_chinese_message_and_position(q, pos, words):
    e = _err(q)
    assert e.position == pos, (e.message, e.position)
    assert words in e.message
    assert f"第{pos + 1}个字符" in e.message or "末尾" in e.message or "为空" in e.message


def test_caret_points_at_position_under_wide_characters():
    text = ql.caret("名称=(石墨烯 AND 电池", 3)
    first, second = text.split("\n")
    assert second == "　　 ^"


def test_operator_words_are_terms_when_quoted_and_to_outside_ranges():
    assert parse("AB=to") == Text(("ab",), "to")
    assert parse('TI="与"') == Text(("ti",), "与")
    assert parse('"and" OR "5w"') == Or((Text(DEF, "and"), Text(DEF, "5w")))


def test_error_names_the_operator_as_written():
    e = _err("电池 与")
    assert e.message.startswith("与 之后缺少检索词") and e.position == 4
    e = _err("或 电池")
    assert "运算符 或 前缺少检索词" in e.message and e.position == 0


def test_importing_the_query_parser_leaves_the_api_framework_unloaded():
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, ipplatform.search.query; print(sorted(m for m in sys.modules if m.startswith('rest_framework')))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
