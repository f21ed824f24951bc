from django.core.management.base import BaseCommand

from ipplatform.core.context import acting_as
from ipplatform.credit import services


class Command(BaseCommand):
    help = "Move out of the serious-dishonesty list every entry whose period is over (run daily)."

    def handle(self, *args, **options):
        with acting_as(system="command:credit_expire"):
            n = services.expire_due()
        self.stdout.write(f"严重失信主体名单：期满移出{n}条")
