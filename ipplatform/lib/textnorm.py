"""Text folding shared by importers and search: full/half width, 繁/简, brackets, spaces, Latin case."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Bracket variants folded to ASCII parentheses so that 海尔集团（青岛） and 海尔集团(青岛) are one name.
_BRACKETS = str.maketrans(
    {"（": "(", "）": ")", "〔": "(", "〕": ")", "［": "[", "］": "]", "【": "[", "】": "]", "﹙": "(", "﹚": ")"}
)


# Full-width punctuation that Chinese text is full of. NFKC maps each of them, on its own, to one ASCII character,
# so replacing them first leaves the NFKC result unchanged, and what remains usually passes the quick check.
_COMMON_WIDE = (("，", ","), ("；", ";"), ("（", "("), ("）", ")"), ("：", ":"), ("％", "%"))


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), about five times faster on typical Chinese text."""
    for wide, narrow in _COMMON_WIDE:
        text = text.replace(wide, narrow)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII variants (Ａ１，) to half width; the ideographic space to a plain space."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


def fold(text: str | None) -> str:
    """Search folding: NFKC, half width, simplified Chinese, lower-case Latin. Length may change only via opencc.

    Every indexed field and query term passes here, so the common cases are short-cut: ASCII only needs lower
    case, and short values (names, agencies, classification symbols), which repeat across records, are cached."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    if len(text) <= _CACHED_LENGTH:
        return _fold_cached(text)
    return _fold(text)


def _fold(text: str) -> str:
    # NFKC already maps full-width ASCII (U+FF01–FF5E) and the ideographic space to half width: to_halfwidth's
    # per-character loop is not needed here
    return to_simplified(nfkc(text)).lower()


_CACHED_LENGTH = 40
_fold_cached = lru_cache(maxsize=100_000)(_fold)


def normalize_name(name: str | None) -> str:
    """Canonical organisation/person name: folded width and script, ASCII brackets, single spaces, trimmed."""
    if not name:
        return ""
    name = to_halfwidth(nfkc(name)).translate(_BRACKETS)
    name = to_simplified(name)
    name = _SPACES.sub(" ", name).strip()
    # Spaces next to CJK characters are artefacts of scraping, not part of the name.
    name = re.sub(r"(?<=[\u4e00-\u9fff()]) (?=[\u4e00-\u9fff()])", "", name)
    return name
