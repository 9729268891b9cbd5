"""Check the audit log: seal what is pending, walk the chain, compare with the
latest checkpoint kept outside the database. Exit 0 when intact; otherwise exit
1 and say what was found (the first entry altered or removed, or an emptied,
cut or rebuilt log)."""

from django.core.management.base import BaseCommand

from sifa.audit.models import AuditEntry
from sifa.audit.selectors import check_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链是否完整，并与最近的检查点比对"

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", help="检查点文件（默认 SIFA_AUDIT_CHECKPOINT_FILE；也可以是备份的 manifest.json）")
        parser.add_argument("--no-seal", action="store_true", help="不先封存待封存的记录（只读校验）")

    def handle(self, *args, **options):
        report = check_chain(checkpoint_file=options.get("checkpoint"), seal_first=not options.get("no_seal"))
        if report.ok:
            pending = f"；另有 {report.pending} 条待封存" if report.pending else ""
            self.stdout.write(f"审计日志完整：共 {report.count} 条（{report.checkpoint}{pending}）。")
            return
        if report.bad_seq:
            entry = AuditEntry.objects.filter(seq=report.bad_seq).first()
            what = f"（{entry.action} @ {timezone_text(entry.at)}）" if entry else ""
            self.stderr.write(f"审计日志第 {report.bad_seq} 条异常：{report.message}。{what}")
        else:
            self.stderr.write(f"审计日志异常：{report.message}。")
        # A plain exit status for cron and monitoring; CommandError would add a traceback-like prefix.
        raise SystemExit(1)


def timezone_text(at) -> str:
    from django.utils import timezone

    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")
