from django.core.management.base import BaseCommand, CommandError

from ipplatform.core import backup
from ipplatform.core.inputs import InputError


class Command(BaseCommand):
    help = "Restore an archive written by `manage.py backup` (replaces the database and shared files), rebuild the search index, verify."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.tar.gz）")
        parser.add_argument("--yes", action="store_true", help="不再确认（当前数据将被备份内容替换）")
        parser.add_argument("--no-index", action="store_true", help="不重建检索索引")

    def handle(self, *args, **options):
        try:
            manifest = backup.read_manifest(options["archive"])
        except InputError as exc:
            raise CommandError(exc.message) from exc
        if not options["yes"]:
            answer = input(f"将用 {manifest['created_at']} 的备份替换当前数据库和文件，输入 yes 继续：")
            if answer.strip() != "yes":
                raise CommandError("已取消")
        try:
            result = backup.restore_backup(path=options["archive"], rebuild_index=not options["no_index"])
        except InputError as exc:
            raise CommandError(exc.message) from exc
        if result["problems"]:
            for p in result["problems"]:
                self.stderr.write(p)
            raise CommandError(f"恢复后有 {len(result['problems'])} 处与备份清单不符")
        after = result["after"]
        self.stdout.write(
            f"已恢复：{sum(after['counts'].values())} 条记录与备份一致，审计链 {after['audit_chain']['checked']} 条校验通过，"
            f"证据文件 {len(after['evidence'])} 个摘要一致"
        )
