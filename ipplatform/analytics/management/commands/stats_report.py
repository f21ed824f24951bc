from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ipplatform.analytics import services
from ipplatform.core.inputs import InputError


class Command(BaseCommand):
    help = "Write the yearly statistical report (年度专利统计分析报告, Word) to a file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--city", default="", help="city code (2015 divisions); empty for the province")
        parser.add_argument("--divisions", default="2015", choices=["2015", "current"])
        parser.add_argument("--synthetic", action="store_true", help="include synthetic (模拟) records")
        parser.add_argument("--out", required=True, help="output .docx path")

    def handle(self, *args, **o):
        bar = tqdm(total=6, desc="生成报告")

        def progress(done, total=None, message=""):
            bar.n = done
            bar.set_postfix_str(message)
            bar.refresh()

        try:
            data = services.build_report_document(
                year=o["year"],
                city_code=o["city"] or None,
                divisions=o["divisions"],
                include_synthetic=o["synthetic"],
                progress=progress,
            )
        except InputError as exc:
            raise CommandError(exc.message)
        bar.close()
        with open(o["out"], "wb") as fh:
            fh.write(data)
        self.stdout.write(f"已写入 {o['out']}（{len(data) // 1024} KB）")
