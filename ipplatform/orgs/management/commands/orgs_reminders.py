"""Daily: annual-fee reminders to holders and custodian agencies, custody contracts past their end date."""

import datetime as dt

from django.core.management.base import BaseCommand

from ipplatform.orgs import custody, fees


class Command(BaseCommand):
    help = "年费缴纳/滞纳提醒（含托管机构），托管合同到期处理（每日运行）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        on = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        sent = fees.send_fee_reminders(on=on)
        ended = custody.expire_custodies(on=on)
        self.stdout.write(f"年费提醒 {sent} 条；到期托管合同 {ended} 份")
