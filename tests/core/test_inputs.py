"""Property tests for every parser of user input: any text gives a value inside the stated range or a Chinese
InputError (ValueError for the importers' cell parsers, which report it per row), never another exception."""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ipplatform.core import inputs
from ipplatform.core.inputs import InputError

PROPS = hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NASTY = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "²",
            "１２",
            "٣",
            "1e3",
            "NaN",
            "nan",
            "Infinity",
            "-inf",
            "1e308",
            "9" * 30,
            str(2**63),
            str(2**63 - 1),
            "0",
            "-1",
            " 7 ",
            "0x10",
            "1_000",
            "10000-01-01",
            "2026-02-30",
            "2026-13-01",
            "0001-01-01",
            "2999-01-01",
            "2026-02-28T25:00",
            "\x00",
            "=1+1",
            "\u202e",
            "12²",
            "1.005",
            "−5",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
CALLS = {"count": 0}


def _counted(fn, value, **kw):
    CALLS["count"] += 1
    return fn(value, **kw)


@PROPS
@given(NASTY)
@example("²")
@example(str(2**63))
def test_parse_id_is_an_int_in_range_or_input_error(text):
    try:
        value = _counted(inputs.parse_id, text)
    except InputError as exc:
        assert exc.field == "id" and exc.message
        assert not inputs.is_id(text)
        return
    assert isinstance(value, int) and 1 <= value <= 2**63 - 1 and inputs.is_id(text)
    assert text.strip().isascii()


@PROPS
@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_parse_id_round_trips(n):
    assert inputs.parse_id(str(n)) == n and inputs.is_id(str(n))


@PROPS
@given(NASTY)
def test_parse_int_in_range(text):
    try:
        value = _counted(inputs.parse_int, text, field="n", label="数量", min_value=-5, max_value=1000)
    except InputError as exc:
        assert exc.field == "n" and "数量" in exc.message
        return
    assert isinstance(value, int) and -5 <= value <= 1000


@PROPS
@given(st.one_of(NASTY, st.decimals(allow_nan=True, allow_infinity=True).map(str)))
@example("NaN")
@example("Infinity")
@example("1e26")
def test_parse_decimal_is_finite_and_bounded(text):
    try:
        value = _counted(
            inputs.parse_decimal,
            text,
            field="amount",
            label="金额",
            min_value=0,
            max_value=inputs.MAX_MONEY,
            places=2,
            rounding=True,
        )
    except InputError as exc:
        assert exc.field == "amount" and "金额" in exc.message
        return
    assert isinstance(value, Decimal) and value.is_finite() and 0 <= value <= inputs.MAX_MONEY
    assert value == value.quantize(Decimal("0.01"))


@PROPS
@given(st.one_of(NASTY, st.floats(allow_nan=True, allow_infinity=True)))
def test_parse_rate_is_a_percentage(value):
    try:
        rate = _counted(inputs.parse_rate, value, field="rate", label="比例")
    except InputError:
        assert not (
            isinstance(value, float) and math.isfinite(value) and 0 <= value <= 100 and round(value, 2) == value
        )
        return
    assert Decimal(0) <= rate <= Decimal(100)


@PROPS
@given(st.one_of(NASTY, st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat)))
@example("2026-02-30")
@example("10000-01-01")
def test_parse_date_is_a_real_date_in_sane_years(text):
    try:
        day = _counted(inputs.parse_date, text, field="d", label="日期")
    except InputError as exc:
        assert exc.field == "d" and "日期" in exc.message
        return
    assert inputs.MIN_YEAR <= day.year <= inputs.MAX_YEAR and day.isoformat() == text.strip()


@PROPS
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_round_trips(day):
    assert inputs.parse_date(day.isoformat(), field="d", label="日期") == day


@PROPS
@given(
    st.one_of(
        NASTY, st.datetimes(min_value=dt.datetime(1, 1, 1)).map(lambda d: d.isoformat(sep=" ", timespec="minutes"))
    )
)
@example("2026-02-30 10:00")
def test_parse_datetime(text):
    try:
        moment = _counted(inputs.parse_datetime, text, field="t", label="时间")
    except InputError:
        return
    assert moment.tzinfo is not None and inputs.MIN_YEAR <= moment.year <= inputs.MAX_YEAR


@PROPS
@given(st.text(max_size=300), st.booleans())
@example("主题\x07\x1b[31m", False)
@example("第一行\r\n第二行\u2028", True)
def test_clean_text_has_no_control_characters(text, multiline):
    try:
        out = _counted(inputs.clean_text, text, field="f", label="名称", max_length=100, multiline=multiline)
    except InputError as exc:
        assert "过长" in exc.message
        return
    assert len(out) <= 100
    allowed = {"\n", "\t"} if multiline else set()
    assert not any(
        (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029") and ch not in allowed for ch in out
    )


@PROPS
@given(st.one_of(st.lists(st.integers()), st.integers(), st.text(), st.none(), st.booleans(), st.floats()))
def test_require_object(data):
    with pytest.raises(InputError, match="JSON对象"):
        inputs.require_object(data)
    assert inputs.require_object({"a": 1}) == {"a": 1}


# ---------------------------------------------------------------- the search query language


QUERY_ALPHABET = st.sampled_from(
    list("()（）[]【】\"'=<>:：#*?？ANDORNOT 电池锂石墨烯TIABPAIPCAD2015-0301W5D")
    + ["AND", "OR", "NOT", "名称=", "AD>=", "#1"]
)


@PROPS
@given(st.one_of(st.text(max_size=200), st.lists(QUERY_ALPHABET, max_size=80).map(" ".join)))
@example("(" * 300 + "电池" + ")" * 300)
@example("NOT " * 400 + "电池")
@example("名称=(" + "(" * 100 + "a" + ")" * 101)
def test_query_parser_never_fails_other_than_input_error(query):
    from ipplatform.search import query as q

    try:
        CALLS["count"] += 1
        node = q.parse(query)
    except InputError as exc:
        assert exc.message and (exc.position is None or 0 <= exc.position <= max(len(query), 4000))
        return
    assert q.to_text(node)


def test_deep_nesting_is_a_chinese_error_with_position():
    from ipplatform.search import query as q

    with pytest.raises(InputError, match="嵌套过深") as err:
        q.parse("(" * 240 + "电池" + ")" * 240)
    assert err.value.position == q.MAX_DEPTH  # the bracket that goes one level too deep
    assert q.parse("(" * q.MAX_DEPTH + "电池" + ")" * q.MAX_DEPTH)


# ---------------------------------------------------------------- importers' cell parsers


@PROPS
@given(st.one_of(NASTY, st.text(max_size=20)))
@example("２０１５年３月１日")
def test_patent_record_dates(text):
    from ipplatform.patents.records import parse_date

    try:
        CALLS["count"] += 1
        day = parse_date(text)
    except ValueError:
        return
    assert day is None or isinstance(day, dt.date)


@PROPS
@given(st.one_of(NASTY, st.text(max_size=30)))
def test_application_numbers_and_credit_codes(text):
    from ipplatform.lib import appno, uscc

    CALLS["count"] += 2
    try:
        appno.normalize(text)
    except (ValueError, InputError):
        pass
    assert uscc.is_valid(text) in (True, False)


# ---------------------------------------------------------------- Excel export


@hsettings(max_examples=120, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
@example(['=HYPERLINK("http://evil","点击")', "+1", "-2", "@SUM(A1)", "\x07响铃", "正常"])
def test_xlsx_cells_are_text_never_formulas(values):
    from ipplatform.lib.xlsx import Sheet, workbook_bytes

    CALLS["count"] += 1
    data = workbook_bytes([Sheet("表", ["列"] * len(values), [values], notes=["=注释"])])
    ws = load_workbook(io.BytesIO(data)).active
    rows = [[c for c in row] for row in ws.iter_rows()]
    cells = rows[-1]
    for value, cell in zip(values, cells):
        assert cell.data_type != "f"
        if value.startswith(("=", "+", "-", "@")):
            assert cell.value == value.replace("\x07", "\\x07") or cell.value.startswith(value[0])
    assert rows[0][0].data_type != "f"


@pytest.fixture(scope="module", autouse=True)
def _report_inputs_tried():
    """Printed with -s after the module: how many generated inputs the property tests tried in this run."""
    yield
    print(f"\nproperty tests: {CALLS['count']} generated inputs tried")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2015", True),
        (" 2015 ", True),
        ("²", False),
        ("２０１５", False),
        ("20150", False),
        ("201", False),
        ("", False),
        (None, False),
    ],
)
def test_is_year_takes_only_four_ascii_digits(value, expected):
    from ipplatform.core.inputs import is_year

    assert is_year(value) is expected
