"""manage.py import_patents FILE... — the same import as the staff web upload, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ipplatform.core.context import acting_as
from ipplatform.core.inputs import InputError
from ipplatform.patents import services
from ipplatform.patents.models import ColumnMapping


class Command(BaseCommand):
    requires_system_checks: list = []  # runs even while another app's URLs are mid-edit
    help = "导入专利数据文件（国家知识产权局25列导出 .xlsx/.xls/.csv、中国知网专利列表CSV、专利公布公告JSONL、按列映射的通用CSV/Excel）"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="要导入的文件")
        parser.add_argument(
            "--format",
            default="auto",
            choices=["auto", "cnipa", "cnki", "jsonl", "csv"],
            help="文件格式（默认自动识别）",
        )
        parser.add_argument(
            "--mode",
            default="lenient",
            choices=["all-or-nothing", "lenient"],
            help="lenient：提交正确行、报告错误行；all-or-nothing：有任何错误行则整个文件不导入",
        )
        parser.add_argument("--errors", help="把所有文件的错误与提示写入此Excel文件（.xlsx）")
        parser.add_argument("--mapping", help="通用CSV/Excel所用的列映射名称（见“列映射管理”）")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help=f"每批行数（默认 {services.BATCH_SIZE}，大于 {services.LARGE_IMPORT_BYTES // 1_000_000} MB 的文件 {services.LARGE_BATCH_SIZE}）",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **opts):
        mapping = None
        if opts["mapping"]:
            mapping = ColumnMapping.objects.filter(name=opts["mapping"]).first()
            if mapping is None:
                raise CommandError(f"列映射“{opts['mapping']}”不存在")
        bars = []

        def factory(path: Path):
            if opts["no_progress"]:
                return None
            bar = tqdm(
                total=path.stat().st_size, desc=path.name[:30], unit="B", unit_scale=True, file=sys.stderr, leave=True
            )
            bars.append(bar)

            def progress(done, total=None, message=""):
                if total and bar.total != total:
                    bar.total = total
                bar.update(max(0, done - bar.n))
                if message:
                    bar.set_postfix_str(message[:60])

            return progress

        totals = services.ImportResult()
        failed = False
        results = []
        with acting_as(system="command:import_patents"):
            for name in opts["files"]:
                try:
                    results += services.import_files(
                        paths=[name],
                        fmt=opts["format"],
                        mode=opts["mode"],
                        mapping=mapping,
                        progress_factory=factory,
                        batch_size=opts["batch_size"],
                    )
                except InputError as exc:
                    failed = True
                    where = f"（第{exc.line}行）" if exc.line else ""
                    self.stderr.write(f"{name}：{exc.message}{where}")
                finally:
                    for bar in bars:
                        bar.close()
                    bars.clear()
        if opts["errors"]:
            from ipplatform.lib.xlsx import Sheet, write_workbook

            sheets = [
                Sheet(
                    f"{i + 1}-{Path(r.file).stem}"[:31],
                    services.ERROR_HEADERS,
                    services.error_rows(r, r.file),
                    notes=[f"导入文件：{r.file}", r.summary()],
                )
                for i, r in enumerate(results)
            ]
            write_workbook(opts["errors"], sheets)
        for r in results:
            self.stdout.write(f"{r.file}［{r.format}，{r.encoding or '—'}］：{r.summary()}")
            for e in [e for e in r.errors if e.severity == "拒绝"][:20]:
                self.stdout.write(f"  第{e.line}行 {e.field}“{e.value[:40]}”：{e.reason}")
            shown = min(20, r.rejected)
            if r.rejected > shown:
                self.stdout.write(f"  ……另有 {r.rejected - shown} 行错误，见错误报告 {r.error_file}")
            for k in ("read", "created", "updated", "unchanged", "duplicates", "skipped", "rejected"):
                setattr(totals, k, getattr(totals, k) + getattr(r, k))
        if opts["errors"]:
            self.stdout.write(f"错误与提示已写入 {opts['errors']}")
        self.stdout.write(
            f"合计：读取 {totals.read} 行，入库 {totals.created} 条，更新 {totals.updated} 条，拒绝 {totals.rejected} 行"
        )
        if totals.rejected or failed or any(r.rolled_back for r in results):
            sys.exit(1)
