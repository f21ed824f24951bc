"""Full-process record: append-only, hashed files outside the database, tampering and removal detected."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from ipplatform.core.inputs import InputError
from ipplatform.core.models import AppendOnlyError
from ipplatform.lib.hashing import digest_hex
from ipplatform.protection import evidence
from ipplatform.protection.models import Case, EvidenceRecord

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add(case, by, data=PDF, name="询问笔录.pdf", stage="investigation", officers=None, **kw):
    return evidence.add_record(
        case=case,
        by=by,
        upload=io.BytesIO(data),
        file_name=name,
        stage=stage,
        kind=kw.pop("kind", "document"),
        title=kw.pop("title", "询问笔录"),
        captured_at=kw.pop("captured_at", timezone.now() - dt.timedelta(hours=1)),
        officers=officers if officers is not None else [by, "执法员 刘"],
        **kw,
    )


def test_records_are_hashed_stored_outside_the_db_and_verified(make_case, officer, settings):
    case = make_case()
    r1 = add(case, officer)
    r2 = add(case, officer, data="现场检查笔录".encode(), name="检查笔录.txt", algorithm="sm3", title="检查笔录")
    assert r1.file_hash == digest_hex(PDF, "sha256") and r2.file_hash == digest_hex("现场检查笔录".encode(), "sm3")
    path = Path(settings.DATA_DIR) / r1.stored_path
    assert path.read_bytes() == PDF and str(path).startswith(str(settings.DATA_DIR))
    assert (r1.seq, r2.seq, r2.prev_hash) == (1, 2, r1.record_hash)
    assert evidence.verify_case(Case.objects.get(pk=case.pk)).ok
    call_command("verify_evidence", stdout=io.StringIO())


def test_tampered_file_is_detected_by_page_and_command(make_case, officer, settings, client):
    case = make_case()
    add(case, officer)
    r = add(case, officer, title="扣押物品清单")
    (Path(settings.DATA_DIR) / r.stored_path).write_bytes(PDF.replace(b"1.4", b"1.5"))
    report = evidence.verify_case(Case.objects.get(pk=case.pk))
    assert report.problems == ["第2号记录“扣押物品清单”的文件已被篡改（SHA256摘要不符）"]
    with pytest.raises(CommandError, match="1个案件的全过程记录异常"):
        call_command("verify_evidence", stdout=io.StringIO(), stderr=io.StringIO())
    client.force_login(officer)
    page = client.post("/protection/evidence/verify/").content.decode()
    assert "文件已被篡改" in page and case.case_no in page


def test_records_cannot_be_changed_and_removal_is_detected(make_case, officer):
    case = make_case()
    r1, r2, r3 = (add(case, officer, title=f"材料{i}") for i in range(3))
    r1.title = "改过的名称"
    with pytest.raises(AppendOnlyError):
        r1.save()
    with pytest.raises(AppendOnlyError):
        r1.delete()
    with pytest.raises(Exception), transaction.atomic():  # the database trigger refuses a direct UPDATE as well
        with connection.cursor() as cur:
            cur.execute("UPDATE protection_evidencerecord SET title = 'x' WHERE id = %s", [r1.pk])
    with connection.cursor() as cur:
        cur.execute("DELETE FROM protection_evidencerecord WHERE id = %s", [r2.pk])
    problems = evidence.verify_case(Case.objects.get(pk=case.pk)).problems
    assert "第2至2号记录缺失（被删除）" in problems
    with connection.cursor() as cur:
        cur.execute("DELETE FROM protection_evidencerecord WHERE id = %s", [r3.pk])
    assert any("末尾记录被删除" in p for p in evidence.verify_case(Case.objects.get(pk=case.pk)).problems)


def test_on_site_steps_need_two_officers_and_sealing_an_approver(make_case, officer):
    case = make_case()
    with pytest.raises(InputError, match="至少两名执法人员（当前1名）"):
        add(case, officer, stage="inspection", officers=[officer])
    with pytest.raises(InputError, match="查封、扣押须经负责人批准"):
        add(case, officer, stage="sealing")
    r = add(
        case,
        officer,
        stage="sealing",
        approved_by="青岛市局 负责人 王",
        device="执法记录仪 QD-01",
        location="黄岛区仓库",
    )
    assert r.officers == "青岛市局 工作人员、执法员 刘" and r.officer_ids == [officer.pk]


def test_executables_scripts_and_oversized_files_refused(make_case, officer, settings):
    case = make_case()
    with pytest.raises(InputError, match="Windows可执行程序"):
        add(case, officer, data=b"MZ\x90\x00" + b"\x00" * 100, name="现场照片.jpg")
    with pytest.raises(InputError, match="扩展名 .bat"):
        add(case, officer, data=b"echo hi", name="run.bat")
    settings.PROTECTION_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(InputError, match="超过上限"):
        add(case, officer, data=PDF + b"0" * 2000)
    assert not EvidenceRecord.objects.filter(case=case).exists()


def test_upload_through_the_page_shows_a_clear_message(make_case, officer, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_case()
    client.force_login(officer)
    url = f"/protection/cases/{case.pk}/evidence/"
    form = {
        "stage": "investigation",
        "kind": "photo",
        "title": "现场照片",
        "captured_at": "2026-02-12T10:00",
        "officers": [officer.pk],
        "officers_extra": "执法员 刘",
    }
    bad = client.post(
        url, {**form, "file": SimpleUploadedFile("x.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 50)}, follow=True
    )
    assert bad.status_code == 200 and "Linux可执行程序" in bad.content.decode()
    ok = client.post(
        url, {**form, "file": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)}, follow=True
    )
    assert "已记入全过程记录第1号" in ok.content.decode()
    assert EvidenceRecord.objects.get(case=case).mime == "image/png"
