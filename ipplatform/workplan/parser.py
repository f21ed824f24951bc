"""Parse an annual work plan (工作要点) from its text: preamble, sections "一、…", tasks "——…", responsible units.

Pure functions, no database: matching unit names to organisations is done by units.expand_task_units().
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMERALS = "零一二三四五六七八九"
SECTION_RE = re.compile(r"^([一二三四五六七八九十]{1,3})、\s*(.+)$")
DASHES = ("——", "—-", "--", "──")
GROUP_SEPARATORS = re.compile(r"[,，;；]")
OPEN_BRACKETS, CLOSE_BRACKETS = "(（", ")）"

# Unit reference kinds: a named unit, or a collective phrase expanded by units.expand_task_units().
NAMED = "named"
ALL_DEPARTMENTS = "all_departments"
RELEVANT_DEPARTMENTS = "relevant_departments"
ALL_CITIES = "all_cities"
RELEVANT_CITIES = "relevant_cities"
# Longest phrases first: each is replaced by a placeholder before the list is split on "、".
COLLECTIVE_PHRASES = [
    ("各有关处室、单位", RELEVANT_DEPARTMENTS),
    ("各有关处室、直属单位", RELEVANT_DEPARTMENTS),
    ("各处室、直属单位", ALL_DEPARTMENTS),
    ("各处室、单位", ALL_DEPARTMENTS),
    ("局属各单位", ALL_DEPARTMENTS),
    ("各有关处室", RELEVANT_DEPARTMENTS),
    ("各处室", ALL_DEPARTMENTS),
    ("各有关设区市知识产权局", RELEVANT_CITIES),
    ("各有关市知识产权局", RELEVANT_CITIES),
    ("各有关市局", RELEVANT_CITIES),
    ("各设区市知识产权局", ALL_CITIES),
    ("各地市知识产权局", ALL_CITIES),
    ("各市知识产权局", ALL_CITIES),
    ("各市局", ALL_CITIES),
]


class PlanParseError(ValueError):
    """A plan text that cannot be read as a plan at all; carries the line number."""

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line


@dataclass
class UnitRef:
    text: str  # as written, e.g. "青岛市知识产权局" or "各市知识产权局"
    kind: str = NAMED
    lead: bool = False


@dataclass
class ParsedTask:
    number: int  # 1-based across the plan
    section: int  # section number
    line: int  # line of the task's "——"
    lead: str  # the lead sentence, without its full stop
    body: str  # the rest of the task text, without the bracket
    units_text: str  # the bracket's content ("" when missing)
    units: list[UnitRef] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedSection:
    number: int
    numeral: str
    title: str
    line: int
    tasks: list[ParsedTask] = field(default_factory=list)
    intro: str = ""


@dataclass
class ParsedPlan:
    preamble: str
    sections: list[ParsedSection]
    warnings: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> list[ParsedTask]:
        return [t for s in self.sections for t in s.tasks]


def chinese_number(numeral: str) -> int:
    """'六' -> 6, '十二' -> 12, '二十' -> 20."""
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (NUMERALS.index(tens) if tens else 1) * 10 + (NUMERALS.index(ones) if ones else 0)
    return NUMERALS.index(numeral)


def split_trailing_bracket(text: str) -> tuple[str, str | None]:
    """('body', 'units') when the text ends with a bracket, else (text, None); nested brackets are respected."""
    stripped = text.rstrip().rstrip("。.；;")
    if not stripped or stripped[-1] not in CLOSE_BRACKETS:
        return text.strip(), None
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        ch = stripped[i]
        if ch in CLOSE_BRACKETS:
            depth += 1
        elif ch in OPEN_BRACKETS:
            depth -= 1
            if depth == 0:
                return stripped[:i].strip(), stripped[i + 1 : -1].strip()
    return text.strip(), None


def parse_units(text: str) -> list[UnitRef]:
    """Units of one bracket, lead first: '规划发展处及各处室、单位,各市知识产权局' -> [规划发展处*, 各处室、单位, 各市知识产权局]."""
    refs: list[UnitRef] = []
    for group in GROUP_SEPARATORS.split(text or ""):
        group = group.strip()
        if not group:
            continue
        group = re.sub(r"及(?=各|局属)", "、", group)
        placeholders: dict[str, tuple[str, str]] = {}
        for n, (phrase, kind) in enumerate(COLLECTIVE_PHRASES):
            if phrase in group:
                token = f"\x00{n}\x00"
                placeholders[token] = (phrase, kind)
                group = group.replace(phrase, f"、{token}、")
        for part in group.split("、"):
            part = part.strip().strip("。.")
            if part.startswith("及"):
                part = part[1:]
            if not part:
                continue
            if part in placeholders:
                phrase, kind = placeholders[part]
                refs.append(UnitRef(phrase, kind))
            else:
                refs.append(UnitRef(part, NAMED))
    if refs and refs[0].kind == NAMED:
        refs[0].lead = True
    return refs


def _is_task_start(line: str) -> str | None:
    for dash in DASHES:
        if line.startswith(dash):
            return line[len(dash) :].lstrip("—- ").strip()
    return None


def _split_lead(text: str) -> tuple[str, str]:
    head, sep, rest = text.partition("。")
    if not sep:
        return text.strip(), ""
    return head.strip(), rest.strip()


def _finish(task: ParsedTask, text: str) -> None:
    body, units = split_trailing_bracket(text)
    task.lead, task.body = _split_lead(body)
    where = f"第{task.line}行（第{task.number}项任务“{task.lead[:20]}”）"
    if not task.lead:
        task.warnings.append(f"{where}：任务内容为空")
    if units is None:
        task.units_text = ""
        task.warnings.append(
            f"{where}：末尾没有责任单位括号，应为“（牵头单位、配合单位）”，导入后须在任务页指定责任单位"
        )
        return
    task.units_text = units
    task.units = parse_units(units)
    if not task.units:
        task.warnings.append(f"{where}：责任单位括号为空，导入后须在任务页指定责任单位")
    elif not task.units[0].lead:
        task.warnings.append(f"{where}：第一个责任单位“{task.units[0].text}”是统称，未明确牵头单位")


def parse_plan(text: str) -> ParsedPlan:
    """Parse a whole plan; raises PlanParseError when no section or task structure is found."""
    if text is None or not text.strip():
        raise PlanParseError("文件内容为空：没有可导入的工作要点")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    preamble: list[str] = []
    sections: list[ParsedSection] = []
    warnings: list[str] = []
    task: ParsedTask | None = None
    task_text = ""
    number = 0

    def close():
        nonlocal task, task_text
        if task is not None:
            _finish(task, task_text)
            sections[-1].tasks.append(task)
        task, task_text = None, ""

    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        heading = SECTION_RE.match(line)
        if heading and len(heading.group(2)) <= 80 and split_trailing_bracket(line)[1] is None:
            close()
            num = chinese_number(heading.group(1))
            expected = len(sections) + 1
            if num != expected:
                warnings.append(f"第{lineno}行：部分序号“{heading.group(1)}、”与顺序不符（应为第{expected}部分）")
            sections.append(
                ParsedSection(number=expected, numeral=heading.group(1), title=heading.group(2).strip(), line=lineno)
            )
            continue
        start = _is_task_start(line)
        if start is not None:
            if not sections:
                raise PlanParseError(f"第{lineno}行：任务出现在第一个部分标题（“一、……”）之前", line=lineno)
            close()
            number += 1
            task = ParsedTask(number=number, section=sections[-1].number, line=lineno, lead="", body="", units_text="")
            task_text = start
            continue
        if not sections:
            preamble.append(line)
        elif task is not None and split_trailing_bracket(task_text)[1] is None:
            task_text = f"{task_text}{line}"  # "——" alone on its line, or a wrapped line
        elif task is not None:
            close()
            number += 1
            warnings.append(f"第{lineno}行：段落不以“——”开头，已按新任务处理")
            task = ParsedTask(number=number, section=sections[-1].number, line=lineno, lead="", body="", units_text="")
            task_text = line
        else:
            sections[-1].intro = f"{sections[-1].intro}{line}"
    close()
    if not sections:
        raise PlanParseError("未识别到任何部分标题：每部分应以“一、”“二、”……开头")
    for s in sections:
        if not s.tasks:
            warnings.append(f"第{s.line}行：第{s.number}部分“{s.title[:20]}”下没有任务（任务应以“——”开头）")
    if number == 0:
        raise PlanParseError("未识别到任何任务：每项任务应以“——”开头")
    return ParsedPlan(preamble="\n".join(preamble), sections=sections, warnings=warnings)


TARGET_PATTERNS = [
    # (key, label, regex, unit)
    (
        "invention_applications_growth",
        "发明专利申请量增长",
        re.compile(r"发明专利申请量(?:和授权量)?(?:同比)?增长\s*(\d+(?:\.\d+)?)\s*[%％]"),
        "%",
    ),
    (
        "invention_grants_growth",
        "发明专利授权量增长",
        re.compile(r"(?:发明专利申请量和)?授权量(?:同比)?增长\s*(\d+(?:\.\d+)?)\s*[%％]"),
        "%",
    ),
    (
        "valid_invention_per_10k",
        "万人有效发明专利拥有量",
        re.compile(r"万人有效发明专利拥有量(?:达到|提高到|达)\s*(\d+(?:\.\d+)?)\s*件"),
        "件",
    ),
]


def parse_targets(preamble: str) -> list[dict]:
    """Headline targets stated in the preamble: [{'key', 'label', 'target', 'unit', 'text'}]."""
    out = []
    for key, label, regex, unit in TARGET_PATTERNS:
        m = regex.search(preamble or "")
        if m:
            start = max(
                0,
                preamble.rfind("，", 0, m.start()) + 1,
                preamble.rfind("。", 0, m.start()) + 1,
                preamble.rfind(",", 0, m.start()) + 1,
            )
            out.append(
                {
                    "key": key,
                    "label": label,
                    "target": float(m.group(1)),
                    "unit": unit,
                    "text": preamble[start : m.end()].strip(),
                }
            )
    return out


EXCEL_HEADERS = ["部分", "任务", "工作内容", "责任单位"]
PREAMBLE_SECTION_NAMES = {"总体要求", "总体目标", "总体要求和目标", "前言"}


def parse_rows(rows: list[tuple[int, list[str]]]) -> ParsedPlan:
    """Parse spreadsheet rows (row number, [部分, 任务, 工作内容, 责任单位]) after the header row."""
    preamble: list[str] = []
    sections: list[ParsedSection] = []
    warnings: list[str] = []
    number = 0
    for rownum, cells in rows:
        cells = [("" if c is None else str(c)).strip() for c in (list(cells) + ["", "", "", ""])[:4]]
        section_text, lead, body, units = cells
        if not any(cells):
            continue
        if section_text in PREAMBLE_SECTION_NAMES:
            preamble.append(body or lead)
            continue
        if not section_text and not sections:
            raise PlanParseError(f"第{rownum}行：“部分”列为空，且前面没有部分标题", line=rownum)
        if section_text:
            heading = SECTION_RE.match(section_text)
            title = heading.group(2).strip() if heading else section_text
            if not sections or sections[-1].title != title:
                sections.append(
                    ParsedSection(
                        number=len(sections) + 1, numeral=_numeral(len(sections) + 1), title=title, line=rownum
                    )
                )
        if not lead and not body:
            warnings.append(f"第{rownum}行：“任务”和“工作内容”列均为空，已跳过该行（部分标题已记录）")
            continue
        number += 1
        task = ParsedTask(number=number, section=sections[-1].number, line=rownum, lead="", body="", units_text="")
        bracket = ""
        if units:
            inner = units.strip()
            if inner[0] in OPEN_BRACKETS and inner[-1] in CLOSE_BRACKETS:
                inner = inner[1:-1]
            bracket = f"（{inner}）" if inner.strip() else "（）"
        _finish(task, f"{lead.rstrip('。')}。{body}{bracket}" if lead else f"{body}{bracket}")
        sections[-1].tasks.append(task)
    if not sections:
        raise PlanParseError("表格中没有任何任务行：表头下应有“部分、任务、工作内容、责任单位”四列数据")
    return ParsedPlan(preamble="\n".join(preamble), sections=sections, warnings=warnings)


def _numeral(n: int) -> str:
    if n < 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return f"{NUMERALS[tens] if tens > 1 else ''}十{NUMERALS[ones] if ones else ''}"
