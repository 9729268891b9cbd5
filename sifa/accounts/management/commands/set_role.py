"""The server operator's change of an account's role, administrators included:

    manage.py set_role USERNAME ROLE --reason TEXT [--lines KEY,KEY]

三员分立: the security administrator grants roles in the UI, but never an
administrator's role nor an administrator role (系统/安全/审计管理员) — made a
leader, the system administrator would read every case; the auditor would stop
auditing. Those changes are made here, by whoever operates the server, as
``reset_admin_password`` resets an administrator's password. ROLE is a role code
(``manage.py set_role --list`` shows them) or ``none`` to revoke every power.
The change is audited as ``perm.change`` under the name "manage.py", with the reason.
"""

from django.core.management.base import BaseCommand, CommandError

from sifa.accounts.models import User
from sifa.accounts.roles import role_choices, role_label
from sifa.accounts.services import operator_set_role
from sifa.common.errors import DomainError

NONE = "none"


class Command(BaseCommand):
    help = "服务器运维人员变更账号角色（含系统管理员、安全管理员、审计管理员）；须填写理由，记入审计日志。"

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help="用户名")
        parser.add_argument("role", nargs="?", help=f"角色代码；{NONE} 表示收回全部权限（未授权）")
        parser.add_argument("--reason", default="", help="变更理由（必填，记入审计日志）")
        parser.add_argument("--lines", default="", help="科室工作人员的业务条线代码，逗号分隔")
        parser.add_argument("--list", action="store_true", help="列出角色代码")

    def handle(self, *args, **options):
        if options["list"]:
            for code, label in role_choices():
                self.stdout.write(f"  {code:<20} {label}")
            return
        if not options["username"] or not options["role"]:
            raise CommandError("用法：manage.py set_role 用户名 角色代码 --reason 理由（--list 列出角色代码）。")
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为“{options['username']}”的账号。")
        role = "" if options["role"] == NONE else options["role"]
        lines = [k.strip() for k in options["lines"].split(",") if k.strip()]
        before = (user.role, list(user.lines or []))
        try:
            user = operator_set_role(user, role, lines=lines, reason=options["reason"])
        except DomainError as exc:
            raise CommandError(f"{exc.message}未作修改。") from None
        if before == (user.role, list(user.lines or [])):
            self.stdout.write(f"“{user.username}”的角色已是{role_label(user.role)}，未作修改。")
        else:
            self.stdout.write(f"已将“{user.username}”的角色由{role_label(before[0])}改为{role_label(user.role)}（已记入审计日志）。")
