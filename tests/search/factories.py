"""Small hand-made patent rows for tests that need exact control over the text."""

from __future__ import annotations

import datetime as dt

from ipplatform.patents.models import Patent


def make_patent(
    pid: str,
    title: str,
    *,
    abstract: str = "",
    applicants: str = "山东大学",
    ipc: str = "H01M10/05",
    region: str = "370211",
    date: str = "2016-05-01",
    ptype: str = "invention",
    status: str = "pending",
    synthetic: bool = False,
    save: str = "bulk",
) -> Patent:
    p = Patent(
        id=pid,
        application_number=pid,
        patent_type=ptype,
        title=title,
        abstract=abstract,
        applicants_text=applicants,
        ipc_main=ipc,
        ipc_all=[ipc],
        application_date=dt.date.fromisoformat(date),
        region_code=region,
        city_code=region[:4] + "00",
        province_code=region[:2] + "0000",
        legal_status=status,
        is_synthetic=synthetic,
        source="manual",
        publication_number=f"CN{pid[-9:]}A",
    )
    if save == "bulk":
        Patent.objects.bulk_create([p])  # no post_save: the index learns of it only through patents_changed
    else:
        p.save()
    return p
