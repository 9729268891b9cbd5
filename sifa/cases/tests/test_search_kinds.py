"""Search finds what people type (issue 18, item 7): part of a case code ("0246"),
a phone number (its last four digits or the whole number), a name or its pinyin
initials — and never a case outside the user's visibility. On PostgreSQL each new
kind of lookup reads an index (the plans are checked), not every case in scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from sifa.cases import codes, selectors
from sifa.cases.models import Case, Counter

from .factories import make_case

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"


def _case_numbered(actor, org, seq: int, **kw) -> Case:
    """A case whose sequence number is ``seq`` (the counter set just before it)."""
    from sifa.kit import registry
    from sifa.orgs.selectors import bureau_of

    letters = registry.case_type(kw.get("case_type", "testline")).letters
    key = f"code:{bureau_of(org).region_code}:{letters}:{timezone.localdate().year}"
    Counter.objects.update_or_create(key=key, defaults={"value": seq - 1})
    return make_case(actor, org, **kw)


@pytest.fixture
def world(orgs, users):
    a = _case_numbered(users.office_a, orgs.office_a, 246, title="相邻通行纠纷", parties=[{"name": "张三", "phone": MOBILE}])
    # Another office's case whose code also holds "0246" and whose party has the same phone.
    b = _case_numbered(users.office_b, orgs.office_b, 10246, title="宅基地纠纷", parties=[{"name": "张三丰", "phone": MOBILE}])
    same_last4 = make_case(users.office_a, orgs.office_a, title="债务纠纷", parties=[{"name": "李小明", "phone": "13999995678"}])
    landline = make_case(users.office_a, orgs.office_a, title="物业纠纷", parties=[{"name": "某物业公司", "kind": "legal", "phone": "0591-87654321"}])
    other = make_case(users.other_office, orgs.other_office, title="邻区纠纷", parties=[{"name": "张三", "phone": MOBILE}])
    return {"a": a, "b": b, "same_last4": same_last4, "landline": landline, "other": other}


def _found(user, q) -> set[int]:
    return set(selectors.search(user, q).values_list("pk", flat=True))


def _ids(world, *keys) -> set[int]:
    return {world[k].pk for k in keys}


def test_the_codes_hold_what_the_test_types(world):
    assert world["a"].code[12:18] == "000246" and world["b"].code[12:18] == "010246"


@pytest.mark.parametrize("q", ["0246", "000246", "2026000246", "ZZ2026000246", "zz2026000246", " 0246 "])
def test_part_of_a_code_finds_the_case(world, users, q):
    q = q.replace("2026", str(timezone.localdate().year))
    assert _found(users.office_a, q) == _ids(world, "a")
    # The bureau's section staff see both offices: B's case too when its code holds the piece.
    assert _found(users.staff, q) == {c.pk for c in (world["a"], world["b"]) if codes.normalize(q) in c.code}


def test_every_piece_of_a_code_finds_it(world, users):
    code = world["a"].code
    for length in (3, 4, 6, 9, 12):
        for start in range(0, len(code) - length + 1):
            piece = code[start : start + length]
            if any(c.isdigit() for c in piece):
                assert world["a"].pk in _found(users.office_a, piece), piece
                assert world["a"].pk in _found(users.office_a, piece.lower()), piece


def test_a_code_start_is_a_prefix_and_letters_alone_are_no_code(world, users):
    assert _found(users.office_a, world["a"].code[:14]) == _ids(world, "a")
    assert _found(users.office_a, world["a"].code) == _ids(world, "a")
    assert _found(users.office_a, "ZZ") == set()  # two letters name a line, not a case


@pytest.mark.parametrize(
    "q, expected",
    [
        (MOBILE, {"a"}),
        ("138 1234 5678", {"a"}),
        ("138-1234-5678", {"a"}),
        ("+8613812345678", {"a"}),
        ("5678", {"a", "same_last4"}),  # the last four digits: what the masked number shows
        ("13999995678", {"same_last4"}),
        ("13812340000", set()),
        ("0591-87654321", {"landline"}),
        ("059187654321", {"landline"}),
        ("87654321", {"landline"}),  # a landline without its area code
        ("4321", {"landline"}),
        ("1234567", set()),
    ],
)
def test_a_phone_number_finds_its_cases(world, users, q, expected):
    assert _found(users.office_a, q) == _ids(world, *expected)


@pytest.mark.parametrize(
    "q, expected", [("张三", {"a"}), ("三", {"a"}), ("zs", {"a"}), ("ZS", {"a"}), ("zhangsan", {"a"}), ("lxm", {"same_last4"}), ("物业", {"landline"})]
)
def test_a_name_or_its_pinyin_finds_its_cases(world, users, q, expected):
    assert _found(users.office_a, q) == _ids(world, *expected)


@pytest.mark.parametrize("who", ["leader", "staff", "office_a", "office_b", "mediator_a", "lawyer", "sysadmin", "other_office"])
def test_search_never_reaches_beyond_what_the_user_sees(world, users, who):
    user = getattr(users, who)
    visible = set(selectors.visible_to(user).values_list("pk", flat=True))
    for q in ("0246", world["a"].code[6:], MOBILE, "5678", "87654321", "张三", "zs", "纠纷"):
        assert _found(user, q) <= visible, (who, q)
    assert world["b"].pk not in _found(users.office_a, "0246") and world["other"].pk not in _found(users.office_a, MOBILE)
    assert _found(users.office_b, MOBILE) == _ids(world, "b") and _found(users.other_office, MOBILE) == _ids(world, "other")


def test_search_page_and_api_find_part_of_a_code(world, users, client_for):
    from django.urls import reverse

    client = client_for(users.office_a)
    page = client.get(reverse("cases:list"), {"q": "0246"}).content.decode()
    assert world["a"].code in page and world["b"].code not in page
    rows = client.get(reverse("api:cases-list"), {"q": "5678"}).json()["results"]
    assert {r["code"] for r in rows} == {world["a"].code, world["same_last4"].code}


def test_a_full_phone_decrypts_only_the_parties_sharing_its_last_digits(world, users):
    # The whole number is found among the parties whose last four digits match (in the
    # user's scope), so the work is a handful of decryptions, not one per party.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        found = _found(users.office_a, MOBILE)
    assert found == _ids(world, "a")
    assert any("phone_last4" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
def test_each_kind_of_lookup_can_read_an_index(world, users):
    """With sequential scans priced out, the planner can answer every branch of the
    search from an index: the code's trigrams for part of a code, the last four digits
    for a phone. (At test scale a scan is cheaper, so it is priced out here; which index
    wins at province scale — the scope's or the term's — is the planner's choice.)"""

    def plan(qs, *, only_bitmap: bool = False) -> str:
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            if only_bitmap:
                # A plain index scan of another index (e.g. the opening-date order)
                # with the term as a filter is also "not a seq scan"; with those
                # priced out too, only an index that serves the term remains.
                cur.execute("SET LOCAL enable_indexscan = off")
                cur.execute("SET LOCAL enable_indexonlyscan = off")
            sql, params = qs.query.sql_with_params()
            cur.execute("EXPLAIN " + sql, params)
            text = "\n".join(row[0] for row in cur.fetchall())
            cur.execute("SET LOCAL enable_seqscan = on")
            cur.execute("SET LOCAL enable_indexscan = on")
            cur.execute("SET LOCAL enable_indexonlyscan = on")
        return text

    from sifa.cases.models import Party

    assert "case_code_trgm" in plan(Case.objects.filter(code__contains="0246").values("pk"), only_bitmap=True)
    assert "party_phone_last4" in plan(Party.objects.filter(phone_last4="5678").values("case_id"), only_bitmap=True)
    # The whole search: with scans priced out, PostgreSQL still scans a table that no
    # index can serve, so no "Seq Scan" means every branch has an index to read.
    for q in ("0246", "5678", MOBILE, "张三", "zs"):
        whole = plan(selectors.search(users.leader, q).values("pk"))
        assert "Seq Scan" not in whole, (q, whole)
