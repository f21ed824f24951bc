from django.core.management.base import BaseCommand
from tqdm import tqdm

from ipplatform.search import services


class Command(BaseCommand):
    help = "从数据库重建专利检索索引（新目录构建，完成后原子切换；期间检索照常）"

    def handle(self, *args, **options):
        bar = tqdm(unit="件", desc="重建索引", disable=options["verbosity"] == 0)

        def progress(done, total=None, message=""):
            if total:
                bar.total = total
            bar.n = done
            bar.refresh()

        info = services.rebuild_index(progress=progress)
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(f"{info['summary']}；索引 {info['bytes'] / 1e6:.1f} MB，位于 {info['path']}")
        )
