"""Chinese resident ID numbers (GB 11643-1999) and phone numbers.

The 18-digit number ends with a check character computed with ISO 7064 MOD 11-2;
the legacy 15-digit form (pre-1999: 2-digit year, no check digit) is accepted and
converted by inserting "19" before the year and appending the check character.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import DomainError

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_ID18 = re.compile(r"^[1-9]\d{16}[\dX]$")
_ID15 = re.compile(r"^[1-9]\d{14}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline: optional area code (0 + 2-3 digits), 7-8 digit number, optional extension.
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_SERVICE = re.compile(r"^(12348|12345|110|120|119|122|9\d{4})$")


def id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    """Return the 18-digit form, or raise DomainError with a Chinese message."""
    raw = (value or "").strip().upper().replace(" ", "")
    if _ID15.match(raw):
        first17 = raw[:6] + "19" + raw[6:]
        raw = first17 + id_check_char(first17)
    if not _ID18.match(raw):
        raise DomainError("身份证号码应为18位（末位可为X）或15位数字。", field="id_number")
    try:
        date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        raise DomainError("身份证号码中的出生日期无效。", field="id_number") from None
    if int(raw[6:10]) < 1900:
        raise DomainError("身份证号码中的出生日期无效。", field="id_number")
    if id_check_char(raw[:17]) != raw[17]:
        raise DomainError("身份证号码校验位不正确，请核对。", field="id_number")
    return raw


def id_birth_date(id18: str) -> date:
    return date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def id_gender(id18: str) -> str:
    """'M' or 'F' from the 17th digit (odd = male)."""
    return "M" if int(id18[16]) % 2 else "F"


def normalize_phone(value: str) -> str:
    raw = (value or "").strip().replace(" ", "").replace("－", "-")
    if raw.startswith("+86"):
        raw = raw[3:]
    if _MOBILE.match(raw) or _LANDLINE.match(raw) or _SERVICE.match(raw):
        return raw
    raise DomainError("电话号码格式不正确：手机号为1开头的11位数字，固定电话如 0591-87654321。", field="phone")


def mask_id_number(value: str) -> str:
    """350102199001011234 -> 350102********1234 (SECURITY.md)."""
    if not value:
        return ""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 4, 0) + value[-2:]
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678; landlines keep area code and last 4."""
    if not value:
        return ""
    if len(value) == 11 and value.isdigit():
        return value[:3] + "****" + value[-4:]
    if len(value) > 4:
        return value[: max(len(value) - 8, 0)] + "****" + value[-4:]
    return "****"


def mask_party(party) -> dict:
    """A party's ID number, phone and address as shown to those who may not reveal them."""
    id_number = party.id_number or ""
    if party.id_type == "resident_id":
        shown_id = mask_id_number(id_number)
    else:
        shown_id = id_number[:2] + "*" * max(len(id_number) - 6, 2) + id_number[-4:] if id_number else ""
    address = party.address or ""
    # Keep the district-level prefix, hide the street and number.
    shown_address = (address[:6] + "****" if len(address) > 6 else "****") if address else ""
    return {"id_number": shown_id, "phone": mask_phone(party.phone), "address": shown_address}


# Unified social credit code (统一社会信用代码, GB 32100-2015) -----------------
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")


def normalize_uscc(value: str) -> str:
    raw = (value or "").strip().upper().replace(" ", "")
    if not _USCC.match(raw):
        raise DomainError("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。", field="id_number")
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(raw[:17], _USCC_WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    if _USCC_CHARS[check] != raw[17]:
        raise DomainError("统一社会信用代码校验位不正确，请核对。", field="id_number")
    return raw
