"""Whole-store check of the attachments: every row's file is there and its
SHA-256 is the one recorded at upload (``manage.py attachments_verify``; the
restore drill runs it). Downloads check one file each (``services.read_verified``);
this finds a damaged or missing file before anyone asks for it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .models import Attachment

CHUNK = 1024 * 1024


@dataclass
class StoreReport:
    checked: int = 0
    missing: list[tuple[int, str]] = field(default_factory=list)  # (attachment id, storage name)
    mismatched: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched


def verify_store() -> StoreReport:
    """Soft-deleted attachments are checked too: they can be restored. Files are
    hashed in chunks, so a 20 MB file never sits whole in memory."""
    report = StoreReport()
    rows = Attachment.objects.order_by("pk").values_list("pk", "file", "sha256")
    for pk, name, expected in rows.iterator(chunk_size=2000):
        report.checked += 1
        digest = hashlib.sha256()
        try:
            with Attachment._meta.get_field("file").storage.open(name, "rb") as fh:
                while block := fh.read(CHUNK):
                    digest.update(block)
        except OSError:
            report.missing.append((pk, name))
            continue
        if digest.hexdigest() != expected:
            report.mismatched.append((pk, name))
    return report
