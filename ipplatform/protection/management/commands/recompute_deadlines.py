from django.core.management.base import BaseCommand
from tqdm import tqdm

from ipplatform.core import context
from ipplatform.protection.services import recompute_open_deadlines


class Command(BaseCommand):
    help = (
        "Daily, and after chinese-calendar is updated: recount the open case time limits on the current calendar "
        "(dates counted before a year's official holidays were loaded move to the right day)."
    )

    def handle(self, *args, **options):
        bar = tqdm(unit="件", desc="重新计算办案期限", disable=options["verbosity"] < 1)

        def progress(done, total, message=""):
            bar.total = total
            bar.n = done
            bar.set_postfix_str(message)
            bar.refresh()

        with context.acting_as(system="command:recompute_deadlines"):
            result = recompute_open_deadlines(progress=progress)
        bar.close()
        self.stdout.write(result["summary"])
