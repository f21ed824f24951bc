"""The four real data sets in data/patents_cn, imported through the one code path."""

from django.core.management import call_command

from ipplatform.core.models import AuditEvent
from ipplatform.patents import services
from ipplatform.patents.enums import LegalEventCode, LegalStatus, PatentType
from ipplatform.patents.models import Applicant, ImportRun, LegalEvent, Patent, PatentApplicant, Publication

from .conftest import DATA


def test_all_real_files(patents_env, django_capture_on_commit_callbacks):
    xlsx = services.import_file(path=DATA / "sipo_export_sample_carrotc.xlsx")
    assert (xlsx.format, xlsx.read, xlsx.created, xlsx.rejected) == ("cnipa", 199, 199, 0)
    csv_copy = services.import_file(path=DATA / "sipo_export_sample_carrotc.csv")  # same rows as CSV: nothing changes
    assert (csv_copy.created, csv_copy.updated, csv_copy.unchanged) == (0, 0, 199)

    jsonl = services.import_file(path=DATA / "sipo_epub_yinwenzhi.jsonl")
    assert (jsonl.format, jsonl.read, jsonl.created, jsonl.rejected) == ("jsonl", 1770, 1770, 0)

    hank = services.import_file(path=DATA / "cnki_company_patents_hank0438.csv")
    assert hank.format == "cnki_listing" and hank.read == 16423
    # one scraped publication number is malformed; it is reported, not dropped silently
    assert hank.rejected == 1
    [bad] = [e for e in hank.errors if e.severity == "拒绝"]
    assert (bad.line, bad.field, bad.value) == (6486, "公开（公告）号", "CN104671642A501")
    assert hank.created + hank.updated == 16422 - hank.duplicates

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        koi = services.import_file(path=DATA / "cnki_spider_patent_koibless.csv")
    assert callbacks, "patents_changed is sent after each committed batch"
    assert koi.format == "cnki_spider" and koi.read == 4800
    assert koi.skipped == 335  # 海外专利 rows: reported as notices, not stored
    assert all(e.reason.startswith("境外专利") for e in koi.errors if e.field == "database")
    assert koi.created + koi.duplicates + koi.skipped == 4800 and koi.rejected == 0
    # the spider's publication_date is the crawl date (2025-06): never stored as a publication date
    assert not Patent.objects.filter(source="cnki", publication_date__year=2025).exists()

    assert Patent.objects.count() == 199 + 1770 + (16422 - hank.duplicates) + koi.created - (hank.updated)
    assert ImportRun.objects.count() == 5
    assert AuditEvent.objects.filter(action="import").count() == 5

    p = Patent.objects.get(pk="2012202497674")
    assert p.application_number == "CN201220249767.4" and p.patent_type == PatentType.UTILITY
    assert p.publication_number == "CN202644312U" and p.ipc_main == "E01B3/32" and p.ipc_version == "2006.01"
    assert p.postcode == "226634" and p.address.startswith("江苏省南通市海安县")
    assert p.region_code == "320000" and p.province_code == "320000"  # province level outside Shandong
    assert p.agency == "南京正联知识产权代理有限公司" and p.agency_code == "32243"
    assert p.grant_date == p.publication_date  # utility models are granted on publication
    assert LegalEvent.objects.filter(patent=p, code=LegalEventCode.GRANT).count() == 1
    assert p.first_applicant.name == "海安县建莲商品混凝土有限公司" and p.applicant_type == "enterprise"

    a = Patent.objects.get(pk="2016110774629")
    # filed 2016, published, no grant and no status data: more than 5 years on nothing supports 审中 -> 状态未知
    assert a.patent_type == PatentType.INVENTION and a.legal_status == LegalStatus.UNKNOWN and a.grant_date is None
    assert a.postcode == "101407" and a.region_code == "110000"
    # the CNKI listing gives A and B of the same application: one record, two publications
    two = Patent.objects.get(pk="2016107571987")
    assert set(two.publications.values_list("kind", flat=True)) == {"A", "B"}
    assert two.grant_date is not None and two.publication_number.endswith("A")

    # applicant counts follow the links
    top = Applicant.objects.order_by("-patent_count").first()
    assert top.patent_count == PatentApplicant.objects.filter(applicant=top).count() > 100
    assert Publication.objects.count() >= Patent.objects.exclude(publication_number="").count()


def test_command_exit_status_and_last_line(patents_env, tmp_path, carrot_rows, capsys):
    import pytest

    from .conftest import write_csv

    header, rows = carrot_rows
    good = write_csv(tmp_path / "good.csv", header, rows[:5])
    call_command("import_patents", str(good), "--no-progress")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "合计：读取 5 行，入库 5 条，更新 0 条，拒绝 0 行"

    bad_rows = [list(r) for r in rows[5:8]]
    bad_rows[1][3] = "2012.02.30"
    bad = write_csv(tmp_path / "bad.csv", header, bad_rows)
    errors = tmp_path / "errors.xlsx"
    with pytest.raises(SystemExit) as exc:
        call_command("import_patents", str(bad), "--no-progress", "--errors", str(errors))
    assert exc.value.code == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "合计：读取 3 行，入库 2 条，更新 0 条，拒绝 1 行"
    assert any("第3行 申请日“2012.02.30”" in line for line in out)
    from openpyxl import load_workbook

    ws = load_workbook(errors).worksheets[0]
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert ["bad.csv", 3, "申请日", "2012.02.30"] == list(values[-1][:4])
