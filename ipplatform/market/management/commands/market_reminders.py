"""Daily: remind the parties of licence contracts whose 3-month recordal limit is near or passed."""

from django.core.management.base import BaseCommand

from ipplatform.core.context import acting_as
from ipplatform.market import flows


class Command(BaseCommand):
    help = "每日运行：许可合同备案期限提醒（合同生效之日起3个月内备案，到期前15天起提醒，逾期再提醒）；暂停已失效或新增权利负担的挂牌；关闭已过截止日期的需求"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before", type=int, default=flows.REMINDER_DAYS, help="到期前多少天开始提醒（默认15天）"
        )

    def handle(self, *args, **options):
        with acting_as(system="market_reminders"):
            sent = flows.send_recordal_reminders(days_before=options["days_before"])
            suspended = flows.review_listings()
            closed = flows.close_expired_demands()
        self.stdout.write(f"已发送备案期限提醒 {sent} 条；暂停挂牌 {suspended} 项；关闭过期需求 {closed} 项")
