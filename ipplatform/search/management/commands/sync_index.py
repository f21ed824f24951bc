import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ipplatform.search import replica


class Command(BaseCommand):
    help = "Copy the writer node's search index into this node (new segments only) and switch generation atomically."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="source",
            default=getattr(settings, "SEARCH_INDEX_SOURCE", ""),
            help="写入节点检索索引目录（其 DATA_DIR/search，经只读挂载；默认 SEARCH_INDEX_SOURCE）",
        )
        parser.add_argument("--every", type=float, default=0, help="每隔多少秒同步一次（0 = 同步一次后退出）")

    def handle(self, *args, **options):
        if not options["source"]:
            raise CommandError("请用 --from 或 SEARCH_INDEX_SOURCE 指定写入节点的检索索引目录")
        dest = Path(settings.DATA_DIR) / "search"
        while True:
            try:
                r = replica.sync_from(source_root=Path(options["source"]), dest_root=dest)
            except replica.SyncError as exc:
                raise CommandError(str(exc)) from exc
            if options["verbosity"] and not r["unchanged"]:
                self.stdout.write(
                    f"已同步到 {r['generation']}：复制 {r['copied']} 个文件（{r['bytes_copied'] / 1e6:.1f} MB），复用 {r['linked']} 个"
                )
            if not options["every"]:
                return
            time.sleep(options["every"])
