from django.core.management.base import BaseCommand

from ipplatform.core.context import acting_as
from ipplatform.finance import services


class Command(BaseCommand):
    help = "Remind reviewers of pledge registrations past the 3-working-day deadline and of subsidy notices that have ended (run daily)."

    def handle(self, *args, **options):
        with acting_as(system="command:finance_reminders"):
            sent = services.send_reminders()
        self.stdout.write(f"已发送{sent}条提醒")
