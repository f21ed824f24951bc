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
        id=pid,
        application_number=pid,
        patent_type=ptype,
        title=f"测试专利{pid}",
        application_date=app,
        grant_date=grant,
        publication_date=pub,
        region_code=region,
        city_code=city,
        province_code=region[:2] + "0000" if region else "",
        applicant_type=atype,
        is_synthetic=synthetic,
        source="synthetic" if synthetic else "manual",
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


def add_official(region, year, period, measure, ptype, value, *, scope="国内", source="测试来源", comparable=True):
    """One official figure (the importer's own period parsing), for tests of reconciliation and target rules."""
    from ipplatform.core.models import OfficialFigure
    from ipplatform.core.official import parse_period

    p = parse_period(year, period)
    return OfficialFigure.objects.create(
        region_code=region,
        region_name="山东省" if region == "370000" else region,
        year=year,
        period=p.label,
        period_start=p.start,
        period_end=p.end,
        is_stock=p.is_stock,
        measure=measure,
        patent_type=ptype,
        scope=scope,
        value=value,
        unit="件/万人" if measure == "每万人口发明专利拥有量" else "件",
        source_title=source,
        source_url=f"https://example.org/{year}/{period}",
        comparable=comparable,
    )


@pytest.fixture
def covered(corpus):
    """Official figures matching the corpus: a full-year pair for invention applications (2015: 3, 2014: 2), a 1-9月
    figure and a full-year figure for grants (no pair, records cover 100 %), valid inventions far above the records."""
    add_official("370000", 2015, "全年", "申请量", "发明", 3)
    add_official("370000", 2014, "全年", "申请量", "发明", 2)
    add_official("370000", 2015, "1-9月", "授权量", "发明", 1)  # P1 (06-10); P8 is granted in December
    add_official("370000", 2014, "全年", "授权量", "发明", 1)  # P10
    add_official("370000", 2015, "年末", "有效量", "发明", 1000)  # records: 3 -> 0.3 %
    return corpus
