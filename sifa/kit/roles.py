"""Who a line brings with it: roles, organisation kinds and assignment roles,
declared as plain codes so that adding one needs no migration in ``accounts``
or ``orgs`` (the stored value is validated against the registry)."""

from __future__ import annotations

from dataclasses import dataclass, field

# How far a role's case data reaches (``cases.selectors.visible_q`` reads it):
BUREAU = "bureau"  # every case of the user's bureau (局领导, read-only by its capabilities)
LINES = "lines"  # the bureau's cases of the lines named on the user (科室)
ORG = "org"  # the cases under the user's own organisation (司法所)
ASSIGNED = "assigned"  # only cases assigned to the user, under their organisation (调解员)
ASSIGNED_ANYWHERE = "assigned_anywhere"  # only cases assigned to the user, wherever they are (援助律师)
NONE = "none"  # no case data (the three administrators)
SCOPES = (BUREAU, LINES, ORG, ASSIGNED, ASSIGNED_ANYWHERE, NONE)


@dataclass(frozen=True)
class RoleSpec:
    code: str
    label: str
    caps: frozenset[str]
    scope: str
    # Organisation kinds a holder may sit in (None: any). Scoping starts from the
    # user's own org for office-level roles, so the kind is part of the grant.
    org_kinds: frozenset[str] | None = None
    # The lines (case-type keys) the role works; None: every line its scope reaches.
    # A role limited to some lines sees no other line's case, even in its own office.
    case_types: tuple[str, ...] | None = None
    # The assignment a handler of this role gets on registering a case (调解员 → "mediator"),
    # which is how assignment-scoped roles see their own cases.
    assignment: str = ""
    # One of the three administrators (三员分立): sees no case data, and the
    # system administrator may not reset their password or second factor.
    admin: bool = False
    # Two-factor sign-in required while the security administrator has not decided
    # otherwise (accounts.RoleSetting). Administrators always need it (三员分立).
    second_factor: bool = False
    # False: the role counts a restricted line's cases in figures (``counting``) but never
    # opens their files, lists or drill-downs (统计管理员 and 社区矫正).
    restricted_files: bool = True
    # The URL name a holder lands on after signing in, where its work is (局领导 the
    # overview, 审计管理员 the audit log); "" is the desk (首页), which stays one click
    # away for all. A line's own role may name one of its pages.
    landing: str = ""
    order: int = 100

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ValueError(f"role {self.code}: unknown scope {self.scope}")

    @property
    def assignment_scoped(self) -> bool:
        return self.scope in (ASSIGNED, ASSIGNED_ANYWHERE)


@dataclass(frozen=True)
class OrgKindSpec:
    code: str
    label: str
    # Kinds it may sit under (None: a root), so the tree stays meaningful.
    parents: frozenset = field(default_factory=frozenset)
    order: int = 100


@dataclass(frozen=True)
class AssignmentRoleSpec:
    code: str
    label: str
    order: int = 100
