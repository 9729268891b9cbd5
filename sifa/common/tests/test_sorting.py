"""Sortable lists (common.sorting): every list sorts on the server, both ways, by
each declared column; the header's link toggles and keeps the filters (not the
page); pagination and the export keep the sort; junk in ``sort`` falls back to
the default; another office's cases stay out whatever the order.

The kit's line list is exercised through a list of the test line declared here
(mounted by this module's own URLconf) and, for each real line's own template,
through its page: it renders its sortable headers and takes every key."""

from __future__ import annotations

import inspect
import re
from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

from sifa.cases.lines import CaseFilter, line_list
from sifa.cases.models import Case
from sifa.cases.tests.factories import make_case
from sifa.cases.tests.testline import KEY
from sifa.cases.tests.testline.registers import CONSULTATIONS
from sifa.common import sorting
from sifa.deadlines.models import Deadline
from sifa.kit import registry
from sifa.kit.line import LINE_SORTS, ListSpec

pytestmark = pytest.mark.django_db

SPEC = ListSpec("testline.sorted", "测试列表", KEY, CaseFilter)
urlpatterns = [path("sorted-line/", line_list(SPEC.key), name="sorted_line"), path("", include("config.urls"))]
JUNK = ("drop table", "-", "__class__", "-__class__", "code;drop", "x" * 300, "--code", "opened_on__year", "-pk", "id")


@pytest.fixture
def line(settings, monkeypatch):
    monkeypatch.setitem(registry._lists, SPEC.key, SPEC)
    settings.ROOT_URLCONF = __name__
    return "/sorted-line/"


@pytest.fixture
def many(orgs, users):
    """35 cases of office A (opened 2026-10-01 … 2026-11-04; codes not in date order
    is not needed: the code follows creation, so it is checked against the database)
    and 2 of office B, opened after all of them."""
    cases = [
        make_case(
            users.office_a,
            orgs.office_a,
            title=f"案件{i:02d}",
            opened_on=date(2026, 10, 1) + timedelta(days=(i * 7) % 35),
            parties=[{"name": f"当事人{i:02d}"}],
        )
        for i in range(35)
    ]
    # Distinct deadlines and change times, in an order of their own.
    for i, c in enumerate(cases):
        Case.all_objects.filter(pk=c.pk).update(
            next_due=date(2026, 12, 1) + timedelta(days=(i * 11) % 35), closed_on=date(2026, 11, 10) + timedelta(days=(i * 3) % 35)
        )
    others = [make_case(users.office_b, orgs.office_b, title=f"B所{i}", opened_on=date(2026, 12, 1)) for i in range(2)]
    return cases, others


def codes(resp) -> list[str]:
    assert resp.status_code == 200, resp.status_code
    return re.findall(r'class="sf-code" href="/cases/\d+/(?:\?tab=deadlines)?">([0-9A-Z]{19})<', resp.content.decode())


def expected(field: str, desc: bool, qs=None) -> list[str]:
    qs = qs if qs is not None else Case.objects.filter(title__startswith="案件")
    order = [f"-{field}", "-id"] if desc else [field, "id"]
    return list(qs.order_by(*order).values_list("code", flat=True))


def both_pages(client, url, params) -> list[str]:
    return codes(client.get(url, params)) + codes(client.get(url, params | {"page": "2"}))


# --- the helper ---


def test_parse_falls_back_on_anything_undeclared():
    assert LINE_SORTS.parse("code") == ("code", False)
    assert LINE_SORTS.parse("-next_due") == ("next_due", True)
    for junk in (*JUNK, None, "", ["code"], 3):
        assert LINE_SORTS.parse(junk) == ("opened_on", True), junk
    assert LINE_SORTS.order_by("opened_on", True) == ["-opened_on", "-id"]
    assert LINE_SORTS.order_by("code", False) == ["code", "id"]
    with pytest.raises(ValueError):
        sorting.Sorts({"a": sorting.Sort("甲", ("a",))}, default="b")


def test_a_first_click_asks_for_the_natural_direction():
    st = sorting.state({}, LINE_SORTS)
    assert (st.key, st.desc, st.value) == ("opened_on", True, "-opened_on")
    assert st.toggled("opened_on") == "opened_on"  # the current column: the other way
    assert st.toggled("code") == "code"
    assert st.toggled("next_due") == "next_due"  # the soonest first
    assert st.toggled("closed_on") == "-closed_on"  # the newest first
    assert sorting.state({"sort": "code"}, LINE_SORTS).toggled("code") == "-code"
    assert ("-opened_on", "收案日期：从晚到早") in st.options()


# --- the case search list ---


CASE_LIST_KEYS = {"code": "code", "next_due": "next_due", "opened_on": "opened_on", "updated_at": "updated_at"}


def test_the_case_list_sorts_by_each_column_both_ways(many, users, client_for):
    client = client_for(users.office_a)
    url = reverse("cases:list")
    mine = Case.objects.filter(owner_org__path__startswith=users.office_a.org.path)
    for key, field in CASE_LIST_KEYS.items():
        for desc in (False, True):
            got = both_pages(client, url, {"sort": f"-{key}" if desc else key})
            assert got == expected(field, desc, mine), (key, desc)
    # The links of older pages still mean what they meant.
    assert both_pages(client, url, {"sort": "-opened"}) == expected("opened_on", False, mine)
    assert both_pages(client, url, {"sort": "opened"}) == expected("opened_on", True, mine)
    assert both_pages(client, url, {"sort": "due"}) == expected("next_due", False, mine)
    assert both_pages(client, url, {"sort": "updated"}) == expected("updated_at", True, mine)


def test_the_header_toggles_keeps_the_filters_and_drops_the_page(many, users, client_for):
    client = client_for(users.office_a)
    url = reverse("cases:list")
    html = client.get(url, {"q": "案件", "page": "2"}).content.decode()
    # The current (default) column: marked, its link the other way round.
    th = re.search(r'<th aria-sort="descending"><a [^>]*href="([^"]+)"[^>]*data-sort="opened_on"', html)
    assert th and "sort=opened_on" in th.group(1) and "sort=-opened_on" not in th.group(1)
    assert "q=%E6%A1%88%E4%BB%B6" in th.group(1) and "page=" not in th.group(1)
    assert 'class="bi bi-arrow-down ms-1"' in html
    # Another column asks for its own first direction; a plain column stays plain.
    assert re.search(r'href="\?q=[^"]*&amp;sort=code"[^>]*data-sort="code"', html)
    assert "<th>业务</th>" in html
    html = client.get(url, {"sort": "code"}).content.decode()
    assert re.search(r'<th aria-sort="ascending"><a [^>]*href="\?sort=-code"', html)
    assert 'class="bi bi-arrow-up ms-1"' in html
    # The phone's select holds the current sort, inside the filter form.
    assert re.search(r'<option value="code" selected>编码：升序</option>', html)


def test_pagination_and_the_export_link_keep_the_sort(many, users, client_for):
    client = client_for(users.office_a)
    html = client.get(reverse("cases:list"), {"sort": "code", "q": "案件"}).content.decode()
    nxt = re.search(r'href="\?([^"]*)page=2"', html).group(1)
    assert "sort=code" in nxt and "q=" in nxt
    export = re.search(r'href="([^"]*)"[^>]*><i class="bi bi-file-earmark-excel"', html).group(1)
    assert "sort=code" in export


def test_junk_falls_back_to_the_default(many, users, client_for, line):
    client = client_for(users.office_a)
    default = {url: codes(client.get(url)) for url in (reverse("cases:list"), line)}
    for junk in JUNK:
        for url, rows in default.items():
            assert codes(client.get(url, {"sort": junk})) == rows, (url, junk)
        assert client.get(reverse("deadlines:list"), {"sort": junk, "light": "all"}).status_code == 200, junk
        assert client.get(reverse("registers:list", args=[CONSULTATIONS.slug]), {"sort": junk}).status_code == 200, junk


def test_another_offices_cases_stay_out_whatever_the_order(many, users, client_for, line):
    cases, others = many
    theirs = {c.code for c in others}
    client = client_for(users.office_a)
    for url, keys in ((reverse("cases:list"), CASE_LIST_KEYS), (line, LINE_SORTS.keys)):
        for key in keys:
            for value in (key, f"-{key}"):
                seen = set(both_pages(client, url, {"sort": value}))
                assert seen and not seen & theirs, (url, value)
    for value in ("due_date", "-due_date"):
        html = client.get(reverse("deadlines:list"), {"sort": value, "light": "all"}).content.decode()
        assert not any(code in html for code in theirs)


# --- a line's list (kit ListSpec) ---


def test_a_line_list_sorts_by_each_default_column_both_ways(many, users, client_for, line):
    client = client_for(users.office_a)
    mine = Case.objects.filter(owner_org__path__startswith=users.office_a.org.path, case_type=KEY)
    for key in ("code", "opened_on", "next_due", "closed_on"):
        for desc in (False, True):
            assert both_pages(client, line, {"sort": f"-{key}" if desc else key}) == expected(key, desc, mine), (key, desc)
    html = client.get(line, {"q": "案件", "sort": "next_due"}).content.decode()
    assert re.search(r'<th aria-sort="ascending"><a [^>]*href="\?q=[^"&]+&amp;sort=-next_due"', html)
    nxt = re.search(r'href="\?([^"]*)page=2"', html).group(1)
    assert "sort=next_due" in nxt
    export = re.search(r'data-testid="export-list"', html)
    assert export is None or "sort=next_due" in html.split('data-testid="export-list"')[0].rsplit("href=", 1)[1]


def _line_list_urls() -> dict[str, str]:
    """{list key: path} of every line's list page, found in the URLconf."""
    out = {}

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and "<" not in str(p.pattern):
                view = inspect.unwrap(p.callback)
                if view.__qualname__.startswith("line_list."):
                    out[inspect.getclosurevars(view).nonlocals["key"]] = "/" + prefix + str(p.pattern)

    walk(get_resolver().url_patterns, "")
    return out


def test_every_line_list_offers_its_sorts(users, client_for):
    urls = _line_list_urls()
    specs = [s for s in registry.list_specs() if s.key in urls]
    assert len(specs) >= 5, sorted(urls)
    client = client_for(users.leader)
    for spec in specs:
        for key in spec.sorts.keys:
            for value in (key, f"-{key}"):
                resp = client.get(urls[spec.key], {"sort": value})
                if resp.status_code == 404:  # the leader is outside this line
                    break
                assert resp.status_code == 200, (spec.key, value)
                html = resp.content.decode()
                assert 'data-sort="code"' in html and 'data-testid="sort-select"' in html, spec.key


# --- a register's list and the deadlines ---


def test_a_register_list_sorts_by_number_and_date(users, orgs, client_for):
    from sifa.registers import services

    def entry(user, org, on):
        values = {
            "on": on,
            "owner_org": org,
            "person_name": "张某",
            "person_phone": "",
            "person_id_number": "",
            "summary": "咨询",
            "result": "",
            "channel": "visit",
        }
        return services.create_entry(user, CONSULTATIONS, values)

    entries = [entry(users.office_a, orgs.office_a, date(2026, 3, 1) + timedelta(days=(i * 7) % 12)) for i in range(12)]
    theirs = entry(users.office_b, orgs.office_b, date(2026, 4, 1))
    client = client_for(users.office_a)
    url = reverse("registers:list", args=[CONSULTATIONS.slug])

    def numbers(params):
        html = client.get(url, params).content.decode()
        return re.findall(r'class="sf-code" href="[^"]+">([^<]+)<', html)

    by = {
        "number": sorted(entries, key=lambda e: (e.number, e.pk)),
        "on": sorted(entries, key=lambda e: (e.on, e.pk)),
    }
    for key, rows in by.items():
        assert numbers({"sort": key}) == [e.number for e in rows]
        assert numbers({"sort": f"-{key}"}) == [e.number for e in reversed(rows)]
    assert numbers({}) == [e.number for e in reversed(by["on"])]  # newest first
    assert theirs.number not in numbers({"sort": "-on"})
    html = client.get(url, {"channel": "visit", "sort": "number"}).content.decode()
    assert re.search(r'<th aria-sort="ascending"><a [^>]*href="\?channel=visit&amp;sort=-number"', html)


def test_the_deadline_list_sorts_by_its_due_date(many, users, client_for):
    client = client_for(users.office_a)
    url = reverse("deadlines:list")
    mine = Deadline.objects.filter(case__owner_org__path__startswith=users.office_a.org.path, completed_on__isnull=True, cancelled=False)
    assert mine.count() >= 2
    for desc in (False, True):
        html = client.get(url, {"sort": "-due_date" if desc else "due_date", "light": "all"}).content.decode()
        dates = re.findall(r'data-label="届满日" class="text-nowrap fw-semibold">([0-9-]+)<', html)
        assert dates and dates == sorted(dates, reverse=desc)
    html = client.get(url, {"light": "all"}).content.decode()
    assert re.search(r'<th aria-sort="ascending"><a [^>]*href="\?light=all&amp;sort=-due_date"', html)
