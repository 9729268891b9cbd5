"""The one registry the kernel reads: lines and everything they declare, plus
the kernel's own roles and org kinds. Filled at start-up (``LineConfig`` and
the kernel apps' ``ready()``); read-only afterwards, except through the
``add_*``/``remove_*`` functions tests use for their own declarations.
"""

from __future__ import annotations

from .casetype import CaseType
from .kpis import KPI, ReportSection, StatReturn
from .ledger import Ledger
from .line import Line, ListSpec
from .portal import PublicForm
from .roles import AssignmentRoleSpec, OrgKindSpec, RoleSpec

_lines: dict[str, Line] = {}
_types: dict[str, CaseType] = {}
_letters: dict[str, CaseType] = {}
_roles: dict[str, RoleSpec] = {}
_org_kinds: dict[str, OrgKindSpec] = {}
_assignment_roles: dict[str, AssignmentRoleSpec] = {}
_kpis: dict[str, KPI] = {}
_reports: dict[str, ReportSection] = {}
_ledgers: dict[str, Ledger] = {}
_lists: dict[str, ListSpec] = {}
_forms: dict[str, PublicForm] = {}
_demo: list[tuple[int, object]] = []
_audit_labels: dict[str, str] = {}
_handovers: dict[str, object] = {}
_registers: dict[str, object] = {}
_returns: dict[str, StatReturn] = {}


def _put(store: dict, key: str, item, what: str) -> None:
    if key in store and store[key] != item:
        raise ValueError(f"{what} {key} declared twice")
    store[key] = item


# --- lines ------------------------------------------------------------------------------------------


def register_line(line: Line) -> Line:
    if line.label in _lines:
        if _lines[line.label] is line:
            return line
        raise ValueError(f"line {line.label} registered twice")
    _lines[line.label] = line
    for ct in line.case_types:
        add_type(ct)
    for r in line.roles:
        add_role(r)
    for k in line.org_kinds:
        add_org_kind(k)
    for a in line.assignment_roles:
        add_assignment_role(a)
    add_kpis(*line.kpis)
    for section in line.reports:
        _reports[section.line] = section
    for ret in line.returns:
        add_return(ret)
    for ledger in line.ledgers:
        add_ledger(ledger)
    for spec in line.lists:
        _put(_lists, spec.key, spec, "list")
    for form in line.public_forms:
        add_public_form(form)
    if line.demo is not None:
        _demo.append((line.order, line.demo))
    for action, label in line.audit_labels.items():
        _put(_audit_labels, action, label, "audit label")
    for h in line.handovers:
        _put(_handovers, h.key, h, "hand-over")
    for r in line.registers:
        add_register(r)
        if r.demo is not None:
            _demo.append((line.order, r.demo))
    from sifa.common import dictionaries

    for code_set, label in line.dictionaries.items():
        dictionaries.register_set(code_set, label)
    from . import menu

    for entry in line.menu:
        menu.add(line.label, line.name, entry, order=line.order)
    for hook in _line_hooks:
        hook(line)
    return line


_line_hooks: list = []


def on_line(hook) -> None:
    """``hook(line)`` for every line, registered already or later (a kernel app that adds
    something per line, e.g. the registers' menu entries, without the kit importing it)."""
    _line_hooks.append(hook)
    for line in list(_lines.values()):
        hook(line)


def lines() -> list[Line]:
    return sorted(_lines.values(), key=lambda x: (x.order, x.label))


def alerts_for(user) -> list[tuple]:
    """The lines' standing warnings that concern the user now: (alert, count), count > 0."""
    out = []
    for line in lines():
        for alert in line.alerts:
            if n := alert.count(user):
                out.append((alert, n))
    return out


# --- hand-overs and registers -----------------------------------------------------------------------


def handover(key: str):
    return _handovers[key]


def handovers_from(source: str) -> list:
    """The hand-overs that take a record of ``source`` (a case type or register key)."""
    return [h for h in _handovers.values() if source in h.sources]


def add_register(reg) -> None:
    """A register, its ledger (keyed by the register's key) and its letters, which no
    case type or other register may share (an entry's number reads like a case code)."""
    other = _letters.get(reg.letters)
    if other is not None:
        raise ValueError(f"letters {reg.letters} already used by {other.key}")
    if any(r.letters == reg.letters and r.key != reg.key for r in _registers.values()):
        raise ValueError(f"letters {reg.letters} already used by another register")
    _put(_registers, reg.key, reg, "register")
    from django.apps import apps

    # An entry knows its register (its pages, its hand-over, its number's letters).
    apps.get_model(reg.model).register_key = reg.key
    if reg.ledger is not None:
        add_ledger(reg.ledger)


def remove_register(key: str) -> None:
    _registers.pop(key, None)


def register(key: str):
    return _registers[key]


def find_register(key: str):
    return _registers.get(key)


def registers() -> list:
    return sorted(_registers.values(), key=lambda r: (r.order, r.key))


def register_by_slug(slug: str):
    return next((r for r in _registers.values() if r.slug == slug), None)


def scope_type(key: str) -> str:
    """The case type whose scoping governs ``key``: itself, or a register's line."""
    reg = _registers.get(key)
    return reg.case_type if reg is not None else key


# --- case types -------------------------------------------------------------------------------------


def add_type(ct: CaseType) -> CaseType:
    if ct.key in _types and _types[ct.key] is not ct:
        raise ValueError(f"case type {ct.key} registered twice")
    other = _letters.get(ct.letters)
    if any(r.letters == ct.letters for r in _registers.values()):
        raise ValueError(f"letters {ct.letters} already used by a register")
    if other is not None and other.key != ct.key:
        raise ValueError(f"letters {ct.letters} already used by {other.key}")
    _types[ct.key] = ct
    _letters[ct.letters] = ct
    return ct


def case_type(key: str) -> CaseType:
    try:
        return _types[key]
    except KeyError:
        raise LookupError(f"unknown case type {key!r}") from None


def find_type(key: str) -> CaseType | None:
    return _types.get(key)


def case_types() -> list[CaseType]:
    return sorted(_types.values(), key=lambda c: (c.order, c.key))


def restricted_types() -> list[str]:
    """Keys of the case types only their own roles see (``CaseType.restricted``)."""
    return sorted(k for k, ct in _types.items() if ct.restricted)


def type_choices() -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in case_types()]


# --- roles, org kinds, assignment roles ----------------------------------------------------------------


def add_role(spec: RoleSpec) -> RoleSpec:
    _put(_roles, spec.code, spec, "role")
    return spec


def role(code: str) -> RoleSpec | None:
    return _roles.get(code or "")


def roles() -> list[RoleSpec]:
    return sorted(_roles.values(), key=lambda r: (r.order, r.code))


def add_org_kind(spec: OrgKindSpec) -> OrgKindSpec:
    _put(_org_kinds, spec.code, spec, "org kind")
    return spec


def org_kind(code: str) -> OrgKindSpec | None:
    return _org_kinds.get(code or "")


def org_kinds() -> list[OrgKindSpec]:
    return sorted(_org_kinds.values(), key=lambda k: (k.order, k.code))


def add_assignment_role(spec: AssignmentRoleSpec) -> AssignmentRoleSpec:
    _put(_assignment_roles, spec.code, spec, "assignment role")
    return spec


def assignment_roles() -> list[AssignmentRoleSpec]:
    return sorted(_assignment_roles.values(), key=lambda a: (a.order, a.code))


def assignment_label(code: str) -> str:
    spec = _assignment_roles.get(code)
    return spec.label if spec else code


# --- figures ---------------------------------------------------------------------------------------------


def add_kpis(*kpis: KPI) -> None:
    for k in kpis:
        if k.key in _kpis and _kpis[k.key] is not k:
            raise ValueError(f"KPI {k.key} registered twice")
        _kpis[k.key] = k


def remove_kpi(key: str) -> None:
    """For tests only."""
    _kpis.pop(key, None)


def kpi(key: str) -> KPI:
    try:
        return _kpis[key]
    except KeyError:
        raise LookupError(f"unknown KPI {key!r}") from None


def find_kpi(key: str) -> KPI | None:
    return _kpis.get(key)


def kpis(line: str | None = None) -> list[KPI]:
    """In the lines' own order (the case types' ``order``, so the dashboard reads
    人民调解, 行政复议, 行政应诉 … like the menus), then each KPI's ``order``."""
    rank = {ct.key: (ct.order, ct.key) for ct in case_types()}
    items = [k for k in _kpis.values() if line is None or k.line == line]
    return sorted(items, key=lambda k: (rank.get(k.line, (10**6, k.line)), k.order, k.key))


def kpi_lines() -> list[tuple[str, str]]:
    """(KPI line, its label) in order."""
    seen: dict[str, str] = {}
    for k in kpis():
        if k.line not in seen:
            ct = _types.get(k.line)
            seen[k.line] = ct.label if ct else k.line
    return list(seen.items())


def add_report(section: ReportSection) -> None:
    _reports[section.line] = section


def remove_report(line: str) -> None:
    """For tests only."""
    _reports.pop(line, None)


def report_section(line: str) -> ReportSection | None:
    return _reports.get(line)


def add_return(ret: StatReturn) -> StatReturn:
    """A statistical return; its KPIs are looked up when it is shown (a line may
    name another's, registered later)."""
    _put(_returns, ret.key, ret, "return")
    return ret


def remove_return(key: str) -> None:
    """For tests only."""
    _returns.pop(key, None)


def find_return(key: str) -> StatReturn | None:
    return _returns.get(key)


def returns(line: str | None = None) -> list[StatReturn]:
    order = {x.label: x.order for x in _lines.values()}
    items = [r for r in _returns.values() if line is None or r.line == line]
    return sorted(items, key=lambda r: (order.get(r.line, 10**6), r.key))


# --- ledgers and lists ----------------------------------------------------------------------------------


def add_ledger(ledger: Ledger) -> Ledger:
    if ledger.case_type in _ledgers and _ledgers[ledger.case_type] is not ledger:
        raise ValueError(f"ledger for {ledger.case_type} registered twice")
    keys = [c.key for c in ledger.columns]
    if len(keys) != len(set(keys)):
        raise ValueError(f"ledger {ledger.case_type}: duplicate column keys")
    headers = [c.header for c in ledger.columns]
    if len(headers) != len(set(headers)):
        raise ValueError(f"ledger {ledger.case_type}: duplicate column headers")
    _ledgers[ledger.case_type] = ledger
    return ledger


def remove_ledger(case_type: str) -> None:
    """For tests only."""
    _ledgers.pop(case_type, None)


def find_ledger(case_type: str) -> Ledger | None:
    return _ledgers.get(case_type)


def ledger(case_type: str) -> Ledger:
    try:
        return _ledgers[case_type]
    except KeyError:
        raise LookupError(f"no ledger for {case_type!r}") from None


def ledgers() -> list[Ledger]:
    return sorted(_ledgers.values(), key=lambda x: (x.order, x.case_type))


def list_spec(key: str) -> ListSpec | None:
    return _lists.get(key)


def list_specs(case_type: str | None = None) -> list[ListSpec]:
    return [s for s in _lists.values() if case_type is None or s.case_type == case_type]


# --- portal, demo, audit -------------------------------------------------------------------------------


def add_public_form(spec: PublicForm) -> PublicForm:
    _put(_forms, spec.key, spec, "public form")
    return spec


def remove_public_form(key: str) -> None:
    """For tests only."""
    _forms.pop(key, None)


def public_forms() -> list[PublicForm]:
    return sorted(_forms.values(), key=lambda f: (f.order, f.key))


def public_form(key: str) -> PublicForm | None:
    return _forms.get(key)


def add_demo(order: int, seeder) -> None:
    """A demo seeder of an app that is not a line (填报 …), run after the lines' by ``order``.
    Registering the same seeder twice is a no-op (``ready()`` can run twice in tests)."""
    if all(s is not seeder for _, s in _demo):
        _demo.append((order, seeder))


def demo_seeders() -> list:
    return [s for _, s in sorted(_demo, key=lambda x: x[0])]


def audit_labels() -> dict[str, str]:
    return dict(_audit_labels)
