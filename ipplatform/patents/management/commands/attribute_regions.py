"""manage.py attribute_regions — recompute region attribution of stored records (manual assignments kept)."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from ipplatform.core.context import acting_as
from ipplatform.patents import services


class Command(BaseCommand):
    help = "按地址、邮编（及申请人名称弱推断）重新归属专利记录的地区；人工指定的不变"

    def add_arguments(self, parser):
        parser.add_argument("--only-unattributed", action="store_true", help="只处理尚未归属的记录")

    def handle(self, *args, **o):
        with acting_as(system="command:attribute_regions"), tqdm(desc="地区归属", unit="条", file=sys.stderr) as bar:

            def progress(done, total=None, message=""):
                bar.total = total
                bar.update(done - bar.n)

            r = services.reattribute(include_attributed=not o["only_unattributed"], progress=progress)
        self.stdout.write(
            f"检查 {r['checked']} 条，改变 {r['changed']} 条；有地区的记录 {r['attributed_before']} → {r['attributed_after']}"
        )
