"""The platform's periodic jobs, scheduled by the queue (huey's scheduler in `manage.py run_huey`): each run is a
background job with its own record on /jobs/<id>/, and a failed integrity check notifies the system
administrators. SCHEDULE is the one list of what runs when (Asia/Shanghai time)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.management import CommandError, call_command


@dataclass(frozen=True)
class Scheduled:
    key: str
    title: str
    command: str
    minute: str
    hour: str
    notify_on_failure: bool = False


SCHEDULE = [
    Scheduled("recompute_deadlines", "办案期限按现行节假日安排重新计算", "recompute_deadlines", "20", "7"),
    Scheduled("protection_reminders", "维权案件期限提醒", "protection_reminders", "30", "7"),
    Scheduled("market_reminders", "许可合同备案与挂牌到期提醒", "market_reminders", "35", "7"),
    Scheduled("finance_reminders", "质押与资助到期提醒", "finance_reminders", "40", "7"),
    Scheduled("orgs_reminders", "专利年费与托管合同提醒", "orgs_reminders", "45", "7"),
    Scheduled("training_reminders", "学习任务到期提醒", "training_reminders", "50", "7"),
    Scheduled("programmes_reminders", "项目验收与年度复核报告到期提醒", "programmes_reminders", "55", "7"),
    Scheduled("credit_expire", "严重失信主体名单期满移出", "credit_expire", "5", "1"),
    Scheduled("verify_audit_chain", "审计日志哈希链校验", "verify_audit_chain", "15", "2", notify_on_failure=True),
    Scheduled("verify_evidence", "全过程记录与证据文件摘要校验", "verify_evidence", "25", "2", notify_on_failure=True),
    Scheduled("rebuild_stats", "统计汇总重建", "rebuild_stats", "0", "1"),
    Scheduled("backup", "数据备份", "backup", "0", "3", notify_on_failure=True),
]
BY_KEY = {s.key: s for s in SCHEDULE}


def run_scheduled(*, progress, key: str) -> dict:
    """Run one scheduled command; its output becomes the job's summary, a failure the job's error."""
    item = BY_KEY[key]
    out, err = io.StringIO(), io.StringIO()
    progress(0, 1, f"正在执行：{item.title}")
    try:
        call_command(item.command, stdout=out, stderr=err, verbosity=0)
    except (CommandError, Exception) as exc:
        if item.notify_on_failure:
            _notify_admins(item, f"{exc}\n{err.getvalue()}".strip())
        raise
    progress(1, 1, item.title)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return {"summary": lines[-1] if lines else f"{item.title}：已完成"}


def _notify_admins(item: Scheduled, detail: str) -> None:
    from .enums import Role
    from .models import User
    from .notify import notify_many

    notify_many(
        users=User.objects.filter(role=Role.PROVINCE_ADMIN, is_active=True),
        title=f"定时任务失败：{item.title}",
        body=detail[:2000],
        kind="scheduled_failure",
    )
