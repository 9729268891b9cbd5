"""ID numbers (GB 11643: 18 digits with an ISO 7064 MOD 11-2 check character;
the 15-digit legacy form converted), 统一社会信用代码 (GB 32100 check character),
phone numbers, and the masks of SECURITY.md."""

import pytest

from sifa.common import identity
from sifa.common.errors import DomainError


def uscc(body17: str) -> str:
    """A valid code from its first 17 characters (the check character computed independently)."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(chars.index(c) * w for c, w in zip(body17, weights, strict=True))
    return body17 + chars[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),  # lower-case x
        (" 110105 19491231 002X ", "11010519491231002X"),  # spaces typed in
        ("110105194912310038", "110105194912310038"),
        ("350102199001011238", "350102199001011238"),
        # 15-digit legacy numbers: "19" inserted before the year, check character appended.
        ("110105491231002", "11010519491231002X"),
        ("350102900101123", "350102199001011238"),
    ],
)
def test_valid_id_numbers(raw, expected):
    assert identity.normalize_id_number(raw) == expected


@pytest.mark.parametrize(
    "raw,message",
    [
        ("110105194912310021", "校验位"),  # wrong check digit
        ("11010519491231002Y", "18位"),
        ("1101051949123100", "18位"),  # 16 digits
        ("01010519491231002X", "18位"),  # region cannot start with 0
        ("110105194913310020", "出生日期"),  # month 13
        ("110105194902300020", "出生日期"),  # 30 February
        ("110105180001010020", "出生日期"),  # before 1900
        ("", "18位"),
        ("abc", "18位"),
    ],
)
def test_invalid_id_numbers(raw, message):
    with pytest.raises(DomainError) as exc:
        identity.normalize_id_number(raw)
    assert message in exc.value.message and exc.value.field == "id_number"


def test_check_character_and_derived_facts():
    assert identity.id_check_char("11010519491231002") == "X"
    assert identity.id_check_char("35010219900101123") == "8"
    # Every single wrong digit is caught.
    good = "350102199001011238"
    for i in range(17):
        for d in "0123456789":
            if d != good[i]:
                bad = good[:i] + d + good[i + 1 :]
                with pytest.raises(DomainError):
                    identity.normalize_id_number(bad)
    assert identity.id_birth_date(good).isoformat() == "1990-01-01"
    assert identity.id_gender(good) == "M"  # 17th digit 3 is odd
    assert identity.id_gender("11010519491231002X") == "F"  # 17th digit 2 is even


def test_uscc():
    code = uscc("91350100M000100Y4")
    assert identity.normalize_uscc(code.lower()) == code
    # A published example (GB 32100-2015 style): check computed independently.
    assert identity.normalize_uscc(uscc("91110108551385082")) == uscc("91110108551385082")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(DomainError, match="校验位"):
        identity.normalize_uscc(wrong)
    for bad in ("91350100M000100Y4", "91350100M000100YIO", "9135010OM000100Y43", ""):
        with pytest.raises(DomainError) as exc:
            identity.normalize_uscc(bad)
        assert exc.value.field == "id_number" and "统一社会信用代码" in exc.value.message


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("0591-87654321", "0591-87654321"),
        ("059187654321", "059187654321"),
        ("010-12345678-123", "010-12345678-123"),
        ("0591－87654321", "0591-87654321"),  # full-width hyphen
        ("12348", "12348"),
    ],
)
def test_valid_phones(raw, expected):
    assert identity.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["1381234567", "23812345678", "12812345678", "138123456789", "87654321", "abc", "0591-123", "13812345678<script>"])
def test_invalid_phones(raw):
    with pytest.raises(DomainError) as exc:
        identity.normalize_phone(raw)
    assert exc.value.field == "phone" and "电话号码格式不正确" in exc.value.message


def test_masks():
    assert identity.mask_id_number("350102199001011234") == "350102********1234"
    assert identity.mask_id_number("") == ""
    assert identity.mask_id_number("E12345678") == "E1*****78"
    assert identity.mask_phone("13812345678") == "138****5678"
    assert identity.mask_phone("0591-87654321") == "0591-****4321"
    assert identity.mask_phone("12348") == "****2348"
    assert identity.mask_phone("") == ""
    for value in ("350102199001011234", "13812345678", "0591-87654321"):
        masked = identity.mask_phone(value) if len(value) < 18 else identity.mask_id_number(value)
        assert masked != value and "*" in masked
