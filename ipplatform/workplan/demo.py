"""Demo data: the 2015 work plan imported as tasks, with a few milestones, progress reports and a 督办 (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ipplatform.core.models import User

from . import services
from .models import Milestone, Plan, ProgressReport, Reminder

# (task number, username, period, percent, text, figures, submitted on)
DEMO_REPORTS = [
    (
        9,
        "xietiao",
        "2015-03",
        20,
        "制定《山东省科技型小微企业知识产权质押融资贴息、补助办法》征求意见稿，与省财政厅、人民银行济南分行会商风险补偿资金设立方案。",
        "专利质押合同登记：18 笔\n专利质押融资金额：3.2 亿元",
        dt.date(2015, 4, 3),
    ),
    (
        9,
        "xietiao",
        "2015-06",
        45,
        "贴息、补助办法已印发；专利质押融资风险补偿资金完成设立，首批合作银行3家；专利保险试点在青岛、烟台启动。",
        "专利质押合同登记：41 笔\n专利质押融资金额：7.6 亿元\n专利保险投保企业：26 家",
        dt.date(2015, 7, 6),
    ),
    (
        9,
        "city370200",
        "2015-06",
        50,
        "青岛市召开专利权质押融资银企对接会，12家科技型小微企业与银行达成意向；推动专利保险试点落地。",
        "专利质押融资金额：2.1 亿元\n对接企业：12 家",
        dt.date(2015, 7, 3),
    ),
    (
        14,
        "fawu",
        "2015-06",
        50,
        "开展“护航”专项行动，对济南、青岛两地专业市场开展专利执法检查；建立维权援助专家库（首批48人）。",
        "查处假冒专利案件：57 件\n受理专利纠纷案件：112 件",
        dt.date(2015, 7, 8),
    ),
    (
        2,
        "bangongshi",
        "2015-06",
        60,
        "省部合作会商第一次工作会议筹备完成，会商议定书文本已报国家知识产权局审定。",
        "",
        dt.date(2015, 7, 2),
    ),
    (
        4,
        "xietiao",
        "2015-06",
        55,
        "配合省政府办公厅起草《山东省专利奖励办法》，已完成征求意见。",
        "",
        dt.date(2015, 7, 6),
    ),
    (
        21,
        "xinxi",
        "2015-06",
        40,
        "区域中心五年服务发展规划完成修订，17市分平台建设方案印发。",
        "已建成分平台：6 个",
        dt.date(2015, 7, 7),
    ),
]
# (task number, username, title, due, done on)
DEMO_MILESTONES = [
    (4, "xietiao", "《山东省专利奖励办法》出台", dt.date(2015, 6, 30), dt.date(2015, 6, 26)),
    (4, "xietiao", "首届省政府专利奖评选结果公布", dt.date(2015, 11, 30), None),
    (9, "xietiao", "首次专利质押融资贴息、补助拨付", dt.date(2015, 9, 30), None),
    (2, "bangongshi", "签署省部会商议定书", dt.date(2015, 8, 31), None),
]


def load(*, stdout=None, options=None):
    """Import the 2015 plan (once) and add the demo milestones, reports and one 督办."""
    write = stdout.write if stdout is not None else (lambda s: None)
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        write("工作要点演示数据：缺少 admin 账号，跳过")
        return
    plan = Plan.objects.filter(year=2015).first()
    if plan is None:
        imp = services.stage_builtin(user=admin)
        plan = services.commit_import(imp=imp, by=admin, reason="演示数据：导入2015年工作要点")
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in={r[1] for r in DEMO_REPORTS} | {m[1] for m in DEMO_MILESTONES} | {"bangongshi", "city370100"}
        )
    }
    tasks = {t.number: t for t in plan.tasks.all()}
    made = 0
    with transaction.atomic():
        for number, username, title, due, done in DEMO_MILESTONES:
            user, task = users.get(username), tasks.get(number)
            if user is None or task is None or Milestone.objects.filter(task=task, title=title).exists():
                continue
            m = services.add_milestone(task=task, user=user, title=title, due_date=due)
            if done:
                services.finish_milestone(milestone=m, user=user, done_on=done, reason="演示数据")
        for number, username, period, pct, text, figures, on in DEMO_REPORTS:
            user, task = users.get(username), tasks.get(number)
            if user is None or task is None or services.user_assignment(user, task) is None:
                continue
            if ProgressReport.objects.filter(task=task, organization=user.organization, period_key=period).exists():
                continue
            r = services.file_report(task=task, user=user, period_key=period, percent=pct, text=text, figures=figures)
            ProgressReport.objects.filter(pk=r.pk).update(
                submitted_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0)))
            )
            made += 1
        jinan = users.get("city370100")
        task7 = tasks.get(7)
        if (
            jinan is not None
            and task7 is not None
            and users.get("bangongshi")
            and not Reminder.objects.filter(task=task7, organization=jinan.organization).exists()
        ):
            [r] = services.send_reminder(
                task=task7,
                by=users["bangongshi"],
                organization_ids=[jinan.organization_id],
                message="请报送《山东省专利事业发展战略推进计划》贯彻落实进展，说明滞后原因和下步措施。",
                reply_by=dt.date(2015, 7, 15),
            )
            Reminder.objects.filter(pk=r.pk).update(sent_at=timezone.make_aware(dt.datetime(2015, 7, 8, 9, 30)))
    write(
        f"工作要点：{plan.title}，{plan.sections.count()}个部分，{plan.tasks.count()}项任务；新增演示进展报告{made}份"
    )
