from django.core.management.base import BaseCommand

from ipplatform.core.context import acting_as
from ipplatform.training import services


class Command(BaseCommand):
    help = "Remind learners of 学习任务 due within 3 days and tell learners and assigners of overdue ones, once each (run daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=services.REMINDER_DAYS,
            help="remind this many calendar days before the deadline",
        )

    def handle(self, *args, **options):
        with acting_as(system="command:training_reminders"):
            c = services.send_deadline_reminders(days=options["days"])
        self.stdout.write(f"即将到期提醒{c['due']}条，逾期提醒{c['overdue']}条，通知指派人{c['managers']}条")
