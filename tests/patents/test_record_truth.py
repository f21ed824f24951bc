"""Record truth on real rows: A and B publications of one application are one patent, status of old publications,
region inference exceptions (德州仪器 is Texas Instruments, not 德州)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from ipplatform.patents import attribution, services
from ipplatform.patents.enums import LegalStatus, PatentType, RegionMethod
from ipplatform.patents.models import Patent

from .conftest import DATA, write_csv

pytestmark = pytest.mark.django_db


def hank_lines(*lines):
    """The header and the given lines (1-based, header = 1) of the real CNKI listing."""
    with (DATA / "cnki_company_patents_hank0438.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [rows[n - 1] for n in lines]


def test_a_and_b_publications_are_one_patent(patents_env):
    # lines 5681/5682: CN105227994A (2016-01-06) and CN105227994B (2019-03-12), no application number
    header, rows = hank_lines(5681, 5682, 5684, 5685)
    path = write_csv(patents_env / "ab.csv", header, rows)
    result = services.import_file(path=path)
    assert result.rejected == 0
    assert Patent.objects.filter(pk__in=["CN105227994", "CN104013583"]).count() == 2 and Patent.objects.count() == 2
    p = Patent.objects.get(pk="CN105227994")
    assert p.patent_type == PatentType.INVENTION
    assert (p.publication_number, p.publication_date, p.grant_date) == (
        "CN105227994A",
        dt.date(2016, 1, 6),
        dt.date(2019, 3, 12),
    )
    assert sorted(p.publications.values_list("number", flat=True)) == ["CN105227994A", "CN105227994B"]
    # the B row first, then the A row, in a second file: still one patent, nothing counted twice
    path2 = write_csv(patents_env / "ba.csv", header, [rows[3], rows[2]])
    services.import_file(path=path2)
    assert Patent.objects.count() == 2
    from ipplatform.analytics import aggregates
    from ipplatform.analytics import services as stats

    aggregates.rebuild()
    assert stats.dashboard(year=2014)["trend"]["applications"]["invention"][-1] == 0  # both outside Shandong: no area
    from ipplatform.analytics.models import PatentFact

    assert PatentFact.objects.filter(app_date__year=2014).count() == 2


def test_type_from_old_number_without_kind_code(patents_env):
    header, rows = hank_lines(3)  # CN3006511: 1990 design, no kind code, type from the first digit
    services.import_file(path=write_csv(patents_env / "old.csv", header, rows))
    assert Patent.objects.get(pk="CN3006511").patent_type == PatentType.DESIGN


def test_old_publication_without_grant_or_status_is_unknown():
    today = dt.date(2026, 12, 5)
    old = services.legal_status_of(
        patent_type=PatentType.INVENTION,
        kind="A",
        grant_date=None,
        application_date=dt.date(2014, 6, 27),
        has_publication=True,
        today=today,
    )
    recent = services.legal_status_of(
        patent_type=PatentType.INVENTION,
        kind="A",
        grant_date=None,
        application_date=dt.date(2023, 3, 1),
        has_publication=True,
        today=today,
    )
    assert (old, recent) == (LegalStatus.UNKNOWN, LegalStatus.PENDING)


def test_texas_instruments_is_not_dezhou(reference_data):
    attribution.clear_cache()
    ti = attribution.attribute("", "", "德州仪器公司")
    assert not ti.attributed and "Texas Instruments" in ti.reason
    assert not attribution.attribute("", "", "德州仪器日本有限公司").attributed
    real = attribution.attribute(
        "", "", "德州新势立精细化工有限公司"
    )  # a real 德州 company (CNKI spider listing line 1380)
    assert (real.city_code, real.method) == ("371400", RegionMethod.APPLICANT_NAME)
    assert len(ti.reason) <= 60  # fits Patent.region_note
