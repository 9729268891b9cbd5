"""An integer beyond 64 bits in an id or a list filter never answers 500 (issue 20,
item 8): on SQLite the driver raised OverflowError for ``?committee=9…9`` (25 digits).
``sifa.common.integers`` makes such a value match no row, in every query.

The route walk runs on SQLite (``smoke``) and on PostgreSQL: every route of the
URL conf, as each kind of user, with the value in each integer of its address,
and, for the routes without one (the lists), in each filter its page's GET forms
or its OpenAPI parameters declare. 200, 400, 403 or 404 are all fine; 500 is not.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sifa.common.integers import MAX_ID, bounded_id

pytestmark = pytest.mark.django_db

HUGE = "9" * 25
# Each kind of user reaches other pages; the two broadest also run on SQLite (the smoke
# suite), the rest on PostgreSQL with the full suite (a walk costs a few hundred requests).
ROLES = [
    pytest.param("staff", marks=pytest.mark.smoke),
    pytest.param("office_a", marks=pytest.mark.smoke),
    *("mediator_a", "lawyer", "leader", "stat_admin", "sysadmin", "secadmin", "auditor"),
]
WRITERS = {"staff", "office_a"}  # their POSTs get past the role check to the lookups
# Filters worth trying everywhere, whether or not a form shows them (a client may send them).
ALWAYS = {"page", "org"}
_GET_FORM = re.compile(r"<form\b(?![^>]*method=\"post\")[^>]*>(.*?)</form>", re.S | re.I)
_NAME = re.compile(r'\bname="([\w-]+)"')
_NUMBER_INPUT = re.compile(r'<input\b[^>]*type="number"[^>]*name="([\w-]+)"|<input\b[^>]*name="([\w-]+)"[^>]*type="number"', re.I)
_SELECT = re.compile(r'<select\b[^>]*name="([\w-]+)"[^>]*>(.*?)</select>', re.S | re.I)
_NUMERIC_OPTION = re.compile(r'<option\b[^>]*value="\d+"')


def _routes():
    """(address template parts, name) of every route, with its converters."""

    def walk(resolver, parts=(), ns=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, (*parts, p.pattern), f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern):
                yield (*parts, p.pattern), f"{ns}{p.name or ''}"

    for parts, name in walk(get_resolver()):
        if name.startswith(("djdt", "static")) or "logout" in name:
            continue
        converters = {}
        for part in parts:
            converters.update(getattr(part, "converters", {}))
        yield parts, name, converters


def _address(parts) -> str:
    """The route's address with every integer set to HUGE (other parameters: "x")."""
    text = "".join(str(p) for p in parts)
    text = re.sub(r"<int:\w+>", HUGE, text)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "x", text)


def _api_filters() -> dict[str, tuple[set[str], set[str]]]:
    """Each API list address: (all its query parameters, the integer ones), from the schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    out = {}
    for path, operations in schema["paths"].items():
        params = [p for p in (operations.get("get") or {}).get("parameters", []) if p.get("in") == "query"]
        if "{" not in path:
            out[path] = ({p["name"] for p in params}, {p["name"] for p in params if p.get("schema", {}).get("type") == "integer"})
    return out


def _page_filters(html: str) -> tuple[set[str], set[str]]:
    """A page's GET forms: (every field name, those that take an integer: number inputs
    and selects whose options are ids)."""
    names, numbers = set(), set()
    for form in _GET_FORM.findall(html):
        names |= set(_NAME.findall(form))
        numbers |= {a or b for a, b in _NUMBER_INPUT.findall(form)}
        numbers |= {name for name, options in _SELECT.findall(form) if _NUMERIC_OPTION.search(options)}
    return names - {"csrfmiddlewaretoken"}, numbers


@pytest.mark.smoke
def test_bounded_id():
    assert bounded_id("42") == 42 and bounded_id(" 7 ") == 7
    assert bounded_id(str(MAX_ID)) == MAX_ID
    for bad in (None, "", "0", "-1", "1.5", "abc", "１２", HUGE, str(MAX_ID + 1)):
        assert bounded_id(bad) is None, bad


@pytest.mark.smoke
def test_an_oversized_integer_matches_no_row_through_any_lookup(orgs):
    from sifa.orgs.models import Org

    huge = int(HUGE)
    everyone = Org.objects.count()
    assert not Org.objects.filter(pk=huge).exists()
    assert not Org.objects.filter(parent=huge).exists()
    assert not Org.objects.filter(parent_id=huge).exists()
    assert not Org.objects.filter(parent__in=[huge]).exists()
    assert not Org.objects.filter(pk__in=[huge, -huge]).exists()
    assert list(Org.objects.filter(pk__in=[orgs.bureau.pk, huge])) == [orgs.bureau]
    assert Org.objects.exclude(parent=huge).count() == everyone
    assert Org.objects.exclude(pk__in=[huge]).count() == everyone


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_500_to_an_oversized_integer(orgs, users, client_for, role):
    from sifa.cases.tests.factories import make_case

    make_case(users.office_a, orgs.office_a)
    client = client_for(getattr(users, role))  # past the second factor where the role needs one
    client.raise_request_exception = False  # a 500 is a finding, listed with the others
    api_filters = _api_filters()
    failures = []

    def check(method, url):
        resp = getattr(client, method)(url)
        if resp.status_code >= 500:
            failures.append(f"{method.upper()} {url} → {resp.status_code}")
        return resp

    for parts, _name, converters in _routes():
        url = _address(parts)
        if any(type(c).__name__ == "IntConverter" for c in converters.values()):
            check("get", url)
            if role in WRITERS:
                check("post", url)
            continue
        if converters:
            continue  # addressed by text only (a code, a key): no integer to overflow
        resp = check("get", url)
        if resp.status_code != 200:
            continue
        names, numbers = _page_filters(resp.content.decode(errors="replace")) if "html" in resp.get("Content-Type", "") else (set(), set())
        api_names, api_numbers = api_filters.get(url, (set(), set()))
        names, numbers = names | api_names | ALWAYS, numbers | api_numbers | ALWAYS
        # Every filter at once (a form checks them together), then each integer one alone
        # (a form refusing one field would hide what another does with its value).
        check("get", url + "?" + "&".join(f"{key}={HUGE}" for key in sorted(names)))
        for key in sorted(numbers):
            check("get", f"{url}?{key}={HUGE}")
    assert failures == [], failures
