"""The line kit's contract: what every registered case type must do, checked
with no per-line code. Each case type's ``sample`` registers a minimal case
through the line's own service; the tests below run the kernel's routes, the
line's API, its steps, documents, ledger, figures and declarations against it.
A new line (``manage.py startline``) passes them the moment it is generated.

* another office's (or bureau's) case answers exactly like a missing one on
  every route: case page and its parts, QR, documents, step pages, the line's
  API, the step catalogue and steps, the registry's API; lists, search and
  exports never show it;
* a step the case cannot take now is refused with a Chinese sentence and
  changes nothing; a step sent without its required input is refused naming
  the field and changes nothing;
* the step catalogue (API) lists exactly the buttons the case page shows;
* every document the case offers renders as a Word file;
* the ledger's template row imports, and its export reads back the same values;
* every KPI has a definition and computes on an empty database;
* every line keeps the canonical layout (docs/adding-a-line.md).
"""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from sifa.accounts.roles import Role
from sifa.accounts.tests.factories import UserFactory
from sifa.cases import selectors, services
from sifa.kit import registry

from .matrix import body, snapshot

pytestmark = pytest.mark.django_db

TYPES = [ct.key for ct in registry.case_types()]
MISSING = 987654321
_BUTTON = re.compile(r'href="/cases/\d+/do/([\w-]+)/"')


def _owner(user, key):
    return selectors.creatable_orgs(user, key).order_by("depth", "id").first()


def _worker(candidates, key):
    """The first user who may register this type, with the org they would register under."""
    found = [(user, _owner(user, key)) for user in candidates]
    # Preferably within the user's own reach: a case received for another org (通办) is only read there.
    for user, org in found:
        if org is not None and org.path.startswith(selectors.scope_root(user).path):
            return user, org
    for user, org in found:
        if org is not None:
            return user, org
    raise AssertionError(f"nobody in the test world may register {key}")


@pytest.fixture
def world(orgs, users):
    """For each case type: a case of "our" office (or bureau) and one of another office or bureau."""
    neighbour = UserFactory(username="neighbour_staff", role=Role.SECTION, org=orgs.other_bureau, lines=list(TYPES))
    out = {}
    for key in TYPES:
        ct = registry.case_type(key)
        us, our_org = _worker((users.office_a, users.staff), key)
        them, their_org = _worker((users.office_b, neighbour, users.other_office), key)
        ours, theirs = ct.sample(us, our_org), ct.sample(them, their_org)
        assert ours.case_type == theirs.case_type == key
        assert not selectors.visible_to(us).filter(pk=theirs.pk).exists(), key
        out[key] = {"us": us, "ours": ours, "theirs": theirs}
    return out


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _routes(ct, case) -> dict[str, tuple[str, str]]:
    """Every route that names one case: (method, url)."""
    pk = case.pk
    out = {
        "case page": ("GET", reverse("cases:detail", args=[pk])),
        "QR": ("GET", reverse("cases:qr", args=[pk, "svg"])),
        "API detail": ("GET", reverse("api:cases-detail", args=[pk])),
        "API timeline": ("GET", reverse("api:cases-timeline", args=[pk])),
        "API by code": ("GET", reverse("api:cases-by-code", args=[getattr(case, "code", "359901ZZ20260999999")])),
        "step catalogue": ("GET", reverse(f"api:{ct.api_root}-steps", args=[pk])),
        "step": ("POST", reverse(f"api:{ct.api_root}-step", args=[pk, ct.workflow.steps[0].name])),
        "upload": ("POST", reverse("attachments:upload", args=[pk])),
    }
    if ct.api is not None:
        out["line API detail"] = ("GET", reverse(f"api:{ct.api.route_names(ct.api_root)[1]}", args=[pk]))
    for step in ct.workflow.steps:
        out[f"step page {step.name}"] = ("GET", reverse("cases:transition", args=[pk, step.name]))
    for doc in ct.documents:
        out[f"document {doc.key}"] = ("GET", reverse("cases:document", args=[pk, doc.key]))
    return out


def _call(c, method, url):
    return c.get(url) if method == "GET" else c.post(url, {"data": {}}, content_type="application/json")


@pytest.mark.parametrize("key", TYPES)
def test_another_offices_case_answers_like_a_missing_one_everywhere(world, key):
    ct = registry.case_type(key)
    w = world[key]
    c = _client(w["us"])
    before = snapshot(w["theirs"])
    missing = type("Missing", (), {"pk": MISSING, "code": "359901ZZ20269999990"})()
    theirs, gone = _routes(ct, w["theirs"]), _routes(ct, missing)
    for name, (method, url) in theirs.items():
        if name == "API by code":
            continue  # a code differs from a missing one's by construction; compared below
        r_theirs, r_missing = _call(c, method, url), _call(c, *gone[name])
        assert r_theirs.status_code == r_missing.status_code == 404, (key, name, r_theirs.status_code, r_missing.status_code)
        assert body(r_theirs) == body(r_missing), (key, name)
    assert c.get(reverse("api:cases-by-code", args=[w["theirs"].code])).status_code == 404

    # Lists and search never show it; our own case is found.
    def found(code) -> tuple[set, set]:
        page = c.get(reverse("cases:list") + f"?q={code}")
        api = c.get(reverse("api:cases-list") + f"?q={code}").json()["results"]
        if ct.api is not None:  # the line's own list endpoint agrees with the kernel's
            own = c.get(reverse(f"api:{ct.api.route_names(ct.api_root)[0]}") + f"?q={code}").json()["results"]
            assert {x["code"] for x in own} == {x["code"] for x in api}, (key, code)
        return {case.code for case, _light in page.context["rows"]}, {x["code"] for x in api}

    assert found(w["theirs"].code) == (set(), set()), key
    assert found(w["ours"].code) == ({w["ours"].code}, {w["ours"].code}), key
    for spec in registry.list_specs(key):
        page = c.get(reverse("ledgers:export") + f"?source={spec.key}")
        assert page.status_code == 200, (key, spec.key)
        export = c.post(reverse("ledgers:export") + f"?source={spec.key}", {"reveal": ""})
        job = _last_export(w["us"])
        assert export.status_code == 302 and job is not None, (key, spec.key)
        if ct.restricted:  # a restricted line's export waits for a second person (ADR 0013)
            assert job.status == "awaiting" and not job.file, (key, spec.key)
            job = _approved(job, w["us"])
        codes = _sheet_codes(job)
        assert w["ours"].code in codes and w["theirs"].code not in codes, (key, spec.key)
    assert snapshot(w["theirs"]) == before


def _approved(job, requester):
    from sifa.ledgers.approvals import decide
    from sifa.orgs.selectors import bureau_of

    second = UserFactory(username=f"second_{job.pk}", role=Role.SECTION, org=bureau_of(requester.org), lines=list(TYPES))
    return decide(second, job.pk, approve=True)


def _last_export(user):
    from sifa.ledgers.models import ExportJob

    return ExportJob.objects.filter(user=user).order_by("-id").first()


def _sheet_codes(job) -> set[str]:
    from openpyxl import load_workbook

    job.refresh_from_db()
    wb = load_workbook(BytesIO(job.file.read()), read_only=True)
    return {str(cell) for row in wb.worksheets[0].iter_rows(values_only=True) for cell in row if cell}


@pytest.mark.parametrize("key", TYPES)
def test_own_case_routes_open(world, key):
    ct = registry.case_type(key)
    w = world[key]
    c = _client(w["us"])
    for name, (method, url) in _routes(ct, w["ours"]).items():
        if method != "GET" or name.startswith("step page"):
            continue  # (steps: test_steps_offered_…)
        r = c.get(url)
        available = not name.startswith("document") or any(d.key == name.split()[-1] and d.available(w["ours"]) for d in ct.documents)
        assert r.status_code == (200 if available else 404), (key, name, r.status_code)


@pytest.mark.parametrize("key", TYPES)
def test_steps_offered_are_the_catalogue_and_refusals_change_nothing(world, key):
    """The page's buttons are exactly the API's step catalogue; every step the case
    cannot take now, and every step sent without its required input, is refused
    in Chinese and leaves the case as it was — on the page and in the API."""
    ct = registry.case_type(key)
    w = world[key]
    case, c = w["ours"], _client(w["us"])
    page = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    buttons = set(_BUTTON.findall(page))
    catalogue = c.get(reverse(f"api:{ct.api_root}-steps", args=[case.pk])).json()
    assert buttons == {s["name"] for s in catalogue}, key
    assert buttons == {t.name for t in services.allowed_steps(w["us"], case)}, key
    offered = buttons
    for t in ct.workflow.steps:
        if t.name in offered and (t.form is None or not any(f.required for f in t.form(None, None, case=case, record=case.record).fields.values())):
            continue  # it would be taken: not a refusal
        before = snapshot(case)
        r = c.post(reverse(f"api:{ct.api_root}-step", args=[case.pk, t.name]), {"data": {}, "reason": ""}, content_type="application/json")
        assert r.status_code in (400, 403), (key, t.name, r.status_code)
        detail = r.json()["detail"]
        assert re.search(r"[\u4e00-\u9fff]", detail), (key, t.name, detail)
        if t.name in offered:
            assert r.json().get("field"), (key, t.name, detail)  # the missing input is named
        page_post = c.post(reverse("cases:transition", args=[case.pk, t.name]), {"on": case.opened_on.isoformat(), "version": case.version})
        assert page_post.status_code in (400, 403), (key, t.name, page_post.status_code)
        if t.name not in offered:
            assert 'data-testid="unavailable"' in c.get(reverse("cases:transition", args=[case.pk, t.name])).content.decode(), (key, t.name)
        assert snapshot(case) == before, (key, t.name)


@pytest.mark.parametrize("key", TYPES)
def test_every_offered_document_renders(world, key):
    ct = registry.case_type(key)
    w = world[key]
    c = _client(w["us"])
    for doc in ct.documents:
        if not doc.available(w["ours"]):
            continue
        r = c.get(reverse("cases:document", args=[w["ours"].pk, doc.key]))
        assert r.status_code == 200, (key, doc.key)
        text = "\n".join(p.text for p in Document(BytesIO(r.content)).paragraphs)
        assert text.strip(), (key, doc.key)


@pytest.mark.parametrize("ledger", [led for led in registry.ledgers() if led.importable], ids=lambda led: led.case_type)
def test_ledger_template_row_imports_and_exports_the_same(users, orgs, ledger):
    """The template's example row, imported, becomes a case whose export reads back
    the same values, column by column (each read by the column's own parser)."""
    from openpyxl import Workbook

    from sifa.kit.ledger import ImportContext
    from sifa.ledgers import imports
    from sifa.ledgers.exports import write_cases
    from sifa.ledgers.models import JobStatus

    key = ledger.case_type
    reg = registry.find_register(key)  # a register's ledger: rows become entries, scoped as its line's cases
    user, org = _worker((users.office_a, users.staff), registry.scope_type(key))
    cols = ledger.import_columns()
    row = []
    for col in cols:
        value = col.example
        if col.key == "org":
            value = org.name
        elif col.key in ("title", "summary"):
            value = "台账往返样例"
        row.append(value or None)
    wb = Workbook()
    ws = wb.active
    ws.append([col.header for col in cols])
    ws.append([col.example or None for col in cols])  # the template's own example row: skipped
    ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    job = imports.start_import(user, key, SimpleUploadedFile("往返.xlsx", buf.getvalue()))
    assert job.status == JobStatus.VALIDATED, (key, job.errors)
    job = imports.commit(user, job.pk)
    assert job.status == JobStatus.DONE, (key, job.message, job.errors)
    assert job.created_count == 1, (key, job.message)
    if reg is None:
        case = selectors.visible_to(user).get(code=job.first_code)
        content, n, _title = write_cases(selectors.visible_to(user).filter(pk=case.pk), user, reveal=True, description="往返")
    else:
        from sifa.ledgers.entries import write_entries
        from sifa.registers import selectors as entries

        content, n = write_entries(reg, entries.visible(user, reg).filter(number=job.first_code), user, reveal=True, description="往返")
    assert n == 1
    from openpyxl import load_workbook

    sheet = list(load_workbook(BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    exported = dict(zip(sheet[0], sheet[1], strict=True))
    scope = registry.scope_type(key)
    ctx = ImportContext(user=user, case_type=key, file_name="往返", today=date.today(), orgs_for=lambda: selectors.registration_scope(user, scope))
    for col, sent in zip(cols, row, strict=True):
        if not col.exportable or col.header not in exported:
            continue
        assert col.parse(exported[col.header], ctx) == col.parse(sent, ctx), (key, col.header, exported[col.header], sent)


@pytest.mark.parametrize("kpi", registry.kpis(), ids=lambda k: k.key)
def test_every_kpi_has_a_definition_and_computes_on_an_empty_database(orgs, kpi):
    from sifa.stats import engine
    from sifa.stats.periods import Period

    assert kpi.label and kpi.unit and kpi.definition, kpi.key
    assert registry.find_type(kpi.line) is not None, kpi.key
    figure = engine.compute(kpi, orgs.bureau, Period.year(2026))
    assert figure.numerator == 0 and (figure.denominator in (None, 0)), kpi.key


# The canonical layout (docs/adding-a-line.md): each name a module or, past ~600
# lines, a package of the same name.
CANONICAL = {
    "__init__",
    "README.md",
    "apps",
    "line",
    "choices",
    "models",
    "workflow",
    "steps",
    "forms",
    "services",
    "selectors",
    "views",
    "urls",
    "api",
    "serializers",
    "kpis",
    "ledger",
    "documents",
    "demo",
    "templates",
    "tests",
    "migrations",
}
OPTIONAL = {"conf", "registers", "management"}  # registers.py: registers that are not cases (kit.register); management/: its commands


def _stems(root: Path) -> set[str]:
    return {p.name.removesuffix(".py") if p.suffix == ".py" else p.name for p in root.iterdir() if p.name != "__pycache__"}


@pytest.mark.parametrize("line", [x for x in registry.lines() if x.label != "testline"], ids=lambda x: x.label)
def test_every_line_keeps_the_canonical_layout(line):
    stems = _stems(Path(apps.get_app_config(line.label).path))
    assert CANONICAL - stems == set(), f"{line.label} lacks {sorted(CANONICAL - stems)}"
    assert stems - CANONICAL - OPTIONAL == set(), f"{line.label} has files outside the layout: {sorted(stems - CANONICAL - OPTIONAL)}"
