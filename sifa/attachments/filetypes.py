"""The upload allow-list, checked by content (magic bytes), never by the name
or the browser's Content-Type alone."""

from __future__ import annotations

import io
import zipfile

# kind -> (MIME type sent on download, allowed name suffixes)
ALLOWED = {
    "pdf": ("application/pdf", (".pdf",)),
    "jpg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "doc": ("application/msword", (".doc",)),
    "xls": ("application/vnd.ms-excel", (".xls",)),
    "ofd": ("application/ofd", (".ofd",)),
    "mp3": ("audio/mpeg", (".mp3",)),
    "mp4": ("video/mp4", (".mp4",)),
}
LABEL = "PDF、JPG、PNG、Word(doc/docx)、Excel(xls/xlsx)、OFD、MP3、MP4"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes, whole: bytes | None = None) -> str | None:
    """The allowed kind of a file from its first bytes (and for ZIP-based
    formats, its member names), or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(_OLE):
        return "ole"  # doc or xls: decided by the name below
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "mp3"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"PK\x03\x04") and whole is not None:
        try:
            names = set(zipfile.ZipFile(io.BytesIO(whole)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
    return None


def classify(name: str, data: bytes) -> str | None:
    kind = sniff(data[:16], data)
    lower = name.lower()
    if kind == "ole":
        if lower.endswith(".doc"):
            return "doc"
        if lower.endswith(".xls"):
            return "xls"
        return None
    if kind is None:
        return None
    # The name must agree with the content, so a renamed file cannot pass as another type.
    return kind if lower.endswith(ALLOWED[kind][1]) else None
