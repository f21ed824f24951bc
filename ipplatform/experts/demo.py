"""Demo data for the expert pool: every expert account gets its pool entry (no invented experts)."""

from __future__ import annotations

from . import services


def load(*, stdout, options):
    n = services.ensure_for_expert_accounts()
    stdout.write(f"专家库：为{n}个专家账号建立入库记录")
