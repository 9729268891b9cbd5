"""Demo data: a fictional district bureau, its offices, one user per kernel
role. Each line adds its own organisations, users and cases through the
``demo`` of its ``Line``, with ``DemoContext.org`` and ``DemoContext.user``.
Idempotent: a second run changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from sifa.accounts.models import RoleSetting, User
from sifa.accounts.roles import Role
from sifa.kit import registry
from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org
from sifa.orgs.services import create_org

DEMO_PASSWORD = "Sifa@2026demo"  # noqa: S105 (published demo password; seeding refuses production)

# Fictional region codes (35 99 xx is not an assigned prefecture).
CITY = ("演示市司法局", "演市司", OrgKind.CITY_BUREAU, "359900")
BUREAU = ("演示区司法局", "演司", OrgKind.BUREAU, "359901")
OFFICES = [("东湖司法所", "东湖所"), ("西山司法所", "西山所"), ("南桥司法所", "南桥所")]

USERS = [
    # username, full name, role, org key
    ("leader", "王局长", Role.LEADER, "bureau"),
    ("staff", "李科员", Role.SECTION, "bureau"),
    ("office_a", "陈所员", Role.OFFICE, "office_0"),
    ("office_b", "林所员", Role.OFFICE, "office_1"),
    ("sysadmin", "系统管理员", Role.SYSADMIN, "bureau"),
    ("secadmin", "安全管理员", Role.SECADMIN, "bureau"),
    ("auditor", "审计管理员", Role.AUDITOR, "bureau"),
]


@dataclass
class DemoContext:
    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    created: int = 0

    def org(self, key: str, name: str, short: str, kind: str, parent: Org | None, region: str = "") -> Org:
        """The demo org ``name`` under ``parent`` (created once), remembered as ``key``."""
        org = Org.objects.filter(name=name, parent=parent).first()
        if org is None:
            org = create_org(actor=None, name=name, short_name=short, kind=kind, region_code=region or parent.region_code, parent=parent)
            self.created += 1
        self.orgs[key] = org
        return org

    def user(self, username: str, full_name: str, role: str, org: Org) -> User:
        """A demo login (password ``DEMO_PASSWORD``), created once; ``seed_demo`` prints it."""
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, role=role, org=org)
            if role == Role.SECTION:
                user.lines = [ct.key for ct in registry.case_types()]
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.created += 1
        elif role == Role.SECTION:
            # A line installed after the first seeding joins the demo section staff's lines.
            missing = [ct.key for ct in registry.case_types() if ct.key not in (user.lines or [])]
            if missing:
                user.lines = list(user.lines or []) + missing
                user.save(update_fields=["lines"])
                self.created += 1
        self.users[username] = user
        return user


def guard_environment() -> None:
    if getattr(settings, "SIFA_ENVIRONMENT", "prod") == "prod":
        raise CommandError("演示数据不能在生产环境中加载（SIFA_ENVIRONMENT=prod）。")


def seed() -> DemoContext:
    guard_environment()
    ctx = DemoContext()
    with transaction.atomic():
        name, short, kind, region = CITY
        city = ctx.org("city", name, short, kind, None, region)
        name, short, kind, region = BUREAU
        bureau = ctx.org("bureau", name, short, kind, city, region)
        for i, (office, office_short) in enumerate(OFFICES):
            ctx.org(f"office_{i}", office, office_short, OrgKind.OFFICE, bureau)
        for username, full_name, role, org_key in USERS:
            ctx.user(username, full_name, role, ctx.orgs[org_key])
        for spec in registry.roles():
            _, made = RoleSetting.objects.get_or_create(role=spec.code, defaults={"require_2fa": False})
            ctx.created += int(made)
        for seeder in registry.demo_seeders():
            ctx.created += seeder(ctx) or 0
    return ctx
