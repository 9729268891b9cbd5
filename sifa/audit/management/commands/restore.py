"""Restore a backup made by ``manage.py backup``:

    manage.py restore DIR [--force]

Into the database DATABASE_URL names and the attachments storage root. Every
file's SHA-256 is checked against the manifest before anything is touched.
Both targets must be empty (a new database, an empty directory) unless
``--force``. Run it as the database owner (it creates the tables), with the same
keys as the installation that made the backup; afterwards ``migrate`` runs
(bringing the schema to this version and granting SIFA_DB_APP_ROLE its rights)
and the audit chain is checked against the checkpoint in the manifest.
SQLite (the demo) is refused: copy its file instead (docs/runbook.md).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from sifa.audit import checkpoints
from sifa.audit.management.commands.backup import OPERATOR, storage_root
from sifa.audit.services import record
from sifa.common import backup as mechanics

_TABLES = """
SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'
"""


class Command(BaseCommand):
    help = "从 manage.py backup 生成的备份恢复数据库和附件（先校验全部 SHA-256）"
    # The target database is normally empty: the system checks must not query it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录（含 manifest.json）")
        parser.add_argument("--force", action="store_true", help="目标数据库或附件目录不为空时仍然恢复（覆盖其中的数据）")

    def handle(self, *args, directory, force, **options):
        conn = connections["default"]
        db = conn.settings_dict
        try:
            mechanics.require_postgresql(db, "恢复")
            verified = mechanics.verify_backup(Path(directory))
            manifest = verified.manifest
            with conn.cursor() as cur:
                cur.execute(_TABLES)
                tables = cur.fetchone()[0]
            media_root = storage_root()
            # Both targets are checked before either is written.
            mechanics.check_database_target(db, force=force, table_count=tables)
            mechanics.check_media_target(media_root, force=force)
            conn.close()
            mechanics.restore_database(verified, db, force=force, table_count=tables)
            files = mechanics.restore_media(verified, media_root, force=force)
        except mechanics.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复数据库（来自 {manifest['database'].get('name')}，版本 {manifest.get('version')}）和附件文件 {files} 个。")

        call_command("migrate", interactive=False, verbosity=0)
        problem = ""
        if manifest.get("audit_checkpoint"):
            try:
                point = checkpoints.parse(manifest["audit_checkpoint"])
            except checkpoints.CheckpointError as exc:
                problem = str(exc)
            else:
                problem = checkpoints.check(point)
        if problem:
            raise CommandError(f"恢复后的审计日志与备份时的检查点不符：{problem}。")
        record(
            "system.restore",
            username=OPERATOR,
            detail={"directory": str(directory), "backup_created_at": manifest.get("created_at"), "version": manifest.get("version"), "forced": force},
        )
        self.stdout.write(
            f"审计日志与备份检查点一致。请继续执行：manage.py audit_verify --checkpoint {Path(directory) / mechanics.MANIFEST}、manage.py attachments_verify。"
        )
