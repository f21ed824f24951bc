"""Every 有效 figure says how many of its records rest on the validity presumption (no legal-status data), on the
dashboard, city pages, API, Excel and Word; small record-based values never print as 0.0件."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from ipplatform.analytics import aggregates, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_status(corpus):
    """P10 (Qingdao invention granted 2014-12-01): its source says 有效 as of 2015-06-30; P1, P8 have no status data."""
    from ipplatform.patents.models import LegalEvent

    LegalEvent.objects.create(
        patent_id="P10",
        date=dt.date(2015, 6, 30),
        code="status_valid",
        date_is_as_of=True,
        description="来源状态“有效”，状态截至2015-06-30（来源导出日期），事件发生日期未知",
        source="test.csv",
    )
    aggregates.rebuild()


def test_dashboard_and_city_say_how_many_rest_on_presumption(with_status):
    dash = services.dashboard(year=2015, divisions="2015")
    assert dash["summary"]["valid_invention"] == 3  # P1, P8, P10
    assert dash["valid_presumed"]["invention"] == {"valid": 3, "presumed": 2}
    assert "发明有效3件中2件为推定有效（无法律状态数据）、1件有来源法律状态" in dash["basis"]["valid"]
    assert dash["valid_presumed"]["utility"] == {"valid": 1, "presumed": 1}  # P5
    qd = services.dashboard(year=2015, city_code="370200", divisions="2015")
    assert qd["valid_presumed"]["invention"] == {"valid": 1, "presumed": 0}
    assert "发明有效1件中0件为推定有效" in qd["basis"]["valid"]


def test_lapsed_source_status_is_not_valid(corpus):
    from ipplatform.patents.models import LegalEvent

    LegalEvent.objects.create(
        patent_id="P10",
        date=dt.date(2015, 6, 30),
        code="status_lapsed",
        date_is_as_of=True,
        description="来源状态“无效”",
        source="test.csv",
    )
    aggregates.rebuild()
    dash = services.dashboard(year=2015, divisions="2015")
    assert dash["summary"]["valid_invention"] == 2 and dash["valid_presumed"]["invention"] == {
        "valid": 2,
        "presumed": 2,
    }


def test_api_excel_word_carry_the_presumption_count(with_status, client, users, settings, tmp_path):
    client.force_login(users["leader"])
    data = client.get("/api/v1/stats/summary", {"year": 2015, "divisions": "2015"}).json()
    assert (
        data["valid_presumed"]["invention"] == {"valid": 3, "presumed": 2} and "2件为推定有效" in data["basis"]["valid"]
    )
    t = client.get("/api/v1/stats/targets", {"year": 2015, "divisions": "2015"}).json()
    assert t["valid_presumed"]["invention"]["presumed"] == 2
    page = client.get("/stats/", {"year": 2015, "divisions": "2015"}).content.decode()
    assert "发明有效3件中2件为推定有效" in page
    city = client.get("/city/370200/", {"year": 2015, "divisions": "2015"}).content.decode()
    assert "发明有效1件中0件为推定有效" in city
    wb = load_workbook(io.BytesIO(client.get("/stats/", {"year": 2015, "divisions": "2015", "export": "xlsx"}).content))
    cells = [str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("发明有效3件中2件为推定有效" in c for c in cells)
    settings.DATA_DIR = tmp_path
    report = services.request_report(
        year=2015, city_code=None, divisions="2015", include_synthetic=False, user=users["leader"], run_inline=True
    )
    doc = Document(io.BytesIO(b"".join(client.get(f"/stats/reports/{report.pk}/download/").streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "发明有效3件中2件为推定有效" in text
    # 3 valid inventions in a province of ~96 million: 0.0003, with its counts, never "0.0件"
    assert "0.0件" not in text and "0.00件" not in text
    line = next(p for p in text.splitlines() if "万人有效发明专利拥有量" in p and "常住人口" in p)
    assert "万人有效发明专利拥有量0.0003件（3件 ÷ 常住人口" in line


@pytest.mark.parametrize(
    "value, shown", [(0.0003, "0.0003"), (0.00031234, "0.00031"), (0.012, 0.01), (1.236, 1.24), (0.0, 0.0), (None, "—")]
)
def test_small_values_keep_two_significant_digits(value, shown):
    assert services._fmt_small(value, 2) == shown
