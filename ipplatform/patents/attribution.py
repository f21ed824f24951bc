"""Applicant entity types from names, and region attribution from address, postcode and (weakly) name.

Regions are GB/T 2260 codes of revision 201512 (core.Division): province level nationally, Shandong down to
county. Historical codes stay as filed (a 2015 莱芜 address stays 371200); core.regions.to_current() maps them
to today's divisions only when a caller asks. Every result carries its method and a confidence; a record
that cannot be placed gets method 'none' and a reason, and is listed on the unattributed page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from ipplatform.core.regions import city_code_of, province_code_of
from ipplatform.lib import cnpostcode

from .enums import EntityType, RegionMethod

REVISION = "201512"

# ---------------------------------------------------------------- entity types

# Keyword -> type; the keyword whose match ends last in the name decides (山东大学科技开发公司 is an enterprise,
# 青岛海尔研究院有限公司 too, 中国科学院大学 is a university).
_TYPE_KEYWORDS = [
    (
        EntityType.ENTERPRISE,
        [
            "公司",
            "集团",
            "厂",
            "企业",
            "合作社",
            "商行",
            "工作室",
            "事务所",
            "有限合伙",
            "经营部",
            "门市部",
            "加工部",
            "制品部",
            "店",
            "中心(有限合伙)",
            "株式会社",
            "股份",
            "CO.",
            "CO.,",
            "LTD",
            "LIMITED",
            "INC",
            "GMBH",
            "CORP",
            "AG",
            "S.A.",
            "LLC",
            "PLC",
            "COMPANY",
            "B.V.",
            "KK",
            "OY",
            "AB",
        ],
    ),
    (EntityType.UNIVERSITY, ["大学", "学院", "学校", "高等专科", "UNIVERSITY", "COLLEGE", "INSTITUTE OF TECHNOLOGY"]),
    (
        EntityType.INSTITUTE,
        [
            "研究所",
            "研究院",
            "科学院",
            "研究中心",
            "实验室",
            "设计院",
            "勘察院",
            "工程院",
            "试验站",
            "检测中心",
            "监测中心",
            "RESEARCH",
            "LABORATOR",
        ],
    ),
    (
        EntityType.GOVERNMENT,
        [
            "局",
            "委员会",
            "政府",
            "办公室",
            "医院",
            "协会",
            "学会",
            "基金会",
            "管理处",
            "管理站",
            "管理所",
            "供电段",
            "部队",
            "总队",
            "支队",
            "大队",
            "中队",
            "军区",
            "街道办事处",
            "居委会",
            "村委会",
            "卫生院",
            "疾病预防控制中心",
            "服务中心",
            "推广站",
            "推广中心",
            "保护站",
            "博物馆",
            "图书馆",
            "法院",
            "检察院",
            "中心",
        ],
    ),
]
_LATIN_PERSON = re.compile(r"^[A-Za-z][A-Za-z.'\- ]{1,40}$")
_CJK = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


def infer_entity_type(name: str) -> str:
    """Entity type inferred from a normalised name; 'unknown' when nothing indicates one."""
    if not name:
        return EntityType.UNKNOWN
    upper = name.upper()
    best, best_end = None, -1
    for kind, words in _TYPE_KEYWORDS:
        for word in words:
            hay = upper if word.isascii() else name
            pos = hay.rfind(word)
            if pos < 0:
                continue
            if word.isascii() and word.isalpha() and len(word) <= 4:
                # short Latin tokens must stand alone ("AG", "KK", "AB", "INC")
                if not re.search(rf"(?<![A-Z]){re.escape(word)}(?![A-Z])", upper):
                    continue
                pos = max(m.start() for m in re.finditer(rf"(?<![A-Z]){re.escape(word)}(?![A-Z])", upper))
            end = pos + len(word)
            # "中心" is weak: only used when nothing more specific matched
            if word == "中心":
                end = -0.5 if best is None else best_end
                if best is None:
                    best, best_end = kind, 0
                continue
            if end > best_end:
                best, best_end = kind, end
    if best is not None:
        return best
    if _CJK.match(name):
        return EntityType.INDIVIDUAL
    if _LATIN_PERSON.match(name) and "," not in name and len(name.split()) <= 4:
        return EntityType.INDIVIDUAL
    return EntityType.UNKNOWN


# ---------------------------------------------------------------- region index

_PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}
FOREIGN_WORDS = (
    "美国",
    "日本",
    "韩国",
    "大韩民国",
    "德国",
    "法国",
    "英国",
    "瑞士",
    "瑞典",
    "荷兰",
    "意大利",
    "加拿大",
    "澳大利亚",
    "新加坡",
    "芬兰",
    "丹麦",
    "挪威",
    "比利时",
    "奥地利",
    "以色列",
    "印度",
    "西班牙",
    "俄罗斯",
    "卢森堡",
    "爱尔兰",
    "新西兰",
    "巴西",
    "开曼群岛",
    "英属维尔京群岛",
    "百慕大",
    "马来西亚",
    "泰国",
    "沙特阿拉伯",
    "列支敦士登",
    "墨西哥",
    "南非",
    "葡萄牙",
    "波兰",
    "捷克",
    "匈牙利",
)


def _short(name: str, level: str) -> str:
    if level == "province":
        if name in _PROVINCE_SHORT:
            return _PROVINCE_SHORT[name]
        return name[:-1] if name.endswith(("省", "市")) else name
    if level == "city":
        for suffix in ("市", "地区", "盟"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                return name[: -len(suffix)]
        return name
    # counties: only county-level cities and counties with a distinctive stem (寿光市 -> 寿光, 海安县 -> 海安)
    if name.endswith(("县", "市")) and len(name) >= 3 and not name.endswith("自治县"):
        return name[:-1]
    return name


@dataclass
class RegionIndex:
    provinces: list[tuple[str, str]]  # (name or short name, code), longest first
    children: dict[str, list[tuple[str, str]]]  # parent code -> (name, code) longest first
    cities_national: dict[str, str]  # full city names -> code (unique only)
    home: str  # province code whose divisions are attributed to county level
    names: dict[str, str]
    cities_of: dict = None  # province code -> (name, city code) longest first
    counties_of: dict = None  # city or province code -> (name, county code) longest first


@lru_cache(maxsize=2)
def region_index(revision: str = REVISION) -> RegionIndex:
    from ipplatform.core.models import Division

    rows = list(Division.objects.filter(revision=revision).values_list("code", "name", "level"))
    provinces, children, city_counts, names = [], {}, {}, {}
    for code, name, level in rows:
        names[code] = name
        if level == "province":
            provinces.append((name, code))
            short = _short(name, "province")
            if short != name:
                provinces.append((short, code))
        elif level == "city":
            parent = province_code_of(code)
            children.setdefault(parent, []).append((name, code))
            short = _short(name, "city")
            if short != name:
                children[parent].append((short, code))
            city_counts.setdefault(name, []).append(code)
            if short != name:
                city_counts.setdefault(short, []).append(code)
        else:
            parent = city_code_of(code)
            prov = province_code_of(code)
            for key in {parent, prov}:
                children.setdefault(key, []).append((name, code))
                short = _short(name, "county")
                if short != name:
                    children[key].append((short, code))
    provinces.sort(key=lambda t: -len(t[0]))
    for key in children:
        children[key].sort(key=lambda t: -len(t[0]))
    cities_national = {n: codes[0] for n, codes in city_counts.items() if len(codes) == 1}
    home = getattr(settings, "PROVINCE_CODE", "370000")
    cities_of = {k: [c for c in v if c[1].endswith("00") and not c[1].endswith("0000")] for k, v in children.items()}
    counties_of = {k: [c for c in v if not c[1].endswith("00")] for k, v in children.items()}
    return RegionIndex(provinces, children, cities_national, home, names, cities_of, counties_of)


def clear_cache() -> None:
    region_index.cache_clear()
    attribute.cache_clear()


def _match_prefix(text: str, candidates: list[tuple[str, str]]) -> tuple[str, str] | None:
    for name, code in candidates:
        if text.startswith(name):
            return name, code
    return None


@dataclass(frozen=True)
class Attribution:
    region_code: str = ""
    city_code: str = ""
    province_code: str = ""
    method: str = RegionMethod.NONE
    confidence: float = 0.0
    country: str = "CN"
    reason: str = ""  # why not attributed (or a conflict note)

    @property
    def attributed(self) -> bool:
        return bool(self.region_code)


def _parse_address(address: str, idx: RegionIndex) -> tuple[str, str, str]:
    """(province, city, county) codes found at the start of an address ('' where not found)."""
    text = address.replace(" ", "")
    prov = city = county = ""
    m = _match_prefix(text, idx.provinces)
    if m:
        prov = m[1]
        text = text[len(m[0]) :]
    else:
        for length in range(8, 1, -1):
            code = idx.cities_national.get(text[:length])
            if code:
                prov, city = province_code_of(code), code
                text = text[length:]
                break
    if not prov:
        return "", "", ""
    if not city:
        m = _match_prefix(text, idx.cities_of.get(prov, ()))
        if m:
            city = m[1]
            text = text[len(m[0]) :]
    parent = city or prov
    m = _match_prefix(text, idx.counties_of.get(parent, ()))
    if m:
        county = m[1]
        city = city or city_code_of(county)
    return prov, city, county


# Reviewed exceptions to inference from names: names that start with a Shandong place name but belong to a body
# elsewhere. Each entry: name prefix -> why (shown as the record's region note). Reviewed against the applicant names in
# data/patents_cn (2026-12-05); add an entry with its reason when a wrong attribution is found.
NAME_EXCEPTIONS = {
    "德州仪器": "德州仪器为美国Texas Instruments的中文名（德州=美国得克萨斯州），不属山东德州",
    "德州大学": "德州大学指美国得克萨斯大学（University of Texas），不属山东德州；山东德州的高校为德州学院",
    "德州农工大学": "德州农工大学为美国Texas A&M University，不属山东德州",
    "德州理工大学": "德州理工大学为美国Texas Tech University，不属山东德州",
    "德州农工": "德州农工指美国Texas A&M，不属山东德州",
}


def name_exception(name: str) -> str:
    """The reviewed reason why a name is not attributed to the place it starts with, or ''."""
    for prefix, why in NAME_EXCEPTIONS.items():
        if name.startswith(prefix):
            return why
    return ""


@lru_cache(maxsize=200_000)
def attribute(address: str, postcode: str, applicant_name: str = "") -> Attribution:
    """Attribute a region from an address and postcode, with the applicant name as a weak fallback."""
    idx = region_index()
    address = (address or "").strip()
    pc, rest = cnpostcode.extract(address)
    postcode = (postcode or "").strip() or pc
    address = rest if pc else address
    if address and (address.startswith(FOREIGN_WORDS) or not _HAS_CJK.search(address)):
        return Attribution(country="", reason="境外地址")
    prov, city, county = _parse_address(address, idx) if address else ("", "", "")
    pc_prov = cnpostcode.province_of(postcode)
    pc_city = cnpostcode.shandong_city_of(postcode)
    home = idx.home
    if prov:
        if prov != home:
            agree = pc_prov == prov
            return Attribution(
                prov,
                "",
                prov,
                RegionMethod.POSTCODE_ADDRESS if agree else RegionMethod.ADDRESS_PROVINCE,
                0.95 if agree else 0.85,
                "CN",
                "" if agree or not pc_prov else "邮编与地址省份不一致，以地址为准",
            )
        if county:
            agree = pc_city == city_code_of(county)
            return Attribution(
                county,
                city_code_of(county),
                prov,
                RegionMethod.POSTCODE_ADDRESS if agree else RegionMethod.ADDRESS_COUNTY,
                0.95 if agree else 0.9,
                "CN",
                "" if agree or not pc_city else "邮编与地址地市不一致，以地址为准",
            )
        if city:
            agree = pc_city == city
            return Attribution(
                city,
                city,
                prov,
                RegionMethod.POSTCODE_ADDRESS if agree else RegionMethod.ADDRESS_CITY,
                0.9 if agree else 0.85,
                "CN",
                "" if agree or not pc_city else "邮编与地址地市不一致，以地址为准",
            )
        # Shandong named but no city in the address: the postcode may place the city
        if pc_city:
            return Attribution(pc_city, pc_city, prov, RegionMethod.POSTCODE, 0.75, "CN", "地址只写到省，地市按邮编")
        return Attribution(prov, "", prov, RegionMethod.ADDRESS_PROVINCE, 0.8, "CN", "地址只写到省")
    if pc_prov:
        if pc_prov == home:
            if pc_city:
                return Attribution(pc_city, pc_city, pc_prov, RegionMethod.POSTCODE, 0.7, "CN", "地址未识别，按邮编")
            return Attribution(pc_prov, "", pc_prov, RegionMethod.POSTCODE, 0.6, "CN", "地址未识别，按邮编")
        return Attribution(pc_prov, "", pc_prov, RegionMethod.POSTCODE, 0.7, "CN", "地址未识别，按邮编")
    if applicant_name:
        name = applicant_name.replace(" ", "")
        if name.startswith(FOREIGN_WORDS) or not _HAS_CJK.search(name):
            return Attribution(country="", reason="境外申请人（名称）")
        why = name_exception(name)
        if why:
            return Attribution(reason=f"名称推断例外：{why}"[:60])
        # only a place name at the very start counts (青岛海尔…, 山东大学); 中国石油…胜利油田分公司 stays unattributed
        p, c, k = _parse_address(name, idx)
        if p:
            note = "无地址，按申请人名称中的地名推断（弱）"
            if p == home and (k or c):
                code = k or c
                return Attribution(code, city_code_of(code), p, RegionMethod.APPLICANT_NAME, 0.4, "CN", note)
            return Attribution(p, "", p, RegionMethod.APPLICANT_NAME, 0.4, "CN", note)
    reason = "无地址和邮编" if not address and not postcode else ("地址中未找到行政区划名称" if address else "邮编无效")
    return Attribution(reason=reason)
