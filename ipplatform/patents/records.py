"""Turning one file row into a canonical patent record, or into errors that say field, value and reason.

Each input format is a column mapping onto the same canonical fields (FIELDS); the built-in CNIPA, CNKI
and JSONL mappings are written down here, saved mappings (ColumnMapping) serve generic CSV/XLSX files."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone

from ipplatform.core.reference import normalize_ipc
from ipplatform.lib import appno, cnpostcode
from ipplatform.lib.textnorm import normalize_name

from .enums import PatentType

# Canonical fields a mapping can fill, with their Chinese labels (used in error reports and the mapping page).
FIELDS = {
    "application_number": "申请号",
    "publication_number": "公开（公告）号",
    "publication_date": "公开（公告）日",
    "application_date": "申请日",
    "grant_date": "授权日（颁证日）",
    "title": "名称",
    "patent_type": "专利类型",
    "kind": "文献类型代码",
    "ipc_main": "主分类号",
    "ipc_all": "分类号",
    "division_parent": "分案原申请号",
    "priority": "优先权",
    "applicants": "申请（专利权）人",
    "inventors": "发明（设计）人",
    "address": "地址",
    "postcode": "邮编",
    "pct_application": "国际申请",
    "pct_publication": "国际公布",
    "pct_entry_date": "进入国家日期",
    "agency": "专利代理机构",
    "agents": "代理人",
    "abstract": "摘要",
    "first_claim": "主权项",
    "cited_references": "参考文献",
    "examiner": "审查员",
    "is_synthetic": "模拟数据",
    "legal_status_text": "法律状态",
    "validity_text": "专利有效性",
    "locarno": "洛迦诺分类号",
}
REQUIRED_ANY = ("application_number", "publication_number")

CNIPA_MAPPING = {
    "application_number": "申请号",
    "publication_number": "公开（公告）号",
    "publication_date": "公开（公告）日",
    "application_date": "申请日",
    "grant_date": "颁证日",
    "title": "名称",
    "ipc_main": "主分类号",
    "ipc_all": "分类号",
    "division_parent": "分案原申请号",
    "priority": "优先权",
    "applicants": "申请（专利权）人",
    "inventors": "发明（设计）人",
    "address": "地址",
    "pct_application": "国际申请",
    "pct_publication": "国际公布",
    "pct_entry_date": "进入国家日期",
    "agency": "专利代理机构",
    "agents": "代理人",
    "abstract": "摘要",
    "first_claim": "主权项",
    "cited_references": "参考文献",
    "examiner": "审查员",
    "is_synthetic": "模拟数据",
    "patent_type": "专利类型",
    "postcode": "邮编",
}
CNKI_LISTING_MAPPING = {
    "publication_number": "publication_number",
    "kind": "kind_code",
    "patent_type": "type_family",
    "application_number": "application_number",
    "title": "title",
    "applicants": "applicants",
    "inventors": "inventors",
    "application_date": "application_date",
    "publication_date": "publication_date",
}
# The spider listing's 'publication_date' is the crawl date (2025-06-xx), not a publication date: it is not mapped.
CNKI_SPIDER_MAPPING = {
    "title": "title",
    "applicants": "applicants",
    "inventors": "inventors",
    "application_date": "application_date",
}
JSONL_MAPPING = {
    "publication_number": "申请公布号",
    "publication_date": "申请公布日",
    "application_number": "申请号",
    "application_date": "申请日",
    "applicants": "申请人",
    "inventors": "发明人",
    "address": "地址",
    "ipc_all": "分类号",
    "title": "tile",
    "abstract": "abstract",
    "agency": "专利代理机构",
    "agents": "代理人",
    "priority": "本国优先权",
}
JSONL_ALIASES = {"title": ("名称", "title"), "abstract": ("摘要",), "priority": ("优先权",)}
SOURCES = {"cnipa": "cnipa", "cnki_listing": "cnki", "cnki_spider": "cnki", "jsonl": "sipo_jsonl", "csv": "csv"}

EARLIEST = dt.date(1985, 4, 1)  # the Patent Law took effect on 1 April 1985
TYPE_LABELS = {
    "发明": PatentType.INVENTION,
    "发明专利": PatentType.INVENTION,
    "发明公开": PatentType.INVENTION,
    "发明授权": PatentType.INVENTION,
    "实用新型": PatentType.UTILITY,
    "外观设计": PatentType.DESIGN,
    "invention": PatentType.INVENTION,
    "utility": PatentType.UTILITY,
    "design": PatentType.DESIGN,
}
KIND_TYPES = {
    "A": PatentType.INVENTION,
    "B": PatentType.INVENTION,
    "C": PatentType.INVENTION,
    "U": PatentType.UTILITY,
    "Y": PatentType.UTILITY,
    "S": PatentType.DESIGN,
    "D": PatentType.DESIGN,
}
GRANT_KINDS = {"B", "C", "U", "Y", "S", "D"}
_PUBNO = re.compile(r"^(CN)?(\d{7,9})([A-Z]\d?)?$")
_IPC = re.compile(r"([A-H]\d{2}[A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})(?:\s*\((\d{4}\.\d{2})\))?")
_LOCARNO = re.compile(r"\d{2}-\d{2}(?:-[A-Z]\d{4})?")
_SPLIT = re.compile(r"\s*[;；]\s*")
_AGENCY_CODE = re.compile(r"^(.*?)[\s　]*(\d{5})$")
_METHOD_WORDS = ("方法", "工艺", "用途", "制备方法", "制造方法")


@dataclass
class RowError:
    line: int
    field: str
    value: str
    reason: str
    severity: str = "拒绝"  # 拒绝 = row not stored; 提示 = stored/merged or deliberately skipped, see reason


@dataclass
class Record:
    id: str
    fields: dict
    applicants: list[str]
    publications: list[tuple[str, str, dt.date | None]] = field(default_factory=list)
    line: int = 0
    kind: str = ""
    app_valid: bool | None = None
    app_reason: str = ""
    # the grant document (B/C) of a row that lists it: a new record takes it as its publication when it has no other
    grant_publication: tuple[str, dt.date | None] | None = None
    statuses: list[str] = field(default_factory=list)  # legal-status words of the source (有效, 未缴年费终止失效…)


def parse_date(value, *, fmt: str = "") -> dt.date | None:
    """Dates as written in exports: 2013.01.02, 2013-01-02, 2013/1/2, 20130102, 2013年1月2日, Excel dates."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if fmt:
        return dt.datetime.strptime(text, fmt).date()
    return _parse_date_text(text)


@lru_cache(maxsize=100_000)
def _parse_date_text(text: str) -> dt.date:
    text = text.replace("年", "-").replace("月", "-").replace("日", "").replace(".", "-").replace("/", "-")
    text = text.split(" ")[0].split("T")[0]
    if re.fullmatch(r"\d{8}", text):
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not m:
        raise ValueError("无法识别的日期格式（应为 2015-03-01、2015.03.01 或 20150301）")
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


@lru_cache(maxsize=500_000)
def norm_name(name: str) -> str:
    return normalize_name(name)


def split_list(value, sep: str = ";") -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        text = str(value)
        items = _SPLIT.split(text) if sep in (";", "；") else [p for p in text.split(sep)]
    return [i.strip() for i in items if i and i.strip()]


def parse_ipc(value) -> tuple[list[str], str]:
    """IPC symbols and their version from '主分类号/分类号' text: 'E01B3/32(2006.01)I;E01B9/10(2006.01)I'."""
    if not value:
        return [], ""
    codes, version = _parse_ipc(str(value))
    return list(codes), version


@lru_cache(maxsize=200_000)
def _parse_ipc(value: str) -> tuple[tuple, str]:
    codes, version = [], ""
    for m in _IPC.finditer(str(value).upper()):
        code = normalize_ipc(f"{m.group(1)}{int(m.group(2))}/{m.group(3)}")
        if code not in codes:
            codes.append(code)
        if m.group(4) and not version:
            version = m.group(4)
    return tuple(codes), version


def normalize_pubno(value) -> tuple[str, str]:
    """('CN202644312U', 'U') from 'CN 202644312 U' etc.; raises ValueError when it is not a publication number."""
    text = re.sub(r"[\s.]", "", str(value)).upper()
    m = _PUBNO.match(text)
    if not m:
        raise ValueError("公开（公告）号格式不对（应为 CN 加7至9位数字加文献类型代码，如 CN202644312U）")
    kind = m.group(3) or ""
    return f"CN{m.group(2)}{kind}", kind[:1]


_OFFICE = re.compile(r"\s*([A-Z]{2})[A-Z]{0,2}\s*\d")  # US2019…, WO2023…, BRPI2117369A2
OFFICE_NAMES = {
    "US": "美国专利商标局",
    "WO": "世界知识产权组织",
    "EP": "欧洲专利局",
    "JP": "日本特许厅",
    "KR": "韩国特许厅",
    "DE": "德国专利商标局",
    "GB": "英国知识产权局",
    "FR": "法国工业产权局",
    "TW": "台湾地区专利机构",
    "IN": "印度专利局",
    "AU": "澳大利亚知识产权局",
    "CA": "加拿大知识产权局",
    "RU": "俄罗斯联邦知识产权局",
    "BR": "巴西国家工业产权局",
}


def foreign_office(row: dict, mapping: dict) -> tuple[str, str] | None:
    """(office name, number) when a row's publication (or application) number belongs to another office than CN."""
    for field_name in ("publication_number", "application_number"):
        column = mapping.get(field_name)
        value = row.get(column) if column else None
        if value is None or not str(value).strip():
            continue
        m = _OFFICE.match(str(value).upper())
        if m and m.group(1) != "CN":
            return OFFICE_NAMES.get(m.group(1), f"{m.group(1)}专利局"), str(value).strip()[:40]
        return None
    return None


def fallback_id(title: str, applicants: list[str], app_date) -> str:
    """Identifier of a record with neither application nor publication number (some CNKI listings)."""
    key = f"{title}|{applicants[0] if applicants else ''}|{app_date or ''}"
    return "K" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15].upper()


_NULL_TEXTS = frozenset(("", "-", "—", "无", "None", "null"))


def _text(row: dict, column: str | None):
    """A cell's value: text stripped, and None for an empty cell or a placeholder such as '-' or '无'."""
    return _texts(row, {"": column})[""]


def _texts(row: dict, mapping: dict) -> dict:
    """_text() of every mapped column (name -> column), in one loop: it runs for every field of every row."""
    out = {}
    get = row.get
    for name, column in mapping.items():
        value = get(column) if column else None
        if isinstance(value, str):
            value = value.strip()
            if value in _NULL_TEXTS:
                value = None
        out[name] = value
    return out


class _RowErrors(list):
    """The errors of one row, each naming the field by its Chinese label."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line

    def add(self, name: str, value, reason: str) -> None:
        self.append(RowError(self.line, FIELDS.get(name, name), "" if value is None else str(value)[:200], reason))


def build_record(
    row: dict,
    *,
    line: int,
    mapping: dict,
    source: str,
    source_file: str,
    fmt: str,
    date_format: str = "",
    list_sep: str = ";",
    today: dt.date | None = None,
) -> tuple[Record | None, list[RowError]]:
    """Canonical record from one row, or None with the row's errors (every problem of the row is listed)."""
    today = today or timezone.localdate()
    errors = _RowErrors(line)
    get = _row_values(row, mapping, fmt, errors)
    app = _application_number(get, errors)
    pub_no, kind = _publication_number(get, errors)
    dates = _dates(get, errors, date_format=date_format, today=today)
    title = _title(get, errors)
    applicants = []
    for name in split_list(get.get("applicants"), list_sep):
        n = norm_name(name)
        if n and n not in applicants:
            applicants.append(n[:300])
    if (
        app is None
        and not pub_no
        and fmt != "cnki_spider"
        and not any(e.field in ("申请号", "公开（公告）号") for e in errors)
    ):
        errors.add("application_number", None, "申请号和公开（公告）号均为空，无法确定记录")
    ptype = _patent_type(get, errors, app=app, pub_no=pub_no, kind=kind, title=title)
    if errors:
        return None, list(errors)

    f: dict = {"patent_type": ptype, "title": str(title).strip()}
    f.update(_text_fields(get))
    f.update(_classification_fields(get))
    if applicants:
        f["applicants_text"] = "; ".join(applicants)
    f.update(_party_fields(get, list_sep))
    f.update(_address_fields(get))
    f.update(dates)
    publications, grant_publication = _publications(f, pub_no=pub_no, kind=kind, ptype=ptype)
    statuses = [str(get[k]).strip() for k in ("legal_status_text", "validity_text") if get.get(k) not in (None, "")]
    syn = get.get("is_synthetic")
    if syn is not None and str(syn).strip() in ("是", "1", "true", "True", "模拟", "模拟数据"):
        f["is_synthetic"] = True
        source = "synthetic"
    if app is not None:
        rid = app.normalized
        f["application_number"] = app.display
        f["application_number_valid"] = True
    elif pub_no:
        # Without an application number the record is keyed by the publication number without its kind code: an
        # invention's A (公开) and B/C (授权) documents share the number, so both rows make one patent.
        rid = re.sub(r"[A-Z]\d?$", "", pub_no)
    else:
        rid = fallback_id(f["title"], applicants, dates.get("application_date"))
    f["source"] = source
    f["source_file"] = source_file[:200]
    return Record(
        rid,
        f,
        applicants,
        publications,
        line,
        kind,
        True if app else None,
        grant_publication=grant_publication,
        statuses=[t for t in statuses if t],
    ), []


def _row_values(row: dict, mapping: dict, fmt: str, errors: _RowErrors) -> dict:
    """The row's values by field name (JSON lines also under their aliases); text garbled by a wrong encoding is
    reported and dropped."""
    get = _texts(row, mapping)
    if fmt == "jsonl":
        for name, aliases in JSONL_ALIASES.items():
            if get.get(name) is None:
                for alias in aliases:
                    if _text(row, alias) is not None:
                        get[name] = _text(row, alias)
                        break
    for key, value in list(get.items()):
        if isinstance(value, str) and "\ufffd" in value:
            errors.add(key, value, "含无法识别的字符：文件编码与其余部分不一致（请统一为UTF-8或GBK）")
            get[key] = None
    return get


def _application_number(get: dict, errors: _RowErrors):
    raw = get.get("application_number")
    if raw is None:
        return None
    app = appno.parse(raw)
    if not app.valid:
        errors.add("application_number", raw, app.reason)
    return app


def _publication_number(get: dict, errors: _RowErrors) -> tuple[str, str]:
    """The publication number without its kind code, and the kind code (an explicit kind column wins)."""
    pub_no, kind = "", ""
    if get.get("publication_number") is not None:
        try:
            pub_no, kind = normalize_pubno(get["publication_number"])
        except ValueError as exc:
            errors.add("publication_number", get["publication_number"], str(exc))
    if get.get("kind"):
        kind = str(get["kind"]).strip().upper()[:1] or kind
    return pub_no, kind


def _dates(get: dict, errors: _RowErrors, *, date_format: str, today: dt.date) -> dict[str, dt.date]:
    dates = {}
    for name in ("application_date", "publication_date", "grant_date", "pct_entry_date"):
        value = get.get(name)
        if value is None:
            continue
        try:
            day = parse_date(value, fmt=date_format)
        except (ValueError, TypeError) as exc:
            msg = (
                str(exc)
                if "格式" in str(exc)
                else f"不是有效日期（{exc}）"
                if "day" in str(exc) or "month" in str(exc)
                else "无法识别的日期"
            )
            errors.add(name, value, msg)
            continue
        if day is not None and (day < EARLIEST or day > today + dt.timedelta(days=1)):
            errors.add(name, value, f"日期超出合理范围（应在{EARLIEST:%Y-%m-%d}至今天之间）")
            continue
        dates[name] = day
    if (
        dates.get("application_date")
        and dates.get("publication_date")
        and dates["publication_date"] < dates["application_date"]
    ):
        errors.add("publication_date", get.get("publication_date"), "公开（公告）日早于申请日")
    return dates


def _title(get: dict, errors: _RowErrors):
    title = get.get("title")
    if title is None or not str(title).strip():
        errors.add("title", title, "名称为空")
    elif len(str(title)) > 500:
        errors.add("title", title, "名称超过500字")
    return title


def _patent_type(get: dict, errors: _RowErrors, *, app, pub_no: str, kind: str, title) -> str:
    """The application number's type digit, then the kind code, then an explicit label, then the publication
    number's digit, then method words in the title (inventions only)."""
    ptype = app.patent_type if app is not None and app.valid else ""
    kind_type = KIND_TYPES.get(kind, "")
    if not ptype:
        ptype = kind_type
    label = get.get("patent_type")
    if not ptype and label:
        ptype = TYPE_LABELS.get(str(label).strip(), "")
    if not ptype and pub_no and not kind:
        ptype = {"1": PatentType.INVENTION, "2": PatentType.UTILITY, "3": PatentType.DESIGN}.get(pub_no[2], "")
    if ptype and kind_type and app is not None and app.valid and kind_type != ptype:
        errors.add(
            "publication_number",
            get.get("publication_number"),
            f"文献类型代码{kind}与申请号的专利类型位（{dict(PatentType.choices)[ptype]}）不一致",
        )
    if not ptype and title and any(w in str(title) for w in _METHOD_WORDS):
        ptype = PatentType.INVENTION  # only an invention patent can protect a method
    return ptype


_TEXT_LIMITS = {"division_parent": 20, "pct_application": 100, "pct_publication": 100, "examiner": 60}


def _text_fields(get: dict) -> dict:
    f = {}
    for name in (
        "abstract",
        "first_claim",
        "priority",
        "division_parent",
        "pct_application",
        "pct_publication",
        "cited_references",
        "examiner",
    ):
        value = get.get(name)
        if value is not None:
            text = str(value).strip()
            f[name] = text[: _TEXT_LIMITS[name]] if name in _TEXT_LIMITS else text
    return f


def _classification_fields(get: dict) -> dict:
    f = {}
    ipc_main, _ = parse_ipc(get.get("ipc_main"))
    # a design's 主分类号 is a Locarno class (21-01, or 21-01-C0293 with the old Chinese sub-item): kept as such
    loc = _LOCARNO.match(str(get.get("locarno") or get.get("ipc_main") or "").strip())
    if loc and not ipc_main:
        f["locarno"] = loc.group(0)[:20]
    ipc_all, version = parse_ipc(get.get("ipc_all"))
    if ipc_main and ipc_main[0] not in ipc_all:
        ipc_all.insert(0, ipc_main[0])
    if ipc_all:
        f["ipc_all"] = ipc_all
        f["ipc_main"] = ipc_main[0] if ipc_main else ipc_all[0]
    if version:
        f["ipc_version"] = version
    return f


def _party_fields(get: dict, list_sep: str) -> dict:
    """Inventors, agents and the agency (with its code when the text carries one)."""
    f = {}
    inventors = split_list(get.get("inventors"), list_sep)
    if inventors:
        f["inventors"] = inventors
    agents = split_list(get.get("agents"), list_sep)
    if agents:
        f["agents"] = agents
    if get.get("agency") is not None:
        agency = str(get["agency"]).strip()
        m = _AGENCY_CODE.match(agency)
        name, code = (m.group(1).strip(), m.group(2)) if m else (agency, "")
        f["agency"] = name[:200]
        if code:
            f["agency_code"] = code
    return f


def _address_fields(get: dict) -> dict:
    """The address, and the postcode from its own column or else from the start of the address."""
    f = {}
    address = get.get("address")
    postcode = get.get("postcode")
    if address is not None:
        pc, rest = cnpostcode.extract(str(address))
        f["address"] = (rest or str(address)).strip()[:300]
        if pc:
            f["postcode"] = pc
    if postcode is not None:
        pc = re.sub(r"\D", "", str(postcode))
        if len(pc) == 6:
            f["postcode"] = pc
    return f


def _publications(f: dict, *, pub_no: str, kind: str, ptype: str):
    """The row's publication documents and its grant document; sets the grant date and publication fields on `f`."""
    publications, grant_publication = [], None
    if not pub_no:
        return publications, grant_publication
    pub_date = f.get("publication_date")
    publications.append((pub_no, kind, pub_date))
    if kind in GRANT_KINDS or (not kind and ptype in (PatentType.UTILITY, PatentType.DESIGN)):
        # utility models and designs are published once, on grant; a B document is the grant of an invention
        if pub_date and not f.get("grant_date"):
            f["grant_date"] = pub_date
    if kind in ("B", "C"):
        grant_publication = (pub_no, pub_date)
        f.pop("publication_date", None)
    else:
        f["publication_number"] = pub_no
    return publications, grant_publication
