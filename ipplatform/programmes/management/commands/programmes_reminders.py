from django.core.management.base import BaseCommand

from ipplatform.core.context import acting_as
from ipplatform.programmes import checks


class Command(BaseCommand):
    help = "Remind applicants of 验收 / 年度复核 reports due within 7 days and on the due date, once each (run daily)."

    def handle(self, *args, **options):
        with acting_as(system="command:programmes_reminders"):
            n = checks.send_reminders()
        self.stdout.write(f"验收、复核报告到期提醒{n}条")
