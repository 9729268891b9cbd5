"""Field-level encryption (AES-256-GCM) and keyed lookup hashes.

Keys live outside the database (SECURITY.md "at rest"): from the environment
(SIFA_FIELD_KEY / SIFA_HASH_KEY, base64 of 32 bytes) or, in development and
tests, from files under SIFA_KEY_DIR that are created on first use. Production
refuses to create keys on its own: losing a key loses the data, so the operator
must provision and back it up (see docs/runbook.md).

Ciphertext format: "v1:" + base64(nonce[12] + ciphertext+tag). The version
prefix lets us rotate algorithms (e.g. SM4-GCM) later without guessing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "v1:"


def _load_key(env_value: str, filename: str) -> bytes:
    if env_value:
        key = base64.b64decode(env_value)
    else:
        path = Path(settings.SIFA_KEY_DIR) / filename
        if not path.exists():
            if getattr(settings, "SIFA_ENVIRONMENT", "prod") == "prod":
                raise ImproperlyConfigured(f"缺少密钥：请设置环境变量或提供 {path}。")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(base64.b64encode(os.urandom(32)))
        key = base64.b64decode(path.read_bytes())
    if len(key) != 32:
        raise ImproperlyConfigured("密钥长度必须为32字节（base64编码）。")
    return key


@lru_cache(maxsize=1)
def field_key() -> bytes:
    return _load_key(settings.SIFA_FIELD_KEY, "field.key")


@lru_cache(maxsize=1)
def hash_key() -> bytes:
    return _load_key(settings.SIFA_HASH_KEY, "hash.key")


def encrypt(plaintext: str) -> str:
    if plaintext in (None, ""):
        return plaintext or ""
    nonce = os.urandom(12)
    ct = AESGCM(field_key()).encrypt(nonce, plaintext.encode("utf-8"), None)
    return PREFIX + base64.b64encode(nonce + ct).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        # Plain value written before encryption was switched on.
        return stored
    blob = base64.b64decode(stored[len(PREFIX) :])
    return AESGCM(field_key()).decrypt(blob[:12], blob[12:], None).decode("utf-8")


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalised value, for exact lookups of encrypted fields."""
    if not value:
        return ""
    return hmac.new(hash_key(), value.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. Not searchable: pair it with a keyed hash."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
