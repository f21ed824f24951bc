"""统一社会信用代码 (GB 32100-2015) validation: 18 characters, check character at position 18."""

from __future__ import annotations

# GB 32100 code alphabet: digits and capital letters except I, O, Z, S, V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters."""
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str | None:
    """Return None when `code` is a valid USCC, else a Chinese reason naming the problem."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为18位，实际为{len(code)}位"
    for pos, ch in enumerate(code, start=1):
        if ch not in VALUES:
            return f"统一社会信用代码第{pos}位字符“{ch}”不在GB 32100允许的字符集中"
    if not (code[2:8].isascii() and code[2:8].isdigit()):
        return "统一社会信用代码第3-8位应为登记管理机关行政区划码（6位数字）"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：第18位应为“{expected}”，实际为“{code[17]}”"
    return None


def is_valid(code: str) -> bool:
    return validate(code) is None
