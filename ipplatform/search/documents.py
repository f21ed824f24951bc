"""One function turns a patent row into the values the index holds; the oracle evaluates over the same values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from types import SimpleNamespace

from ipplatform.core.regions import city_code_of, province_code_of

from .query import normalize_ipc, normalize_number, normalize_term

TEXT_KEYS = ("ti", "ab", "cl", "pa", "in", "ag", "ar")
_IPC = re.compile(r"^([a-h])(\d{2})([a-z])(\d{1,4})(/\d{1,6})?")
_SPLIT = re.compile(r"[;；]")
_KIND = re.compile(r"^(\d{7,})[a-z]\d?$")


def ipc_levels(symbol: str) -> list[str]:
    """A normalised symbol and its ancestors: 'h01m10/05' -> h, h01, h01m, h01m10, h01m10/05."""
    return list(_ipc_levels(symbol))


@lru_cache(maxsize=50_000)  # a few thousand symbols recur across a whole corpus
def _ipc_levels(symbol: str) -> tuple[str, ...]:
    s = normalize_ipc(symbol)
    m = _IPC.match(s)
    if not m:
        return (s,) if s else ()
    sec, cls, sub, grp, _ = m.groups()
    out = [sec, sec + cls, sec + cls + sub, sec + cls + sub + grp]
    if s not in out:
        out.append(s)
    return tuple(out)


def _join(values: Iterable[str]) -> str:
    return "\n".join(v for v in (normalize_term(x) for x in values) if v)


def _date(d) -> int:
    return d.year * 10000 + d.month * 100 + d.day if d else 0


def _numbers(*values: str) -> list[str]:
    out = []
    for v in values:
        n = normalize_number(v or "")
        if not n:
            continue
        out.append(n)
        m = _KIND.match(n)
        if m:
            out.append(m.group(1))  # CN106690327A -> 106690327
    return list(dict.fromkeys(out))


def applicant_names(patent) -> list[str]:
    names = [n.strip() for n in _SPLIT.split(patent.applicants_text or "") if n.strip()]
    return names


def document(patent, publications: Iterable[str]) -> dict:
    """The searchable values of one patent (folded text, keyword sets, dates as yyyymmdd, facet values).

    `patent` is a Patent or any object with its attributes; `publications` are its publication numbers."""
    an = [normalize_number(patent.id)]
    if patent.application_number:
        n = normalize_number(patent.application_number)
        an.append(n)
        if len(n) in (9, 13):
            an.append(n[:-1])  # without the check character
    pubs = [patent.publication_number, *publications]
    ipcs = [s for s in dict.fromkeys([patent.ipc_main, *(patent.ipc_all or [])]) if s]
    ic_terms, sections, classes, subclasses = [], [], [], []
    for s in ipcs:
        levels = ipc_levels(s)
        ic_terms += levels
        if len(levels) >= 3 and _IPC.match(levels[-1]):
            sections.append(levels[0].upper())
            classes.append(levels[1].upper())
            subclasses.append(levels[2].upper())
    region = patent.region_code or ""
    rc = [region] if region else []
    if len(region) == 6:
        rc += [code for code in (city_code_of(region), province_code_of(region)) if code]
    city = patent.city_code or city_code_of(region)
    if city and city not in rc:
        rc.append(city)
    names = applicant_names(patent)
    return {
        "id": patent.id,
        "ti": normalize_term(patent.title),
        "ab": normalize_term(patent.abstract),
        "cl": normalize_term(patent.first_claim),
        "pa": _join(names),
        "in": _join(patent.inventors or []),
        "ag": normalize_term(patent.agency),
        "ar": normalize_term(patent.address),
        "an": list(dict.fromkeys(x for x in an if x)),
        "pn": _numbers(*pubs),
        "ic": list(dict.fromkeys(ic_terms)),
        "ics": [normalize_ipc(s) for s in ipcs],
        "mc": ipc_levels(patent.ipc_main) if patent.ipc_main else [],
        "mcs": [normalize_ipc(patent.ipc_main)] if patent.ipc_main else [],
        "pt": patent.patent_type or "",
        "ls": patent.legal_status or "unknown",
        "et": patent.applicant_type or "unknown",
        "rc": list(dict.fromkeys(rc)),
        "ad": _date(patent.application_date),
        "pd": _date(patent.publication_date),
        "gd": _date(patent.grant_date),
        "added": int(patent.created_at.timestamp()) if patent.created_at else 0,
        "year": patent.application_date.year if patent.application_date else 0,
        "city": city,
        "sec": list(dict.fromkeys(sections)),
        "cls": list(dict.fromkeys(classes)),
        "sub": list(dict.fromkeys(subclasses)),
        "app": list(dict.fromkeys(n[:200] for n in names))[:20],
        "syn": bool(patent.is_synthetic),
    }


# What document() reads: fetched as plain values, which is several times cheaper than model instances.
DOCUMENT_FIELDS = (
    "id",
    "application_number",
    "publication_number",
    "ipc_main",
    "ipc_all",
    "region_code",
    "city_code",
    "applicants_text",
    "title",
    "abstract",
    "first_claim",
    "inventors",
    "agency",
    "address",
    "patent_type",
    "legal_status",
    "applicant_type",
    "application_date",
    "publication_date",
    "grant_date",
    "created_at",
    "is_synthetic",
)


def documents_for(rows: list[dict]) -> list[dict]:
    """Documents for Patent value rows (dicts of DOCUMENT_FIELDS), with their publications read in one query."""
    from ipplatform.patents import bulk
    from ipplatform.patents.models import Publication

    if not rows:
        return []
    pubs: dict[str, list[str]] = {}
    for pid, number in (
        Publication.objects.filter(bulk.among("patent_id", [r["id"] for r in rows]))
        .order_by()
        .values_list("patent_id", "number")
    ):
        pubs.setdefault(pid, []).append(number)
    return [document(SimpleNamespace(**r), pubs.get(r["id"], [])) for r in rows]


def documents_of(ids: list[str]) -> list[dict]:
    """Documents of these patent ids as stored now, and {"id": …, "deleted": True} for each id no longer stored."""
    from ipplatform.patents import bulk
    from ipplatform.patents.models import Patent

    docs = documents_for(bulk.plain_values(Patent.objects.filter(bulk.among("pk", ids)).order_by(), DOCUMENT_FIELDS))
    found = {d["id"] for d in docs}
    return docs + [{"id": pid, "deleted": True} for pid in ids if pid not in found]


def iter_documents(queryset=None, *, chunk: int = 2000) -> Iterator[dict]:
    """Documents for every patent (or a queryset), read in primary-key chunks with their publications."""
    from ipplatform.patents import bulk
    from ipplatform.patents.models import Patent

    qs = (queryset if queryset is not None else Patent.objects.all()).order_by("pk")
    last = None
    while True:
        part = qs if last is None else qs.filter(pk__gt=last)
        rows = bulk.plain_values(part[:chunk], DOCUMENT_FIELDS)
        if not rows:
            return
        yield from documents_for(rows)
        last = rows[-1]["id"]
