from django.core.management.base import BaseCommand, CommandError

from ipplatform.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail hash chain; names the first broken link and exits non-zero when broken."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(
                f"审计日志完整：已校验 {report.checked} 条记录，其中 {report.anchored} 条与外部锚点核对一致"
                + (f"，最新 {report.unanchored} 条尚无外部锚点" if report.unanchored else "")
                + (f"（{report.note}）" if report.note else "")
            )
            return
        raise CommandError(
            f"审计日志在序号 {report.broken_seq} 处断链：{report.reason}（此前 {report.checked} 条校验通过）"
        )
