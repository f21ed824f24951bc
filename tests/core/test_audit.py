import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction
from ipplatform.core.models import AppendOnlyError, AuditEvent, Organization


def _make_events(n=5):
    for i in range(n):
        Organization.objects.create(name=f"测试企业{i}", kind="other", region_code="370100")


def test_changes_are_recorded_with_before_and_after(db):
    org = Organization.objects.create(name="审计测试单位", kind="other", region_code="370100")
    org.address = "济南市历下区"
    org.save()
    org.delete()
    events = list(AuditEvent.objects.filter(object_type="core.organization").order_by("seq"))
    assert [e.action for e in events] == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]
    assert events[1].before == {"address": ""} and events[1].after == {"address": "济南市历下区"}
    assert events[2].before["name"] == "审计测试单位"


def test_chain_verifies_then_detects_tampering(db):
    _make_events(6)
    report = audit.verify_chain()
    assert report.ok and report.checked == 6
    target = AuditEvent.objects.order_by("seq")[3]
    # A DBA with direct access bypasses the model and the trigger: the chain still catches it.
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER core_auditevent_no_update")
        else:
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update")
        cur.execute("UPDATE core_auditevent SET object_repr = %s WHERE seq = %s", ["篡改", target.seq])
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == target.seq and "篡改" in report.reason
    with pytest.raises(CommandError, match=f"序号 {target.seq}"):
        call_command("verify_audit_chain")


def test_deleted_row_is_detected(db):
    _make_events(5)
    victim = AuditEvent.objects.order_by("seq")[2].seq
    with connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE seq = %s", [victim])
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == victim + 1 and "缺失" in report.reason


def test_events_cannot_be_edited_or_deleted(db):
    _make_events(1)
    event = AuditEvent.objects.first()
    event.reason = "改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    # The database refuses an UPDATE too.
    with pytest.raises(Exception), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="改")


def test_password_hash_never_in_trail(users):
    u = users["public"]
    u.set_password("Another#Pass9")
    u.save()
    event = AuditEvent.objects.filter(object_type="core.user", object_id=str(u.pk), action="update").last()
    assert event.after["password"] == "******"
