from django.core.management.base import BaseCommand

from ipplatform.core.context import acting_as
from ipplatform.navigation import services


class Command(BaseCommand):
    requires_system_checks: list = []  # runs even while another app's URLs are mid-edit
    help = "创建预置专题库（重点产业：蓝色经济区、战略性新兴产业、传统产业）；--refresh 同时更新收录清单"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="恢复为预置定义（覆盖已编辑的检索式和分类号）")
        parser.add_argument("--refresh", action="store_true", help="创建后按当前数据更新收录清单")

    def handle(self, *args, **options):
        with acting_as(system="command:navigation_presets"):
            for db in services.ensure_presets(reset=options["reset"]):
                line = f"{db.name}"
                if options["refresh"]:
                    db = services.update_membership(db_id=db.pk)
                    line += f"：收录{db.member_count}件（{db.refresh_note}）"
                self.stdout.write(line)
