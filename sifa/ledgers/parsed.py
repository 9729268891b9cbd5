"""The rows a validation read, kept beside the upload for the commit.

Confirming an import validates every row again (the data may have changed
since the preview: an office closed, a code retired), but the file has not:
reading the .xlsx a second time was a seventh of a 5,000-row import
(issue 19). So a validation that passes keeps what it read, as compressed
JSON lines beside the upload, and the commit reads that instead when it is the
same file read the same way: the key is the file's SHA-256, the columns the
ledger reads and this format's version. Anything else (no copy, another
key, a damaged copy) and the commit reads the file, as it always did. The
copy holds the same personal data as the upload beside it and is deleted
when the commit ends, whatever its outcome.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile

from .readers import Sheet, read_width

log = logging.getLogger("sifa.ledgers")

VERSION = 1
_TAG = "$sifa"


def key(data: bytes, known_headers: set[str]) -> str:
    h = hashlib.sha256(data)
    h.update(json.dumps([VERSION, read_width(known_headers), sorted(known_headers)], ensure_ascii=False).encode())
    return h.hexdigest()


def _name(job) -> str:
    return f"{job.file.name}.rows"


class _Unkeepable(Exception):
    pass


def _encode(value):
    # datetime before date: a datetime is a date too.
    if isinstance(value, datetime):
        return {_TAG: "dt", "v": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "d", "v": value.isoformat()}
    if isinstance(value, time):
        return {_TAG: "t", "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {_TAG: "td", "v": [value.days, value.seconds, value.microseconds]}
    raise _Unkeepable(type(value).__name__)


_DECODE = {
    "dt": datetime.fromisoformat,
    "d": date.fromisoformat,
    "t": time.fromisoformat,
    "td": lambda v: timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
}


def _decode(obj: dict):
    kind = obj.get(_TAG)
    return _DECODE[kind](obj["v"]) if kind in _DECODE else obj


def _trimmed(values: list) -> list:
    # Rows are padded to the read width; the padding is not worth storing.
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return values[:end]


# Rows are encoded and compressed a block at a time: a 100,000-row file never exists
# as one JSON text in memory beside the rows themselves (readers.py bounds that memory).
CHUNK = 2000


def _lines(sheet_key: str, sheet: Sheet):
    width = max((len(v) for _, v in sheet.rows), default=0)
    yield {"key": sheet_key, "width": width, "header_row": sheet.header_row, "headers": sheet.headers}
    for start in range(0, len(sheet.rows), CHUNK):
        yield [[n, _trimmed(v)] for n, v in sheet.rows[start : start + CHUNK]]


def save(job, sheet_key: str, sheet: Sheet) -> None:
    """Keep ``sheet`` for ``job``'s commit: compressed JSON lines, the head then blocks of
    rows. Best effort: the commit reads the file without it."""
    try:
        packer, parts = zlib.compressobj(1), []
        for line in _lines(sheet_key, sheet):
            parts.append(packer.compress(json.dumps(line, ensure_ascii=False, default=_encode).encode() + b"\n"))
        parts.append(packer.flush())
        storage, name = job.file.storage, _name(job)
        if storage.exists(name):
            storage.delete(name)
        storage.save(name, ContentFile(b"".join(parts)))
    except _Unkeepable as exc:
        log.info("import %s: rows not kept (a %s cell)", job.pk, exc)
    except Exception:
        log.exception("import %s: could not keep the rows read", job.pk)


def _read_lines(fh):
    unpacker, pending = zlib.decompressobj(), b""
    while block := fh.read(1 << 20):
        pending += unpacker.decompress(block)
        *complete, pending = pending.split(b"\n")
        yield from complete
    pending += unpacker.flush()
    if not unpacker.eof:
        raise ValueError("the kept rows end early")
    yield from (line for line in pending.split(b"\n") if line)


def load(job, sheet_key: str) -> Sheet | None:
    """The rows kept for ``job`` if they were read from the same file the same way, else None."""
    storage, name = job.file.storage, _name(job)
    try:
        if not storage.exists(name):
            return None
        with storage.open(name, "rb") as fh:
            lines = _read_lines(fh)
            head = json.loads(next(lines))
            if head.get("key") != sheet_key:
                return None
            width, rows = head["width"], []
            for line in lines:
                rows += [(n, values + [None] * (width - len(values))) for n, values in json.loads(line, object_hook=_decode)]
        return Sheet(head["header_row"], head["headers"], rows)
    except Exception:
        log.exception("import %s: the rows kept are unreadable; reading the file", job.pk)
        return None


def drop(job) -> None:
    try:
        storage, name = job.file.storage, _name(job)
        if storage.exists(name):
            storage.delete(name)
    except Exception:
        log.exception("import %s: could not delete the rows kept", job.pk)
