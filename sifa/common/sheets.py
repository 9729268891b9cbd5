"""One spreadsheet cell, written safely (SECURITY.md "exports"): no cell whose text
starts with = + - @ tab or CR is ever stored as a formula. Such text is written as
an inline string with Excel's "quote prefix" style (what Excel itself does when a
user types an apostrophe first), so Excel neither evaluates it on open nor turns it
into a formula when the cell is edited.

Here in common, not in the ledgers app, because every sheet the platform writes uses
it: the ledgers' exports, the figures' returns and a line's own sheets (the hotline's
replies, legal aid's subsidy batches), and a line may not import the ledgers app."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """Drop control characters a worksheet cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def set_value(cell, value: Any, number_format: str = "") -> None:
    """Put ``value`` into ``cell``; text is always text, never a formula."""
    if value is None:
        cell.value = None
        return
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, Decimal):
        value = float(value) if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        from django.utils import timezone

        value = timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (int, float, date, datetime)):
        cell.value = value
        if number_format:
            cell.number_format = number_format
        elif isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        return
    text = clean_text(str(value))
    cell.value = text
    # openpyxl marks any text starting with "=" as a formula; undo that, always.
    cell.data_type = "s"
    if text.startswith(DANGEROUS_PREFIXES):
        cell.quotePrefix = True
