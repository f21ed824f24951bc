"""The patent query language: lexer, parser and AST (one parser for the web form, the API and the command line).

Grammar (NOT binds tighter than AND, AND tighter than OR; juxtaposition means AND):

    expr    := and (("OR" | "或") and)*
    and     := unary ((("AND" | "与")? unary) | (("NOT" | "非") unary))*
    unary   := ("NOT" | "非") unary | primary
    primary := "(" expr ")" | FIELD op value | term (("nW" | "nD") term)* | "#n"
    value   := "(" expr ")" | term | "[" date "TO" date "]"

Terms are substrings (after folding: 繁→简, full→half width, lower case); "+" any characters, "?" zero or one
character, "#" exactly one character (all within one field value)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ipplatform.core.inputs import InputError
from ipplatform.lib.textnorm import fold

# ---------------------------------------------------------------- fields

TEXT_FIELDS = {
    "ti": "名称",
    "ab": "摘要",
    "cl": "主权项",
    "pa": "申请人",
    "in": "发明人",
    "ag": "代理机构",
    "ar": "地址",
}
DEFAULT_FIELDS = ("ti", "ab", "cl", "pa")


@dataclass(frozen=True)
class FieldDef:
    code: str  # English code, upper case
    name: str  # Chinese name
    kind: str  # text | date | keyword
    targets: tuple = ()  # index fields for text codes
    help: str = ""


FIELDS = [
    FieldDef("TI", "名称", "text", ("ti",), "发明名称"),
    FieldDef("AB", "摘要", "text", ("ab",), "摘要"),
    FieldDef("CL", "主权项", "text", ("cl",), "主权项（第一项权利要求）"),
    FieldDef("TX", "关键词", "text", ("ti", "ab", "cl"), "名称、摘要、主权项"),
    FieldDef("PA", "申请人", "text", ("pa",), "申请（专利权）人"),
    FieldDef("IN", "发明人", "text", ("in",), "发明（设计）人"),
    FieldDef("AG", "代理机构", "text", ("ag",), "专利代理机构"),
    FieldDef("AR", "地址", "text", ("ar",), "申请人地址"),
    FieldDef("AN", "申请号", "keyword", (), "申请号，可省略CN和小数点，可用+截词"),
    FieldDef("PN", "公开号", "keyword", (), "公开（公告）号，可省略文献类型字母"),
    FieldDef("AD", "申请日", "date", (), "申请日：AD=2015、AD>=2015-01-01、AD=[20150101 TO 20151231]"),
    FieldDef("PD", "公开日", "date", (), "公开（公告）日"),
    FieldDef("GD", "授权日", "date", (), "授权日"),
    FieldDef("IC", "分类号", "keyword", (), "任一IPC分类号；部、大类、小类、大组包含其下全部分类"),
    FieldDef("MC", "主分类号", "keyword", (), "主分类号，层级规则同分类号"),
    FieldDef("PT", "类型", "keyword", (), "发明、实用新型、外观设计"),
    FieldDef("LS", "法律状态", "keyword", (), "有效、失效、审中、未知"),
    FieldDef("RC", "地区", "keyword", (), "GB/T 2260区划代码或名称；地市代码包含所辖县区"),
    FieldDef("ET", "申请人类型", "keyword", (), "企业、大专院校、科研单位、机关团体、个人"),
]
FIELD_BY_KEY = {}
for _f in FIELDS:
    FIELD_BY_KEY[_f.code.lower()] = _f
    FIELD_BY_KEY[_f.name] = _f
FIELD_BY_KEY["专利类型"] = FIELD_BY_KEY["pt"]
FIELD_BY_KEY["发明名称"] = FIELD_BY_KEY["ti"]
FIELD_BY_KEY["申请日期"] = FIELD_BY_KEY["ad"]
FIELD_BY_KEY["公开日期"] = FIELD_BY_KEY["pd"]

PATENT_TYPES = {
    "发明": "invention",
    "invention": "invention",
    "fm": "invention",
    "实用新型": "utility",
    "实用": "utility",
    "utility": "utility",
    "xx": "utility",
    "外观设计": "design",
    "外观": "design",
    "design": "design",
    "wg": "design",
}
LEGAL_STATUSES = {
    "有效": "valid",
    "valid": "valid",
    "失效": "invalid",
    "无效": "invalid",
    "invalid": "invalid",
    "审中": "pending",
    "在审": "pending",
    "pending": "pending",
    "未知": "unknown",
    "unknown": "unknown",
}
ENTITY_TYPES = {
    "企业": "enterprise",
    "enterprise": "enterprise",
    "大专院校": "university",
    "高校": "university",
    "university": "university",
    "科研单位": "institute",
    "科研院所": "institute",
    "institute": "institute",
    "机关团体": "government",
    "government": "government",
    "个人": "individual",
    "individual": "individual",
    "未识别": "unknown",
    "unknown": "unknown",
}

# ---------------------------------------------------------------- AST


@dataclass(frozen=True)
class Node:
    pass


@dataclass(frozen=True)
class And(Node):
    children: tuple


@dataclass(frozen=True)
class Or(Node):
    children: tuple


@dataclass(frozen=True)
class Not(Node):
    child: Node


@dataclass(frozen=True)
class Text(Node):
    """A substring term over text fields; `pattern` is folded; `truncated` when it contains + ? #."""

    fields: tuple
    pattern: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Prox(Node):
    """`left nW right` (right within n characters after left) or `nD` (either order), in one field."""

    fields: tuple
    left: str
    right: str
    distance: int
    ordered: bool
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class DateRange(Node):
    field: str  # ad | pd | gd
    low: int | None  # yyyymmdd inclusive
    high: int | None


@dataclass(frozen=True)
class Keyword(Node):
    """An exact (or truncated, when the value holds + ? #) match on a keyword field."""

    field: str  # an | pn | ic | mc | pt | ls | rc | et
    value: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class HistoryRef(Node):
    number: int
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class MatchAll(Node):
    pass


# ---------------------------------------------------------------- lexer

_STRUCT = {
    "(": "(",
    ")": ")",
    "（": "(",
    "）": ")",
    "[": "[",
    "]": "]",
    "【": "[",
    "】": "]",
    "［": "[",
    "］": "]",
    '"': '"',
    "“": '"',
    "”": '"',
    "＂": '"',
    "=": "=",
    "＝": "=",
    ">": ">",
    "＞": ">",
    "<": "<",
    "＜": "<",
    ":": ":",
    "：": ":",
    "≥": ">=",
    "≤": "<=",
}
_OPS = {"and": "AND", "与": "AND", "or": "OR", "或": "OR", "not": "NOT", "非": "NOT"}
_PROX = re.compile(r"^(\d{1,3})([wd])$", re.I)
_HIST = re.compile(r"^#(\d{1,4})$")


@dataclass
class Tok:
    kind: str  # WORD PHRASE ( ) [ ] OP PROX FIELD CMP HIST TO END
    text: str
    pos: int
    extra: object = None


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch == "\u3000"


def lex(query: str) -> list[Tok]:
    """Split a query into tokens, each with its character position in the original text."""
    toks: list[Tok] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if _is_space(ch):
            i += 1
            continue
        s = _STRUCT.get(ch)
        if s == '"':
            close = ['"', "”", "＂"] if ch != "“" else ["”", '"']
            j = i + 1
            while j < n and query[j] not in close:
                j += 1
            if j >= n:
                raise InputError(f"引号未闭合：第{i + 1}个字符处的引号缺少对应的右引号", position=i)
            text = query[i + 1 : j]
            if not text.strip():
                raise InputError(f"第{i + 1}个字符处的引号内没有检索词", position=i)
            toks.append(Tok("PHRASE", text, i))
            i = j + 1
            continue
        if s in ("(", ")", "[", "]"):
            toks.append(Tok(s, ch, i))
            i += 1
            continue
        if s in ("=", ">", "<", ":", ">=", "<="):
            j = i + 1
            op = s
            if s in (">", "<") and j < n and _STRUCT.get(query[j]) == "=":
                op, j = s + "=", j + 1
            toks.append(Tok("CMP", "=" if op == ":" else op, i))
            i = j
            continue
        j = i
        while j < n and not _is_space(query[j]) and query[j] not in _STRUCT:
            j += 1
        word = query[i:j]
        low = unicodedata.normalize("NFKC", word).lower()
        nxt = query[j] if j < n else ""
        if _STRUCT.get(nxt) in ("=", ">", "<", ":", ">=", "<="):
            fd = FIELD_BY_KEY.get(low) or FIELD_BY_KEY.get(word)
            if fd is None:
                known = "、".join(f"{f.name} {f.code}" for f in FIELDS)
                raise InputError(f"未知的字段“{word}”（第{i + 1}个字符）。可用字段：{known}", position=i)
            toks.append(Tok("FIELD", word, i, fd))
        elif low in _OPS:
            toks.append(Tok("OP", word, i, _OPS[low]))  # extra: AND / OR / NOT
        elif _PROX.match(low):
            m = _PROX.match(low)
            toks.append(Tok("PROX", word, i, (int(m.group(1)), m.group(2) == "w")))
        elif _HIST.match(word):
            toks.append(Tok("HIST", word, i, int(_HIST.match(word).group(1))))
        else:
            toks.append(Tok("WORD", word, i))
        i = j
    toks.append(Tok("END", "", n))
    return toks


# ---------------------------------------------------------------- values


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalize_term(text: str) -> str:
    """Fold a search term the way indexed text is folded; whitespace runs become one space."""
    if not text:
        return ""
    if len(text) <= 40:  # names, agencies, addresses, titles: many recur across records
        return _normalize_short(text)
    return _normalize(text)


def _normalize(text: str) -> str:
    return " ".join(fold(_CONTROL.sub("", text)).split())


_normalize_short = lru_cache(maxsize=200_000)(_normalize)


def normalize_number(text: str) -> str:
    """Application/publication number as indexed: folded, no CN prefix, no dots or spaces."""
    t = fold(text or "").replace(".", "").replace(" ", "").replace("-", "")
    return t[2:] if t.startswith("cn") else t


def normalize_ipc(text: str) -> str:
    return fold(text or "").replace(" ", "")


_DATE_FORMATS = [
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})[-./年]?(\d{1,2})月?$"), "month"),
    (re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$"), "day"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "day"),
]


def parse_date(text: str, position: int) -> tuple[int, int]:
    """A date, month or year as an inclusive yyyymmdd range."""
    t = fold(text).strip()
    for rx, kind in _DATE_FORMATS:
        m = rx.match(t)
        if not m:
            continue
        try:
            y = int(m.group(1))
            if kind == "year":
                dt.date(y, 1, 1)
                return y * 10000 + 101, y * 10000 + 1231
            mo = int(m.group(2))
            if kind == "month":
                dt.date(y, mo, 1)
                return y * 10000 + mo * 100 + 1, y * 10000 + mo * 100 + 31
            d = int(m.group(3))
            dt.date(y, mo, d)
            v = y * 10000 + mo * 100 + d
            return v, v
        except ValueError:
            break
    raise InputError(
        f"日期“{text}”无效（第{position + 1}个字符）：请写作 2015、2015-03 或 2015-03-01", position=position
    )


def _shift(value: int, days: int) -> int:
    """yyyymmdd moved by whole days (a month end written as 31 is clamped first)."""
    import calendar

    y, m, d = value // 10000, value // 100 % 100, value % 100
    day = dt.date(y, m, min(d, calendar.monthrange(y, m)[1])) + dt.timedelta(days=days)
    return day.year * 10000 + day.month * 100 + day.day


def _keyword_value(fd: FieldDef, text: str, position: int) -> str:
    code = fd.code.lower()
    if code in ("an", "pn"):
        v = normalize_number(text)
    elif code in ("ic", "mc"):
        v = normalize_ipc(text)
    elif code == "rc":
        v = fold(text).strip()
    else:
        table = {"pt": PATENT_TYPES, "ls": LEGAL_STATUSES, "et": ENTITY_TYPES}[code]
        v = table.get(fold(text).strip())
        if v is None:
            allowed = "、".join(k for k in table if not k.isascii())
            raise InputError(f"{fd.name}“{text}”无效（第{position + 1}个字符）：可选 {allowed}", position=position)
    if not v or not v.strip("+?#"):
        raise InputError(f"{fd.name}的检索值为空（第{position + 1}个字符）", position=position)
    return v


# ---------------------------------------------------------------- parser


MAX_DEPTH = 32  # nested brackets and NOTs: far beyond any real query, far below Python's recursion limit


class Parser:
    def __init__(self, query: str):
        self.query = query
        self.toks = lex(query)
        self.i = 0
        self.depth = 0

    def _enter(self, tok: Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise InputError(
                f"检索式嵌套过深：括号和NOT最多嵌套{MAX_DEPTH}层（第{tok.pos + 1}个字符处）", position=tok.pos
            )

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def error(self, message: str, tok: Tok | None = None):
        tok = tok or self.tok
        where = "查询末尾" if tok.kind == "END" else f"第{tok.pos + 1}个字符“{tok.text}”处"
        raise InputError(f"{message}（{where}）", position=tok.pos)

    def parse(self) -> Node:
        if self.tok.kind == "END":
            raise InputError("检索式为空：请输入检索词，例如 名称=(石墨烯 AND 电池)", position=0)
        node = self.expr(None)
        if self.tok.kind != "END":
            if self.tok.kind == ")":
                self.error("多余的右括号")
            self.error("无法识别的内容")
        return node

    def expr(self, ctx: FieldDef | None) -> Node:
        parts = [self.conj(ctx)]
        while self.tok.kind == "OP" and self.tok.extra == "OR":
            self.take()
            parts.append(self.conj(ctx))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def _starts_operand(self) -> bool:
        return self.tok.kind in ("WORD", "PHRASE", "(", "FIELD", "HIST") or (
            self.tok.kind == "OP" and self.tok.extra == "NOT"
        )

    def conj(self, ctx) -> Node:
        parts = [self.unary(ctx)]
        while True:
            t = self.tok
            if t.kind == "OP" and t.extra == "AND":
                self.take()
                if not self._starts_operand():
                    self.error(f"{t.text} 之后缺少检索词")
                parts.append(self.unary(ctx))
            elif t.kind == "OP" and t.extra == "NOT":
                self.take()
                if not self._starts_operand():
                    self.error(f"{t.text} 之后缺少检索词")
                parts.append(Not(self.unary(ctx)))
            elif self._starts_operand():
                parts.append(self.unary(ctx))
            else:
                break
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self, ctx) -> Node:
        if self.tok.kind == "OP" and self.tok.extra == "NOT":
            t = self.take()
            if not self._starts_operand():
                self.error(f"{t.text} 之后缺少检索词")
            self._enter(t)
            node = Not(self.unary(ctx))
            self.depth -= 1
            return node
        return self.primary(ctx)

    def primary(self, ctx) -> Node:
        t = self.tok
        if t.kind == "(":
            self.take()
            self._enter(t)
            if self.tok.kind == ")":
                self.error("括号内没有检索词")
            node = self.expr(ctx)
            if self.tok.kind != ")":
                raise InputError(f"括号未闭合：第{t.pos + 1}个字符处的左括号缺少右括号", position=t.pos)
            self.take()
            self.depth -= 1
            return node
        if t.kind == "FIELD":
            if ctx is not None:
                self.error(f"字段“{ctx.name}”的括号内不能再指定字段")
            return self.field_clause()
        if t.kind == "HIST":
            self.take()
            return HistoryRef(t.extra, t.pos)
        if t.kind in ("WORD", "PHRASE"):
            return self.term_chain(ctx)
        if t.kind == "END":
            self.error("检索式不完整：缺少检索词")
        if t.kind == ")":
            self.error("多余的右括号")
        if t.kind == "OP":
            self.error(f"运算符 {t.text} 前缺少检索词")
        if t.kind == "PROX":
            self.error("邻近算符前缺少检索词")
        if t.kind == "CMP":
            self.error("比较符前缺少字段名")
        self.error("无法识别的内容")

    def field_clause(self) -> Node:
        ftok = self.take()
        fd: FieldDef = ftok.extra
        cmp = self.take()
        if fd.kind != "date" and cmp.text != "=":
            self.error(f"字段“{fd.name}”只能用“=”，比较符 {cmp.text} 只用于日期字段", cmp)
        if fd.kind == "date":
            return self.date_clause(fd, cmp)
        if self.tok.kind == "(":
            open_tok = self.take()
            if self.tok.kind == ")":
                self.error("括号内没有检索词")
            node = self.expr(fd)
            if self.tok.kind != ")":
                raise InputError(f"括号未闭合：第{open_tok.pos + 1}个字符处的左括号缺少右括号", position=open_tok.pos)
            self.take()
            return node
        if self.tok.kind not in ("WORD", "PHRASE"):
            self.error(f"字段“{fd.name}”之后缺少检索值")
        return self.term_chain(fd)

    def date_clause(self, fd: FieldDef, cmp: Tok) -> Node:
        code = fd.code.lower()
        if cmp.text == "=" and self.tok.kind == "[":
            open_tok = self.take()
            lo_tok = self.take()
            if lo_tok.kind != "WORD":
                self.error("日期范围应写作 [20150101 TO 20151231]", lo_tok)
            if not (self.tok.kind == "WORD" and self.tok.text.lower() == "to"):
                self.error("日期范围缺少 TO")
            self.take()
            hi_tok = self.take()
            if hi_tok.kind != "WORD":
                self.error("日期范围应写作 [20150101 TO 20151231]", hi_tok)
            if self.tok.kind != "]":
                raise InputError(f"日期范围未闭合：第{open_tok.pos + 1}个字符处的“[”缺少“]”", position=open_tok.pos)
            self.take()
            lo = parse_date(lo_tok.text, lo_tok.pos)[0]
            hi = parse_date(hi_tok.text, hi_tok.pos)[1]
            if lo > hi:
                raise InputError(f"日期范围的起始日期晚于结束日期（第{lo_tok.pos + 1}个字符）", position=lo_tok.pos)
            return DateRange(code, lo, hi)
        if cmp.text == "=" and self.tok.kind == "(":
            open_tok = self.take()
            parts = []
            while self.tok.kind == "WORD" or (self.tok.kind == "OP" and self.tok.extra == "OR"):
                t = self.take()
                if t.kind == "WORD":
                    lo, hi = parse_date(t.text, t.pos)
                    parts.append(DateRange(code, lo, hi))
            if self.tok.kind != ")" or not parts:
                raise InputError(
                    f"日期字段括号内只能是以 OR 连接的日期（第{open_tok.pos + 1}个字符）", position=open_tok.pos
                )
            self.take()
            return parts[0] if len(parts) == 1 else Or(tuple(parts))
        vt = self.take()
        if vt.kind != "WORD":
            self.error(f"字段“{fd.name}”之后缺少日期", vt)
        lo, hi = parse_date(vt.text, vt.pos)
        op = cmp.text
        if op == "=":
            return DateRange(code, lo, hi)
        if op == ">=":
            return DateRange(code, lo, None)
        if op == ">":
            return DateRange(code, _shift(hi, 1), None)
        if op == "<=":
            return DateRange(code, None, hi)
        return DateRange(code, None, _shift(lo, -1))

    def term(self, ctx: FieldDef | None) -> tuple[str, Tok]:
        t = self.take()
        if t.kind not in ("WORD", "PHRASE"):
            self.error("缺少检索词", t)
        if ctx is not None and ctx.kind == "date":
            self.error(f"日期字段“{ctx.name}”需要日期", t)
        return t.text, t

    def term_chain(self, ctx: FieldDef | None) -> Node:
        text, t = self.term(ctx)
        node = self.leaf(ctx, text, t)
        while self.tok.kind == "PROX":
            ptok = self.take()
            if ctx is not None and ctx.kind != "text":
                self.error(f"邻近算符只能用于文本字段，不能用于“{ctx.name}”", ptok)
            if self.tok.kind not in ("WORD", "PHRASE"):
                self.error("邻近算符两侧必须是检索词", ptok)
            rtext, rt = self.term(ctx)
            if not isinstance(node, Text) or is_truncated(node.pattern):
                self.error("邻近算符两侧必须是不含截词符的检索词，不能连续使用", ptok)
            right = self.leaf(ctx, rtext, rt)
            if is_truncated(right.pattern):
                self.error("邻近算符两侧必须是不含截词符的检索词", rt)
            n, ordered = ptok.extra
            node = Prox(node.fields, plain(node.pattern), plain(right.pattern), n, ordered, t.pos)
            if self.tok.kind == "PROX":
                self.error("邻近算符不能连续使用，请用 AND 连接多个邻近条件")
        return node

    def leaf(self, ctx: FieldDef | None, text: str, t: Tok) -> Node:
        if ctx is not None and ctx.kind == "keyword":
            return Keyword(ctx.code.lower(), _keyword_value(ctx, text, t.pos), t.pos)
        pattern = normalize_term(text)
        if not pattern:
            self.error("检索词为空", t)
        if t.kind == "WORD" and pattern.strip("+?#") == "":
            self.error("截词符不能单独使用，前后须有检索字符", t)
        if t.kind == "WORD":
            pattern = pattern.strip("+")  # leading/trailing "any characters" change nothing for substrings
        else:
            pattern = pattern.replace("+", "\x00+").replace("?", "\x00?").replace("#", "\x00#")  # literal in phrases
        fields = ctx.targets if ctx is not None else DEFAULT_FIELDS
        return Text(tuple(fields), pattern, t.pos)


def parse(query: str) -> Node:
    """Parse a query into an AST; raises InputError (Chinese, with position) on a syntax error."""
    if query is None:
        query = ""
    if len(query) > 4000:
        raise InputError("检索式过长（超过4000个字符）", position=4000)
    return Parser(query).parse()


def caret(query: str, position: int | None) -> str:
    """The query with a caret line under the error position (for pages and the command line)."""
    if position is None:
        return query
    position = max(0, min(position, len(query)))
    pad = "".join("　" if unicodedata.east_asian_width(c) in "WF" else " " for c in query[:position])
    return f"{query}\n{pad}^"


# ---------------------------------------------------------------- helpers over the AST


def literal_pieces(pattern: str) -> list[str]:
    """The literal runs of a (possibly truncated) pattern, escape markers removed."""
    out, cur, i = [], [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\x00" and i + 1 < len(pattern):
            cur.append(pattern[i + 1])
            i += 2
            continue
        if ch in "+?#":
            if cur:
                out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    if cur:
        out.append("".join(cur))
    return out


def is_truncated(pattern: str) -> bool:
    i = 0
    while i < len(pattern):
        if pattern[i] == "\x00":
            i += 2
            continue
        if pattern[i] in "+?#":
            return True
        i += 1
    return False


def pattern_regex(pattern: str, *, anchored: bool = False, any_char: str = "[^\n]") -> str:
    """A regular expression for a truncated pattern: + any run, ? zero or one, # exactly one character."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\x00" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append({"+": any_char + "*", "?": any_char + "?", "#": any_char}.get(ch) or re.escape(ch))
        i += 1
    body = "".join(out)
    return f"^{body}$" if anchored else body


def plain(pattern: str) -> str:
    """A pattern without escape markers (for display and highlighting)."""
    return pattern.replace("\x00", "")


def positive_terms(node: Node) -> list[str]:
    """Literal pieces of the non-negated text terms (for highlighting)."""
    out: list[str] = []

    def walk(n, neg=False):
        if isinstance(n, (And, Or)):
            for c in n.children:
                walk(c, neg)
        elif isinstance(n, Not):
            walk(n.child, not neg)
        elif isinstance(n, Text) and not neg:
            out.extend(literal_pieces(n.pattern))
        elif isinstance(n, Prox) and not neg:
            out.extend([n.left, n.right])

    walk(node)
    return sorted({t for t in out if t.strip()}, key=len, reverse=True)


def history_refs(node: Node) -> list[HistoryRef]:
    out = []

    def walk(n):
        if isinstance(n, (And, Or)):
            for c in n.children:
                walk(c)
        elif isinstance(n, Not):
            walk(n.child)
        elif isinstance(n, HistoryRef):
            out.append(n)

    walk(node)
    return out


def transform(node: Node, fn) -> Node:
    """Rebuild the tree bottom-up, replacing each leaf by fn(leaf)."""
    if isinstance(node, And):
        return And(tuple(transform(c, fn) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(transform(c, fn) for c in node.children))
    if isinstance(node, Not):
        return Not(transform(node.child, fn))
    return fn(node)


def to_text(node: Node) -> str:
    """A canonical query string for an AST (used for debugging and tests)."""
    names = {f.code.lower(): f.code for f in FIELDS}
    if isinstance(node, And):
        return "(" + " AND ".join(to_text(c) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(to_text(c) for c in node.children) + ")"
    if isinstance(node, Not):
        return "(NOT " + to_text(node.child) + ")"
    if isinstance(node, Text):
        return f'{"+".join(node.fields)}:"{plain(node.pattern)}"'
    if isinstance(node, Prox):
        return f'{"+".join(node.fields)}:("{node.left}" {node.distance}{"W" if node.ordered else "D"} "{node.right}")'
    if isinstance(node, DateRange):
        return f"{names[node.field]}=[{node.low} TO {node.high}]"
    if isinstance(node, Keyword):
        return f"{names[node.field]}={node.value}"
    if isinstance(node, HistoryRef):
        return f"#{node.number}"
    return "*"
