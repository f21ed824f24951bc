"""Tamper evidence outside the database.

Two things the database does not hold:
- a key (`AUDIT_KEY`, or the file `AUDIT_KEY_FILE`, by default DATA_DIR/audit_key created on first use with mode
  0600): the audit chain is an HMAC chain (HMAC-SHA256, or HMAC-SM3 when AUDIT_HASH=sm3), so someone who can write
  to the database but cannot read the server's key cannot rewrite the chain with the project's own hash function;
- append-only sinks (`AUDIT_ANCHOR_PATH`, `EVIDENCE_ANCHOR_PATH`, by default DATA_DIR/anchors/*.log): after each
  commit the new head of the chain is appended as one JSON line (opened O_APPEND; optionally also sent to syslog
  with AUDIT_ANCHOR_SYSLOG=/dev/log or host:port). Verification reads the sink: an anchored event that is missing
  (deleted, truncated, whole table emptied) or whose hash differs (rewritten) is reported.

In production put the sink on another host or in a write-once store (syslog to a log server, a WORM bucket); a local
file already defeats an attacker who has only database access. A sink belongs to one database: when a database is
deliberately recreated, archive the old sink file first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings

log = logging.getLogger("ipplatform.anchors")


# ---------------------------------------------------------------- key


def _key_file() -> Path:
    return Path(getattr(settings, "AUDIT_KEY_FILE", "") or Path(settings.DATA_DIR) / "audit_key")


def key() -> bytes:
    """The chain key: AUDIT_KEY from the environment, else the key file (created once, readable by the owner only)."""
    configured = getattr(settings, "AUDIT_KEY", "")
    if configured:
        return configured.encode()
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def install_key(new_key: bytes, *, stamp: str) -> tuple[Path, Path | None]:
    """Make `new_key` the key file's content (written beside it with mode 0600, then renamed over it, so the file is
    never half-written). The previous key is kept as `<key file>.retired-<stamp>` (mode 0600): backups taken before
    the rotation hold chains under it. Returns (key file, retired copy or None)."""
    path = _key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    retired = None
    if path.exists():
        retired = path.with_name(f"{path.name}.retired-{stamp}")
        write_private(retired, path.read_bytes())
    pending = path.with_name(f"{path.name}.new")
    write_private(pending, new_key)
    os.replace(pending, path)
    return path, retired


def write_private(path: Path, data: bytes) -> None:
    """Write a secret file readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)  # O_CREAT's mode does not apply to a file that already existed


def _sm3(data: bytes) -> bytes:
    from gmssl import func, sm3

    return bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(data)))


def keyed_digest(data: bytes, algorithm: str = "sha256", *, secret: bytes | None = None) -> str:
    """HMAC-SHA256, or HMAC-SM3 (RFC 2104 construction over SM3, block size 64) when algorithm is 'sm3'."""
    secret = key() if secret is None else secret
    if algorithm != "sm3":
        return hmac.new(secret, data, hashlib.sha256).hexdigest()
    block = 64
    if len(secret) > block:
        secret = _sm3(secret)
    secret = secret.ljust(block, b"\0")
    inner = _sm3(bytes(b ^ 0x36 for b in secret) + data)
    return _sm3(bytes(b ^ 0x5C for b in secret) + inner).hex()


# ---------------------------------------------------------------- sinks


class Sink:
    """An append-only file of JSON lines (one per anchored head)."""

    def __init__(self, path: Path, name: str):
        self.path, self.name = Path(path), name

    def append(self, entry: dict) -> None:
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
        _syslog(self.name, line.strip())

    def entries(self) -> list[dict]:
        """Every readable line (a damaged line is skipped and reported by `damaged`)."""
        if not self.path.exists():
            return []
        out = []
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    entry = {"damaged": line[:80]}
                out.append(entry)
        return out

    @property
    def exists(self) -> bool:
        return self.path.exists()


_syslog_logger = None


def _syslog(name: str, line: str) -> None:
    global _syslog_logger
    address = getattr(settings, "AUDIT_ANCHOR_SYSLOG", "")
    if not address:
        return
    if _syslog_logger is None:
        from logging.handlers import SysLogHandler

        target = address if address.startswith("/") else (address.rsplit(":", 1)[0], int(address.rsplit(":", 1)[1]))
        handler = SysLogHandler(address=target)
        handler.setFormatter(logging.Formatter("ipplatform-anchor %(message)s"))
        _syslog_logger = logging.getLogger("ipplatform.anchors.syslog")
        _syslog_logger.addHandler(handler)
        _syslog_logger.setLevel(logging.INFO)
        _syslog_logger.propagate = False
    try:
        _syslog_logger.info("%s %s", name, line)
    except OSError:
        log.warning("syslog anchor for %s not sent", name)


def _path(setting: str, default_name: str) -> Path:
    configured = getattr(settings, setting, "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "anchors" / default_name


def audit_sink() -> Sink:
    return Sink(_path("AUDIT_ANCHOR_PATH", "audit.log"), "audit")


def evidence_sink() -> Sink:
    return Sink(_path("EVIDENCE_ANCHOR_PATH", "evidence.log"), "evidence")
