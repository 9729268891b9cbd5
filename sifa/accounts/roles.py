"""Roles and what each may do (SECURITY.md "Who may see what").

Capabilities are checked by name everywhere (views, services, the workflow
engine). A role is a ``kit.roles.RoleSpec`` in ``kit.registry``: the kernel
declares the six below; a line declares its own (调解员, 援助律师 …) in its
``Line``. The stored role is a plain code, so a new role needs no migration.
"""

from sifa.kit import registry
from sifa.kit.roles import BUREAU, LINES, NONE, ORG, RoleSpec

# Capabilities ---------------------------------------------------------------
SEE_CASES = "see_cases"  # may see case data at all (the admins may not)
HANDLE = "handle"  # work a case: register, steps marked "handle"
APPROVE = "approve"  # approvals (extension, closing sign-off …)
REPORT = "report"  # progress and closing reports (legal-aid lawyers)
REVEAL = "reveal"  # show unmasked ID numbers / phones (audited)
EXPORT = "export"  # export lists to Excel
MANAGE_USERS = "manage_users"
MANAGE_SETTINGS = "manage_settings"  # org tree, dictionaries, calendar
MANAGE_ROLES = "manage_roles"
READ_AUDIT = "read_audit"
SEE_DASHBOARD = "see_dashboard"
# The bureau's statistics: which definition each KPI uses, the hand-filled indicators
# (填报) and their review, and drafting the work report.
MANAGE_STATS = "manage_stats"
# The wall display (指挥中心大屏) and nothing else: aggregate figures of the bureau's
# subtree, no case, no list, no drill-down (the display account, 大屏展示账号).
SEE_WALL = "see_wall"

CAPABILITY_LABELS: dict[str, str] = {
    SEE_CASES: "查看案件",
    HANDLE: "办理案件",
    APPROVE: "审批",
    REPORT: "报告办理进展（援助律师）",
    REVEAL: "查看完整个人信息（留痕）",
    EXPORT: "导出列表",
    SEE_DASHBOARD: "查看指挥中心",
    SEE_WALL: "查看指挥中心大屏",
    MANAGE_STATS: "管理统计口径、填报指标和工作总结",
    MANAGE_USERS: "管理用户账号",
    MANAGE_SETTINGS: "管理组织机构、字典和系统设置",
    MANAGE_ROLES: "授予角色与权限",
    READ_AUDIT: "查阅审计日志",
}


class Role:
    """The kernel's role codes (lines name theirs in their ``Line``)."""

    LEADER = "leader"
    SECTION = "section"
    OFFICE = "office"
    STATISTICIAN = "statistician"
    SYSADMIN = "sysadmin"
    SECADMIN = "secadmin"
    AUDITOR = "auditor"
    DISPLAY = "display"


# Where a role's holder may sit in the tree. Case scoping starts from the user's
# own org for office staff, so an office role placed on a bureau would silently
# see every office: the org kind is part of the grant.
_BUREAUS = frozenset({"bureau", "city_bureau"})
for _spec in (
    # The leader reads every case of the bureau: a password alone is not enough.
    RoleSpec(
        Role.LEADER,
        "局领导",
        frozenset({SEE_CASES, APPROVE, EXPORT, SEE_DASHBOARD}),
        BUREAU,
        org_kinds=_BUREAUS,
        second_factor=True,
        landing="stats:dashboard",
        order=10,
    ),
    RoleSpec(Role.SECTION, "科室工作人员", frozenset({SEE_CASES, HANDLE, REVEAL, EXPORT, SEE_DASHBOARD}), LINES, org_kinds=_BUREAUS, order=20),
    # 统计管理员 (in practice the bureau's 办公室): reads cases as the leader does (no
    # unmasking, no handling) so a figure can be checked against the cases behind it;
    # a restricted line (社区矫正) it counts but never opens.
    RoleSpec(
        Role.STATISTICIAN,
        "统计管理员",
        frozenset({SEE_CASES, SEE_DASHBOARD, EXPORT, MANAGE_STATS}),
        BUREAU,
        org_kinds=_BUREAUS,
        restricted_files=False,
        order=25,
    ),
    RoleSpec(Role.OFFICE, "司法所工作人员", frozenset({SEE_CASES, HANDLE, REVEAL, EXPORT, SEE_DASHBOARD}), ORG, org_kinds=frozenset({"office"}), order=30),
    # 大屏展示账号: a screen in the command centre, signed in all day. It sees the
    # bureau's aggregate figures (counted as the statistician counts them) and no case
    # data, so it needs no second factor and no idle logout (``wall_only``).
    RoleSpec(Role.DISPLAY, "大屏展示账号", frozenset({SEE_WALL}), BUREAU, org_kinds=_BUREAUS, landing="stats:wall", order=40),
    RoleSpec(Role.SYSADMIN, "系统管理员", frozenset({MANAGE_USERS, MANAGE_SETTINGS}), NONE, admin=True, order=900),
    RoleSpec(Role.SECADMIN, "安全管理员", frozenset({MANAGE_ROLES}), NONE, admin=True, order=910),
    RoleSpec(Role.AUDITOR, "审计管理员", frozenset({READ_AUDIT}), NONE, admin=True, landing="audit:list", order=920),
):
    registry.add_role(_spec)

# A new account has no role until the security administrator grants one.
UNASSIGNED_LABEL = "未授权"


def role_choices() -> list[tuple[str, str]]:
    return [(r.code, r.label) for r in registry.roles()]


def role_label(role: str) -> str:
    spec = registry.role(role)
    return spec.label if spec else UNASSIGNED_LABEL


def is_admin_role(role: str) -> bool:
    spec = registry.role(role)
    return bool(spec and spec.admin)


def second_factor_locked(role: str) -> bool:
    """The three administrators always sign in with a second factor: nobody can
    switch it off for them, not even the security administrator (三员分立)."""
    return is_admin_role(role)


def second_factor_default(role: str) -> bool:
    """Whether the role needs a second factor when no setting says otherwise
    (a fresh database has no RoleSetting rows)."""
    spec = registry.role(role)
    return bool(spec and (spec.admin or spec.second_factor))


def caps_of(role: str) -> frozenset[str]:
    spec = registry.role(role)
    return spec.caps if spec else frozenset()


def role_fits_org(role: str, org_kind: str) -> bool:
    spec = registry.role(role)
    return spec is None or spec.org_kinds is None or org_kind in spec.org_kinds


def wall_only(user) -> bool:
    """A display account: the wall is all it may see (its aggregate figures, never a
    case). Such a session is exempt from the idle and absolute limits (middleware)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return caps_of(user.role) == frozenset({SEE_WALL})


def has_cap(user, capability: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in caps_of(user.role)
