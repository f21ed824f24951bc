from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ipplatform.protection.evidence import verify_all
from ipplatform.protection.models import Case


class Command(BaseCommand):
    help = "Verify every full-process record file against its hash and the record chain; exits non-zero on any problem."

    def add_arguments(self, parser):
        parser.add_argument("--case", help="只校验指定案号")

    def handle(self, *args, **options):
        cases = Case.objects.all()
        if options.get("case"):
            cases = cases.filter(case_no=options["case"])
            if not cases.exists():
                raise CommandError(f"案号“{options['case']}”不存在")
        bar = tqdm(total=0, disable=options["verbosity"] < 1, unit="案")

        def progress(done, total=None, message=""):
            if total is not None:
                bar.total = total
            bar.n = done
            bar.refresh()

        reports = verify_all(cases=cases, progress=progress)
        bar.close()
        bad = [r for r in reports if not r.ok]
        records = sum(r.checked for r in reports)
        for r in bad:
            for p in r.problems:
                self.stderr.write(f"{r.case.case_no}：{p}")
        if bad:
            raise CommandError(f"{len(bad)}个案件的全过程记录异常（共校验{len(reports)}个案件、{records}条记录）")
        self.stdout.write(f"全过程记录完整：已校验{len(reports)}个案件、{records}条记录，文件摘要全部一致，无记录缺失")
