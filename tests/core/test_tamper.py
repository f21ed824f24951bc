"""Tamper evidence outside the database: every mode an attacker with database access (but not the server's key
or anchor sink) has, for the audit chain and the evidence chain; and the DELETE triggers."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, InternalError, OperationalError, ProgrammingError, connection, transaction
from django.utils import timezone

from ipplatform.core import anchors, audit
from ipplatform.core.dbguards import APPEND_ONLY_TABLES, create_no_delete_triggers
from ipplatform.core.models import AuditEvent, Organization

pytestmark = pytest.mark.django_db


def _events(n, django_capture_on_commit_callbacks):
    """n audit events, committed as the application commits them (anchors are written on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(n):
            Organization.objects.create(name=f"锚点测试{i}", kind="other", region_code="370100")


def _sql(statement, params=()):
    """What a DBA (or an attacker with the database password) does: raw SQL, triggers dropped first."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
        else:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cur.execute(statement, params)


def test_every_event_is_anchored_outside_the_database(django_capture_on_commit_callbacks, settings):
    _events(4, django_capture_on_commit_callbacks)
    lines = [json.loads(x) for x in open(settings.AUDIT_ANCHOR_PATH, encoding="utf-8")]
    assert [x["seq"] for x in lines] == [1, 2, 3, 4]
    assert [x["hash"] for x in lines] == list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True))
    report = audit.verify_chain()
    assert report.ok and (report.checked, report.anchored, report.unanchored) == (4, 4, 0)


def test_chain_is_keyed_with_a_secret_outside_the_database(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.AUDIT_KEY = "测试密钥-1"
    _events(1, django_capture_on_commit_callbacks)
    event = AuditEvent.objects.get()
    payload = event.prev_hash.encode() + audit._payload(event)
    assert event.hash == anchors.keyed_digest(payload, "sha256", secret="测试密钥-1".encode())
    assert event.hash != hashlib.sha256(payload).hexdigest()  # the project's plain hash is not the link
    settings.AUDIT_KEY = "另一把密钥"
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == 1 and "篡改" in report.reason


def test_hmac_sm3_when_configured(settings, django_capture_on_commit_callbacks):
    settings.AUDIT_HASH, settings.AUDIT_KEY = "sm3", "k"
    _events(2, django_capture_on_commit_callbacks)
    assert audit.verify_chain().ok
    # RFC 2104 over SM3: differs from plain SM3 and from HMAC-SHA256 of the same data
    from ipplatform.lib.hashing import digest_hex

    assert anchors.keyed_digest(b"abc", "sm3", secret=b"k") not in (
        digest_hex(b"abc", "sm3"),
        anchors.keyed_digest(b"abc", "sha256", secret=b"k"),
    )
    assert len(anchors.keyed_digest(b"abc", "sm3", secret=b"k" * 100)) == 64


def test_key_file_is_created_once_outside_the_database(settings, tmp_path):
    settings.AUDIT_KEY, settings.AUDIT_KEY_FILE = "", str(tmp_path / "key")
    first = anchors.key()
    assert len(first) == 64 and anchors.key() == first
    assert oct((tmp_path / "key").stat().st_mode & 0o777) == "0o600"


def test_deleting_the_newest_events_is_detected(django_capture_on_commit_callbacks):
    _events(5, django_capture_on_commit_callbacks)
    _sql("DELETE FROM core_auditevent WHERE seq >= 4")
    report = audit.verify_chain()  # the remaining chain 1..3 is internally perfect
    assert not report.ok and report.broken_seq == 4 and "第4至5条" in report.reason and "删除或截断" in report.reason
    with pytest.raises(CommandError, match="序号 4"):
        call_command("verify_audit_chain", stdout=io.StringIO())


def test_emptying_the_table_is_detected(django_capture_on_commit_callbacks):
    _events(3, django_capture_on_commit_callbacks)
    _sql("DELETE FROM core_auditevent")
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == 1 and "第1至3条" in report.reason


def test_rewriting_the_chain_even_with_the_key_is_detected_by_the_sink(django_capture_on_commit_callbacks, settings):
    """Worst case: the attacker also read the key and recomputes every link after changing event 2."""
    _events(3, django_capture_on_commit_callbacks)
    events = list(AuditEvent.objects.order_by("seq"))
    events[1].reason = "改写的理由"
    prev = events[0].hash
    for e in events[1:]:
        e.prev_hash = prev
        e.hash = audit.compute_hash(e, prev)
        _sql(
            "UPDATE core_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [e.reason, e.prev_hash, e.hash, e.seq],
        )
        prev = e.hash
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == 2 and "外部锚点不符" in report.reason


def test_rewriting_with_the_plain_hash_is_detected_without_the_sink(
    django_capture_on_commit_callbacks, settings, tmp_path
):
    """Without the key, a chain rewritten with the project's unkeyed SHA-256 does not verify, even if the sink is lost."""
    _events(3, django_capture_on_commit_callbacks)
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "lost.log")
    prev = audit.GENESIS
    for e in AuditEvent.objects.order_by("seq"):
        e.actor_name = "冒名"
        h = hashlib.sha256(prev.encode() + audit._payload(e)).hexdigest()
        _sql(
            "UPDATE core_auditevent SET actor_name = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [e.actor_name, prev, h, e.seq],
        )
        prev = h
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == 1
    assert "外部锚点文件不存在" in audit._check_anchors(0).note


def test_unanchored_newest_events_are_reported_not_failed(django_capture_on_commit_callbacks, db):
    _events(2, django_capture_on_commit_callbacks)
    Organization.objects.create(name="未提交前", kind="other", region_code="370100")  # its anchor waits for the commit
    report = audit.verify_chain()
    assert report.ok and (report.anchored, report.unanchored) == (2, 1)


def test_delete_triggers_refuse_deleting_append_only_rows(django_capture_on_commit_callbacks):
    _events(1, django_capture_on_commit_callbacks)
    create_no_delete_triggers(SimpleNamespace(connection=connection), APPEND_ONLY_TABLES)  # as migration 0003 does
    with pytest.raises((IntegrityError, InternalError, OperationalError, ProgrammingError)):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.count() == 1
    if connection.vendor == "postgresql":
        with pytest.raises((IntegrityError, InternalError, OperationalError, ProgrammingError)):
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("TRUNCATE core_auditevent")


def test_evidence_rows_cannot_be_deleted(evidence_case, users, django_capture_on_commit_callbacks):
    _add(evidence_case, users["city370200"], 1, django_capture_on_commit_callbacks)
    create_no_delete_triggers(SimpleNamespace(connection=connection), APPEND_ONLY_TABLES)
    with pytest.raises((IntegrityError, InternalError, OperationalError, ProgrammingError)):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM protection_evidencerecord")
    assert evidence_case.evidence.count() == 1


# ---------------------------------------------------------------- evidence records


@pytest.fixture
def evidence_case(users, settings, tmp_path):
    from ipplatform.protection import services

    settings.DATA_DIR = tmp_path
    return services.create_case(
        case_type="infringement",
        by=users["city370200"],
        received_on=dt.date(2026, 2, 12),
        title="锚点测试案件",
        region_code="370211",
        respondent_name="青岛某公司",
        requester_name="海尔集团公司",
    )


def _add(case, by, n, capture):
    from ipplatform.protection import evidence

    with capture(execute=True):
        for i in range(n):
            evidence.add_record(
                case=case,
                by=by,
                upload=io.BytesIO(f"笔录{i}".encode()),
                file_name=f"r{i}.txt",
                stage="investigation",
                kind="document",
                title=f"询问笔录{i}",
                captured_at=timezone.now() - dt.timedelta(hours=1),
                officers=[by, "执法员 刘"],
            )


def _evidence_sql(statement, params=()):
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS protection_evidencerecord_no_update")
            cur.execute("DROP TRIGGER IF EXISTS protection_evidencerecord_no_delete")
        else:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fire pending FK checks so the table can be altered
            cur.execute("ALTER TABLE protection_evidencerecord DISABLE TRIGGER USER")
        cur.execute(statement, params)


def test_deleting_evidence_and_resetting_counters_is_detected(evidence_case, users, django_capture_on_commit_callbacks):
    from ipplatform.protection import evidence
    from ipplatform.protection.models import Case

    _add(evidence_case, users["city370200"], 3, django_capture_on_commit_callbacks)
    assert evidence.verify_case(Case.objects.get(pk=evidence_case.pk)).ok
    # the attacker removes record 3 and makes the case agree (count and head of record 2)
    head2 = evidence_case.evidence.get(seq=2).record_hash
    _evidence_sql("DELETE FROM protection_evidencerecord WHERE case_id = %s AND seq = 3", [evidence_case.pk])
    Case.objects.filter(pk=evidence_case.pk).update(evidence_count=2, evidence_head=head2)
    report = evidence.verify_case(Case.objects.get(pk=evidence_case.pk))
    assert report.problems == ["第3号记录已从数据库删除（外部锚点记录了它）"]
    with pytest.raises(CommandError):
        call_command("verify_evidence", stdout=io.StringIO(), stderr=io.StringIO())


def test_deleting_all_evidence_of_a_case_is_detected(evidence_case, users, django_capture_on_commit_callbacks):
    from ipplatform.protection import evidence
    from ipplatform.protection.models import Case

    _add(evidence_case, users["city370200"], 2, django_capture_on_commit_callbacks)
    _evidence_sql("DELETE FROM protection_evidencerecord WHERE case_id = %s", [evidence_case.pk])
    Case.objects.filter(pk=evidence_case.pk).update(evidence_count=0, evidence_head="")
    checks = evidence.verify_all()
    assert [c.case.pk for c in checks if not c.ok] == [evidence_case.pk]
    assert "第1号记录已从数据库删除（外部锚点记录了它）" in checks[0].problems


def test_rewritten_evidence_record_is_detected(evidence_case, users, django_capture_on_commit_callbacks):
    from ipplatform.protection import evidence
    from ipplatform.protection.models import Case

    _add(evidence_case, users["city370200"], 2, django_capture_on_commit_callbacks)
    r = evidence_case.evidence.get(seq=2)
    r.title = "改写"
    new_hash = evidence.record_hash(r, r.prev_hash)  # recomputed with the project's own function
    _evidence_sql(
        "UPDATE protection_evidencerecord SET title = %s, record_hash = %s WHERE id = %s", ["改写", new_hash, r.pk]
    )
    Case.objects.filter(pk=evidence_case.pk).update(evidence_head=new_hash)
    report = evidence.verify_case(Case.objects.get(pk=evidence_case.pk))
    assert report.problems == ["第2号记录与外部锚点不符（被改写）"]
