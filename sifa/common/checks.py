"""System checks for the keys held outside the database (SECURITY.md "at rest").

A missing or malformed key used to pass ``manage.py check --deploy`` and fail only
at its first use (the first encrypted field read, the first audit entry sealed),
i.e. in front of a user. This check runs with every ``check`` (plain and
``--deploy``), before ``runserver``/``migrate`` and every management command, and
``refuse_without_keys()`` is called by the WSGI/ASGI entry points, which run no
system checks.

Each key is found the way sifa.common.crypto._load_key finds it: the environment
variable (base64 of 32 bytes), else a file of that name under SIFA_KEY_DIR. Outside
production a missing key is created at first use, so there only a malformed one
is an error. A new key is one line in ``KEYS``.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
GENERATE = 'python -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())"'


@dataclass(frozen=True)
class KeySpec:
    setting: str  # the setting, filled from the environment variable of the same name
    filename: str  # the file under SIFA_KEY_DIR used when the variable is empty
    label: str  # what it protects, in Chinese, for the message
    optional: bool = False  # checked only when settings has it (a key another change introduces)


KEYS = [
    KeySpec("SIFA_FIELD_KEY", "field.key", "字段加密密钥 / field-encryption key"),
    KeySpec("SIFA_HASH_KEY", "hash.key", "查询哈希密钥 / keyed-hash key"),
    KeySpec("SIFA_AUDIT_KEY", "audit.key", "审计链密钥 / audit-chain key", optional=True),
]


def _decode(raw) -> bytes | None:
    # The same decoding as crypto._load_key, so the check agrees with first use.
    try:
        key = base64.b64decode(raw)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == KEY_BYTES else None


def _how(spec: KeySpec, path: Path) -> str:
    return (
        f"设置环境变量 {spec.setting}（32字节随机数的 base64），或提供密钥文件 {path}；生成：{GENERATE}。密钥须与数据库分开备份，见 docs/runbook.md。"
        f" / Set the environment variable {spec.setting} (base64 of 32 random bytes) or provide the file {path}; see docs/runbook.md."
    )


def key_problems() -> list[checks.CheckMessage]:
    production = getattr(settings, "SIFA_ENVIRONMENT", "prod") == "prod"
    problems = []
    for spec in KEYS:
        if spec.optional and not hasattr(settings, spec.setting):
            continue
        value = getattr(settings, spec.setting, "") or ""
        path = Path(settings.SIFA_KEY_DIR) / spec.filename
        if value:
            if _decode(value) is None:
                problems.append(
                    checks.Error(
                        f"{spec.label}格式错误：环境变量 {spec.setting} 不是32字节密钥的 base64 编码。"
                        f" / {spec.setting} is not the base64 encoding of a 32-byte key.",
                        hint=_how(spec, path),
                        id="sifa.E101",
                    )
                )
            continue
        if not path.exists():
            if production:
                problems.append(
                    checks.Error(
                        f"缺少{spec.label}：未设置环境变量 {spec.setting}，也没有密钥文件 {path}。"
                        f" / The key is missing: {spec.setting} is not set and {path} does not exist.",
                        hint=_how(spec, path),
                        id="sifa.E100",
                    )
                )
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(
                checks.Error(
                    f"{spec.label}文件 {path} 无法读取（{exc.strerror}）。 / The key file {path} cannot be read.",
                    hint=_how(spec, path),
                    id="sifa.E102",
                )
            )
            continue
        if _decode(raw) is None:
            problems.append(
                checks.Error(
                    f"{spec.label}格式错误：文件 {path} 的内容不是32字节密钥的 base64 编码。"
                    f" / The key file {path} does not hold the base64 encoding of a 32-byte key.",
                    hint=_how(spec, path),
                    id="sifa.E101",
                )
            )
    return problems


def check_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return key_problems()


def refuse_without_keys() -> None:
    """For the WSGI/ASGI entry points: a server that cannot read its keys does not start."""
    problems = key_problems()
    if problems:
        raise ImproperlyConfigured("\n".join(f"{p.msg} {p.hint}" for p in problems))
