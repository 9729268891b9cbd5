"""Back up the database, the attachments and a manifest with hashes:

    manage.py backup DIR            DIR must be new or empty
    manage.py backup DIR --dated    a new DIR/sifa-YYYYmmdd-HHMMSS (for a timer)

The audit chain's checkpoint is taken first (sealing what is pending) and goes
into the manifest, so a restored database is checked against its own
(``audit_verify --checkpoint DIR/manifest.json``). The keys are not in the
backup; see docs/runbook.md "备份与恢复". The mechanics are in sifa.common.backup;
this command lives in the audit app because it needs the checkpoint.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from sifa.audit import checkpoints
from sifa.audit.services import record
from sifa.common import backup as mechanics

OPERATOR = "manage.py"


def storage_root() -> Path:
    """The attachments' storage root. Only a local (or mounted shared) file system
    is copied here; an object store keeps its own versions."""
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise CommandError(f"附件存储为 {type(storage).__name__}，不是本地文件系统：请用该存储自身的备份（如对象存储的版本与复制），本命令只备份数据库。")
    return Path(storage.location)


class Command(BaseCommand):
    help = "备份数据库（pg_dump）、附件存储和带 SHA-256 校验值的清单"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录（须不存在或为空）")
        parser.add_argument("--dated", action="store_true", help="在该目录下新建以当前时间命名的子目录（定时备份用）")

    def handle(self, *args, directory, **options):
        target = Path(directory)
        if options["dated"]:
            target = target / timezone.localtime().strftime("sifa-%Y%m%d-%H%M%S")
        db = connections["default"].settings_dict
        try:
            mechanics.require_postgresql(db, "备份")
            # Before the dump, so the dump holds every entry the checkpoint names.
            point = checkpoints.take()
            manifest = mechanics.backup(target, db=db, media_root=storage_root(), version=mechanics.app_version(Path(settings.BASE_DIR)), checkpoint=point)
        except mechanics.BackupError as exc:
            raise CommandError(str(exc)) from None
        files = manifest["files"]
        record(
            "system.backup",
            username=OPERATOR,
            detail={"directory": str(target), "sha256": {k: v["sha256"] for k, v in files.items()}, "audit_seq": point.get("seq")},
        )
        size = sum(v["size"] for v in files.values())
        self.stdout.write(
            f"备份完成：{target}（数据库 {db.get('NAME')}，附件文件 {manifest['media']['files']} 个，共 {size / 1024 / 1024:.1f} MB；"
            f"审计检查点：第 {point.get('seq')} 条）。密钥不在备份中，请另行保管。"
        )
