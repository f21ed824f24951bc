"""Orgs test fixtures: uploads under tmp_path, real TCL records from data/patents_cn."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"


def load_applicant_records(applicant: str, *, kinds=("B",), limit: int = 2) -> list:
    """Real records of one applicant from the CNKI company listings (cnki_company_patents_hank0438.csv), granted ones
    (B invention grant, U utility model, S design) as published: an invention's grant date is its B publication date,
    utility models and designs are granted by their publication."""
    from ipplatform.lib.textnorm import normalize_name
    from ipplatform.patents.models import Applicant, Patent, PatentApplicant

    path = Path(settings.REFERENCE_DATA_DIR) / "patents_cn" / "cnki_company_patents_hank0438.csv"
    out = []
    with open(path, encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            if row["applicants"] != applicant or row["kind_code"] not in kinds:
                continue
            pub = dt.date.fromisoformat(row["publication_date"])
            filed = dt.date.fromisoformat(row["application_date"])
            ptype = {"B": "invention", "U": "utility", "S": "design"}[row["kind_code"]]
            p = Patent.objects.create(
                id=row["publication_number"].replace("CN", ""),
                publication_number=row["publication_number"],
                patent_type=ptype,
                title=row["title"],
                applicants_text=row["applicants"],
                inventors=row["inventors"].split(";"),
                application_date=filed,
                publication_date=pub,
                grant_date=pub if ptype == "invention" else None,
                source="cnki",
                source_file=path.name,
            )
            a, _ = Applicant.objects.get_or_create(name=normalize_name(applicant))
            PatentApplicant.objects.create(patent=p, applicant=a, order=1)
            out.append(p)
            if len(out) == limit:
                break
    return out


@pytest.fixture
def pdf():
    def make(name="营业执照.pdf"):
        return SimpleUploadedFile(name, b"%PDF-1.4 test evidence\n", content_type="application/pdf")

    return make
