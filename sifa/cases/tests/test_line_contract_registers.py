"""The line kit's contract for registers that are not cases (``kit.register``),
for every register any line declares, with no per-line code: its declaration
holds together; its sample entry opens on every route for its office; another
office's entry answers exactly like a missing one on every route and never
shows in its list or API; a role limited to other lines gets 404 on all of it;
its KPIs compute; its ledger round-trips (``test_line_contract``'s ledger test
covers register ledgers too)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sifa.kit import registry
from sifa.registers import selectors
from sifa.registers.models import Entry

from .matrix import assert_like_missing

pytestmark = pytest.mark.django_db

REGISTERS = registry.registers()
MISSING = 987654321


def test_the_test_line_declares_a_register():
    assert REGISTERS, "the contract would check nothing"


@pytest.mark.parametrize("reg", REGISTERS, ids=lambda r: r.key)
def test_the_declaration_holds_together(reg):
    Model = selectors.model_of(reg)
    assert issubclass(Model, Entry) and Model.register_key == reg.key
    assert registry.find_type(reg.case_type) is not None, reg.case_type
    assert reg.sample is not None, "a register declares sample(actor, org) for the contract tests"
    names = {f.name for f in Model._meta.get_fields()}
    assert set(reg.fields) <= names and {n for n, _h in reg.columns} <= names
    assert not reg.filter_field or Model._meta.get_field(reg.filter_field).choices
    assert all(ct.letters != reg.letters for ct in registry.case_types())
    if reg.ledger is not None:
        assert reg.ledger.case_type == reg.key and reg.ledger.entries and registry.find_ledger(reg.key) is reg.ledger
    line = next(line for line in registry.lines() if reg in line.registers)
    assert reg.case_type in {ct.key for ct in line.case_types}, "a register belongs to one of its line's case types"


def _routes(reg, pk) -> list[tuple[str, str]]:
    out = [
        ("GET", reverse("registers:detail", args=[reg.slug, pk])),
        ("GET", reverse("registers:edit", args=[reg.slug, pk])),
        ("POST", reverse("registers:delete", args=[reg.slug, pk])),
        ("GET", reverse("api:registers-detail", args=[reg.slug, pk])),
    ]
    for h in registry.handovers_from(reg.key):
        out += [("POST", reverse("registers:handover", args=[reg.slug, pk, h.key])), ("POST", reverse("api:registers-handover", args=[reg.slug, pk, h.key]))]
    return out


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _call(c, method, url):
    return c.get(url) if method == "GET" else c.post(url, {"reason": "契约测试", "owner_org": 1})


def _keeper(candidates, reg):
    """The first user who may keep an entry of the register, with the org they keep it in."""
    for user in candidates:
        org = selectors.creatable_orgs(user, reg).order_by("depth", "id").first()
        if org is not None:
            return user, org
    raise AssertionError(f"nobody in the test world may keep {reg.key}")


@pytest.fixture
def pair(users, orgs):
    """For each register: our entry and one of another office."""
    out = {}
    for reg in REGISTERS:
        us, our_org = _keeper((users.office_a, users.staff), reg)
        them, their_org = _keeper((users.office_b, users.other_office), reg)
        out[reg.key] = (us, reg.sample(us, our_org), reg.sample(them, their_org))
    return out


@pytest.mark.parametrize("reg", REGISTERS, ids=lambda r: r.key)
def test_own_entry_routes_open_and_anothers_answer_like_missing(pair, users, reg):
    us, ours, theirs = pair[reg.key]
    c = _client(us)
    for url in (reverse("registers:list", args=[reg.slug]), reverse("registers:create", args=[reg.slug]), *(u for m, u in _routes(reg, ours.pk) if m == "GET")):
        assert c.get(url).status_code == 200, url
    before = selectors.model_of(reg).all_objects.order_by("pk").values_list("pk", "is_deleted", "handed_to", "version")
    before = list(before)
    for (method, url), (_m, missing) in zip(_routes(reg, theirs.pk), _routes(reg, MISSING), strict=True):
        assert_like_missing(_call(c, method, url), _call(c, method, missing))
    assert theirs.number not in c.get(reverse("registers:list", args=[reg.slug])).content.decode()
    assert theirs.number not in str(c.get(reverse("api:registers-list", args=[reg.slug])).json())
    assert list(selectors.model_of(reg).all_objects.order_by("pk").values_list("pk", "is_deleted", "handed_to", "version")) == before


def _outsiders(reg):
    """Roles limited to lines that do not include the register's."""
    return [r for r in registry.roles() if r.case_types is not None and reg.case_type not in r.case_types and r.scope != "assigned_anywhere"]


@pytest.mark.parametrize("reg", REGISTERS, ids=lambda r: r.key)
def test_a_role_of_other_lines_gets_404_on_every_route(pair, reg):
    from sifa.accounts.tests.factories import UserFactory
    from sifa.orgs.models import Org

    _us, ours, _theirs = pair[reg.key]
    outsiders = _outsiders(reg)
    assert outsiders, "the test line declares a role of another line"
    for spec in outsiders:
        org = ours.owner_org
        if spec.org_kinds and org.kind not in spec.org_kinds:  # the nearest org the role may sit in (a committee …)
            kinds = Org.objects.filter(kind__in=spec.org_kinds)
            org = kinds.filter(path__startswith=org.path).first() or kinds.first()
        c = _client(UserFactory(username=f"outsider_{spec.code}", role=spec.code, org=org))
        urls = [reverse("registers:list", args=[reg.slug]), reverse("registers:create", args=[reg.slug]), reverse("api:registers-list", args=[reg.slug])]
        for url in urls + [u for m, u in _routes(reg, ours.pk) if m == "GET"]:
            assert c.get(url).status_code == 404, (spec.code, url)
        menu = c.get("/").content.decode()
        assert reverse("registers:list", args=[reg.slug]) not in menu, spec.code


@pytest.mark.parametrize("reg", REGISTERS, ids=lambda r: r.key)
def test_its_menu_entry_shows_for_the_lines_users(pair, reg):
    us, _ours, _theirs = pair[reg.key]
    assert reverse("registers:list", args=[reg.slug]) in _client(us).get("/").content.decode()
