"""Text helpers with no domain: pinyin for search, Chinese numerals, dates and
amounts as official documents write them, and amounts read from input."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pypinyin import lazy_pinyin

_CN_DIGITS = "〇一二三四五六七八九"


@lru_cache(maxsize=8192)
def _syllables(text: str) -> tuple[str, ...]:
    # One conversion serves both forms below: the first letter of each syllable read
    # this way is what Style.FIRST_LETTER gives (zhang -> z; a Latin run is kept whole
    # either way; test_text.py compares them). Parties' names were converted twice per
    # row, a fifth of a ledger import (issue 19); repeated names are not converted again.
    return tuple(lazy_pinyin(text, errors="default"))


def pinyin_initials(text: str) -> str:
    """张三 -> 'zs'; Latin letters and digits are kept, lower-cased."""
    if not text:
        return ""
    return "".join(p[:1] for p in _syllables(text) if p and p[0].isalnum()).lower()[:64]


def pinyin_full(text: str) -> str:
    """张三 -> 'zhangsan'."""
    if not text:
        return ""
    return "".join(p for p in _syllables(text) if p.isalnum()).lower()[:255]


def cn_number(n: int) -> str:
    """0..9999 as documents and statute citations write them: 三, 十一, 六十二,
    一百零五, 一千二百."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return f"{'' if tens == 1 else _CN_DIGITS[tens]}十{_CN_DIGITS[ones] if ones else ''}"
    if n >= 10000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero and out else "") + _CN_DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


_CN_UPPER = "零壹贰叁肆伍陆柒捌玖"
_CN_UPPER_UNITS = ("", "拾", "佰", "仟")


def cn_amount(amount: Decimal | int | float) -> str:
    """An amount in capital numerals, as receipts and decisions write it:
    12000 -> 壹万贰仟元整; 1234.56 -> 壹仟贰佰叁拾肆元伍角陆分."""
    q = Decimal(amount).quantize(Decimal("0.01"))
    if q < 0:
        return "负" + cn_amount(-q)
    yuan, cents = divmod(int(q * 100), 100)
    jiao, fen = divmod(cents, 10)

    def group(n: int) -> str:  # 0..9999
        out, zero = "", False
        for i, digit in enumerate(f"{n:04d}"):
            d = int(digit)
            if d:
                out += ("零" if zero and out else "") + _CN_UPPER[d] + _CN_UPPER_UNITS[3 - i]
                zero = False
            else:
                zero = True
        return out

    text = ""
    for unit, size in (("亿", 10**8), ("万", 10**4), ("", 1)):
        part, yuan = divmod(yuan, size)
        if part:
            if text and part < 1000:
                text += "零"
            text += group(part) + unit
    text = (text or "零") + "元"
    if not cents:
        return text + "整"
    if jiao:
        text += _CN_UPPER[jiao] + "角"
    elif text != "零元":
        text += "零"
    return text + (_CN_UPPER[fen] + "分" if fen else "整")


def parse_amount(value, *, field: str, label: str) -> Decimal | None:
    """An amount of money (元) typed in a form or sent by the API, or None; bad input
    raises a DomainError naming the field."""
    from .errors import DomainError

    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}应为数字（元）。", field=field) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise DomainError(f"{label}应在0至一万亿元之间。", field=field)
    return amount.quantize(Decimal("0.01"))


def cn_date(d: date | None) -> str:
    """2026-11-22 -> 二〇二六年十一月二十二日 (the form used in official documents)."""
    if not d:
        return ""
    year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{cn_number(d.month)}月{cn_number(d.day)}日"


def money(amount: Decimal | int | float | None, unit: str = "元") -> str:
    """12345.6 -> '12,345.60元'."""
    if amount is None:
        return ""
    q = Decimal(amount).quantize(Decimal("0.01"))
    text = f"{q:,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return f"{text}{unit}"


# --- characters no document can hold ----------------------------------------------------------------
# XML 1.0 (the inside of every .docx and .xlsx) allows tab, LF, CR and everything from U+0020 up,
# except the surrogates and U+FFFE/U+FFFF. A stored U+0001 made every Word document of its case
# fail, so text is cleaned where it enters (forms, API, portal, imports) and again where a
# document is written (``xml_safe``).

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_CONTROL_BUT_NUL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# A line break of any kind, in one-line input: U+0085, U+2028 and U+2029 break lines for
# str.splitlines() (and so for document templates) just as LF and CR do.
_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]+")


def clean_text(value: str, multiline: bool = False, *, keep_nul: bool = False) -> str:
    """Typed text without control characters: C0 controls and DEL are dropped (as are
    lone surrogates and U+FFFE/U+FFFF, which no database or document encodes);
    tab and line breaks stay in multi-line text and become one space in a
    one-line value. ``clean_text("\\x01张\\x0b三") == "张三"``.

    ``keep_nul`` leaves NUL in place for the caller's validators: forms and the API
    have always refused it with a message naming the field (no one types a NUL;
    it marks a forged or binary body), and they keep doing so."""
    if not value:
        return value
    value = (_CONTROL_BUT_NUL if keep_nul else _CONTROL).sub("", value)
    return value if multiline else _BREAKS.sub(" ", value)


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (tab, LF and CR stay), so
    whatever is stored can still be written into a Word document."""
    return _XML_FORBIDDEN.sub("", value) if value else value
