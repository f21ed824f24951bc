"""Chinese postcodes (邮政编码) to provinces, and Shandong postcodes to prefecture-level cities (2015 divisions).

The first two digits of a postcode name the province (postal zone); Shandong's 25–27 zones are split further by
the third and fourth digits into its 17 cities of 2015 (莱芜 271100 included). Longest prefix wins. A postcode
only locates a city-level area, never a county, so it is a supporting signal next to the address."""

from __future__ import annotations

import re

# Two-digit postal zone -> province code (GB/T 2260).
PROVINCE_BY_ZONE = {
    "10": "110000",
    "30": "120000",
    "05": "130000",
    "06": "130000",
    "07": "130000",
    "03": "140000",
    "04": "140000",
    "01": "150000",
    "02": "150000",
    "11": "210000",
    "12": "210000",
    "13": "220000",
    "15": "230000",
    "16": "230000",
    "20": "310000",
    "21": "320000",
    "22": "320000",
    "31": "330000",
    "32": "330000",
    "23": "340000",
    "24": "340000",
    "35": "350000",
    "36": "350000",
    "33": "360000",
    "34": "360000",
    "25": "370000",
    "26": "370000",
    "27": "370000",
    "45": "410000",
    "46": "410000",
    "47": "410000",
    "43": "420000",
    "44": "420000",
    "41": "430000",
    "42": "430000",
    "51": "440000",
    "52": "440000",
    "53": "450000",
    "54": "450000",
    "57": "460000",
    "40": "500000",
    "61": "510000",
    "62": "510000",
    "63": "510000",
    "64": "510000",
    "55": "520000",
    "56": "520000",
    "65": "530000",
    "66": "530000",
    "67": "530000",
    "85": "540000",
    "86": "540000",
    "71": "610000",
    "72": "610000",
    "73": "620000",
    "74": "620000",
    "81": "630000",
    "75": "640000",
    "83": "650000",
    "84": "650000",
}

# Shandong postcode prefixes -> city code of 2015 (longest prefix wins; 莱芜 271100–271199 is 371200).
SHANDONG_CITY_BY_PREFIX = {
    "250": "370100",
    "251": "370100",
    "2511": "371400",
    "2512": "371400",
    "2515": "371400",
    "2517": "371600",
    "2518": "371600",
    "2519": "371600",
    "266": "370200",
    "255": "370300",
    "2561": "370300",
    "2563": "370300",
    "2564": "370300",
    "256": "371600",
    "277": "370400",
    "257": "370500",
    "264": "370600",
    "265": "370600",
    "2642": "371000",
    "2643": "371000",
    "2644": "371000",
    "2645": "371000",
    "261": "370700",
    "262": "370700",
    "2623": "371100",
    "272": "370800",
    "273": "370800",
    "2733": "371300",
    "2734": "371300",
    "271": "370900",
    "2711": "371200",
    "276": "371300",
    "2765": "371100",
    "2768": "371100",
    "253": "371400",
    "252": "371500",
    "274": "371700",
}

_POSTCODE = re.compile(r"^\s*(\d{6})(?!\d)")


def extract(text: str | None) -> tuple[str, str]:
    """Split a leading postcode from an address: '266000 山东省青岛市…' -> ('266000', '山东省青岛市…')."""
    if not text:
        return "", ""
    m = _POSTCODE.match(text)
    if not m:
        return "", text.strip()
    return m.group(1), text[m.end() :].strip(" ,，;；")


def is_valid(postcode: str | None) -> bool:
    return (
        bool(postcode)
        and len(postcode) == 6
        and postcode.isascii()
        and postcode.isdigit()
        and postcode[:2] in PROVINCE_BY_ZONE
    )


def province_of(postcode: str | None) -> str:
    """Province code for a postcode, '' when unknown."""
    if not is_valid(postcode):
        return ""
    return PROVINCE_BY_ZONE[postcode[:2]]


def shandong_city_of(postcode: str | None) -> str:
    """City code (2015) for a Shandong postcode, '' when not in Shandong or not specific enough."""
    if province_of(postcode) != "370000":
        return ""
    for length in (4, 3):
        code = SHANDONG_CITY_BY_PREFIX.get(postcode[:length])
        if code:
            return code
    return ""
