"""Remove stored files that no attachment row names (run daily by a scheduler):

    manage.py attachments_sweep [--older-than-hours 24] [--dry-run]

Such files are left when a step that carried them was refused after they were
written; see ``services.sweep_orphans``.
"""

from django.core.management.base import BaseCommand, CommandError

from sifa.attachments.services import sweep_orphans


class Command(BaseCommand):
    help = "清理没有附件记录对应的已存储文件（步骤被拒绝后遗留的文件）。"

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=float, default=24, help="只清理早于该小时数的文件（默认 24）")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args, **options):
        hours = options["older_than_hours"]
        if hours < 1:
            raise CommandError("--older-than-hours 不能小于 1：更新的文件可能仍在上传中。")
        removed = sweep_orphans(older_than_hours=hours, dry_run=options["dry_run"])
        for path in removed:
            self.stdout.write(path)
        verb = "将清理" if options["dry_run"] else "已清理"
        self.stdout.write(f"{verb}遗留文件 {len(removed)} 个。")
