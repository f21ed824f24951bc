"""Rotate the audit chain key (docs/SECURITY.md, "Rotating the audit key")."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ipplatform.core import anchors, audit
from ipplatform.core.inputs import InputError


def _read_key(path: str) -> bytes:
    try:
        value = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise CommandError(f"无法读取密钥文件“{path}”：{exc}") from exc
    if len(value) < 32:
        raise CommandError(f"密钥文件“{path}”中的密钥过短（至少32个字符）")
    return value.encode()


class Command(BaseCommand):
    help = (
        "Rotate the audit chain key: verify the chain under the old key (refused if it does not verify), re-hash "
        "every event under the new key, install the new key file and anchor the rotation in the external audit "
        "sink. Stop the application and the job workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--old-key-file",
            help="the key the chain is hashed with now (default: the configured key; "
            "after restoring a backup older than a rotation: the retired key)",
        )
        parser.add_argument(
            "--new-key-file",
            help="the new key (default: a new random key); required when AUDIT_KEY comes from the environment",
        )

    def handle(self, *args, **options):
        from_environment = bool(getattr(settings, "AUDIT_KEY", ""))
        old_key = _read_key(options["old_key_file"]) if options["old_key_file"] else anchors.key()
        if options["new_key_file"]:
            new_key = _read_key(options["new_key_file"])
        elif from_environment:
            raise CommandError(
                "AUDIT_KEY 由环境变量提供：请用 --new-key-file 给出新密钥，轮换完成后把 AUDIT_KEY 改为新密钥再启动服务"
            )
        else:
            new_key = secrets.token_hex(32).encode()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        installed: list = []

        def install():
            # inside the re-hash transaction, the chain locked: the first event after the rotation is keyed anew
            if not from_environment:
                installed.append(anchors.install_key(new_key, stamp=stamp))

        try:
            report = audit.rekey_chain(old_key=old_key, new_key=new_key, before_commit=install)
        except InputError as exc:
            raise CommandError(exc.message) from exc
        except BaseException:
            if installed and installed[0][1] is not None:  # the transaction did not commit: the old key stays in force
                path, retired = installed[0]
                anchors.write_private(path, retired.read_bytes())
            raise
        self.stdout.write(
            f"审计密钥已轮换：{report.rekeyed} 条记录已用新密钥重新计算，轮换标记已写入外部锚点"
            f"（{anchors.audit_sink().path}）"
        )
        if installed:
            path, retired = installed[0]
            self.stdout.write(
                f"新密钥已写入 {path}"
                + (f"；旧密钥保存为 {retired}（恢复轮换前的备份时需要，请移至离线介质保管）" if retired else "")
            )
        else:
            self.stdout.write("请把环境变量 AUDIT_KEY 改为新密钥后再启动服务和后台任务")
        verified = audit.verify_chain(secret=new_key)
        if not verified.ok:
            raise CommandError(f"轮换后校验失败：序号 {verified.broken_seq}：{verified.reason}")
        self.stdout.write(f"轮换后校验通过：{verified.checked} 条记录")
