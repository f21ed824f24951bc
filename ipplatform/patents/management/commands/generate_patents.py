"""manage.py generate_patents --count N --seed S [--csv out.csv] [--db] — the synthetic (模拟数据) corpus."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ipplatform.core.context import acting_as
from ipplatform.patents import synthetic


class Command(BaseCommand):
    requires_system_checks: list = []  # runs even while another app's URLs are mid-edit
    help = "生成种子化的模拟专利数据（模拟数据）：写成CSV（国家知识产权局25列格式加“模拟数据”列）或直接批量写入数据库"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000, help="记录数（默认100万）")
        parser.add_argument("--seed", type=int, default=2015, help="随机种子（相同种子生成相同记录）")
        parser.add_argument("--csv", help="写入此CSV文件")
        parser.add_argument("--db", action="store_true", help="直接批量写入数据库（快速路径，不经文件解析）")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **o):
        if not o["csv"] and not o["db"]:
            raise CommandError("请指定 --csv 文件 或 --db（或两者）")
        if o["count"] <= 0:
            raise CommandError("--count 必须大于0")
        if o["csv"]:
            t = time.perf_counter()
            with tqdm(total=o["count"], desc="生成CSV", unit="条", file=sys.stderr) as bar:
                synthetic.write_csv(
                    path=o["csv"],
                    count=o["count"],
                    seed=o["seed"],
                    progress=lambda d, total=None, message="": bar.update(d - bar.n),
                )
            self.stdout.write(f"已写入 {o['count']} 条模拟数据到 {o['csv']}（{time.perf_counter() - t:.1f} 秒）")
        if o["db"]:
            t = time.perf_counter()
            with (
                acting_as(system="command:generate_patents"),
                tqdm(total=o["count"], desc="写入数据库", unit="条", file=sys.stderr) as bar,
            ):
                synthetic.generate_to_db(
                    count=o["count"],
                    seed=o["seed"],
                    batch_size=o["batch_size"],
                    progress=lambda d, total=None, message="": bar.update(d - bar.n),
                )
            self.stdout.write(
                f"已写入 {o['count']} 条模拟数据到数据库（{time.perf_counter() - t:.1f} 秒，is_synthetic=True）"
            )
