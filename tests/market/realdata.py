"""Real patent records from data/patents_cn for market tests (loaded directly, independent of the importer)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

from django.conf import settings

from ipplatform.core.reference import normalize_ipc
from ipplatform.lib.textnorm import normalize_name
from ipplatform.patents.models import Applicant, Patent, PatentApplicant

DATA = Path(settings.REFERENCE_DATA_DIR) / "patents_cn"


def _date(text: str) -> dt.date | None:
    text = (text or "").strip().replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _app_id(number: str) -> str:
    return re.sub(r"[^0-9X]", "", (number or "").upper().replace("CN", ""))


def _codes(text: str) -> list[str]:
    out = []
    for part in re.split(r"[;；]", text or ""):
        part = part.replace("全部", "").strip().split(" ")[0]
        if re.match(r"^[A-H]\d\d[A-Z]", part):
            code = normalize_ipc(part)
            if code not in out:
                out.append(code)
    return out


def _save(rows: list[dict]) -> list[Patent]:
    patents = []
    for r in rows:
        p = Patent(**{k: v for k, v in r.items() if k != "applicants"})
        patents.append(p)
    Patent.objects.bulk_create(patents, ignore_conflicts=True)
    names = {normalize_name(n) for r in rows for n in r["applicants"]}
    existing = {a.name: a for a in Applicant.objects.filter(name__in=names)}
    Applicant.objects.bulk_create(
        [
            Applicant(name=n, entity_type="enterprise" if "公司" in n else ("university" if "大学" in n else "unknown"))
            for n in names
            if n not in existing
        ],
        ignore_conflicts=True,
    )
    by_name = {a.name: a for a in Applicant.objects.filter(name__in=names)}
    links = [
        PatentApplicant(patent_id=r["id"], applicant=by_name[normalize_name(n)], order=i)
        for r in rows
        for i, n in enumerate(r["applicants"], 1)
    ]
    PatentApplicant.objects.bulk_create(links, ignore_conflicts=True)
    return list(Patent.objects.filter(pk__in=[r["id"] for r in rows]))


def load_sipo_export() -> list[Patent]:
    """The 199 utility models of the CNIPA search-system export (full abstracts, IPC section E), as filed."""
    rows = []
    with (DATA / "sipo_export_sample_carrotc.csv").open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            codes = _codes(rec["分类号"])
            applicants = [n.strip() for n in rec["申请（专利权）人"].split(";") if n.strip()]
            rows.append(
                dict(
                    id=_app_id(rec["申请号"]),
                    application_number=_app_id(rec["申请号"]),
                    patent_type="utility",
                    title=rec["名称"],
                    abstract=rec["摘要"],
                    first_claim=rec["主权项"],
                    ipc_main=normalize_ipc(rec["主分类号"]),
                    ipc_all=codes,
                    applicants_text=";".join(applicants),
                    address=rec["地址"],
                    application_date=_date(rec["申请日"]),
                    publication_number=rec["公开（公告）号"].replace("CN", ""),
                    publication_date=_date(rec["公开（公告）日"]),
                    source="csv",
                    source_file="sipo_export_sample_carrotc.csv",
                    applicants=applicants,
                )
            )
    return _save(rows)


def load_sipo_epub(limit: int | None = None) -> list[Patent]:
    """Invention publications of the SIPO gazette (abstracts truncated at the head), as published."""
    rows = []
    with (DATA / "sipo_epub_yinwenzhi.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            pid = _app_id(rec.get("申请号", ""))
            if not pid or not rec.get("tile"):
                continue
            codes = _codes(rec.get("分类号", ""))
            applicants = [n.strip() for n in re.split(r"[;；]", rec.get("申请人", "")) if n.strip()]
            rows.append(
                dict(
                    id=pid,
                    application_number=pid,
                    patent_type="invention",
                    title=rec["tile"],
                    abstract=rec.get("abstract", ""),
                    ipc_main=codes[0] if codes else "",
                    ipc_all=codes,
                    applicants_text=";".join(applicants),
                    address=rec.get("地址", ""),
                    application_date=_date(rec.get("申请日")),
                    publication_number=rec.get("申请公布号", "").replace("CN", ""),
                    publication_date=_date(rec.get("申请公布日")),
                    source="sipo_jsonl",
                    source_file="sipo_epub_yinwenzhi.jsonl",
                    applicants=applicants,
                )
            )
            if limit and len(rows) >= limit:
                break
    seen, unique = set(), []
    for r in rows:
        if r["id"] not in seen:
            seen.add(r["id"])
            unique.append(r)
    return _save(unique)


def grant(patent: Patent, *, on: dt.date) -> Patent:
    """Test scenario: treat a real application as granted on `on` (the gazette record itself predates grant)."""
    patent.grant_date = on
    patent.legal_status = "valid"
    patent.save()
    return patent
