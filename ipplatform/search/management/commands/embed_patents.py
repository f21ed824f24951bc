from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ipplatform.search import semantic


class Command(BaseCommand):
    help = (
        "计算专利语义向量（multilingual-e5-small，离线）：逐批提交，可随时中断、重跑续算；"
        "--rebuild 从向量表重建语义索引；--export/--load 导出或载入随演示数据发布的量化向量"
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="最多计算多少件（默认全部未计算的）")
        parser.add_argument("--real-only", action="store_true", help="只计算真实记录（跳过模拟数据）")
        parser.add_argument("--rebuild", action="store_true", help="只从向量表重建语义索引（新目录构建，原子切换）")
        parser.add_argument("--export", metavar="PATH", help="把真实记录的向量导出为 .npz（int8，含模型与版本）")
        parser.add_argument(
            "--load", metavar="PATH", nargs="?", const="", help=f"载入导出的向量（默认 data/{semantic.SHIPPED}）"
        )

    def handle(self, *args, **options):
        if options["export"]:
            info = semantic.export_vectors(path=Path(options["export"]))
            self.stdout.write(
                self.style.SUCCESS(f"已导出 {info['count']} 个向量（{info['model']}），{info['bytes'] / 1e6:.2f} MB")
            )
            return
        if options["load"] is not None:
            path = Path(options["load"] or Path(settings.REFERENCE_DATA_DIR) / semantic.SHIPPED)
            if not path.exists():
                raise CommandError(f"向量文件不存在：{path}")
            info = semantic.load_vectors(path=path)
            self.stdout.write(
                self.style.SUCCESS(f"已载入 {info['loaded']} 个向量（文本已变化而跳过 {info.get('mismatched', 0)} 个）")
            )
            return
        if options["rebuild"]:
            info = semantic.rebuild_vectors()
            self.stdout.write(
                self.style.SUCCESS(f"{info['summary']}；{info['bytes'] / 1e6:.1f} MB，位于 {info['path']}")
            )
            return
        bar = tqdm(unit="件", desc="语义向量", disable=options["verbosity"] == 0)

        def progress(done, total=None, message=""):
            if total is not None:
                bar.total = total
            bar.n = done
            bar.refresh()

        try:
            info = semantic.embed_pending(progress=progress, limit=options["limit"], real_only=options["real_only"])
        except KeyboardInterrupt:
            bar.close()
            self.stdout.write("已中断：已完成的批次均已保存，重新运行本命令即从断点继续")
            return
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"{info['summary']}；{info['per_second'] or 0} 件/秒"))
