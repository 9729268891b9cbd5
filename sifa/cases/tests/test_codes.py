import itertools
import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sifa.cases import codes

ALPHA = string.digits + string.ascii_uppercase


def test_layout_and_pattern():
    code = codes.build("359901", "TJ", 2026, 12)
    assert len(code) == 19
    assert codes.CODE_RE.match(code)
    assert code.startswith("359901TJ2026000012")
    assert codes.is_valid(code)


def test_quasigroup_is_totally_antisymmetric_with_zero_diagonal():
    t = codes.TABLE
    for u in range(36):
        assert sorted(t[u]) == list(range(36))
        assert sorted(t[v][u] for v in range(36)) == list(range(36))
        assert t[u][u] == 0
    for c, x, y in itertools.product(range(36), repeat=3):
        if x != y:
            assert t[t[c][x]][y] != t[t[c][y]][x]


@pytest.mark.smoke
def test_every_single_substitution_and_neighbour_swap_is_caught():
    rng = random.Random(7)
    for _ in range(400):
        code = codes.build(f"{rng.randrange(110000, 660000)}", rng.choice(["TJ", "FY", "YS", "ZZ"]), rng.randrange(2000, 2100), rng.randrange(1, 999999))
        for i in range(19):
            for ch in ALPHA:
                if ch != code[i]:
                    assert not codes.is_valid(code[:i] + ch + code[i + 1 :])
        for i in range(18):
            if code[i] != code[i + 1]:
                assert not codes.is_valid(code[:i] + code[i + 1] + code[i] + code[i + 2 :])


@given(st.integers(1, 999999), st.integers(1900, 2999))
def test_any_sequence_builds_a_valid_code(seq, year):
    assert codes.is_valid(codes.build("359901", "TJ", year, seq))


def test_bad_inputs_rejected():
    for bad in ["", "359901TJ2026000012", "359901tj20260000120", "35990TJ20260000120"]:
        assert not codes.is_valid(bad)
    with pytest.raises(ValueError):
        codes.build("35990", "TJ", 2026, 1)
    with pytest.raises(ValueError):
        codes.build("359901", "TJ", 2026, 0)
