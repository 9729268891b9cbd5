"""The case code (一案一码) and its check character.

Layout (19 characters): RRRRRR LL YYYY SSSSSS C
  RRRRRR  region code (行政区划代码) of the bureau that owns the number
  LL      two letters naming the business line (TJ 人民调解, FY 行政复议 …)
  YYYY    year the case was registered
  SSSSSS  sequence per (bureau, line, year), from a locked counter row
  C       check character over the first 18, alphabet 0-9A-Z

The check character uses Damm's algorithm over a totally anti-symmetric
quasigroup of order 36 with a zero diagonal, built as the direct product of
x∘y = g·(x−y) over GF(4) and GF(9). Such a quasigroup detects every single
wrong character and every swap of two neighbours, including a swap with the
check character itself (docs/adr/0003-case-code-check-character.md; the
property is checked exhaustively in tests). ISO 7064 MOD 37,36 was rejected
because it misses some neighbour swaps.
"""

from __future__ import annotations

import re
import string

ALPHABET = string.digits + string.ascii_uppercase
CODE_RE = re.compile(r"^[0-9]{6}[A-Z]{2}[0-9]{4}[0-9]{6}[0-9A-Z]$")


def _gf4_mul(a: int, b: int) -> int:
    # GF(4) = F2[x]/(x^2+x+1), elements as 2-bit polynomials.
    r = 0
    for i in range(2):
        if (b >> i) & 1:
            r ^= a << i
    if r & 4:
        r ^= 0b111
    return r


def _gf9_parts(v: int) -> tuple[int, int]:
    return v % 3, v // 3


def _gf9_mul(a: int, b: int) -> int:
    # GF(9) = F3[x]/(x^2+1): (a0 + a1 x)(b0 + b1 x) with x^2 = -1.
    a0, a1 = _gf9_parts(a)
    b0, b1 = _gf9_parts(b)
    return (a0 * b0 - a1 * b1) % 3 + 3 * ((a0 * b1 + a1 * b0) % 3)


def _gf9_sub(a: int, b: int) -> int:
    a0, a1 = _gf9_parts(a)
    b0, b1 = _gf9_parts(b)
    return (a0 - b0) % 3 + 3 * ((a1 - b1) % 3)


def _op(u: int, v: int) -> int:
    # Generator "x" of each field (2 in GF(4), 3 in GF(9)) is neither 0 nor 1,
    # which is what makes g·(x−y) totally anti-symmetric.
    i, j = divmod(u, 9)
    k, m = divmod(v, 9)
    return 9 * _gf4_mul(2, i ^ k) + _gf9_mul(3, _gf9_sub(j, m))


TABLE: tuple[tuple[int, ...], ...] = tuple(tuple(_op(u, v) for v in range(36)) for u in range(36))


def _interim(text: str) -> int:
    r = 0
    for ch in text:
        r = TABLE[r][ALPHABET.index(ch)]
    return r


def check_char(body18: str) -> str:
    return ALPHABET[_interim(body18)]


def build(region_code: str, letters: str, year: int, seq: int) -> str:
    if not re.fullmatch(r"\d{6}", region_code or ""):
        raise ValueError("region code must be 6 digits")
    if not re.fullmatch(r"[A-Z]{2}", letters):
        raise ValueError("line letters must be 2 capitals")
    if not 0 < seq < 1_000_000:
        raise ValueError("sequence out of range")
    body = f"{region_code}{letters}{year:04d}{seq:06d}"
    return body + check_char(body)


def is_valid(code: str) -> bool:
    code = (code or "").strip().upper()
    return bool(CODE_RE.match(code)) and _interim(code) == 0


def normalize(code: str) -> str:
    return (code or "").strip().upper().replace(" ", "")
