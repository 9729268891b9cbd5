"""A kind of matter a line handles: its code letters, who uses it, its
workflow and clocks, its line record, documents, case-page parts and API root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .workflow import Workflow

OFFICE = "office"  # worked by the judicial offices (and the bureau's section for its lines)
BUREAU = "bureau"  # worked at the bureau only (行政复议): offices never see it


@dataclass(frozen=True)
class DocumentSpec:
    """A Word document a case can produce, offered on the 文书 tab while
    ``available(case)`` holds. Declared as a text template
    (``templates/<line>/documents/<key>.txt``, see ``common.docgen``) rendered
    with ``context(case, user)`` plus ``case`` and ``user``; or, for a layout
    the template language cannot say, built in code: ``build(case, user) -> bytes``."""

    key: str
    label: str
    template: str = ""
    available: Callable[[Any], bool] = lambda case: True
    context: Callable[[Any, Any], dict] | None = None
    build: Callable[[Any, Any], bytes] | None = None
    # A procedure's document (``SubProcedure.documents``): (case, user, procedure) -> more context.
    procedure_context: Callable[[Any, Any, Any], dict] | None = None

    def render(self, case, user, **more) -> bytes:
        """The .docx; ``more`` joins the template's context (a procedure's documents get ``procedure``)."""
        if self.build is not None:
            return self.build(case, user)
        from sifa.common import docgen

        ctx = self.context(case, user) if self.context else {}
        if self.procedure_context is not None and more.get("procedure") is not None:
            ctx |= self.procedure_context(case, user, more["procedure"])
        ctx |= {"case": case, "user": user, "rec": case.record}
        return docgen.render(self.template, ctx | more)


@dataclass(frozen=True)
class Tab:
    """A line's own tab on the case page (after the six standard ones)."""

    key: str
    label: str
    template: str


@dataclass(frozen=True)
class CaseApi:
    """The case type's own endpoints under /api/v1/, built by the kernel
    (``cases.api.case_routes``) with the pages' scoping: ``GET <path>`` lists the
    cases filtered with the list page's form (its fields are the query
    parameters), ``POST <path>`` registers one through ``register(user, data)``
    with ``create_serializer``'s validated data; ``GET <path><id>/`` is one case
    (another line's or another office's answers 404). A refusal is a
    ``DomainError``: 400/403/409 with its Chinese ``detail``, nothing written."""

    list_serializer: Any
    detail_serializer: Any
    create_serializer: Any = None
    register: Callable[[Any, dict], Any] | None = None
    list_key: str = ""  # the ListSpec whose filter form filters the list (default: the case type's key)
    path: str = ""  # default "<api_root>/"
    names: tuple[str, str] = ("", "")  # URL names of list and detail (default "<api_root>-list", "-detail")
    summaries: tuple[str, str, str] = ("", "", "")  # list, register, detail (defaults name the case type)
    create_description: str = ""
    param_aliases: dict = field(default_factory=dict)  # old query parameter -> the filter form's field
    create_errors: dict = field(default_factory=dict)  # status -> serializer of its answer (409: duplicates)

    def route_names(self, api_root: str) -> tuple[str, str]:
        """The URL names of the list and of one case (under the "api" namespace)."""
        return self.names[0] or f"{api_root}-list", self.names[1] or f"{api_root}-detail"


@dataclass
class CaseType:
    key: str  # "mediation"
    letters: str  # "TJ"
    label: str  # "人民调解"
    workflow: Workflow
    level: str = OFFICE
    # The line's one-to-one record ("mediation.Dispute", a cases.models.LineRecord).
    record: str | None = None
    # Org kinds that may own a case of this type (empty: any org in the user's scope).
    owner_kinds: tuple[str, ...] = ()
    # (user, orgs of the user's registration scope) -> the orgs a case may be registered
    # under, when the line says so beyond its scope: 通办, an office receives a legal-aid
    # application for the competent centre. None: the scope narrowed to ``owner_kinds``.
    owners_for: Callable[[Any, Any], Any] | None = None
    # /api/v1/<api_root>/<pk>/steps/ (default: the key)
    api_root: str = ""
    # The list/register/detail endpoints (``CaseApi``); None: only the kernel's /cases/ and steps.
    api: CaseApi | None = None
    # Procedures inside a case (``kit.casework.SubProcedure``) and recurring duties (``RecurringDuty``).
    procedures: tuple = ()
    duties: tuple = ()
    # 文号 template; fields: {short} org short name, {year}, {seq}
    doc_number_template: str = "{short}〔{year}〕第{seq}号"
    # Which org's short name and counter the 文号 uses: "owner" or "bureau"
    doc_number_scope: str = "bureau"
    deadline_rules: tuple = ()
    documents: tuple[DocumentSpec, ...] = ()
    # Included on the case page's 基本信息 tab with ``case``, ``rec`` and ``detail``.
    detail_template: str | None = None
    # (case, rec) -> what the detail template shows beyond the record itself.
    detail: Callable[[Any, Any], Any] | None = None
    tabs: tuple[Tab, ...] = ()
    create_url_name: str | None = None
    # The public portal shows progress of this type (by code + phone digits);
    # ``public_progress(case) -> kit.portal.PublicProgress`` words it, else the status.
    public_tracking: bool = False
    # The party whose phone digits open the portal's progress page (the applicant; a 12348 caller).
    public_party_role: str = "applicant"
    # How the case page's header names the owner and the opening date (a 12348 order: 受理单位, 受理).
    owner_label: str = "承办机构"
    opened_label: str = "收案"
    public_progress: Callable[[Any], Any] | None = None
    # Party roles this line uses, in display order: {value: label}
    party_roles: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    order: int = 100
    # A line on the most sensitive data (社区矫正): only the roles named for it see its cases
    # and use its pages: the bureau's leaders, the section staff with the line, and the roles
    # limited to it (``RoleSpec(case_types=…)``). The office's general role (司法所工作人员)
    # and other lines' staff of the same office answer 404 as for a missing case.
    restricted: bool = False
    # (actor, org) -> a minimal valid case of this type, registered by ``actor``
    # under ``org`` through the line's own service: what the kit's contract tests
    # (sifa/cases/tests/test_line_contract.py) run every line's routes, steps,
    # documents and ledger against.
    sample: Callable[[Any, Any], Any] | None = None

    def __post_init__(self):
        if self.level not in (OFFICE, BUREAU):
            raise ValueError(f"case type {self.key}: level is 'office' or 'bureau'")
        if not (len(self.letters) == 2 and self.letters.isalpha() and self.letters.isupper()):
            raise ValueError(f"case type {self.key}: letters are two capital letters")
        self.api_root = self.api_root or self.key

    def status_label(self, status: str) -> str:
        return self.workflow.label(status)

    def outcome_label(self, outcome: str) -> str:
        return self.outcomes.get(outcome, outcome)

    @property
    def record_model(self):
        """The line record's model class, or None."""
        if not self.record:
            return None
        from django.apps import apps

        return apps.get_model(self.record)
