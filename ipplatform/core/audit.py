"""Audit trail: append-only, hash-chained events; verification names the first broken link."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from . import anchors, context
from .enums import AuditAction

log = logging.getLogger(__name__)
GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "ip",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
)


def json_safe(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name
    return value


SENSITIVE_FIELDS = {"password"}


def snapshot(instance: models.Model, *, mask: bool = True) -> dict:
    """Concrete field values of a model instance, JSON-safe (foreign keys as ids; secrets masked unless mask=False)."""
    data = {}
    for f in instance._meta.concrete_fields:
        value = json_safe(getattr(instance, f.attname))
        data[f.attname] = "******" if mask and f.attname in SENSITIVE_FIELDS and value else value
    return data


def _masked(data: dict) -> dict:
    return {k: ("******" if k in SENSITIVE_FIELDS and v else v) for k, v in data.items()}


def _payload(event) -> bytes:
    data = {name: json_safe(getattr(event, name)) for name in HASHED_FIELDS}
    if isinstance(event.created_at, dt.datetime):
        data["created_at"] = event.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def compute_hash(event, prev_hash: str, *, secret: bytes | None = None) -> str:
    """The event's link: an HMAC (key outside the database, core.anchors; `secret` overrides it) over the previous
    hash and the payload."""
    return anchors.keyed_digest(prev_hash.encode() + _payload(event), settings.AUDIT_HASH, secret=secret)


def _lock_chain():
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(370000001)")


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id="",
    object_repr: str = "",
    before=None,
    after=None,
    reason: str = "",
    actor=None,
    ip: str | None = None,
    actor_name: str = "",
):
    """Append one audit event to the chain; actor and IP default to the current request or command."""
    from .models import AuditEvent

    actor = actor if actor is not None else context.current_user()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        event = AuditEvent(
            seq=(last[0] + 1) if last else 1,
            created_at=timezone.now(),
            actor_id=actor.pk if actor else None,
            actor_name=(actor.get_username() if actor else (actor_name or context.current_system() or "system")),
            ip=ip if ip is not None else context.current_ip(),
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            object_repr=object_repr[:300],
            before=json_safe(before),
            after=json_safe(after),
            reason=reason,
            prev_hash=last[1] if last else GENESIS,
        )
        event.hash = compute_hash(event, event.prev_hash)
        event.save(force_insert=True)
        anchor = {"seq": event.seq, "hash": event.hash, "at": event.created_at.isoformat(timespec="seconds")}
        transaction.on_commit(lambda: anchors.audit_sink().append(anchor))
    return event


def update_recorded(queryset, *, by, reason: str, **changes) -> int:
    """`queryset.update(**changes)` with one audit event per object that changes (who, when, from, to, why).

    A bulk update sends no save signals, so the automatic change audit never sees it; this records it explicitly.
    Callers run inside a transaction so that the change and its events commit together."""
    model = queryset.model
    after = {}
    for name, value in changes.items():
        attname = model._meta.get_field(name).attname
        after[attname] = value.pk if isinstance(value, models.Model) else value
    changed = [obj for obj in queryset.all() if any(getattr(obj, k) != v for k, v in after.items())]
    if not changed:
        return 0
    model.objects.filter(pk__in=[obj.pk for obj in changed]).update(**changes)
    for obj in changed:
        before = {k: getattr(obj, k) for k in after}
        record(
            AuditAction.UPDATE,
            obj=obj,
            actor=by,
            before=before,
            after={k: v for k, v in after.items() if before[k] != v},
            reason=reason,
        )
    return len(changed)


@dataclass
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    anchored: int = 0  # events confirmed by the external sink
    unanchored: int = 0  # newest events not yet in the sink (written after commit)
    note: str = ""


def verify_chain(*, batch: int = 5000, secret: bytes | None = None) -> ChainReport:
    """Recompute every hash in order (under `secret`, by default the configured key); report the first event whose
    hash, link or sequence is wrong, then compare with the external anchors."""
    from .models import AuditEvent

    prev_hash, expected_seq, checked = GENESIS, 1, 0
    qs = AuditEvent.objects.order_by("seq")
    last_seq = 0
    while True:
        chunk = list(qs.filter(seq__gt=last_seq)[:batch])
        if not chunk:
            break
        for event in chunk:
            if event.seq != expected_seq:
                return ChainReport(
                    False, checked, event.seq, f"第{expected_seq}条至第{event.seq - 1}条记录缺失（被删除）"
                )
            if event.prev_hash != prev_hash:
                return ChainReport(False, checked, event.seq, f"第{event.seq}条记录的前序哈希与第{event.seq - 1}条不符")
            if compute_hash(event, prev_hash, secret=secret) != event.hash:
                return ChainReport(False, checked, event.seq, f"第{event.seq}条记录内容被篡改（哈希不符）")
            prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
            last_seq = event.seq
    return _check_anchors(checked)


def _check_anchors(checked: int) -> ChainReport:
    """Compare the (internally consistent) chain with the heads anchored outside the database."""
    from .models import AuditEvent

    sink = anchors.audit_sink()
    if not sink.exists:
        return ChainReport(True, checked, unanchored=checked, note="外部锚点文件不存在：仅校验了数据库内的哈希链")
    anchored, restores = {}, []
    for e in sink.entries():  # in the order written
        if "rekeyed_to" in e:
            # the chain up to this event was re-hashed under a new key (rekey_chain, refused unless every link and
            # anchor verified under the old key): the heads anchored before carry old-key hashes, the marker's head,
            # written outside the database, stands for all of them (a later deletion or truncation still shows)
            cut = int(e["rekeyed_to"])
            anchored = {cut: e["hash"]} if cut else {}
            restores.append(f"{e.get('at', '')[:16].replace('T', ' ')}审计密钥轮换，第1至{cut}条记录以新密钥重新计算")
            continue
        if "restored_to" in e:
            # a deliberate restore from a backup (core.backup) rolled the chain back to this event: what was anchored
            # after it was lost by the restore, not by tampering; the marker itself is outside the database
            cut = int(e["restored_to"])
            dropped = sorted(seq for seq in anchored if seq > cut)
            anchored = {seq: h for seq, h in anchored.items() if seq <= cut}
            if dropped:
                restores.append(
                    f"{e.get('at', '')[:16].replace('T', ' ')}从备份{e.get('archive', '')}恢复，第{dropped[0]}至{dropped[-1]}条记录随之撤回"
                )
        elif "seq" in e and "hash" in e:
            anchored[int(e["seq"])] = e["hash"]
    if anchored:
        top = max(anchored)
        if top > checked:
            first_missing = checked + 1
            return ChainReport(
                False,
                checked,
                first_missing,
                f"外部锚点记录了第{first_missing}至{top}条记录，数据库中已不存在（被删除或截断）",
                len(anchored),
                note="；".join(restores),
            )
        stored = dict(AuditEvent.objects.filter(seq__in=list(anchored)).values_list("seq", "hash"))
        for seq in sorted(anchored):
            if stored.get(seq) != anchored[seq]:
                return ChainReport(False, checked, seq, f"第{seq}条记录与外部锚点不符（被改写）", len(anchored))
    newest = max(anchored) if anchored else 0
    return ChainReport(True, checked, anchored=len(anchored), unanchored=checked - newest, note="；".join(restores))


@dataclass
class RekeyReport:
    rekeyed: int  # events re-hashed
    head_hash: str  # the newest event's hash under the new key ("" for an empty chain)
    previous_head_hash: str  # the same under the old key
    marker: dict  # the line written to the audit sink


def rekey_chain(*, old_key: bytes, new_key: bytes, before_commit=None, batch: int = 2000) -> RekeyReport:
    """Key rotation: verify the whole chain (links and external anchors) under `old_key`, re-hash every link under
    `new_key` in one transaction, and anchor the rotation in the audit sink (a `rekeyed_to` marker holding the new
    head, so verification across the rotation passes). Refused, changing nothing, when the old chain does not verify:
    a rotation must not launder tampering. `before_commit` runs inside the transaction with the chain locked (the
    caller installs the new key there, so no event can be appended under the old key after the re-hash)."""
    from types import SimpleNamespace

    from .dbguards import create_append_only_triggers, drop_append_only_triggers
    from .inputs import InputError
    from .models import AuditEvent

    if not old_key or not new_key:
        raise InputError("审计密钥不能为空", field="key")
    if old_key == new_key:
        raise InputError("新密钥与旧密钥相同：轮换需要一把新的密钥", field="new_key")
    table = AuditEvent._meta.db_table
    with transaction.atomic():
        _lock_chain()
        report = verify_chain(secret=old_key)
        if not report.ok:
            raise InputError(
                f"审计链在旧密钥下校验未通过，拒绝轮换（序号 {report.broken_seq}：{report.reason}）", field="old_key"
            )
        # the rows are append-only for everyone else: the UPDATE trigger is lifted for this transaction only (DDL is
        # transactional in PostgreSQL and SQLite, so a failure leaves it in place)
        guard = SimpleNamespace(connection=connection)
        drop_append_only_triggers(guard, [table])
        prev, last_seq, old_head = GENESIS, 0, ""
        while True:
            chunk = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
            if not chunk:
                break
            for event in chunk:
                old_head = event.hash
                event.prev_hash = prev
                event.hash = prev = compute_hash(event, prev, secret=new_key)
                last_seq = event.seq
            AuditEvent.objects.bulk_update(chunk, ["prev_hash", "hash"])
        create_append_only_triggers(guard, [table])
        if before_commit is not None:
            before_commit()
    marker = {
        "rekeyed_to": last_seq,
        "hash": prev if last_seq else "",
        "previous_hash": old_head,
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    anchors.audit_sink().append(marker)
    return RekeyReport(last_seq, marker["hash"], old_head, marker)


# ---------------------------------------------------------------- automatic model change auditing


def is_audited(model) -> bool:
    meta = model._meta
    return meta.app_label in AUDITED_APPS and not getattr(model, "audit_exclude", False)


AUDITED_APPS = {"core", "patents", "search", "analytics", "navigation", "protection", "market", "finance", "workplan"}


def on_pre_save(sender, instance, raw=False, **kwargs):
    if raw or not is_audited(sender) or instance._state.adding:
        return
    try:
        instance._audit_before = snapshot(sender._default_manager.get(pk=instance.pk), mask=False)
    except sender.DoesNotExist:
        instance._audit_before = None


def on_post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not is_audited(sender):
        return
    after = snapshot(instance, mask=False)
    if created:
        record(AuditAction.CREATE, obj=instance, after=_masked(after))
        return
    before = getattr(instance, "_audit_before", None) or {}
    changed = [k for k in after if before.get(k) != after.get(k) and k not in ("updated_at", "last_login")]
    if changed:
        record(
            AuditAction.UPDATE,
            obj=instance,
            before=_masked({k: before.get(k) for k in changed}),
            after=_masked({k: after[k] for k in changed}),
        )


def on_post_delete(sender, instance, **kwargs):
    if is_audited(sender):
        record(AuditAction.DELETE, obj=instance, before=snapshot(instance))
