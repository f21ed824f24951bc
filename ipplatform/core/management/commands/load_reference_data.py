from django.core.management.base import BaseCommand

from ipplatform.core import reference
from ipplatform.core.context import acting_as


class Command(BaseCommand):
    help = (
        "Load GB/T 2260 divisions, census population, IPC (zh+en) and WIPO technology fields from data/ (idempotent)."
    )

    def handle(self, *args, **options):
        with acting_as(system="command:load_reference_data"):
            counts = reference.load_all()
        d = counts["divisions"]
        self.stdout.write(f"行政区划：{', '.join(f'{k}版 {v} 条' for k, v in d.items())}")
        self.stdout.write(f"人口数据：{counts['population']} 条")
        ipc = counts["ipc"]
        self.stdout.write(f"IPC：中文 {ipc['zh']} 条，英文补缺 {ipc['en_only']} 条，共 {ipc['total']} 条")
        self.stdout.write(f"WIPO技术领域：{counts['tech_fields']} 个")
        self.stdout.write(f"官方专利统计数据：{counts['official_stats']} 条（data/official_stats，见 SOURCE.txt）")
