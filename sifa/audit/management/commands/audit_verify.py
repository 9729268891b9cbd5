"""Check the audit log's hash chain. Exit 0 when intact; otherwise exit 1 and
name the first entry that was altered or removed."""

import sys

from django.core.management.base import BaseCommand

from sifa.audit.chain import verify
from sifa.audit.models import AuditEntry, AuditHead


class Command(BaseCommand):
    help = "校验审计日志哈希链是否完整"

    def handle(self, *args, **options):
        entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
        ok, bad_seq, why = verify(entries)
        if ok:
            head = AuditHead.objects.filter(pk=1).first()
            total = head.last_seq if head else 0
            count = AuditEntry.objects.count()
            if count != total:
                self.stderr.write(f"审计日志条数 {count} 与链尾序号 {total} 不符：末尾记录被删除。")
                sys.exit(1)
            self.stdout.write(f"审计日志完整：共 {count} 条。")
            return
        entry = AuditEntry.objects.filter(seq=bad_seq).first()
        what = f"{entry.action} @ {entry.at:%Y-%m-%d %H:%M:%S}" if entry else ""
        self.stderr.write(f"审计日志第 {bad_seq} 条异常：{why}。{what}")
        sys.exit(1)
