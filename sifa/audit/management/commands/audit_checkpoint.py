"""Seal pending audit entries and append a checkpoint (seq, hash, count, MAC)
outside the database. Run by a timer (deploy/systemd) every few minutes; the
runbook ships the file to write-once storage or syslog."""

import json

from django.core.management.base import BaseCommand

from sifa.audit import checkpoints


class Command(BaseCommand):
    help = "封存待封存的审计记录，并在数据库之外写入检查点"

    def add_arguments(self, parser):
        parser.add_argument("--file", help="检查点文件（默认 SIFA_AUDIT_CHECKPOINT_FILE）")

    def handle(self, *args, **options):
        point = checkpoints.take(options.get("file"))
        self.stdout.write(f"检查点：第 {point['seq']} 条，共 {point['count']} 条。")
        if options.get("verbosity", 1) > 1:
            self.stdout.write(json.dumps(point, ensure_ascii=False))
