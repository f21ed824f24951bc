"""Legal status read from the sources' status columns (Patentics 法律状态, incoPat 当前法律状态 / 专利有效性) on real
rows: stored as events dated by the export's 状态截至 date and flagged (event date unknown), used by the validity
computation, shown with source and date; records without status data are marked as presumed valid per hit; Locarno
classes of the Tai'an design rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from ipplatform.analytics.aggregates import _facts_for
from ipplatform.patents import demo, services
from ipplatform.patents.enums import LegalEventCode, LegalStatus
from ipplatform.patents.models import LegalEvent, Patent
from ipplatform.search.services import hit_rows

pytestmark = pytest.mark.django_db
SLICES = Path(__file__).resolve().parent / "data"
VR_AS_OF = demo.STATUS_AS_OF["patentics_vr_yangdongbjcn.csv"]


def _import_vr(**kw):
    mapping = demo.demo_mappings()["patentics_vr_yangdongbjcn.csv"]
    return services.import_file(path=SLICES / "patentics_vr_slice.csv", fmt="csv", mapping=mapping, **kw)


def test_patentics_status_becomes_dated_events_and_counts_in_validity(patents_env):
    _import_vr(status_as_of=VR_AS_OF)
    assert VR_AS_OF == dt.date(2022, 5, 7)  # the day the export was run (SOURCE.txt section 6a)
    # CN202020448847.7: a granted utility model whose source says 无效 -> lapsed, not counted as valid
    lapsed = Patent.objects.get(pk="2020204488477")
    ev = lapsed.legal_events.get(date_is_as_of=True)
    assert (ev.code, ev.date, ev.source) == (LegalEventCode.STATUS_LAPSED, VR_AS_OF, "patentics_vr_slice.csv")
    assert (
        "来源状态“无效”" in ev.description
        and "状态截至2022-05-07（来源导出日期）" in ev.description
        and "事件发生日期未知" in ev.description
    )
    assert lapsed.legal_status == LegalStatus.INVALID and not lapsed.validity_is_presumed()
    assert not lapsed.valid_at(dt.date(2023, 1, 1))
    assert _facts_for(["2020204488477"])[0].end_date == VR_AS_OF  # the statistics' validity ends at the status date
    # 有效 -> valid on the source's word, not on the presumption
    ok = Patent.objects.get(pk="2021231136376")
    assert ok.legal_status == LegalStatus.VALID and not ok.validity_is_presumed() and ok.valid_at(dt.date(2023, 1, 1))
    assert ok.source_status().code == LegalEventCode.STATUS_VALID
    # 公开 -> pending
    assert Patent.objects.get(pk="2021116430955").legal_status == LegalStatus.PENDING
    # re-import: no duplicate events
    n = LegalEvent.objects.filter(date_is_as_of=True).count()
    assert n == 5
    _import_vr(status_as_of=VR_AS_OF)
    assert LegalEvent.objects.filter(date_is_as_of=True).count() == n


def test_no_export_date_given_uses_import_date_and_says_so(patents_env):
    _import_vr()
    ev = LegalEvent.objects.get(patent_id="2020204488477", date_is_as_of=True)
    assert ev.date == timezone.localdate() and "导入日期（来源未给出导出日期）" in ev.description


def test_incopat_two_status_columns(patents_env):
    mapping = demo.demo_mappings()["incopat_autodriving_yangdongbjcn.xlsx"]
    as_of = demo.STATUS_AS_OF["incopat_autodriving_yangdongbjcn.xlsx"]
    services.import_file(path=SLICES / "incopat_slice.xlsx", fmt="csv", mapping=mapping, status_as_of=as_of)
    granted = Patent.objects.get(publication_number="CN110298449A")  # 当前法律状态 授权, 专利有效性 有效
    words = sorted(e.description.split("”")[0] for e in granted.legal_events.filter(date_is_as_of=True))
    assert words == ["来源状态“授权", "来源状态“有效"]
    assert granted.legal_status == LegalStatus.VALID and not granted.validity_is_presumed()
    pending = Patent.objects.get(publication_number="CN115953763A")  # 公开 / 审中
    assert pending.legal_status == LegalStatus.PENDING
    assert set(pending.legal_events.values_list("code", flat=True)) >= {LegalEventCode.STATUS_PENDING}


def test_patent_page_shows_source_status_and_hits_mark_presumption(patents_env, client):
    _import_vr(status_as_of=VR_AS_OF)
    html = client.get("/patents/2020204488477/").content.decode()
    assert 'id="source-status"' in html and "状态截至2022-05-07" in html and "patentics_vr_slice.csv" in html
    assert "失效" in html and 'id="validity-presumed"' not in html
    # a granted record without status data: the hit says its validity is presumed; one with status data does not
    Patent.objects.filter(pk="2021231136376").update(legal_status=LegalStatus.VALID)
    LegalEvent.objects.filter(patent_id="2021231136376", date_is_as_of=True).delete()
    rows = {r["id"]: r for r in hit_rows(["2021231136376", "2021214901210", "2020204488477"], terms=[])}
    assert rows["2021231136376"]["validity_presumed"] is True
    assert rows["2021214901210"]["validity_presumed"] is False  # source says 有效
    assert rows["2020204488477"]["validity_presumed"] is False  # source says 无效


def test_taian_design_locarno_stored_and_shown(patents_env, client):
    mapping = demo.demo_mappings()["taian_patents_qdqzy.xlsx"]
    services.import_file(path=SLICES / "taian_slice.xlsx", fmt="csv", mapping=mapping)
    d = Patent.objects.get(pk="88301257X")  # 酒瓶, 主分类号 09-01-B0367
    assert d.locarno == "09-01-B0367" and d.ipc_main == ""
    assert Patent.objects.get(pk="2014103997360").locarno == ""  # an invention's IPC is not a Locarno class
    html = client.get("/patents/88301257X/").content.decode()
    assert 'id="locarno"' in html and "09-01-B0367" in html


def test_web_upload_takes_the_export_date(patents_env, users, client, settings):
    settings.PATENTS_IMPORT_INLINE = True
    mapping = demo.demo_mappings()["patentics_vr_yangdongbjcn.csv"]
    client.force_login(users["admin"])
    with (SLICES / "patentics_vr_slice.csv").open("rb") as fh:
        bad = client.post(
            "/patents/import/",
            {"file": fh, "format": "csv", "mapping": mapping.pk, "mode": "lenient", "status_as_of": "2999-01-01"},
        )
    assert bad.status_code == 200 and "晚于今天" in bad.content.decode() and not Patent.objects.exists()
    with (SLICES / "patentics_vr_slice.csv").open("rb") as fh:
        ok = client.post(
            "/patents/import/",
            {"file": fh, "format": "csv", "mapping": mapping.pk, "mode": "lenient", "status_as_of": "2022-05-07"},
        )
    assert ok.status_code == 302
    ev = LegalEvent.objects.get(patent_id="2020204488477", date_is_as_of=True)
    assert ev.date == VR_AS_OF and "（来源导出日期）" in ev.description


@pytest.mark.browser
def test_status_and_presumption_in_browser(
    live_server, transactional_db, reference_data, settings, tmp_path, users, page, login, screenshot
):
    from ipplatform.patents.models import ColumnMapping
    from ipplatform.search import services as search

    settings.DATA_DIR = tmp_path
    # the same real rows first through a mapping without the 法律状态 column: granted hits rest on the presumption
    vr = demo.demo_mappings()["patentics_vr_yangdongbjcn.csv"]
    cols = {k: v for k, v in vr.columns.items() if k != "legal_status_text"}
    no_status = ColumnMapping.objects.create(
        name="Patentics（不含法律状态列）",
        columns=cols,
        source_label="patentics",
        list_separator="|",
        date_format="%Y%m%d",
    )
    services.import_file(path=SLICES / "patentics_vr_slice.csv", fmt="csv", mapping=no_status)
    search.rebuild_index()
    login(page, live_server, "xinxi")
    page.goto(f"{live_server.url}/search/?q=" + "类型=实用新型")
    page.wait_for_selector(".hit")
    assert page.locator(".hit .presumed").count() == 4  # the four utility models (granted, within term, no status data)
    screenshot(page, "search_presumed_validity")
    # then with the status column: the page shows the source's status with its as-of date
    _import_vr(status_as_of=VR_AS_OF)
    again = Patent.objects.get(pk="2021116430955")  # stored before, only its status changes: first applicant kept
    assert again.legal_status == LegalStatus.PENDING and again.first_applicant.name == "青岛虚拟现实研究院有限公司"
    assert Patent.objects.get(pk="2020204488477").legal_status == LegalStatus.INVALID
    page.goto(f"{live_server.url}/patents/2020204488477/")
    assert "来源状态：来源状态“无效”，状态截至2022-05-07（来源导出日期）" in page.inner_text("#source-status")
    screenshot(page, "patent_source_status")
    services.import_file(
        path=SLICES / "taian_slice.xlsx", fmt="csv", mapping=demo.demo_mappings()["taian_patents_qdqzy.xlsx"]
    )
    page.goto(f"{live_server.url}/patents/88301257X/")
    assert "09-01-B0367" in page.inner_text("#locarno")
    screenshot(page, "patent_locarno")
