"""The service account a transferring platform (12345/110) pushes orders with:

    manage.py hotline_platform_account USERNAME --org ORG [--name 12345平台] [--rotate]

It is not a person: role "转办平台对接账号" (``hotline_platform``), an unusable
password (it never signs in on a page, so the second factor and the login
lockout never concern it) and an API token valid for a year (the longest a token
may live, ADR 0016), printed here once for the platform's integrators: only its
digest is stored. Run again, the command finds the account and names its token
(prefix and expiry); ``--rotate`` issues a new one and revokes the old at once
(also the way to renew before expiry, or to replace a lost key).

The server operator runs it, as ``reset_admin_password``: an account that holds
a role from birth is a grant no administrator made in the UI, so every write is
audited under the name "manage.py" (创建账号, 角色/权限变更, 创建 API 令牌).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from sifa.accounts import tokens
from sifa.accounts.models import ApiToken, User
from sifa.accounts.roles import role_label
from sifa.accounts.services import OPERATOR, USERNAME_RE
from sifa.audit.services import record
from sifa.common.errors import DomainError
from sifa.hotline.api import PLATFORM_ROLE as ROLE
from sifa.hotline.choices import PLS_CENTER
from sifa.orgs.models import Org

# The front desks that receive transferred orders (the role's org kinds in line.py).
KINDS = ("bureau", "city_bureau", PLS_CENTER)


def find_org(value: str) -> Org:
    value = (value or "").strip()
    orgs = list((Org.objects.filter(pk=int(value)) if value.isdigit() else Org.objects.filter(name=value)).order_by("id")[:5])
    if not orgs:
        raise DomainError(f"没有 id 或名称为“{value}”的机构。", field="org")
    if len(orgs) > 1:
        raise DomainError(f"名称为“{value}”的机构不止一个（id：{'、'.join(str(o.pk) for o in orgs)}），请用 id 指定。", field="org")
    org = orgs[0]
    if not org.is_active:
        raise DomainError(f"机构“{org.name}”已停用。", field="org")
    if org.kind not in KINDS:
        raise DomainError(f"“{org.name}”是{org.kind_label}；对接账号只能设在司法局、市司法局或公共法律服务中心（转办工单的受理单位）。", field="org")
    return org


def _create(username: str, org: Org, name: str) -> User:
    if not USERNAME_RE.match(username):
        raise DomainError("用户名须为3–30位字母、数字或 . _ -，并以字母或数字开头。", field="username")
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise DomainError("账号名称不能为空，最多50字。", field="name")
    user = User(username=username, full_name=name, org=org, role=ROLE, is_active=True, must_change_password=False)
    user.set_unusable_password()
    user.save()
    record("user.create", obj=user, username=OPERATOR, detail={"username": username, "org": org.name, "via": "manage.py", "service_account": True})
    # The role is granted here, not by the security administrator: the grant is audited as one.
    detail = {"before": {"role": "", "lines": []}, "after": {"role": ROLE, "lines": []}, "before_label": role_label(""), "after_label": role_label(ROLE)}
    record("perm.change", obj=user, username=OPERATOR, detail=detail | {"via": "manage.py"})
    return user


def _existing(user: User, org: Org) -> None:
    if user.role != ROLE:
        raise DomainError(f"用户名“{user.username}”已被{role_label(user.role)}账号使用，不是转办平台对接账号。", field="username")
    if user.org_id != org.pk:
        raise DomainError(f"对接账号“{user.username}”属于“{user.org.name}”，不是“{org.name}”；调整所属机构请由系统管理员办理。", field="org")
    if not user.is_active:
        raise DomainError(f"对接账号“{user.username}”已停用；如需恢复，请由系统管理员启用后再运行本命令。", field="username")
    if user.has_usable_password() or user.must_change_password:
        # An administrator's password reset made it a sign-in account (and stopped its token): undo that.
        user.set_unusable_password()
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record("user.update", obj=user, username=OPERATOR, detail={"password": "设为不可用（对接账号不在网页登录）", "via": "manage.py"})


@transaction.atomic
def ensure_account(username: str, org: Org, *, name: str = "12345平台", rotate: bool = False) -> tuple[User, bool, ApiToken, bool]:
    """The account (created if missing) and its token (issued if there is no usable
    one, or ``rotate``): (user, created, token, issued); an issued token carries its
    ``key``. A refusal raises DomainError and writes nothing."""
    username = (username or "").strip()
    user = User.objects.select_for_update().filter(username__iexact=username).first()
    created = user is None
    if created:
        user = _create(username, org, name)
    else:
        _existing(user, org)
    token = user.api_tokens.usable().first()
    issued = token is None or rotate
    if issued:
        tokens.revoke_all(user, username=OPERATOR, reason="更换对接账号令牌（manage.py）")
        token = tokens.issue(user, name=f"{user.full_name[:46]}对接", days=tokens.MAX_DAYS, username=OPERATOR, via="manage.py")
        # The token is this account's only credential: the password-age rule (PolicyTokenAuthentication)
        # counts from its issue, so rotating it is how the account renews.
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password_changed_at"])
    return user, created, token, issued


def _ages(user: User) -> bool:
    """Does the password-age rule reach this account's token (it has no password to change)?"""
    probe = User(password=user.password, must_change_password=False, password_changed_at=timezone.now() - timedelta(days=100_000))
    return probe.password_expired


class Command(BaseCommand):
    help = "创建或查找12345/110转办平台的对接账号（角色：转办平台对接账号，不能在网页登录），并输出其 API 令牌；--rotate 更换令牌。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="对接账号的用户名，如 platform12345")
        parser.add_argument("--org", required=True, help="所属机构（转办工单的受理单位）的 id 或完整名称：司法局、市司法局或公共法律服务中心")
        parser.add_argument("--name", default="12345平台", help="账号名称（默认“12345平台”）")
        parser.add_argument("--rotate", action="store_true", help="作废现有令牌并签发新令牌")

    def handle(self, *args, **options):
        try:
            org = find_org(options["org"])
            user, created, token, issued = ensure_account(options["username"], org, name=options["name"], rotate=options["rotate"])
        except DomainError as exc:
            raise CommandError(f"{exc.message}未作修改。") from None
        what = "已创建" if created else "已有"
        self.stdout.write(f"{what}转办平台对接账号“{user.username}”（{user.full_name}，{org.name}）；该账号不能在网页登录。")
        expires = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")
        if not issued:
            # Only a digest is stored: the key was shown when it was issued and cannot be shown again.
            self.stdout.write(f"沿用现有 API 令牌（前缀 {token.prefix}…，有效期至 {expires}）；令牌只在签发时显示一次，如已遗失请以 --rotate 更换。")
        elif not created and options["rotate"]:
            self.stdout.write("已签发新的 API 令牌，原令牌即时作废。")
        if _ages(user):
            until = timezone.localtime(user.password_changed_at + timedelta(days=settings.SIFA_PASSWORD_MAX_AGE_DAYS)).date()
            self.stdout.write(f"按密码有效期规定，该令牌 {until.isoformat()} 后不能使用，请在此前以 --rotate 更换。")
        self.stdout.write("调用接口时使用请求头 Authorization: Token <令牌>。")
        if issued:
            self.stdout.write(f"令牌有效期至 {expires}，请在此前以 --rotate 更换。")
            self.stdout.write(f"API 令牌：{token.key}")
