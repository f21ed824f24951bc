"""Questions: the one rule for a question's options and answer (used by the form and the Excel import), and bulk import
of questions into a bank from the platform's Excel template, row by row with Chinese errors naming line and field."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.db import transaction

from ipplatform.core.inputs import InputError
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from .enums import QuestionKind
from .models import Question, QuestionBank

OPTION_LETTERS = "ABCDEF"
HEADERS = ["题型", "题干", *[f"选项{c}" for c in OPTION_LETTERS], "答案", "依据", "解析"]
KIND_NAMES = {
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    "判断": QuestionKind.JUDGE,
    "判断题": QuestionKind.JUDGE,
    "填空": QuestionKind.FILL,
    "填空题": QuestionKind.FILL,
}
MAX_BYTES = 5 * 1024 * 1024  # upload cap
MAX_ROWS = 2000  # data rows per file
MAX_STEM = 2000
MAX_OPTION = 500
MODES = ("all-or-nothing", "lenient")


def parse_answer(*, kind: str, options: list[str], raw: str, by_letter: bool = False) -> tuple[list, object]:
    """Check a question's options and answer; returns (options, stored answer) or raises InputError naming the field."""
    raw = (raw or "").strip()
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(options) < 2:
            raise InputError("选择题至少需要两个选项", field="options")
        parts = [p.strip().upper() for p in raw.replace("，", ",").replace("、", ",").split(",") if p.strip()]
        if by_letter and len(parts) == 1 and len(parts[0]) > 1 and all(c in OPTION_LETTERS for c in parts[0]):
            parts = list(parts[0])  # "AC"
        numbers = []
        for p in parts:
            if p.isascii() and p.isdigit() and len(p) <= 2:
                numbers.append(int(p) - 1)
            elif len(p) == 1 and p in OPTION_LETTERS:
                numbers.append(OPTION_LETTERS.index(p))
            else:
                raise InputError(f"答案“{p}”应为选项字母（如 A 或 A,C）或选项序号", field="answer")
        last = OPTION_LETTERS[len(options) - 1] if len(options) <= len(OPTION_LETTERS) else str(len(options))
        if not numbers or any(n < 0 or n >= len(options) for n in numbers):
            raise InputError(f"答案应在已填写的选项之内（A–{last}，即1–{len(options)}）", field="answer")
        if kind == QuestionKind.SINGLE and len(set(numbers)) != 1:
            raise InputError("单选题只能有一个答案", field="answer")
        return options, sorted(set(numbers))
    if kind == QuestionKind.JUDGE:
        if raw not in ("对", "错", "正确", "错误", "√", "×"):
            raise InputError("判断题答案填“对”或“错”", field="answer")
        return [], raw in ("对", "正确", "√")
    if kind == QuestionKind.FILL:
        accepted = [a.strip() for a in raw.split("|") if a.strip()]
        if not accepted:
            raise InputError("填空题至少需要一个可接受答案（多个用|分隔）", field="answer")
        return [], accepted
    raise InputError("题型应为单选、多选、判断或填空", field="kind")


def template_bytes() -> bytes:
    """The Excel template: the columns with three worked example rows, and a sheet of filling rules."""
    examples = [
        [
            "单选",
            "发明专利权的期限为多少年，自申请日起计算？",
            "十年",
            "十五年",
            "二十年",
            "二十五年",
            "",
            "",
            "C",
            "专利法第四十二条",
            "",
        ],
        [
            "多选",
            "专利法所称的发明创造包括哪些？",
            "发明",
            "实用新型",
            "外观设计",
            "商标",
            "",
            "",
            "A,B,C",
            "专利法第二条",
            "",
        ],
        ["判断", "实用新型专利权的期限为十年，自申请日起计算。", "", "", "", "", "", "", "对", "专利法第四十二条", ""],
    ]
    rules = [
        ["题型", "必填：单选、多选、判断、填空"],
        ["题干", f"必填，不超过{MAX_STEM}字"],
        [
            "选项A–选项F",
            f"单选、多选题至少填写选项A和选项B，依次填写、中间不留空；每项不超过{MAX_OPTION}字。判断、填空题不填",
        ],
        [
            "答案",
            "单选：一个选项字母，如 C；多选：字母用逗号分隔，如 A,C；判断：对 或 错；填空：可接受的答案，多个用 | 分隔",
        ],
        ["依据", "选填，如“专利法第四十二条”，不超过200字"],
        ["解析", "选填"],
        ["导入方式", "“全部成功才导入”：任何一行有错都不导入；“导入正确的行”：正确的行导入，错误的行列出行号和字段"],
        ["容量", f"每个文件最多{MAX_ROWS}行，不超过{MAX_BYTES // 1024 // 1024} MB；只读取第一个工作表，第一行为表头"],
    ]
    return workbook_bytes([Sheet("试题", HEADERS, examples), Sheet("填写说明", ["列", "要求"], rules)])


@dataclass
class ImportResult:
    created: int = 0
    rows: int = 0
    errors: list[dict] = field(default_factory=list)  # {"line", "field", "message"}
    committed: bool = True


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _row_question(*, bank: QuestionBank, row: dict) -> Question:
    kind_raw = row["题型"]
    if not kind_raw:
        raise InputError("题型不能为空", field="题型")
    kind = KIND_NAMES.get(kind_raw) or (kind_raw if kind_raw in QuestionKind.values else None)
    if kind is None:
        raise InputError(f"题型“{kind_raw[:20]}”不正确，应为单选、多选、判断或填空", field="题型")
    stem = row["题干"]
    if not stem:
        raise InputError("题干不能为空", field="题干")
    if len(stem) > MAX_STEM:
        raise InputError(f"题干超过{MAX_STEM}字", field="题干")
    options = []
    seen_gap = ""
    for c in OPTION_LETTERS:
        value = row[f"选项{c}"]
        if not value:
            seen_gap = seen_gap or c
            continue
        if seen_gap:
            raise InputError(f"选项{seen_gap}为空而选项{c}有内容，请依次填写选项", field=f"选项{c}")
        if len(value) > MAX_OPTION:
            raise InputError(f"选项{c}超过{MAX_OPTION}字", field=f"选项{c}")
        options.append(value)
    if kind in (QuestionKind.JUDGE, QuestionKind.FILL) and options:
        raise InputError(f"{QuestionKind(kind).label}不填选项", field="选项A")
    try:
        options, answer = parse_answer(kind=kind, options=options, raw=row["答案"], by_letter=True)
    except InputError as e:
        raise InputError(
            e.message, field={"options": "选项A", "answer": "答案", "kind": "题型"}.get(e.field, e.field)
        ) from None
    if len(row["依据"]) > 200:
        raise InputError("依据超过200字", field="依据")
    return Question(
        bank=bank,
        kind=kind,
        stem=stem,
        options=options,
        answer=answer,
        basis=row["依据"],
        explanation=row["解析"][:5000],
    )


def import_questions(
    *, bank: QuestionBank, data: bytes, filename: str = "", mode: str = "all-or-nothing"
) -> ImportResult:
    """Import questions from the Excel template into a bank; all-or-nothing, or commit the good rows (mode="lenient")."""
    from openpyxl import load_workbook

    if mode not in MODES:
        raise InputError("导入方式不正确", field="mode")
    name = filename or "上传的文件"
    if len(data) > MAX_BYTES:
        raise InputError(f"{name}超过{MAX_BYTES // 1024 // 1024} MB", field="file")
    if not data.startswith(b"PK"):
        raise InputError(f"{name}不是Excel（.xlsx）文件，请使用下载的模板", field="file")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged or foreign zip: openpyxl raises several kinds
        raise InputError(f"{name}无法作为Excel（.xlsx）文件读取", field="file") from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [_text(v) for v in (next(rows, None) or [])]
        missing = [h for h in HEADERS if h not in header]
        if missing:
            raise InputError(f"{name}第1行表头缺少列：{'、'.join(missing)}（请使用下载的模板）", field="file", line=1)
        index = {h: header.index(h) for h in HEADERS}
        result = ImportResult()
        good: list[Question] = []
        for line, values in enumerate(rows, start=2):
            cells = [_text(v) for v in values]
            if not any(cells):
                continue
            result.rows += 1
            if result.rows > MAX_ROWS:
                raise InputError(f"{name}超过{MAX_ROWS}行，请分文件导入", field="file", line=line)
            row = {h: cells[i] if i < len(cells) else "" for h, i in index.items()}
            try:
                good.append(_row_question(bank=bank, row=row))
            except InputError as e:
                result.errors.append({"line": line, "field": e.field, "message": e.message})
    finally:
        wb.close()
    if result.rows == 0:
        raise InputError(f"{name}没有试题行", field="file")
    if result.errors and mode == "all-or-nothing":
        result.committed = False
        return result
    with transaction.atomic():
        Question.objects.bulk_create(good)
    result.created = len(good)
    return result
