"""Full-process record (执法全过程记录): append-only, hash-chained evidence records with files outside the database."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ipplatform.core import anchors
from ipplatform.core.inputs import InputError
from ipplatform.core.storage import shared_dir
from ipplatform.lib.filesniff import RefusedFile, sniff
from ipplatform.lib.hashing import digest_hex, file_digest

from .access import require_case_worker
from .enums import ON_SITE_STAGES, EvidenceKind, EvidenceStage
from .models import Case, EvidenceRecord

GENESIS = "0" * 64
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
CHUNK = 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "PROTECTION_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def evidence_root() -> Path:
    return shared_dir() / "protection" / "evidence"


def _record_payload(r: EvidenceRecord) -> bytes:
    data = {
        "case": r.case_id,
        "seq": r.seq,
        "stage": r.stage,
        "kind": r.kind,
        "title": r.title,
        "file_name": r.file_name,
        "stored_path": r.stored_path,
        "size": r.size,
        "mime": r.mime,
        "algorithm": r.algorithm,
        "file_hash": r.file_hash,
        "captured_at": r.captured_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "officers": r.officers,
        "officer_ids": r.officer_ids,
        "device": r.device,
        "location": r.location,
        "approved_by": r.approved_by,
        "note": r.note,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


def record_hash(r: EvidenceRecord, prev_hash: str) -> str:
    return digest_hex(prev_hash.encode() + _record_payload(r), r.algorithm)


def _chunks(upload):
    if hasattr(upload, "chunks"):
        upload.seek(0)
        yield from upload.chunks(CHUNK)
    else:
        upload.seek(0)
        while True:
            block = upload.read(CHUNK)
            if not block:
                break
            yield block


def check_upload(upload, file_name: str, *, limit: int, kinds: frozenset[str] | None = None, what: str = "文件"):
    """(size, Sniffed) of an upload whose size is within `limit` and whose content (magic bytes, not the extension)
    is of one of `kinds` (any accepted kind when None); else a Chinese InputError naming the file."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size == 0:
        raise InputError(f"{what}“{file_name}”是空文件", field="file")
    if size > limit:
        raise InputError(
            f"{what}“{file_name}”大小为{size / 1048576:.1f}MB，超过上限{limit / 1048576:.0f}MB，请压缩或分段上传",
            field="file",
        )
    upload.seek(0)
    head = upload.read(512)
    try:
        sniffed = sniff(head, file_name)
    except RefusedFile as exc:
        raise InputError(str(exc), field="file")
    if kinds is not None and sniffed.kind not in kinds:
        raise InputError(f"{what}“{file_name}”的内容是{sniffed.mime}，此处不接受这种类型", field="file")
    return size, sniffed


def store(upload, rel: str) -> None:
    """Write the upload under the shared directory at `rel` (the folder is created)."""
    target = shared_dir() / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        for chunk in _chunks(upload):
            fh.write(chunk)


def add_record(
    *,
    case: Case,
    by,
    upload,
    file_name: str,
    stage: str,
    kind: str,
    title: str,
    captured_at: dt.datetime,
    officers: list,
    device: str = "",
    location: str = "",
    approved_by: str = "",
    note: str = "",
    algorithm: str = "sha256",
) -> EvidenceRecord:
    """Store one file with its digest and append its record to the case's chain (two officers for on-site steps)."""
    require_case_worker(by, case)
    if stage not in EvidenceStage.values:
        raise InputError(f"环节“{stage}”无效", field="stage")
    if kind not in EvidenceKind.values:
        raise InputError(f"类别“{kind}”无效", field="kind")
    if algorithm not in ("sha256", "sm3"):
        raise InputError("摘要算法只能是SHA-256或SM3", field="algorithm")
    if not (title or "").strip():
        raise InputError("请填写材料名称", field="title")
    officers = [o for o in officers if o is not None]
    names = [o.display_name if hasattr(o, "display_name") else str(o).strip() for o in officers]
    names = [n for n in dict.fromkeys(names) if n]
    if stage in ON_SITE_STAGES and len(names) < 2:
        raise InputError(
            f"“{EvidenceStage(stage).label}”属于现场执法环节，须有至少两名执法人员（当前{len(names)}名）",
            field="officers",
        )
    if not names:
        raise InputError("请填写执法人员", field="officers")
    if stage == EvidenceStage.SEALING and not (approved_by or "").strip():
        raise InputError("查封、扣押须经负责人批准：请填写批准人", field="approved_by")
    if captured_at is None:
        raise InputError("请填写采集时间", field="captured_at")
    if timezone.is_naive(captured_at):
        captured_at = timezone.make_aware(captured_at)
    if captured_at > timezone.now() + dt.timedelta(minutes=5):
        raise InputError("采集时间不能晚于当前时间", field="captured_at")
    size, sniffed = check_upload(upload, file_name, limit=max_bytes())
    digest = file_digest(_chunks(upload), algorithm)
    folder = evidence_root() / str(case.pk)
    folder.mkdir(parents=True, exist_ok=True)
    ext = Path(file_name).suffix.lower()[:10]
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        seq = locked.evidence_count + 1
        prev = locked.evidence_head or GENESIS
        rel = f"protection/evidence/{case.pk}/{seq:05d}_{digest[:16]}{ext}"
        store(upload, rel)
        r = EvidenceRecord(
            case=locked,
            seq=seq,
            stage=stage,
            kind=kind,
            title=title.strip(),
            file_name=Path(file_name).name[:255],
            stored_path=rel,
            size=size,
            mime=sniffed.mime,
            algorithm=algorithm,
            file_hash=digest,
            captured_at=captured_at,
            officers="、".join(names),
            officer_ids=[o.pk for o in officers if hasattr(o, "pk")],
            device=device.strip(),
            location=location.strip(),
            approved_by=approved_by.strip(),
            note=note.strip(),
            recorded_by=by,
            recorded_at=timezone.now(),
            prev_hash=prev,
        )
        r.record_hash = record_hash(r, prev)
        r.save()
        Case.objects.filter(pk=case.pk).update(evidence_count=seq, evidence_head=r.record_hash)
        anchor = {"case": case.pk, "case_no": locked.case_no, "seq": seq, "hash": r.record_hash}
        transaction.on_commit(lambda: anchors.evidence_sink().append(anchor))
    case.evidence_count, case.evidence_head = seq, r.record_hash
    return r


@dataclass
class CaseCheck:
    case: Case
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _anchored(case_ids=None) -> dict[int, dict[int, str]]:
    """Record hashes anchored outside the database: {case pk: {seq: hash}}."""
    out: dict[int, dict[int, str]] = {}
    for e in anchors.evidence_sink().entries():
        if "case" in e and "seq" in e and (case_ids is None or e["case"] in case_ids):
            out.setdefault(int(e["case"]), {})[int(e["seq"])] = e.get("hash", "")
    return out


def verify_case(case: Case, *, anchored: dict[int, str] | None = None) -> CaseCheck:
    """Check every file against its digest, every record against the chain and the external anchors, and the count
    against the case."""
    report = CaseCheck(case)
    anchored = _anchored({case.pk}).get(case.pk, {}) if anchored is None else anchored
    stored = dict(case.evidence.values_list("seq", "record_hash"))
    for seq in sorted(anchored):
        if seq not in stored:
            report.problems.append(f"第{seq}号记录已从数据库删除（外部锚点记录了它）")
        elif stored[seq] != anchored[seq]:
            report.problems.append(f"第{seq}号记录与外部锚点不符（被改写）")
    prev, expected = GENESIS, 1
    for r in case.evidence.order_by("seq"):
        if r.seq != expected:
            report.problems.append(f"第{expected}至{r.seq - 1}号记录缺失（被删除）")
        if r.prev_hash != prev or record_hash(r, r.prev_hash) != r.record_hash:
            report.problems.append(f"第{r.seq}号记录“{r.title}”的登记信息被改动或链接断开")
        path = shared_dir() / r.stored_path
        if not path.exists():
            report.problems.append(f"第{r.seq}号记录“{r.title}”的文件缺失：{r.stored_path}")
        else:
            with open(path, "rb") as fh:
                actual = file_digest(iter(lambda: fh.read(CHUNK), b""), r.algorithm)
            if actual != r.file_hash:
                report.problems.append(f"第{r.seq}号记录“{r.title}”的文件已被篡改（{r.algorithm.upper()}摘要不符）")
        prev, expected = r.record_hash, r.seq + 1
        report.checked += 1
    if case.evidence_count != expected - 1:
        report.problems.append(f"案件登记有{case.evidence_count}条记录，实际只有{expected - 1}条：末尾记录被删除")
    elif case.evidence_count and case.evidence_head != prev:
        report.problems.append("记录链末端哈希与案件登记不符")
    return report


def verify_all(*, cases=None, progress=None) -> list[CaseCheck]:
    """Verify the full-process record of every case (or the given ones) that has records."""
    qs = cases if cases is not None else Case.objects.all()
    anchored = _anchored()
    qs = qs.filter(evidence_count__gt=0) | qs.filter(evidence__isnull=False) | qs.filter(pk__in=list(anchored))
    qs = qs.distinct().order_by("pk")
    total = qs.count()
    out = []
    for i, case in enumerate(qs.iterator(), 1):
        out.append(verify_case(case, anchored=anchored.get(case.pk, {})))
        if progress:
            progress(i, total)
    return out


def open_file(record: EvidenceRecord):
    return open(shared_dir() / record.stored_path, "rb")


# ---------------------------------------------------------------- files attached to 12330 requests

INTAKE_MAX_FILES = 5
INTAKE_MAX_BYTES = 10 * 1024 * 1024
INTAKE_KINDS = frozenset({"photo", "document"})  # photos, screenshots, PDF, Word/Excel, plain text
INTAKE_ACCEPT = ".jpg,.jpeg,.png,.gif,.bmp,.webp,.heic,.tif,.tiff,.pdf,.doc,.docx,.xls,.xlsx,.rtf,.txt"


def intake_max_bytes() -> int:
    return int(getattr(settings, "PROTECTION_INTAKE_MAX_BYTES", INTAKE_MAX_BYTES))


def check_intake_files(uploads: list) -> None:
    """Refuse the whole set before anything is saved: too many files, too large, or not a photo or document."""
    uploads = [u for u in uploads if u is not None]
    if len(uploads) > INTAKE_MAX_FILES:
        raise InputError(f"附件最多{INTAKE_MAX_FILES}个，您选择了{len(uploads)}个", field="attachments")
    limit = intake_max_bytes()
    for i, upload in enumerate(uploads, 1):
        try:
            check_upload(upload, upload.name, limit=limit, kinds=INTAKE_KINDS, what=f"第{i}个附件")
        except InputError as exc:
            raise InputError(
                exc.message + "（附件仅接受照片、截图、PDF、Word/Excel和纯文本文件）", field="attachments"
            ) from None


def add_intake_files(*, intake, uploads: list) -> list:
    """Store the requester's files with their SHA-256 digests (checked again here: type by content, size capped)."""
    from .models import IntakeAttachment

    uploads = [u for u in uploads if u is not None]
    check_intake_files(uploads)
    out = []
    start = intake.attachments.count()
    for seq, upload in enumerate(uploads, start + 1):
        _, sniffed = check_upload(upload, upload.name, limit=intake_max_bytes(), kinds=INTAKE_KINDS)
        digest = file_digest(_chunks(upload), "sha256")
        ext = Path(upload.name).suffix.lower()[:10]
        rel = f"protection/intake/{intake.pk}/{seq:02d}_{digest[:16]}{ext}"
        store(upload, rel)
        out.append(
            IntakeAttachment.objects.create(
                intake=intake,
                seq=seq,
                file_name=Path(upload.name).name[:255],
                stored_path=rel,
                size=upload.size,
                mime=sniffed.mime,
                algorithm="sha256",
                file_hash=digest,
                uploaded_at=timezone.now(),
            )
        )
    return out


def open_attachment(attachment):
    return open(shared_dir() / attachment.stored_path, "rb")
