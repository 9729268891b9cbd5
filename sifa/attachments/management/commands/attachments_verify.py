"""Check every attachment's file against the SHA-256 recorded at upload:

    manage.py attachments_verify

Exit 0 when every file is there and matches; otherwise exit 1 and name the
attachments whose file is missing or differs (after a restore, a disk fault, or
tampering). Read-only.
"""

from django.core.management.base import BaseCommand

from sifa.attachments.integrity import verify_store

SHOWN = 50


class Command(BaseCommand):
    help = "校验全部附件文件是否存在、SHA-256 是否与上传时记录的一致"

    def handle(self, *args, **options):
        report = verify_store()
        if report.ok:
            self.stdout.write(f"附件校验通过：共 {report.checked} 个文件，SHA-256 全部一致。")
            return
        for pk, name in report.missing[:SHOWN]:
            self.stderr.write(f"附件 {pk}：存储中找不到文件 {name}")
        for pk, name in report.mismatched[:SHOWN]:
            self.stderr.write(f"附件 {pk}：文件 {name} 的 SHA-256 与记录不符")
        self.stderr.write(f"附件校验未通过：共 {report.checked} 个，缺失 {len(report.missing)} 个，校验值不符 {len(report.mismatched)} 个。")
        # A plain exit status for timers and monitoring, like audit_verify.
        raise SystemExit(1)
