"""A business line, declared once.

``apps.py`` of a line is (the module, not the class, is imported, so that
Django finds exactly one AppConfig in it)::

    from sifa.kit import line


    class MediationConfig(line.LineConfig):
        name = "sifa.mediation"
        label = "mediation"
        verbose_name = "人民调解"

and ``line.py`` holds ``LINE = Line(...)``. ``LineConfig.ready()`` imports it
by that convention and hands it to ``kit.registry``; pages (``urls.py``) and
API routes (``api.py``) are mounted by ``config/urls.py`` by the same
convention.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import AppConfig

from sifa.common.sorting import ASC, Sort, Sorts, date_sort

from .casetype import CaseType
from .kpis import KPI, ReportSection
from .ledger import Ledger
from .menu import MenuEntry
from .portal import PublicForm
from .roles import AssignmentRoleSpec, OrgKindSpec, RoleSpec

# The sorts every line's list offers (``ListSpec.sorts``; a line adds its own with
# ``LINE_SORTS.with_keys(...)``). Each is read from an index of ``cases.Case`` under
# the list's ``case_type`` (Case.Meta.indexes: case_type + the field), so a page of a
# million-case line stops after its 30 rows whatever the order.
LINE_SORTS = Sorts(
    {
        "code": Sort("编码", ("code",)),
        "opened_on": date_sort("收案日期", "opened_on"),
        "next_due": date_sort("最近期限", "next_due", first=ASC),
        "closed_on": date_sort("结案日期", "closed_on"),
    },
    default="-opened_on",
)


@dataclass(frozen=True)
class ListSpec:
    """A line's list page and the export of exactly what it shows (导出本列表).

    ``filter_form`` is a ``cases.filters.CaseFilter`` subclass; the page, the
    export and the line's API list all filter with it. ``key`` names the export
    source (``/ledgers/export/?source=<key>&…``)."""

    key: str
    label: str  # export title and page heading: "人民调解纠纷"
    case_type: str
    filter_form: type
    template: str = "cases/line_list.html"
    related: tuple[str, ...] = ()  # select_related for the rows
    empty: str = "没有符合条件的案件。"
    create_label: str = "登记"
    # () -> extra template context, once per page (e.g. a dictionary's labels for the rows)
    context: Callable[[], dict] | None = None
    # (the page's cases) -> None: sets what the rows show beyond the case and its record
    decorate: Callable[[list], None] | None = None
    # The columns the page sorts by (``?sort=key`` / ``-key``; ``common.sorting``).
    sorts: Sorts = LINE_SORTS


@dataclass(frozen=True)
class Alert:
    """A standing warning of a line on the home page (the desk) and the 指挥中心: how many
    of the user's cases need action now (社区矫正's 脱管预警), linked to the list of them.
    ``count(user)`` is 0 for users outside the line, and scopes like every read."""

    label: str
    url_name: str
    count: Callable[[Any], int]


@dataclass(frozen=True)
class Line:
    label: str  # the app label: "mediation"
    name: str  # the menu group: "人民调解"
    case_types: tuple[CaseType, ...]
    order: int = 100
    roles: tuple[RoleSpec, ...] = ()
    org_kinds: tuple[OrgKindSpec, ...] = ()
    assignment_roles: tuple[AssignmentRoleSpec, ...] = ()
    kpis: tuple[KPI, ...] = ()
    reports: tuple[ReportSection, ...] = ()
    # The line's figures page (/stats/line/<label>/): (KPI key, dimension key) breakdowns.
    figures: tuple[tuple[str, str], ...] = ()
    ledgers: tuple[Ledger, ...] = ()
    lists: tuple[ListSpec, ...] = ()
    menu: tuple[MenuEntry, ...] = ()
    public_forms: tuple[PublicForm, ...] = ()
    # demo(ctx) -> number of rows created; ctx: sifa.demo.seed.DemoContext. Idempotent.
    demo: Callable | None = None
    dictionaries: dict[str, str] = field(default_factory=dict)  # code set -> label (admin page)
    audit_labels: dict[str, str] = field(default_factory=dict)  # the line's own audited actions
    # Records of other lines this line takes over as its cases (``kit.casework.HandOver``).
    handovers: tuple = ()
    # Registers that are not cases (``kit.register.Register``): consultations, visits, duty-lawyer helps.
    registers: tuple = ()
    # Statistical returns in a fixed layout (``kit.kpis.StatReturn``), shown and exported by the stats app.
    returns: tuple = ()
    # Standing warnings on the desk and the dashboard (``Alert``).
    alerts: tuple = ()


class LineConfig(AppConfig):
    """The AppConfig of a business line: registers ``<app>.line.LINE``."""

    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import registry

        registry.register_line(import_module(f"{self.name}.line").LINE)
