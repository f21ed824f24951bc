from django.core.management.base import BaseCommand

from ipplatform.core.context import acting_as
from ipplatform.finance import pledges, services


class Command(BaseCommand):
    help = (
        "Run daily: recount the 3-working-day review date of pledges awaiting review on the current calendar, then "
        "remind reviewers of registrations past that date and of subsidy notices that have ended."
    )

    def handle(self, *args, **options):
        with acting_as(system="command:finance_reminders"):
            recount = pledges.recompute_review_due()
            sent = services.send_reminders()
        self.stdout.write(
            f"待审查质押登记{recount['pledges']}件，{recount['moved']}件的审查期限按现行日历调整；已发送{sent}条提醒"
        )
