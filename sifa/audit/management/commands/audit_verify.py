"""Check the audit log's hash chain. Exit 0 when intact; otherwise exit 1 and
name the first entry that was altered or removed."""

from django.core.management.base import BaseCommand

from sifa.audit.models import AuditEntry
from sifa.audit.selectors import check_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链是否完整"

    def handle(self, *args, **options):
        report = check_chain()
        if report.ok:
            self.stdout.write(f"审计日志完整：共 {report.count} 条。")
            return
        entry = AuditEntry.objects.filter(seq=report.bad_seq).first()
        what = f"（{entry.action} @ {timezone_text(entry.at)}）" if entry else ""
        self.stderr.write(f"审计日志第 {report.bad_seq} 条异常：{report.message}。{what}")
        # A plain exit status for cron and monitoring; CommandError would add a traceback-like prefix.
        raise SystemExit(1)


def timezone_text(at) -> str:
    from django.utils import timezone

    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")
