"""Backup round trip: records, audit chain and evidence files come back as they were; the search index is rebuilt."""

from __future__ import annotations

import datetime as dt
import io
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from ipplatform.core import audit, backup
from ipplatform.core.inputs import InputError
from ipplatform.patents import services as patent_services
from ipplatform.patents.models import Patent
from ipplatform.protection import evidence
from ipplatform.protection import services as protection_services
from ipplatform.protection.models import Case, EvidenceRecord
from ipplatform.search import services as search_services

SAMPLE = "data/patents_cn/sipo_export_sample_carrotc.csv"


@pytest.fixture
def installation(transactional_db, users, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / "secret_key").write_text("test-installation-key")
    settings.BACKUP_DIR = tmp_path / "backups"
    patent_services.import_file(path=SAMPLE, user=users["xinxi"])
    officer = users["city370200"]
    case = protection_services.create_case(
        case_type="infringement",
        by=officer,
        received_on=dt.date(2026, 2, 12),
        title="某公司侵犯“一种空调控制方法”发明专利权纠纷",
        region_code="370211",
        respondent_name="青岛某电器有限公司",
        requester_name="海尔集团公司",
    )
    for i, (name, algorithm) in enumerate([("询问笔录.pdf", "sha256"), ("检查笔录.txt", "sm3")]):
        evidence.add_record(
            case=case,
            by=officer,
            upload=io.BytesIO(f"证据内容 {i}".encode() * 50),
            file_name=name,
            stage="investigation",
            kind="document",
            title=name,
            captured_at=timezone.now() - dt.timedelta(hours=1),
            officers=[officer, "执法员 刘"],
            algorithm=algorithm,
        )
    return {"case": case, "officer": officer}


def test_backup_and_restore_round_trip(installation, settings):
    before = backup.inventory()
    assert before["counts"]["patents.Patent"] > 100 and before["counts"]["protection.EvidenceRecord"] == 2
    assert before["audit_chain"]["ok"] and before["audit_chain"]["checked"] > 0
    assert all(e["file"] == e["recorded"] for e in before["evidence"].values()) and len(before["evidence"]) == 2

    out = io.StringIO()
    call_command("backup", stdout=out)
    archive = next(settings.BACKUP_DIR.glob("ipplatform-*.tar.gz"))
    assert "已备份" in out.getvalue() and oct(archive.stat().st_mode)[-3:] == "600"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "database.dump", "config/secret_key"} <= set(names)
    assert any(n.startswith("files/protection/evidence/") for n in names)
    assert not any(n.startswith("files/search") for n in names)  # the index is rebuilt, not copied

    # damage: records deleted, an evidence file removed, later work added, the index gone
    sample_id = Patent.objects.order_by("id").values_list("id", flat=True).first()
    Patent.objects.filter(id__in=list(Patent.objects.values_list("id", flat=True)[:40])).delete()
    rec = EvidenceRecord.objects.first()
    (settings.DATA_DIR / rec.stored_path).unlink()
    protection_services.create_case(
        case_type="infringement",
        by=installation["officer"],
        received_on=dt.date(2026, 3, 2),
        title="备份之后新增的案件",
        region_code="370211",
        respondent_name="某公司",
        requester_name="某人",
    )
    import shutil

    shutil.rmtree(settings.DATA_DIR / "search", ignore_errors=True)
    damaged = backup.inventory()
    assert backup.compare(before, damaged)  # the comparison sees the damage

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    after = backup.inventory()
    assert after["counts"] == before["counts"]
    assert after["audit_chain"]["head"] == before["audit_chain"]["head"] and audit.verify_chain().ok
    # the events written after the backup (40 deletions, a case) were anchored; the restore's marker explains their loss
    assert (
        "从备份" in audit.verify_chain().note
        and f"第{before['audit_chain']['head'][0] + 1}至" in audit.verify_chain().note
    )
    assert after["evidence"] == before["evidence"]
    assert not Case.objects.filter(title="备份之后新增的案件").exists()
    assert "与备份一致" in out.getvalue()
    # the search index was rebuilt from the restored records
    assert (
        search_services.count(query=f"申请号={sample_id}") == 1
        or search_services.get_backend().count() == before["counts"]["patents.Patent"]
    )


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    bogus = tmp_path / "x.tar.gz"
    bogus.write_bytes(b"not a tar")
    with pytest.raises(InputError, match="不是平台备份"):
        backup.read_manifest(bogus)
    with pytest.raises(CommandError, match="不是平台备份"):
        call_command("restore", str(bogus), "--yes")


def test_backup_is_a_scheduled_job():
    from ipplatform.core.scheduled import BY_KEY

    assert BY_KEY["backup"].command == "backup" and BY_KEY["verify_audit_chain"].notify_on_failure
