from django.core.management.base import BaseCommand
from tqdm import tqdm

from ipplatform.analytics import aggregates
from ipplatform.core.context import acting_as


class Command(BaseCommand):
    help = "Rebuild the statistics tables (PatentFact, YearBucket, MonthBucket) from the patent store."

    def handle(self, *args, **options):
        bar = tqdm(unit="件", desc="重建统计表")

        def progress(done, total=None, message=""):
            if total is not None:
                bar.total = total
            bar.n = done
            bar.refresh()

        with acting_as(system="command:rebuild_stats"):
            result = aggregates.rebuild(progress=progress)
        bar.close()
        self.stdout.write(f"已重建：{result['facts']} 件专利，{result['buckets']} 个汇总格")
