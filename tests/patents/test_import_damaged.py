"""A deliberately damaged copy of the real CNIPA export: every bad row reported, every good row stored."""

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.patents import services
from ipplatform.patents.models import ImportRun, LegalEvent, Patent, PatentApplicant, Publication

from .conftest import write_csv


def damaged(header, rows):
    """20 real rows with four kinds of damage; returns (rows, expected rejected lines, duplicate lines, good ids)."""
    rows = [list(r) for r in rows[:20]]
    rows[1][3] = "2012.13.45"  # line 3: impossible date
    rows[2][0] = rows[2][0][:-1] + ("1" if rows[2][0][-1] == "0" else "0")  # line 4: wrong check character
    rows[3] = rows[3][:20]  # line 5: missing columns
    rows[4][2] = "1984.12.31"  # line 6: before the Patent Law
    rows[5][0] = "CN2012202497X4.1"  # line 7: not a number
    rows.append(list(rows[0]))  # line 22: duplicate of line 2
    rows[7][5] = ""  # line 9: no title
    bad_lines = {3, 4, 5, 6, 7, 9}
    good = [r[0].replace("CN", "").replace(".", "") for i, r in enumerate(rows[:20]) if i + 2 not in bad_lines]
    return rows, bad_lines, {22}, good


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-8-sig"])
def test_lenient_stores_good_rows_and_reports_every_bad_one(patents_env, tmp_path, carrot_rows, encoding):
    header, rows = carrot_rows
    rows, bad_lines, dup_lines, good = damaged(header, rows)
    path = write_csv(tmp_path / f"damaged-{encoding}.csv", header, rows, encoding=encoding)
    result = services.import_file(path=path, mode="lenient")
    assert result.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    rejected = {e.line for e in result.errors if e.severity == "拒绝"}
    assert rejected == bad_lines
    assert {e.line for e in result.errors if e.severity == "提示"} == dup_lines
    assert (result.read, result.rejected, result.duplicates, result.created) == (21, 6, 1, 14)
    assert sorted(Patent.objects.values_list("id", flat=True)) == sorted(good)
    by_line = {e.line: e for e in result.errors}
    assert by_line[3].field == "申请日" and by_line[3].value == "2012.13.45" and "日期" in by_line[3].reason
    assert by_line[4].field == "申请号" and "校验位错误" in by_line[4].reason
    assert by_line[5].field == "整行" and "应为25列" in by_line[5].reason
    assert "1985-04-01" in by_line[6].reason
    assert by_line[9].field == "名称" and by_line[9].reason == "名称为空"
    # Chinese text survives the GBK round trip
    p = Patent.objects.get(pk=good[0])
    assert p.title == rows[0][5] and p.first_applicant.name == rows[0][10]
    run = ImportRun.objects.get(pk=result.run_id)
    assert run.error_file and (patents_env / run.error_file).exists()
    assert run.rejected == 6 and len(run.errors_preview) == 7


def test_all_or_nothing_stores_nothing_and_reports_everything(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    rows, bad_lines, _, _ = damaged(header, rows)
    path = write_csv(tmp_path / "damaged.csv", header, rows, encoding="gbk")
    result = services.import_file(path=path, mode="all-or-nothing", batch_size=5)
    assert result.rolled_back and result.created == 0
    assert {e.line for e in result.errors if e.severity == "拒绝"} == bad_lines
    assert not Patent.objects.exists() and not PatentApplicant.objects.exists() and not Publication.objects.exists()
    assert ImportRun.objects.get(pk=result.run_id).status == "rolled_back"
    # the same file without the bad rows goes in completely
    clean = [r for i, r in enumerate(rows) if i + 2 not in bad_lines]
    ok = services.import_file(
        path=write_csv(tmp_path / "clean.csv", header, clean), mode="all-or-nothing", batch_size=5
    )
    assert not ok.rolled_back and ok.created == 14 and Patent.objects.count() == 14


def test_missing_required_column_is_a_file_error(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    idx = header.index("名称")
    cut = [h for i, h in enumerate(header) if i != idx]
    path = write_csv(tmp_path / "no-title.csv", cut, [[c for i, c in enumerate(r) if i != idx] for r in rows[:3]])
    with pytest.raises(InputError) as exc:
        services.import_file(path=path, fmt="cnipa")
    assert "名称" in exc.value.message and exc.value.line == 1
    assert not Patent.objects.exists()


def test_reimport_is_idempotent_and_never_blanks(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    path = write_csv(tmp_path / "a.csv", header, rows[:30])
    first = services.import_file(path=path)
    before = {p.id: (p.abstract, p.updated_at, p.region_code) for p in Patent.objects.all()}
    counts = (PatentApplicant.objects.count(), Publication.objects.count(), LegalEvent.objects.count())
    again = services.import_file(path=path)
    assert (first.created, again.created, again.updated, again.unchanged) == (30, 0, 0, 30)
    assert {p.id: (p.abstract, p.updated_at, p.region_code) for p in Patent.objects.all()} == before
    assert (PatentApplicant.objects.count(), Publication.objects.count(), LegalEvent.objects.count()) == counts
    # a newer, narrower file: updates what it has, keeps what it lacks
    newer = [[r[0], r[5] + "（修订）", ""] for r in rows[:3]]
    upd = services.import_file(path=write_csv(tmp_path / "b.csv", ["申请号", "名称", "摘要"], newer))
    assert (upd.updated, upd.created) == (3, 0)
    p = Patent.objects.get(pk=rows[0][0].replace("CN", "").replace(".", ""))
    assert p.title.endswith("（修订）") and p.abstract == rows[0][19] and p.publication_number == rows[0][1]


def test_killed_import_leaves_no_partial_record_and_rerun_finishes(patents_env, tmp_path, carrot_rows, monkeypatch):
    header, rows = carrot_rows
    path = write_csv(tmp_path / "all.csv", header, rows)

    def boom(batch_no):
        if batch_no == 2:
            raise KeyboardInterrupt("killed")

    monkeypatch.setattr(services, "_after_batch", boom)
    with pytest.raises(KeyboardInterrupt):
        services.import_file(path=path, batch_size=40)
    assert Patent.objects.count() == 80  # two committed batches, nothing of the third
    for p in Patent.objects.all():
        assert (
            p.applicant_links.exists() and p.publications.exists() and p.legal_events.exists() and p.first_applicant_id
        )
    assert ImportRun.objects.get().status == "failed"
    monkeypatch.setattr(services, "_after_batch", lambda batch_no: None)
    rerun = services.import_file(path=path, batch_size=40)
    assert (rerun.created, rerun.unchanged, rerun.rejected) == (119, 80, 0)
    assert Patent.objects.count() == 199 and Publication.objects.count() == 199


def test_generic_csv_with_saved_mapping(patents_env, tmp_path):
    from ipplatform.patents.models import ColumnMapping

    mapping = ColumnMapping.objects.create(
        name="市局台账",
        columns={
            "application_number": "申请号码",
            "title": "专利名称",
            "applicants": "权利人",
            "application_date": "申请日期",
            "address": "地址",
        },
        date_format="%Y/%m/%d",
    )
    rows = [
        [
            "201220249767.4",
            "一种钢筋混凝土轨枕",
            "海安县建莲商品混凝土有限公司",
            "2012/05/31",
            "江苏省南通市海安县老坝港镇",
        ],
        ["201530000001.X", "坏行", "某公司", "2015/02/30", ""],
    ]
    path = write_csv(
        tmp_path / "ledger.csv", ["申请号码", "专利名称", "权利人", "申请日期", "地址"], rows, encoding="gbk"
    )
    result = services.import_file(path=path, fmt="csv", mapping=mapping)
    assert result.created == 1 and result.rejected >= 1
    assert {e.field for e in result.errors} >= {"申请日"}
    with pytest.raises(InputError):
        services.import_file(path=path, fmt="auto")  # unknown layout without a mapping


def test_unreadable_files_are_explained(patents_env, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError) as exc:
        services.import_file(path=broken)
    assert "broken.xlsx" in exc.value.message and "无法读取" in exc.value.message
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("申请号,名称\n".encode("utf-16"))
    with pytest.raises(InputError) as exc:
        services.import_file(path=utf16)
    assert "UTF-16" in exc.value.message
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text(
        '{"申请号": "2016110774629", "tile": "一种片剂", "申请公布号": "CN106690327A", "申请公布日": "2017.05.24"}\n{bad json\n',
        encoding="utf-8",
    )
    result = services.import_file(path=jsonl)
    assert (
        result.created == 1
        and result.rejected == 1
        and result.errors[0].line == 2
        and "JSON" in result.errors[0].reason
    )
