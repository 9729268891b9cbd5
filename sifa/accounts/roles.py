"""Roles and what each may do (SECURITY.md "Who may see what").

Capabilities are checked by name everywhere (views, services, the workflow
engine), so this table is the single place that maps a role to its powers.
"""

from django.db import models

from sifa.orgs.choices import OrgKind


class Role(models.TextChoices):
    LEADER = "leader", "局领导"
    SECTION = "section", "科室工作人员"
    OFFICE = "office", "司法所工作人员"
    MEDIATOR = "mediator", "人民调解员"
    LAWYER = "lawyer", "援助律师"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


# Capabilities ---------------------------------------------------------------
SEE_CASES = "see_cases"  # may see case data at all (the admins may not)
HANDLE = "handle"  # work a case: register, transitions marked "handle"
APPROVE = "approve"  # approvals (extension, closing sign-off …)
REPORT = "report"  # progress and closing reports (legal-aid lawyers)
REVEAL = "reveal"  # show unmasked ID numbers / phones (audited)
EXPORT = "export"  # export lists to Excel
MANAGE_USERS = "manage_users"
MANAGE_SETTINGS = "manage_settings"  # org tree, dictionaries, calendar
MANAGE_ROLES = "manage_roles"
READ_AUDIT = "read_audit"
SEE_DASHBOARD = "see_dashboard"

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.LEADER: frozenset({SEE_CASES, APPROVE, EXPORT, SEE_DASHBOARD}),
    Role.SECTION: frozenset({SEE_CASES, HANDLE, REVEAL, EXPORT, SEE_DASHBOARD}),
    Role.OFFICE: frozenset({SEE_CASES, HANDLE, REVEAL, EXPORT, SEE_DASHBOARD}),
    Role.MEDIATOR: frozenset({SEE_CASES, HANDLE, REVEAL}),
    Role.LAWYER: frozenset({SEE_CASES, REPORT, REVEAL}),
    Role.SYSADMIN: frozenset({MANAGE_USERS, MANAGE_SETTINGS}),
    Role.SECADMIN: frozenset({MANAGE_ROLES}),
    Role.AUDITOR: frozenset({READ_AUDIT}),
}

ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
CASE_ROLES = frozenset(r for r, caps in CAPABILITIES.items() if SEE_CASES in caps)
# Roles whose users only see cases assigned to them.
ASSIGNMENT_ROLES = frozenset({Role.MEDIATOR, Role.LAWYER})


# A new account has no role until the security administrator grants one.
UNASSIGNED_LABEL = "未授权"

CAPABILITY_LABELS: dict[str, str] = {
    SEE_CASES: "查看案件",
    HANDLE: "办理案件",
    APPROVE: "审批",
    REPORT: "报告办理进展（援助律师）",
    REVEAL: "查看完整个人信息（留痕）",
    EXPORT: "导出列表",
    SEE_DASHBOARD: "查看指挥中心",
    MANAGE_USERS: "管理用户账号",
    MANAGE_SETTINGS: "管理组织机构、字典和系统设置",
    MANAGE_ROLES: "授予角色与权限",
    READ_AUDIT: "查阅审计日志",
}

# Where a role's holder may sit in the tree. Case scoping starts from the user's
# own org for office staff and mediators, so an office role placed on a bureau
# would silently see every office: the org kind is part of the grant.
ROLE_ORG_KINDS: dict[str, frozenset[str]] = {
    Role.LEADER: frozenset({OrgKind.BUREAU, OrgKind.CITY_BUREAU}),
    Role.SECTION: frozenset({OrgKind.BUREAU, OrgKind.CITY_BUREAU}),
    Role.OFFICE: frozenset({OrgKind.OFFICE}),
    Role.MEDIATOR: frozenset({OrgKind.COMMITTEE, OrgKind.STUDIO}),
}


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else UNASSIGNED_LABEL


def role_fits_org(role: str, org_kind: str) -> bool:
    kinds = ROLE_ORG_KINDS.get(role)
    return kinds is None or org_kind in kinds


def has_cap(user, capability: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())
