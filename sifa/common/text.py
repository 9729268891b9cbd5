"""Text helpers with no domain: pinyin for search, Chinese dates and amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pypinyin import Style, lazy_pinyin

_CN_DIGITS = "〇一二三四五六七八九"


def pinyin_initials(text: str) -> str:
    """张三 -> 'zs'; Latin letters and digits are kept, lower-cased."""
    if not text:
        return ""
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[:1] for p in parts if p and p[0].isalnum()).lower()[:64]


def pinyin_full(text: str) -> str:
    """张三 -> 'zhangsan'."""
    if not text:
        return ""
    return "".join(p for p in lazy_pinyin(text) if p.isalnum()).lower()[:255]


def _cn_number(n: int) -> str:
    """1..31 in documents' style: 十一, 二十二, 三十一."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"


def cn_date(d: date | None) -> str:
    """2026-11-22 -> 二〇二六年十一月二十二日 (the form used in official documents)."""
    if not d:
        return ""
    year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"


def money(amount: Decimal | int | float | None, unit: str = "元") -> str:
    """12345.6 -> '12,345.60元'."""
    if amount is None:
        return ""
    q = Decimal(amount).quantize(Decimal("0.01"))
    text = f"{q:,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{text}{unit}"
