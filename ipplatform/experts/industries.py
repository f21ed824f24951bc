"""国民经济行业分类（GB/T 4754-2017）门类: the 20 sections, used for expert fields and census aggregation."""

from __future__ import annotations

SOURCE = "GB/T 4754-2017《国民经济行业分类》门类"

SECTIONS = [
    ("A", "农、林、牧、渔业"),
    ("B", "采矿业"),
    ("C", "制造业"),
    ("D", "电力、热力、燃气及水生产和供应业"),
    ("E", "建筑业"),
    ("F", "批发和零售业"),
    ("G", "交通运输、仓储和邮政业"),
    ("H", "住宿和餐饮业"),
    ("I", "信息传输、软件和信息技术服务业"),
    ("J", "金融业"),
    ("K", "房地产业"),
    ("L", "租赁和商务服务业"),
    ("M", "科学研究和技术服务业"),
    ("N", "水利、环境和公共设施管理业"),
    ("O", "居民服务、修理和其他服务业"),
    ("P", "教育"),
    ("Q", "卫生和社会工作"),
    ("R", "文化、体育和娱乐业"),
    ("S", "公共管理、社会保障和社会组织"),
    ("T", "国际组织"),
]
NAMES = dict(SECTIONS)


def label(code: str) -> str:
    """'C' -> 'C 制造业'; unknown codes are returned as given."""
    code = (code or "").strip().upper()
    return f"{code} {NAMES[code]}" if code in NAMES else code


def parse(value: str) -> str:
    """A section code from 'C', 'c', 'C 制造业' or '制造业'; '' when it is none of them."""
    text = (value or "").strip()
    if not text:
        return ""
    head = text[0].upper()
    if head in NAMES and (len(text) == 1 or not text[1].isalpha() or text[1:].strip() in NAMES[head]):
        return head
    for code, name in SECTIONS:
        if text == name:
            return code
    return ""
