"""Rotation of the audit chain key (manage.py rekey_audit_chain): verified under the old key, re-hashed under the
new one, anchored outside the database so that verification across the rotation passes and still catches deletions."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ipplatform.core import anchors, audit
from ipplatform.core.models import AuditEvent, Organization

pytestmark = pytest.mark.django_db

OLD, NEW = "旧密钥-" + "a" * 40, "新密钥-" + "b" * 40


@pytest.fixture
def keys(settings, tmp_path):
    """The chain keyed from a key file (the default installation), written before the first event."""
    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_FILE = str(tmp_path / "audit_key")
    anchors.write_private(tmp_path / "audit_key", OLD.encode())
    (tmp_path / "new_key").write_text(NEW, encoding="utf-8")
    return tmp_path


def _events(n, django_capture_on_commit_callbacks, prefix="轮换测试"):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(n):
            Organization.objects.create(name=f"{prefix}{i}", kind="other", region_code="370100")


def _sql(statement, params=()):
    """Raw SQL with the append-only triggers out of the way, as a DBA would."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
        else:
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cur.execute(statement, params)


def _rotate(keys):
    out = io.StringIO()
    call_command("rekey_audit_chain", new_key_file=str(keys / "new_key"), stdout=out)
    return out.getvalue()


def test_rotated_chain_verifies_under_the_new_key(keys, django_capture_on_commit_callbacks):
    _events(4, django_capture_on_commit_callbacks)
    _rotate(keys)
    report = audit.verify_chain()
    assert report.ok and report.checked == 4 and "审计密钥轮换" in report.note


def test_rotation_installs_the_new_key_and_keeps_the_old_one_apart(keys, django_capture_on_commit_callbacks):
    _events(2, django_capture_on_commit_callbacks)
    _rotate(keys)
    assert anchors.key() == NEW.encode()
    assert [p.read_text() for p in keys.glob("audit_key.retired-*")] == [OLD]


def test_every_link_is_recomputed_under_the_new_key(keys, django_capture_on_commit_callbacks):
    _events(3, django_capture_on_commit_callbacks)
    before = list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True))
    _rotate(keys)
    after = list(AuditEvent.objects.order_by("seq"))
    assert not set(before) & {e.hash for e in after}
    assert all(e.hash == audit.compute_hash(e, e.prev_hash, secret=NEW.encode()) for e in after)
    assert not audit.verify_chain(secret=OLD.encode()).ok


def test_the_rotation_marker_is_written_to_the_sink(keys, settings, django_capture_on_commit_callbacks):
    _events(3, django_capture_on_commit_callbacks)
    _rotate(keys)
    last = json.loads(open(settings.AUDIT_ANCHOR_PATH, encoding="utf-8").read().splitlines()[-1])
    head = AuditEvent.objects.order_by("-seq").first()
    assert (last["rekeyed_to"], last["hash"]) == (head.seq, head.hash)


def test_events_after_the_rotation_extend_the_new_chain(keys, django_capture_on_commit_callbacks):
    _events(2, django_capture_on_commit_callbacks)
    _rotate(keys)
    _events(2, django_capture_on_commit_callbacks, prefix="轮换以后")
    report = audit.verify_chain()
    assert report.ok and (report.checked, report.unanchored) == (4, 0)


def test_tampering_before_the_rotation_is_refused(keys, django_capture_on_commit_callbacks):
    _events(4, django_capture_on_commit_callbacks)
    _sql("UPDATE core_auditevent SET object_repr = %s WHERE seq = 2", ["篡改"])
    with pytest.raises(CommandError, match="拒绝轮换.*序号 2"):
        _rotate(keys)


def test_a_refused_rotation_changes_neither_chain_nor_key(keys, django_capture_on_commit_callbacks):
    _events(3, django_capture_on_commit_callbacks)
    _sql("DELETE FROM core_auditevent WHERE seq = 3")  # the sink still has event 3
    hashes = list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True))
    with pytest.raises(CommandError, match="拒绝轮换"):
        _rotate(keys)
    assert list(AuditEvent.objects.order_by("seq").values_list("hash", flat=True)) == hashes
    assert anchors.key() == OLD.encode() and not list(keys.glob("audit_key.retired-*"))


def test_a_wrong_old_key_is_refused(keys, django_capture_on_commit_callbacks):
    _events(2, django_capture_on_commit_callbacks)
    (keys / "wrong").write_text("错误的密钥-" + "c" * 40, encoding="utf-8")
    with pytest.raises(CommandError, match="拒绝轮换"):
        call_command(
            "rekey_audit_chain",
            old_key_file=str(keys / "wrong"),
            new_key_file=str(keys / "new_key"),
            stdout=io.StringIO(),
        )


def test_a_deleted_event_in_a_rotated_chain_is_detected(keys, django_capture_on_commit_callbacks):
    _events(5, django_capture_on_commit_callbacks)
    _rotate(keys)
    _sql("DELETE FROM core_auditevent WHERE seq = 3")
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == 4 and "缺失" in report.reason


def test_truncating_a_rotated_chain_is_detected_by_the_marker(keys, django_capture_on_commit_callbacks):
    _events(5, django_capture_on_commit_callbacks)
    _rotate(keys)
    _sql("DELETE FROM core_auditevent WHERE seq = 5")
    report = audit.verify_chain()
    assert not report.ok and report.broken_seq == 5 and "删除或截断" in report.reason


def test_rewriting_a_rotated_chain_with_the_old_key_is_detected(keys, django_capture_on_commit_callbacks):
    """Someone holding the retired key re-hashes the chain with it: the rotation marker no longer matches."""
    _events(3, django_capture_on_commit_callbacks)
    _rotate(keys)
    prev = audit.GENESIS
    for e in AuditEvent.objects.order_by("seq"):
        e.hash = audit.compute_hash(e, prev, secret=OLD.encode())
        _sql("UPDATE core_auditevent SET prev_hash = %s, hash = %s WHERE seq = %s", [prev, e.hash, e.seq])
        prev = e.hash
    report = audit.verify_chain(secret=OLD.encode())
    assert not report.ok and report.broken_seq == 3 and "外部锚点不符" in report.reason


def test_a_key_from_the_environment_needs_the_new_key_given(settings, django_capture_on_commit_callbacks):
    settings.AUDIT_KEY = OLD
    _events(1, django_capture_on_commit_callbacks)
    with pytest.raises(CommandError, match="--new-key-file"):
        call_command("rekey_audit_chain", stdout=io.StringIO())


def test_a_restored_chain_under_a_retired_key_names_the_key_and_the_command(keys, django_capture_on_commit_callbacks):
    """A backup taken before a rotation, restored afterwards: the chain is under the retired key. The restore says so
    and the command it names makes the chain verify under the current key."""
    from ipplatform.core import backup

    _events(3, django_capture_on_commit_callbacks)
    assert backup.retired_key_hint() == ""  # verifies under the current key: nothing to suggest
    anchors.install_key(NEW.encode(), stamp="20261201-090000")  # the rotation the restored database predates
    assert not audit.verify_chain().ok
    hint = backup.retired_key_hint()
    retired = keys / "audit_key.retired-20261201-090000"
    assert "audit_key.retired-20261201-090000" in hint and f"--old-key-file {retired}" in hint
    call_command(
        "rekey_audit_chain", old_key_file=str(retired), new_key_file=str(keys / "audit_key"), stdout=io.StringIO()
    )
    assert audit.verify_chain().ok and backup.retired_key_hint() == ""


def test_a_tampered_chain_is_not_explained_as_a_rotation(keys, django_capture_on_commit_callbacks):
    from ipplatform.core import backup

    _events(2, django_capture_on_commit_callbacks)
    anchors.install_key(NEW.encode(), stamp="20261201-090000")
    _sql("UPDATE core_auditevent SET hash = %s WHERE seq = 1", ("f" * 64,))
    assert backup.retired_key_hint() == ""
