"""Demo data: a fictional district bureau, its offices, one user per kernel
role. Each line adds its own organisations, users and cases through the
``demo`` of its ``Line``, with ``DemoContext.org`` and ``DemoContext.user``.
Idempotent: a second run changes nothing."""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from sifa.accounts.models import User
from sifa.accounts.roles import Role, second_factor_default
from sifa.cases.services import transition
from sifa.common import identity
from sifa.deadlines import calendar
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
    ("tongji", "周统计", Role.STATISTICIAN, "bureau"),
    ("office_a", "陈所员", Role.OFFICE, "office_0"),
    ("office_b", "林所员", Role.OFFICE, "office_1"),
    ("sysadmin", "系统管理员", Role.SYSADMIN, "bureau"),
    ("secadmin", "安全管理员", Role.SECADMIN, "bureau"),
    ("auditor", "审计管理员", Role.AUDITOR, "bureau"),
    ("display", "指挥中心大屏", Role.DISPLAY, "bureau"),
]

# Fictional people: common surnames and given names, addresses in the demo district.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟"
GIVEN = "建国 秀英 志强 桂兰 海燕 俊杰 丽华 文斌 春梅 永红 国华 晓东 玉兰 宏伟 淑珍 明辉 翠花 子涵 雨欣 浩然 伟 芳 敏 静 磊 洋 勇 军 涛 建华".split()  # noqa: SIM905 (one line, not thirty)
STREETS = ["东湖街道幸福社区", "西山镇上林村", "南桥镇南桥社区", "东湖街道湖滨小区", "西山镇集贸市场", "南桥镇工业园区", "东湖街道幸福路"]


@dataclass
class DemoContext:
    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    created: int = 0
    # username -> base32 authenticator secret, for the roles that sign in with a second factor.
    totp: dict[str, str] = field(default_factory=dict)
    # Seeded, so every load of the demo tells the same story.
    rng: random.Random = field(default_factory=lambda: random.Random(20261122))

    # --- what every line's demo needs -----------------------------------------------------------------

    def person(self, role: str, *, with_id: bool = True) -> dict:
        """A fictional party (``cases.services.create_case``'s shape): a name, a
        mobile number and, ``with_id``, a valid ID number in the fictional region
        359901 and an address in the demo district."""
        rng = self.rng
        p = {"role": role, "name": rng.choice(SURNAMES) + rng.choice(GIVEN), "phone": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"}
        if with_id:
            born = date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
            first17 = f"359901{born:%Y%m%d}{rng.randint(100, 999)}"
            p |= {"id_number": first17 + identity.id_check_char(first17), "address": f"演示区{rng.choice(STREETS)}{rng.randint(1, 30)}号"}
        return p

    @property
    def today(self) -> date:
        return timezone.localdate()

    def workday(self, days_ago: int) -> date:
        """The working day ``days_ago`` calendar days back (or the one before it)."""
        d = self.today - timedelta(days=days_ago)
        while not calendar.is_workday(d):
            d -= timedelta(days=1)
        return d

    def after(self, d: date, workdays: int) -> date:
        """``workdays`` working days after ``d``, but never after today."""
        return min(calendar.add_workdays(d, workdays), self.today)

    def step(self, actor, case, name: str, on: date, reason: str = "", **data):
        """Take a workflow step through the one door, dated ``on`` (never after today)."""
        return transition(actor, case, name, data=data, reason=reason, on=min(on, self.today))

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
        if second_factor_default(role):
            self.totp[username] = demo_totp_secret(username)
            self.created += _enrol_demo_authenticator(user)
        self.users[username] = user
        return user


def demo_totp_secret(username: str) -> str:
    """The demo account's authenticator secret (base32, what an authenticator app
    takes): fixed per username, so the printed listing, the README and the tests
    agree. Public like DEMO_PASSWORD; seeding refuses production."""
    return base64.b32encode(_demo_totp_key(username)).decode().rstrip("=")


def _demo_totp_key(username: str) -> bytes:
    return hashlib.sha1(f"sifa-demo-totp:{username}".encode()).digest()  # noqa: S324 (a fixed demo secret, not a digest of anything secret)


def _enrol_demo_authenticator(user: User) -> int:
    """The administrators and the leader must pass TOTP (accounts.roles): give the
    demo account a confirmed authenticator with its fixed secret, as
    ``views_otp.otp_setup`` would after a correct code. Returns 1 if enrolled now."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return 0
    TOTPDevice.objects.create(user=user, name="演示验证器", key=_demo_totp_key(user.username).hex(), confirmed=True)
    return 1


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
        for seeder in registry.demo_seeders():
            ctx.created += seeder(ctx) or 0
    return ctx
