"""Reports: stored with cut-off and query, regenerated on new data, Word and Excel documents with every chosen section."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from ipplatform.core.inputs import InputError
from ipplatform.navigation import analyses, documents, services

from .conftest import make_patent

CHOSEN = ["trend", "lifecycle", "applicants", "coapplicant_network", "regions", "effect_matrix", "key_patents"]


@pytest.fixture
def battery_db(nav_data):
    db = services.save_database(name="电池", ipc_text="H01M")
    services.refresh_database(db_id=db.pk)
    return db


def test_word_report_has_every_chosen_section(battery_db, staff):
    report = services.create_report(
        user=staff,
        kind="db",
        value=str(battery_db.pk),
        title="电池专利导航",
        keys=CHOSEN,
        introduction="研究背景。",
        commentary={"trend": "申请量先升后降。", "regions": "山东优势明显。"},
        conclusion="建议加强合作。",
    )
    services.generate_report(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "ready" and report.patent_count == 5 and report.data_cutoff.isoformat() == "2021-02-01"
    assert "IPC分类号：H01M" in report.query
    doc = Document(io.BytesIO(documents.word_bytes(report)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for key in CHOSEN:
        assert any(analyses.ANALYSES[key][0] in h for h in headings), key
    assert headings[-1].endswith("结论与建议")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "申请量先升后降。" in text and "山东优势明显。" in text and "数据截止日期：2021-02-01" in text
    assert len(doc.tables) == len(CHOSEN)
    assert doc.tables[0].rows[0].cells[0].text == "年份"
    assert len(doc.inline_shapes) == len(CHOSEN) - 1  # every analysis but key patents has a chart image
    assert "模拟数据" not in text


def test_excel_report_one_sheet_per_analysis(battery_db, staff):
    report = services.create_report(
        user=staff, kind="db", value=str(battery_db.pk), title="电池", keys=["trend", "types"]
    )
    services.generate_report(report_id=report.pk)
    report.refresh_from_db()
    wb = load_workbook(io.BytesIO(documents.excel_bytes(report)))
    assert wb.sheetnames == ["报告说明", "1.申请与授权趋势", "2.专利类型构成"]
    ws = wb["2.专利类型构成"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert ["类型", "件数", "占比%"] in values and ["发明", 3, 60.0] in values


def test_regenerate_uses_new_data_and_marks_synthetic(battery_db, staff):
    report = services.create_report(user=staff, kind="db", value=str(battery_db.pk), title="电池", keys=["trend"])
    services.generate_report(report_id=report.pk)
    from ipplatform.patents.signals import patents_changed

    spec = (
        "S1",
        "invention",
        dt.date(2021, 1, 5),
        None,
        dt.date(2022, 7, 1),
        "H01M4/00",
        ["H01M4/00"],
        [],
        ["甲公司"],
        ("370000", "370200"),
        "pending",
        3,
        None,
        "",
    )
    make_patent(spec, synthetic=True)
    patents_changed.send(sender=None, ids=["S1"], deleted=[])
    services.generate_report(report_id=report.pk)
    report.refresh_from_db()
    assert (
        report.generation == 2
        and report.patent_count == 6
        and report.data_cutoff.isoformat() == "2022-07-01"
        and report.has_synthetic
    )
    doc = Document(io.BytesIO(documents.word_bytes(report)))
    assert "模拟数据" in doc.paragraphs[2].text or any("模拟数据" in p.text for p in doc.paragraphs[:4])


def test_reports_for_applicant_and_region_subjects(nav_data, reference_data, staff):
    s = services.resolve_subject(kind="applicant", value="甲公司", user=staff)
    assert sorted(analyses.load_frame(patents=s.patents).ids) == ["P1", "P2", "P6"]
    r = services.resolve_subject(kind="region", value="青岛市", user=staff)
    assert r.value == "370200" and sorted(analyses.load_frame(patents=r.patents).ids) == ["P1", "P2", "P5", "P6", "Q1"]
    result = services.compute(subject=r, keys=["types"])["types"]
    assert result["count"] == 5
    with pytest.raises(InputError, match="不存在或不唯一"):
        services.resolve_subject(kind="applicant", value="公司", user=staff)
    with pytest.raises(InputError, match="无法识别"):
        services.resolve_subject(kind="region", value="火星", user=staff)
    with pytest.raises(InputError, match="至少选择一项"):
        services.create_report(user=staff, kind="applicant", value="甲公司", title="", keys=[])


def test_cache_is_used_and_invalidated(battery_db, staff, django_assert_max_num_queries):
    subject = services.resolve_subject(kind="db", value=str(battery_db.pk), user=staff)
    first = services.compute(subject=subject, keys=list(analyses.ANALYSES))
    with django_assert_max_num_queries(12):  # warm: only version checks, no patent data read
        again = services.compute(subject=subject, keys=list(analyses.ANALYSES))
    assert again == first
    services.set_manual(db=battery_db, ids=["P4"], action="include")
    subject = services.resolve_subject(kind="db", value=str(battery_db.pk), user=staff)
    assert services.compute(subject=subject, keys=["types"])["types"]["count"] == 6


def test_effect_terms_are_editable(db):
    assert services.save_effect_terms(text="降低成本：成本低、节约成本\n\n安全") == 2
    assert services.effect_terms() == [("降低成本", ["降低成本", "成本低", "节约成本"]), ("安全", ["安全"])]
    with pytest.raises(InputError) as err:
        services.save_effect_terms(text="安全\n安全：可靠")
    assert err.value.line == 2
