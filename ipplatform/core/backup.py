"""Backup and restore of one installation: the database (the engine's own dump: SQLite online backup or
pg_dump custom format, so triggers and sequences come back as they were), the shared files (uploads,
evidence, generated documents), and the configuration (secret key, the non-secret settings). The search
index is not copied: restore rebuilds it from the records. A manifest holds the record counts, the audit
chain head and every evidence file's hash; restore checks the restored installation against it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections

from .api import InputError
from .storage import is_node_local, shared_dir

FORMAT = 1
PLATFORM_APPS = ("core", "patents", "search", "analytics", "navigation", "protection", "market", "finance", "workplan")
CONFIG_SETTINGS = ("PROVINCE_CODE", "AUDIT_HASH", "TIME_ZONE", "LANGUAGE_CODE", "ALLOWED_HOSTS")


def inventory() -> dict:
    """What a backup must bring back: record counts per model, audit-chain verification, evidence file hashes."""
    from . import audit
    from .models import AuditEvent

    counts = {}
    for app in PLATFORM_APPS:
        for model in apps.get_app_config(app).get_models():
            counts[model._meta.label] = model._default_manager.using("default").count()
    chain = audit.verify_chain()
    last = AuditEvent.objects.using("default").order_by("-seq").values_list("seq", "hash").first()
    evidence = {}
    try:
        from ipplatform.protection.models import EvidenceRecord

        for rec in EvidenceRecord.objects.using("default").order_by("pk").only("stored_path", "file_hash", "algorithm"):
            path = shared_dir() / rec.stored_path
            evidence[rec.stored_path] = {
                "recorded": rec.file_hash,
                "file": _file_digest(path, rec.algorithm) if path.exists() else "",
            }
    except LookupError:
        pass
    return {
        "counts": counts,
        "audit_chain": {
            "ok": chain.ok,
            "checked": chain.checked,
            "reason": chain.reason,
            "head": list(last) if last else None,
        },
        "evidence": evidence,
    }


def _file_digest(path: Path, algorithm: str) -> str:
    from ipplatform.lib import hashing

    with path.open("rb") as fh:
        return hashing.file_digest(iter(lambda: fh.read(1 << 20), b""), algorithm)


# ---------------------------------------------------------------- database dump


def _pg_env(db: dict) -> tuple[list[str], dict]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
    ]
    return args, env


def dump_database(target: Path) -> str:
    """Write the default database to `target`; returns the engine name."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dst = sqlite3.connect(target)
        try:
            connection.connection.backup(dst)
        finally:
            dst.close()
        return "sqlite"
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        subprocess.run(
            ["pg_dump", *args, "-Fc", "--no-owner", "--no-privileges", "-f", str(target), db["NAME"]],
            env=env,
            check=True,
            capture_output=True,
            timeout=24 * 3600,
        )
        return "postgresql"
    raise InputError(f"不支持备份此数据库类型：{connection.vendor}")


def load_database(source: Path, engine: str) -> None:
    """Replace the default database's contents with the dump."""
    if engine != connection.vendor:
        raise InputError(
            f"备份来自 {engine} 数据库，当前数据库为 {connection.vendor}：请在同类数据库上恢复", field="数据库"
        )
    if engine == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(source)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
        return
    db = connection.settings_dict
    for conn in connections.all():
        conn.close()
    args, env = _pg_env(db)
    proc = subprocess.run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "-d",
            db["NAME"],
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=24 * 3600,
    )
    if proc.returncode != 0:
        raise InputError(f"pg_restore 失败：{proc.stderr.strip()[-1500:]}", field="数据库")


# ---------------------------------------------------------------- backup


def create_backup(*, target_dir: Path | None = None, progress=None, keep: int | None = None) -> Path:
    """Write one backup archive (tar.gz) and return its path; older ones beyond `keep` are removed."""
    target_dir = Path(target_dir or settings.BACKUP_DIR)
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    archive = target_dir / f"ipplatform-{stamp}.tar.gz"
    report = progress or (lambda *a, **k: None)
    with tempfile.TemporaryDirectory(dir=target_dir) as tmp:
        tmp = Path(tmp)
        report(0, 4, "正在导出数据库")
        engine = dump_database(tmp / "database.dump")
        report(1, 4, "正在登记记录数、审计链与证据摘要")
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now().astimezone().isoformat(),
            "engine": engine,
            "inventory": inventory(),
            "config": {k: getattr(settings, k, None) for k in CONFIG_SETTINGS},
        }
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )
        report(2, 4, "正在打包文件")
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(tmp / "manifest.json", "manifest.json")
            tar.add(tmp / "database.dump", "database.dump")
            root = shared_dir()
            if root.exists():
                for entry in sorted(root.iterdir()):
                    if not is_node_local(entry.name):
                        tar.add(entry, f"files/{entry.name}")
            key = Path(settings.DATA_DIR) / "secret_key"
            if key.exists():
                tar.add(key, "config/secret_key")
        os.chmod(partial, 0o600)  # holds the secret key and every record
        partial.rename(archive)
    report(4, 4, f"备份完成：{archive.name}")
    if keep:
        for old in sorted(target_dir.glob("ipplatform-*.tar.gz"))[:-keep]:
            old.unlink()
    return archive


# ---------------------------------------------------------------- restore


def _safe_members(tar: tarfile.TarFile):
    for m in tar.getmembers():
        if m.name.startswith("/") or ".." in Path(m.name).parts or not (m.isfile() or m.isdir()):
            raise InputError(f"备份文件中有不安全的路径：{m.name}", field="备份文件")
        yield m


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as tar:
            return json.loads(tar.extractfile("manifest.json").read())
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise InputError(f"文件“{path}”不是平台备份（{exc}）", field="备份文件") from exc


def restore_backup(*, path: Path, rebuild_index: bool = True, progress=None) -> dict:
    """Bring back database, files and configuration from an archive, rebuild the search index, and compare the
    result with the archive's manifest. Returns {"manifest", "after", "problems"}."""
    path = Path(path)
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT:
        raise InputError(f"备份格式版本 {manifest.get('format')} 不受支持（应为 {FORMAT}）", field="备份文件")
    report = progress or (lambda *a, **k: None)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report(0, 4, "正在解包")
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(tmp, members=list(_safe_members(tar)))
        report(1, 4, "正在恢复数据库")
        load_database(tmp / "database.dump", manifest["engine"])
        _anchor_restore(path)
        report(2, 4, "正在恢复文件")
        root = shared_dir()
        root.mkdir(parents=True, exist_ok=True)
        if (tmp / "files").exists():
            for entry in (tmp / "files").iterdir():
                dest = root / entry.name
                if dest.is_dir():
                    shutil.rmtree(dest)
                elif dest.exists():
                    dest.unlink()
                shutil.move(str(entry), dest)
        key = tmp / "config" / "secret_key"
        if key.exists() and not os.environ.get("SECRET_KEY"):
            target = Path(settings.DATA_DIR) / "secret_key"
            shutil.copyfile(key, target)
            target.chmod(0o600)
    if rebuild_index:
        report(3, 4, "正在重建检索索引")
        from ipplatform.search import services as search_services

        search_services.rebuild_index()
    after = inventory()
    problems = compare(manifest["inventory"], after)
    if not after["audit_chain"]["ok"]:
        hint = retired_key_hint()
        if hint:
            problems.append(hint)
    report(4, 4, "恢复完成" if not problems else f"恢复完成，但有 {len(problems)} 处与备份清单不符")
    return {"manifest": manifest, "after": after, "problems": problems}


def retired_key_hint() -> str:
    """When the restored chain does not verify because it was hashed under a key retired by a later rotation (the
    backup predates `rekey_audit_chain`), name that key and the command that re-keys the chain; else ""."""
    from . import anchors, audit
    from .models import AuditEvent

    first = AuditEvent.objects.using("default").order_by("seq").first()
    if first is None or audit.compute_hash(first, audit.GENESIS) == first.hash:
        return ""  # the first event verifies under the current key: the failure is not a rotation
    current = anchors._key_file()
    for retired in sorted(current.parent.glob(current.name + ".retired-*"), reverse=True):
        secret = retired.read_text(encoding="utf-8").strip().encode()
        if audit.compute_hash(first, audit.GENESIS, secret=secret) == first.hash:
            return (
                f"恢复的审计链是用已退役的密钥 {retired.name} 计算的（备份早于一次密钥轮换），不是被篡改：停止服务后运行 "
                f"manage.py rekey_audit_chain --old-key-file {retired} --new-key-file {current}，"
                "审计链即按当前密钥重新计算并校验（见 docs/SECURITY.md“轮换审计密钥”）"
            )
    return ""


def _anchor_restore(archive: Path) -> None:
    """Tell the external audit sink that the chain was deliberately rolled back to the restored database's last event, so
    that verification explains the events anchored after the backup (lost by the restore) instead of reporting tampering."""
    from django.utils import timezone

    from . import anchors
    from .models import AuditEvent

    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    anchors.audit_sink().append(
        {
            "restored_to": head[0] if head else 0,
            "hash": head[1] if head else "",
            "archive": archive.name,
            "at": timezone.now().isoformat(timespec="seconds"),
        }
    )


def compare(before: dict, after: dict) -> list[str]:
    """Differences between two inventories, in Chinese."""
    problems = []
    for label, n in before["counts"].items():
        if after["counts"].get(label) != n:
            problems.append(f"{label}：备份时 {n} 条，恢复后 {after['counts'].get(label)} 条")
    if not after["audit_chain"]["ok"]:
        problems.append(f"审计链校验失败：{after['audit_chain']['reason']}")
    if after["audit_chain"]["head"] != before["audit_chain"]["head"]:
        problems.append(
            f"审计链末条不同：备份时 {before['audit_chain']['head']}，恢复后 {after['audit_chain']['head']}"
        )
    for p, h in before["evidence"].items():
        got = after["evidence"].get(p)
        if got is None or got["file"] != h["file"] or got["file"] != got["recorded"]:
            problems.append(f"证据文件 {p}：摘要不符或缺失")
    return problems
