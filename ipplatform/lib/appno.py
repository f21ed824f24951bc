"""Chinese patent application numbers (申请号): normalise and validate the check character.

Accepted inputs: ``CN201220249767.4``, ``201220249767.4``, ``2012202497674``, ``ZL201220249767.4``,
``CN00316633.3`` and ``00316633.3`` (8-digit numbers before 2003-10-01), with or without ``CN``/``ZL``,
dot, spaces and full-width characters. The check character is computed over the digits with weights
2,3,4,5,6,7,8,9 repeating, sum mod 11, where 10 is written ``X``.

The normalised form is the digits followed by the check character (no prefix, no dot): ``2012202497674``.
"""

from __future__ import annotations

import itertools
import operator
import re
from dataclasses import dataclass

_PREFIX = re.compile(r"^(CN|ZL)", re.I)
_CLEAN = re.compile(r"[\s.．。·\-]")
_DOTS = re.compile(r"[.．。]")
_DIGITS = re.compile(r"\d+[\dX]?")
_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９ＸｘＣＮＺＬｃｎｚｌ"}

# Digit of the application number that encodes the kind of right (12-digit: 5th, 8-digit: 3rd).
TYPE_DIGITS = {"1": "invention", "2": "utility", "3": "design", "8": "invention", "9": "utility"}


@dataclass(frozen=True)
class AppNo:
    """Result of parsing one application number."""

    raw: str
    normalized: str  # digits + check character, '' when the input is not an application number at all
    valid: bool
    reason: str  # Chinese reason when not valid, '' otherwise
    digits: str = ""
    check: str = ""  # the check character as filed ('' when the input had none)

    @property
    def display(self) -> str:
        """Conventional display form with CN prefix and dot: CN201220249767.4."""
        if not self.digits:
            return self.raw
        return f"CN{self.digits}.{self.check or check_char(self.digits)}"

    @property
    def patent_type(self) -> str:
        """'invention' / 'utility' / 'design' from the type digit, '' when unknown."""
        if len(self.digits) == 12:
            return TYPE_DIGITS.get(self.digits[4], "")
        if len(self.digits) == 8:
            return TYPE_DIGITS.get(self.digits[2], "")
        return ""

    @property
    def filing_year(self) -> int | None:
        if len(self.digits) == 12:
            return int(self.digits[:4])
        if len(self.digits) == 8:
            yy = int(self.digits[:2])
            return 1900 + yy if yy >= 85 else 2000 + yy
        return None


def check_char(digits: str) -> str:
    """The check character of a string of digits: weights 2..9 repeating, sum mod 11, 10 -> 'X'."""
    total = sum(map(operator.mul, map(int, digits), itertools.cycle(range(2, 10))))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def parse(value) -> AppNo:
    """Normalise and validate an application number; never raises."""
    raw = "" if value is None else str(value).strip()
    text = raw.translate(_FULLWIDTH).upper()
    text = _PREFIX.sub("", text.strip())
    dotted = _DOTS.split(text)
    if len(dotted) == 2:
        # with a dot the check character is what follows it: CN20122024976.4 is 11 digits, not 12
        head, tail = _CLEAN.sub("", dotted[0]), _CLEAN.sub("", dotted[1])
        if len(tail) != 1:
            return AppNo(raw, "", False, f"申请号“{raw}”小数点后应只有1位校验位")
        if len(head) not in (12, 8):
            return AppNo(
                raw,
                "",
                False,
                f"申请号“{raw}”位数不对：小数点前应为12位（2003年10月起）或8位（此前）数字，实际{len(head)}位",
            )
    text = _CLEAN.sub("", text)
    if not text:
        return AppNo(raw, "", False, "申请号为空")
    if not _DIGITS.fullmatch(text) or not text[:-1].isdigit():
        return AppNo(raw, "", False, f"申请号“{raw}”含有非法字符（只允许数字、校验位X、CN前缀和小数点）")
    if len(text) in (12, 8):
        digits, check = text, ""
    elif len(text) in (13, 9):
        digits, check = text[:-1], text[-1]
    else:
        return AppNo(
            raw,
            "",
            False,
            f"申请号“{raw}”位数不对：应为12位（2003年10月起）或8位（此前）数字加1位校验位，实际{len(text)}位",
        )
    if "X" in digits:
        return AppNo(raw, "", False, f"申请号“{raw}”中X只能出现在校验位")
    expected = check_char(digits)
    year_ok = True
    if len(digits) == 12:
        year = int(digits[:4])
        year_ok = 1985 <= year <= 2100
        if not year_ok:
            return AppNo(
                raw,
                digits + (check or expected),
                False,
                f"申请号“{raw}”的年份{year}不可能（中国专利申请始于1985年）",
                digits,
                check,
            )
    kind = digits[4] if len(digits) == 12 else digits[2]
    if kind not in TYPE_DIGITS:
        return AppNo(
            raw,
            digits + (check or expected),
            False,
            f"申请号“{raw}”的专利类型位为{kind}，应为1、2、3、8或9",
            digits,
            check,
        )
    if not check:
        return AppNo(raw, digits + expected, True, "", digits, "")
    if check != expected:
        return AppNo(
            raw, digits + check, False, f"申请号“{raw}”校验位错误：应为{expected}，实际为{check}", digits, check
        )
    return AppNo(raw, digits + check, True, "", digits, check)


def normalize(value) -> str:
    """The normalised form (digits + check character) or '' when the number is not valid."""
    result = parse(value)
    return result.normalized if result.valid else ""


def validate(value) -> str:
    """'' when valid, otherwise a Chinese reason."""
    return parse(value).reason
