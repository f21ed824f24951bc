"""A small hand-checked patent corpus for the statistics tests (figures worked out in test_figures.py)."""
from __future__ import annotations

import datetime as dt

import pytest

D = dt.date

# id, type, application date, grant date, publication date, region code, applicant type, synthetic
CORPUS = [
    ("P1", "invention", D(2014, 3, 1), D(2015, 6, 10), None, "370102", "enterprise", False),  # granted a year later
    ("P2", "invention", D(2015, 2, 1), None, None, "370211", "university", False),
    ("P3", "invention", D(2015, 5, 5), None, None, "371202", "individual", False),  # 莱芜 (莱城区)
    ("P4", "invention", D(2010, 1, 10), D(2012, 1, 10), None, "370102", "enterprise", False),  # fee lapse 2015-03-01
    ("P5", "utility", D(2015, 1, 15), None, D(2015, 7, 1), "370202", "individual", False),  # grant = publication
    ("P6", "design", D(2014, 6, 1), None, D(2014, 11, 1), "371200", "enterprise", False),
    ("P7", "invention", D(2015, 3, 3), None, None, "", "individual", False),  # no region
    ("P8", "invention", D(2015, 4, 4), D(2015, 12, 20), None, "371203", "institute", False),  # 莱芜 (钢城区)
    ("P9", "invention", D(2015, 8, 8), None, None, "370102", "enterprise", True),  # synthetic
    ("P10", "invention", D(2014, 9, 9), D(2014, 12, 1), None, "370212", "enterprise", False),
    ("P11", "invention", D(2015, 10, 10), None, None, "110108", "enterprise", False),  # outside Shandong
]


def make_patent(pid, ptype, app, grant, pub, region, atype, synthetic):
    from ipplatform.patents.models import Patent

    city = region[:4] + "00" if region and not region.endswith("0000") else ""
    return Patent.objects.create(
        id=pid, application_number=pid, patent_type=ptype, title=f"测试专利{pid}", application_date=app, grant_date=grant,
        publication_date=pub, region_code=region, city_code=city, province_code=region[:2] + "0000" if region else "",
        applicant_type=atype, is_synthetic=synthetic, source="synthetic" if synthetic else "manual",
    )


@pytest.fixture
def corpus(reference_data):
    from ipplatform.analytics import aggregates
    from ipplatform.patents.models import LegalEvent

    for row in CORPUS:
        make_patent(*row)
    LegalEvent.objects.create(patent_id="P4", date=D(2015, 3, 1), code="fee_lapse", description="未缴年费专利权终止")
    aggregates.rebuild()
    return CORPUS
