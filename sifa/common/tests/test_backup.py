"""Backup that restores (issue 19, item 7), proved by a drill: cases with
attachments are backed up, restored into a new database and an empty storage
directory on the same PostgreSQL server, and then `audit_verify` (against the
backup's own checkpoint) and `attachments_verify` pass there. Refusals change
nothing: a damaged or incomplete backup, a database or directory that is not
empty, SQLite."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sifa.attachments import services as attachment_services
from sifa.attachments.models import Attachment
from sifa.cases.tests.factories import make_case
from sifa.common import backup as mechanics

ROOT = Path(__file__).resolve().parents[3]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
IS_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
postgres_only = pytest.mark.skipif(IS_SQLITE, reason="备份与恢复只支持 PostgreSQL（SQLite 演示库直接复制文件）")


def _media_files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()} if root.exists() else {}


def _with_attachments(orgs, users) -> list[Attachment]:
    first = make_case(users.office_a, orgs.office_a, title="备份演练一")
    second = make_case(users.office_a, orgs.office_a, title="备份演练二")
    return [
        attachment_services.upload(users.office_a, first.pk, SimpleUploadedFile("调解协议.pdf", PDF + b"one")),
        attachment_services.upload(users.office_a, first.pk, SimpleUploadedFile("现场照片.png", PNG + b"two")),
        attachment_services.upload(users.office_a, second.pk, SimpleUploadedFile("申请书.pdf", PDF + b"three")),
    ]


# --- the drill ----------------------------------------------------------------------------------


class Server:
    """A second database on the harness's PostgreSQL server, created and dropped
    through a separate connection to the maintenance database."""

    def __init__(self):
        import psycopg

        self.db = dict(connection.settings_dict)
        self.name = f"sifa_restore_{uuid.uuid4().hex[:10]}"
        self._psycopg = psycopg
        self._admin("CREATE DATABASE {} ENCODING 'UTF8'")

    def _admin(self, sql: str) -> None:
        params = {"host": self.db.get("HOST") or None, "port": self.db.get("PORT") or None, "user": self.db.get("USER") or None}
        if self.db.get("PASSWORD"):
            params["password"] = self.db["PASSWORD"]
        with self._psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}) as conn:
            conn.execute(sql.format(f'"{self.name}"'))

    def url(self) -> str:
        user = quote(self.db.get("USER") or "")
        password = f":{quote(self.db['PASSWORD'])}" if self.db.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{self.db.get('HOST') or '127.0.0.1'}:{self.db.get('PORT') or 5432}/{self.name}"

    def query(self, sql: str) -> list[tuple]:
        with self._psycopg.connect(self.url()) as conn:
            return conn.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        with self._psycopg.connect(self.url()) as conn:
            conn.execute(sql)

    def drop(self) -> None:
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@pytest.fixture
def fresh_database():
    server = Server()
    yield server
    server.drop()


def _installation(tmp_path: Path, server: Server) -> dict[str, str]:
    """The environment of a second installation: its own database and storage
    directory, the same keys (brought from where they are kept, not from the
    backup), no checkpoint file of its own yet."""
    media = tmp_path / "restored-media"
    (tmp_path / "drill_settings.py").write_text(
        "from pathlib import Path\n"
        "from config.settings.test import *  # noqa: F403\n"
        f"MEDIA_ROOT = Path({str(media)!r})\n"
        f"SIFA_KEY_DIR = Path({str(settings.SIFA_KEY_DIR)!r})\n"
        f"SIFA_AUDIT_CHECKPOINT_FILE = Path({str(tmp_path / 'restored-audit' / 'checkpoints.jsonl')!r})\n",
        encoding="utf-8",
    )
    return dict(
        os.environ,
        DATABASE_URL=server.url(),
        DJANGO_SETTINGS_MODULE="drill_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        MEDIA=str(media),
    )


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_restore_drill_audit_and_every_attachment_verify(orgs, users, tmp_path, fresh_database):
    attachments = _with_attachments(orgs, users)
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir))

    manifest = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"database.dump", "media.tar"}
    for name, facts in manifest["files"].items():
        assert hashlib.sha256((backup_dir / name).read_bytes()).hexdigest() == facts["sha256"]
    assert manifest["database"]["name"] == connection.settings_dict["NAME"]
    # The test session's storage is shared, so the tar may hold other tests' files too.
    with tarfile.open(backup_dir / "media.tar") as tar:
        assert {a.file.name for a in attachments} <= set(tar.getnames())
    assert manifest["media"]["files"] >= len(attachments)
    assert manifest["version"] and manifest["created_at"]
    checkpoint = manifest["audit_checkpoint"]
    assert checkpoint["seq"] > 0 and checkpoint["mac"] and checkpoint["count"] == checkpoint["seq"]
    # The backup holds personal data: its owner only.
    assert (backup_dir.stat().st_mode & 0o777) == 0o700

    # Made after the backup: it must not be in the restored installation.
    later = attachment_services.upload(users.office_a, attachments[0].case_id, SimpleUploadedFile("备份之后.pdf", PDF + b"later"))

    env = _installation(tmp_path, fresh_database)
    restored = _manage(env, "restore", str(backup_dir))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "审计日志与备份检查点一致" in restored.stdout

    audit = _manage(env, "audit_verify", "--checkpoint", str(backup_dir / "manifest.json"))
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "审计日志完整" in audit.stdout

    verified = _manage(env, "attachments_verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"共 {len(attachments)} 个文件" in verified.stdout

    # And by hand: every restored row's file has the SHA-256 recorded at upload.
    rows = fresh_database.query("SELECT file, sha256 FROM attachments_attachment ORDER BY id")
    assert sorted(sha for _, sha in rows) == sorted(a.sha256 for a in attachments)
    assert later.sha256 not in {sha for _, sha in rows}
    for name, sha in rows:
        assert hashlib.sha256((Path(env["MEDIA"]) / name).read_bytes()).hexdigest() == sha
    cases = fresh_database.query("SELECT title FROM cases_case ORDER BY title")
    assert [t for (t,) in cases] == ["备份演练一", "备份演练二"]

    # Restoring again over the restored installation is refused without --force, and changes nothing.
    again = _manage(env, "restore", str(backup_dir))
    assert again.returncode != 0 and "不是空库" in again.stderr
    assert fresh_database.query("SELECT count(*) FROM attachments_attachment") == [(len(attachments),)]

    # With --force it replaces what is there: a row removed since comes back with its file.
    fresh_database.execute("DELETE FROM attachments_attachment WHERE id = (SELECT max(id) FROM attachments_attachment)")
    forced = _manage(env, "restore", "--force", str(backup_dir))
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert fresh_database.query("SELECT count(*) FROM attachments_attachment") == [(len(attachments),)]
    assert _manage(env, "attachments_verify").returncode == 0


# --- refusals -----------------------------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_touched(orgs, users, tmp_path, fresh_database):
    _with_attachments(orgs, users)
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir))
    tar = backup_dir / "media.tar"
    data = bytearray(tar.read_bytes())
    data[520] ^= 0xFF  # one byte of the first file, the size unchanged
    tar.write_bytes(bytes(data))

    env = _installation(tmp_path, fresh_database)
    refused = _manage(env, "restore", str(backup_dir))
    assert refused.returncode != 0
    assert "media.tar" in refused.stderr and "SHA-256" in refused.stderr
    # Nothing restored: the new database has no table, the storage directory was not made.
    assert fresh_database.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]
    assert not Path(env["MEDIA"]).exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_restore_into_a_database_in_use_is_refused_and_changes_nothing(orgs, users, tmp_path):
    _with_attachments(orgs, users)
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir))
    extra = attachment_services.upload(users.office_a, Attachment.objects.first().case_id, SimpleUploadedFile("之后.pdf", PDF + b"x"))
    before_rows, before_files = Attachment.objects.count(), _media_files()

    with pytest.raises(CommandError, match="不是空库"):
        call_command("restore", str(backup_dir))
    assert Attachment.objects.count() == before_rows and Attachment.objects.filter(pk=extra.pk).exists()
    assert _media_files() == before_files


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_interrupted_backup_without_manifest_is_refused(tmp_path):
    backup_dir = tmp_path / "backup"
    call_command("backup", str(backup_dir))
    (backup_dir / "manifest.json").unlink()
    with pytest.raises(CommandError, match="不是一份完整的备份"):
        call_command("restore", str(backup_dir), "--force")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_backup_never_writes_into_a_directory_that_is_not_empty(tmp_path):
    target = tmp_path / "old"
    target.mkdir()
    (target / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match="已存在且不为空"):
        call_command("backup", str(target))
    assert [p.name for p in target.iterdir()] == ["manifest.json"]
    assert (target / "manifest.json").read_text(encoding="utf-8") == "{}"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_dated_backups_go_into_a_new_subdirectory_each(tmp_path):
    call_command("backup", str(tmp_path), "--dated")
    (made,) = list(tmp_path.iterdir())
    assert made.name.startswith("sifa-") and (made / "manifest.json").is_file()


@pytest.mark.smoke
def test_sqlite_is_refused_with_the_way_to_back_it_up(tmp_path):
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/sifa/var/sifa.sqlite3"}
    for what in ("备份", "恢复"):
        with pytest.raises(mechanics.BackupError, match="复制该文件") as info:
            mechanics.require_postgresql(sqlite, what)
        assert "/srv/sifa/var/sifa.sqlite3" in str(info.value)
    with pytest.raises(mechanics.BackupError):
        mechanics.backup(tmp_path / "b", db=sqlite, media_root=tmp_path, version="x", checkpoint=None)
    assert not (tmp_path / "b").exists()


@pytest.mark.smoke
@pytest.mark.skipif(not IS_SQLITE, reason="只在 SQLite 演示库上检查命令的拒绝")
def test_the_commands_refuse_sqlite_before_writing_anything(tmp_path):
    with pytest.raises(CommandError, match="SQLite"):
        call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="SQLite"):
        call_command("restore", str(tmp_path))
    assert not (tmp_path / "b").exists()


# --- attachments_verify -------------------------------------------------------------------------


@pytest.mark.django_db
def test_attachments_verify_names_a_changed_and_a_missing_file(orgs, users, capsys):
    good, changed, missing = _with_attachments(orgs, users)
    call_command("attachments_verify")
    assert "共 3 个文件，SHA-256 全部一致" in capsys.readouterr().out

    Path(changed.file.path).write_bytes(PNG + b"tampered")
    Path(missing.file.path).unlink()
    with pytest.raises(SystemExit) as exit_info:
        call_command("attachments_verify")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"附件 {changed.pk}：文件" in err and "SHA-256 与记录不符" in err
    assert f"附件 {missing.pk}：存储中找不到文件" in err
    assert f"附件 {good.pk}" not in err
    assert "缺失 1 个，校验值不符 1 个" in err
