"""Input at the boundary: the one place that turns user text into ids, numbers, dates and clean strings.

Every parser either returns a value inside its stated range or raises `InputError` with a Chinese message that
names the field. Nothing here imports Django REST framework (core.api re-exports InputError for old imports).

- `parse_id`: a database id (ASCII digits, 1 to 2⁶³−1): `"12"` → 12; `"１２"`, `"²"`, `"1e3"`, `"9" * 30` refused.
- `parse_int`: an integer in [min_value, max_value], ASCII digits only (superscripts and full-width digits refused).
- `parse_decimal`: a finite Decimal in [min_value, max_value] with at most `places` decimals (NaN/Infinity refused).
- `parse_rate`: a percentage 0–100.
- `parse_date` / `parse_datetime`: ISO dates with a four-digit year between MIN_YEAR and MAX_YEAR.
- `clean_text`: strips control characters (keeps tab and newline where `multiline`), enforces a maximum length.
- `require_object`: a parsed JSON body must be an object (dict).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_ID = 2**63 - 1
MAX_MONEY = Decimal(
    "9999999999.99"
)  # 万元 (or 元): far above any real amount, inside every DecimalField(max_digits=12+)

_DIGITS = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# C0 and C1 controls, DEL, and the Unicode line/paragraph separators; tab, LF and CR handled apart.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


class InputError(Exception):
    """Bad user input with a position: raised by services, shown by pages and the API alike."""

    def __init__(self, message: str, *, field: str = "", position: int | None = None, line: int | None = None):
        super().__init__(message)
        self.message, self.field, self.position, self.line = message, field, position, line

    def as_dict(self) -> dict:
        data = {"error": self.message}
        for key in ("field", "position", "line"):
            value = getattr(self, key)
            if value not in (None, ""):
                data[key] = value
        return data


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else str(value).strip()


def parse_id(value, *, field: str = "id", label: str = "编号", required: bool = True) -> int | None:
    """A database id: ASCII digits, 1 to 2⁶³−1."""
    if value in (None, ""):
        if required:
            raise InputError(f"请填写{label}", field=field)
        return None
    if isinstance(value, bool):
        raise InputError(f"{label}应为正整数", field=field)
    if isinstance(value, int):
        number = value
    else:
        text = _text(value)
        if not _DIGITS.fullmatch(text) or len(text) > 19:
            raise InputError(f"{label}“{text[:40]}”不是有效编号（应为正整数）", field=field)
        number = int(text)
    if not 1 <= number <= MAX_ID:
        raise InputError(f"{label}“{number}”超出范围", field=field)
    return number


def is_id(value) -> bool:
    """True for text that `parse_id` accepts (ASCII digits, 1 to 2⁶³−1): for optional filters that ignore the rest."""
    text = value.strip() if isinstance(value, str) else str(value if value is not None else "")
    return bool(_DIGITS.fullmatch(text)) and len(text) <= 19 and 1 <= int(text) <= MAX_ID


def is_year(value) -> bool:
    """True for four ASCII digits: for optional year filters ("²" and "２０２６" pass str.isdigit() but not this)."""
    text = value.strip() if isinstance(value, str) else ""
    return text.isascii() and text.isdigit() and len(text) == 4


def parse_int(
    value,
    *,
    field: str,
    label: str,
    min_value: int = 0,
    max_value: int = 10**9,
    required: bool = True,
    default: int | None = None,
) -> int | None:
    """An integer in [min_value, max_value] written with ASCII digits."""
    if value in (None, ""):
        if required and default is None:
            raise InputError(f"请填写{label}", field=field)
        return default
    if isinstance(value, bool):
        raise InputError(f"{label}应为整数", field=field)
    if isinstance(value, int):
        number = value
    else:
        text = _text(value)
        if not _SIGNED.fullmatch(text) or len(text) > 20:
            raise InputError(f"{label}“{text[:40]}”不是整数", field=field)
        number = int(text)
    if not min_value <= number <= max_value:
        raise InputError(f"{label}应在{min_value}到{max_value}之间（收到{number}）", field=field)
    return number


def parse_decimal(
    value,
    *,
    field: str,
    label: str,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = 10**9,
    places: int = 2,
    required: bool = True,
    rounding: bool = False,
) -> Decimal | None:
    """A finite decimal in [min_value, max_value] with at most `places` decimals (NaN, Infinity, 1e308 refused);
    with `rounding`, more decimals are rounded half up instead of refused."""
    if value in (None, ""):
        if required:
            raise InputError(f"请填写{label}", field=field)
        return None
    if isinstance(value, bool):
        raise InputError(f"{label}应为数字", field=field)
    if isinstance(value, float):
        value = repr(value)
    text = _text(value).replace(",", "")
    if not _DECIMAL.fullmatch(text) or len(text) > 40:
        raise InputError(f"{label}“{text[:40]}”不是有效的数字", field=field)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{label}“{text[:40]}”不是有效的数字", field=field)
    if not number.is_finite() or not Decimal(min_value) <= number <= Decimal(max_value):
        raise InputError(f"{label}应在{min_value}到{max_value}之间（收到{text[:40]}）", field=field)
    step = Decimal(1).scaleb(-places)
    if number == number.quantize(step):
        return number  # as written (21.75 stays 21.75)
    if not rounding:
        raise InputError(f"{label}最多{places}位小数", field=field)
    return number.quantize(step, rounding=ROUND_HALF_UP)


def parse_rate(value, *, field: str, label: str, required: bool = True) -> Decimal | None:
    """A percentage from 0 to 100 (two decimals)."""
    return parse_decimal(value, field=field, label=label, min_value=0, max_value=100, places=2, required=required)


def parse_date(
    value, *, field: str, label: str, required: bool = True, min_year: int = MIN_YEAR, max_year: int = MAX_YEAR
) -> dt.date | None:
    """A YYYY-MM-DD date with a year in [min_year, max_year]."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        if value in (None, ""):
            if required:
                raise InputError(f"请填写{label}", field=field)
            return None
        text = _text(value)
        match = _ISO_DATE.fullmatch(text)
        if not match:
            raise InputError(
                f"{label}“{text[:40]}”不是有效日期：格式不正确，应为YYYY-MM-DD（如2026-03-31）", field=field
            )
        try:
            day = dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise InputError(
                f"{label}“{text}”不是有效日期（格式不正确：月份应为1至12，日期不超过当月天数）", field=field
            )
    if not min_year <= day.year <= max_year:
        raise InputError(f"{label}“{day.isoformat()}”的年份应在{min_year}至{max_year}之间", field=field)
    return day


def parse_datetime(value, *, field: str, label: str, required: bool = True) -> dt.datetime | None:
    """An ISO date and time (YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM[:SS]) with a sane year; naive times are local."""
    from django.utils import timezone

    if isinstance(value, dt.datetime):
        moment = value
    else:
        if value in (None, ""):
            if required:
                raise InputError(f"请填写{label}", field=field)
            return None
        text = _text(value)
        match = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?", text)
        if not match:
            raise InputError(f"{label}“{text[:40]}”格式不正确，应为YYYY-MM-DD HH:MM", field=field)
        day = parse_date(match.group(1), field=field, label=label)
        try:
            moment = dt.datetime.combine(
                day, dt.time(int(match.group(2)), int(match.group(3)), int(match.group(4) or 0))
            )
        except ValueError:
            raise InputError(f"{label}“{text}”的时间无效", field=field)
    parse_date(moment.date(), field=field, label=label)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def clean_text(
    value, *, field: str, label: str, max_length: int, multiline: bool = False, required: bool = False
) -> str:
    """Text with control characters removed (tab/newline kept when `multiline`), NFC-normalised, at most max_length."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if not multiline:
        text = re.sub(r"[\t\n]+", " ", text)
    text = text.strip()
    if required and not text:
        raise InputError(f"请填写{label}", field=field)
    if len(text) > max_length:
        raise InputError(f"{label}过长：最多{max_length}字（收到{len(text)}字）", field=field)
    return text


def strip_controls(text: str) -> str:
    """The text without control characters other than tab and newline (for values written to files)."""
    return _CONTROL.sub("", text)


def back_url(request, fallback: str) -> str:
    """Where a POST returns to: its `next` field or the referring page when they are on this site, else `fallback`."""
    from django.utils.http import url_has_allowed_host_and_scheme

    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return fallback


def require_object(data, *, what: str = "请求体") -> dict:
    """A parsed JSON body that must be an object."""
    if not isinstance(data, dict):
        raise InputError(f"{what}应为JSON对象（{{...}}），收到{type(data).__name__}")
    return data
