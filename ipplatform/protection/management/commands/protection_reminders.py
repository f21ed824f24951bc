import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ipplatform.core import context
from ipplatform.protection.services import send_reminders


class Command(BaseCommand):
    help = "Daily: notify handlers of case time limits due within 3 working days or overdue (once per deadline, status and day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        on = None
        if options.get("date"):
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为YYYY-MM-DD")
        with context.acting_as(system="command:protection_reminders"):
            result = send_reminders(on=on)
        self.stdout.write(result["summary"])
