"""Backup and restore of one sifa installation: the PostgreSQL database (pg_dump,
custom format), the attachments storage (one tar of the storage root) and a
manifest with the SHA-256 of every file, so a restore can refuse a damaged or
altered backup before it touches anything.

The mechanics only: this module imports nothing of sifa (``sifa.common`` is the
foundation). The commands (``manage.py backup`` / ``restore`` in ``sifa.audit``)
add the audit checkpoint and the checks that need the models.

What is deliberately *not* in a backup: the keys (SIFA_FIELD_KEY, SIFA_HASH_KEY,
SIFA_AUDIT_KEY, SIFA_SECRET_KEY). A backup medium that also held the keys would
make the field encryption pointless; docs/runbook.md says where they are kept.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refusal with a message for the operator (Chinese, names what is wrong)."""


# --- small helpers ---------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def require_postgresql(db: dict, what: str) -> None:
    engine = db.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        raise BackupError(
            f"{what}只支持 PostgreSQL。当前是嵌入式 SQLite 演示库（{db.get('NAME')}）：停止服务后直接复制该文件"
            "（连同同目录的 -wal、-shm 文件）和 media 目录即可备份，恢复时复制回原处。"
        )
    if "postgresql" not in engine:
        raise BackupError(f"{what}只支持 PostgreSQL，当前数据库引擎为 {engine}。")


def pg_tool(name: str) -> str:
    """The pg_dump / pg_restore to run. SIFA_PG_BINDIR wins (a client matching a newer
    server); then PATH (Debian's wrapper picks the newest installed); then the
    versioned directories."""
    bindir = os.environ.get("SIFA_PG_BINDIR")
    candidates = [os.path.join(bindir, name)] if bindir else []
    if found := shutil.which(name):
        candidates.append(found)
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    for c in candidates:
        if os.access(c, os.X_OK):
            return c
    raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端（apt-get install postgresql-client），或设置 SIFA_PG_BINDIR。")


def pg_env(db: dict) -> dict[str, str]:
    """libpq's own variables, so the password never appears on a command line (ps)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    options = db.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - argv built here, no shell
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip()[-1500:]
        raise BackupError(f"{what}失败（退出码 {proc.returncode}）：{tail}")


def app_version(base_dir: Path) -> str:
    """``git describe`` of the checkout when there is one (what exactly ran), else
    the version in pyproject.toml."""
    git = shutil.which("git")
    if git and (base_dir / ".git").exists():
        proc = subprocess.run(  # noqa: S603 - fixed argv
            [git, "-C", str(base_dir), "describe", "--always", "--dirty", "--tags"], capture_output=True, text=True, check=False
        )
        if proc.returncode == 0 and proc.stdout.strip():
            return proc.stdout.strip()
    try:
        with open(base_dir / "pyproject.toml", "rb") as fh:
            return str(tomllib.load(fh)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _is_empty_dir(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


# --- backup ----------------------------------------------------------------------------------------


def backup(target: Path, *, db: dict, media_root: Path, version: str, checkpoint: dict | None) -> dict:
    """Write database.dump, media.tar and manifest.json into ``target`` (new or empty).

    The database is dumped first and the files afterwards: an attachment's file is
    written before its row commits and is never removed while a row names it, so
    every row in the dump finds its file in the tar (the tar may hold a few
    younger files no row names yet; ``attachments_sweep`` removes those later).
    The manifest is written last, under its final name only when complete: a
    directory without it is an interrupted backup and ``restore`` refuses it."""
    require_postgresql(db, "备份")
    target = Path(target)
    if not _is_empty_dir(target):
        raise BackupError(f"备份目录 {target} 已存在且不为空：请指定一个新目录，以免覆盖以前的备份。")
    # The backup holds personal data: readable by its owner only.
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    started = datetime.now(UTC)

    dump = target / DUMP
    # No owner and no grants in the dump: it restores under whichever role runs the
    # restore (the database owner), and the application role's rights are granted
    # again by ``migrate`` afterwards, as after every migration.
    _run(
        [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
        pg_env(db),
        "pg_dump 导出数据库",
    )

    media_root = Path(media_root)
    count = 0
    with tarfile.open(target / MEDIA, "w") as tar:
        # Stored names are relative to the storage root; attachments are mostly PDFs
        # and images already compressed, so the tar is not compressed again.
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=path.relative_to(media_root).as_posix(), recursive=False)
                    count += 1

    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat().replace("+00:00", "Z"),
        "finished_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "version": version,
        "database": {"engine": "postgresql", "name": db.get("NAME", ""), "host": db.get("HOST", "") or "local", "file": DUMP},
        "media": {"file": MEDIA, "root": str(media_root), "files": count},
        "audit_checkpoint": checkpoint,
        "files": {name: {"sha256": sha256_file(target / name), "size": (target / name).stat().st_size} for name in (DUMP, MEDIA)},
        "not_included": "密钥（SIFA_SECRET_KEY、SIFA_FIELD_KEY、SIFA_HASH_KEY、SIFA_AUDIT_KEY）不在备份中，须另行保管，见 docs/runbook.md。",
    }
    tmp = target / (MANIFEST + ".part")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, target / MANIFEST)
    return manifest


# --- restore ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    source: Path
    manifest: dict


def verify_backup(source: Path) -> Verified:
    """Read the manifest and check every file it lists (size, SHA-256) before
    anything is restored. The first difference refuses the whole backup."""
    source = Path(source)
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} 中没有 {MANIFEST}：这不是一份完整的备份（备份可能中途失败）。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{MANIFEST} 无法读取：{exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式版本为 {manifest.get('format')!r}，本程序只能恢复格式 {FORMAT}。")
    files = manifest.get("files") or {}
    for name in (DUMP, MEDIA):
        if name not in files:
            raise BackupError(f"清单中缺少文件 {name}。")
    for name, facts in files.items():
        # Names come from the manifest: never let one point outside the backup directory.
        if Path(name).name != name:
            raise BackupError(f"清单中的文件名不合法：{name!r}。")
        file = source / name
        if not file.is_file():
            raise BackupError(f"备份文件 {name} 不存在。")
        if file.stat().st_size != facts.get("size"):
            raise BackupError(f"备份文件 {name} 的大小与清单不符（应为 {facts.get('size')} 字节，实为 {file.stat().st_size} 字节），已拒绝恢复。")
        if sha256_file(file) != facts.get("sha256"):
            raise BackupError(f"备份文件 {name} 的 SHA-256 与清单不符，文件已损坏或被改动，已拒绝恢复。")
    return Verified(source, manifest)


def check_media_target(media_root: Path, *, force: bool) -> None:
    if not force and not _is_empty_dir(Path(media_root)):
        raise BackupError(f"附件存储目录 {media_root} 不为空：恢复会覆盖现有文件。请恢复到空目录，或确认后加 --force。")


def restore_media(verified: Verified, media_root: Path, *, force: bool) -> int:
    """Unpack the attachments into ``media_root``: it must be missing or empty unless
    ``force`` (then files of the same name are replaced, others are left).
    Unpacked beside the root and moved in at the end, so a failure halfway leaves
    the root as it was."""
    media_root = Path(media_root)
    check_media_target(media_root, force=force)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = media_root.parent / f".{media_root.name}.restoring"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o750)
    try:
        with tarfile.open(verified.source / MEDIA, "r") as tar:
            members = tar.getmembers()
            # The "data" filter refuses absolute names, "..", links out of the tree and device files.
            tar.extractall(staging, filter="data")
        media_root.mkdir(parents=True, exist_ok=True)
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                dest = media_root / path.relative_to(staging)
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, dest)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"附件解包失败：{exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sum(1 for m in members if m.isfile())


def check_database_target(db: dict, *, force: bool, table_count: int) -> None:
    require_postgresql(db, "恢复")
    if table_count and not force:
        raise BackupError(f"数据库 {db.get('NAME')} 不是空库（已有 {table_count} 张表）：恢复会覆盖其中的数据。请恢复到新建的空库，或确认后加 --force。")


def restore_database(verified: Verified, db: dict, *, force: bool, table_count: int) -> None:
    """pg_restore into the configured database in one transaction: it is all
    restored or nothing is. A database that already has tables is refused unless
    ``force``; then the backup's objects replace the existing ones."""
    check_database_target(db, force=force, table_count=table_count)
    argv = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", f"--dbname={db.get('NAME')}"]
    if force and table_count:
        argv += ["--clean", "--if-exists"]
    _run([*argv, str(verified.source / DUMP)], pg_env(db), "pg_restore 恢复数据库")
