from django.conf import settings
from django.core.management.base import BaseCommand

from ipplatform.core import backup


class Command(BaseCommand):
    help = "Back up the database, shared files (uploads, evidence, documents) and configuration into one archive."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="备份目录（默认 BACKUP_DIR，即 DATA_DIR/backups）")
        parser.add_argument("--keep", type=int, default=None, help="只保留最近几份（默认 BACKUP_KEEP=7）")

    def handle(self, *args, **options):
        keep = options["keep"] if options["keep"] is not None else settings.BACKUP_KEEP
        path = backup.create_backup(target_dir=options.get("dir"), keep=keep)
        manifest = backup.read_manifest(path)
        total = sum(manifest["inventory"]["counts"].values())
        self.stdout.write(
            f"已备份：{path}（{path.stat().st_size / 1e6:.1f} MB，{total} 条记录，"
            f"证据文件 {len(manifest['inventory']['evidence'])} 个，审计链 {manifest['inventory']['audit_chain']['checked']} 条）"
        )
