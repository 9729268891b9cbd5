"""The server operator's reset of an account's password (and, if asked, its second factor):

    manage.py reset_admin_password USERNAME [--reset-2fa]

三员分立: an administrator account (系统/安全/审计管理员) is never reset in the UI,
where another administrator could take it over; this command, run by whoever
operates the server, is the way back in (also for the only system administrator).
The password is read from the terminal (or standard input with --stdin), is
temporary (changed at the next sign-in), and the reset is audited.
"""

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from sifa.accounts.models import User
from sifa.accounts.services import operator_reset
from sifa.common.errors import DomainError


class Command(BaseCommand):
    help = "服务器运维人员重置账号（含管理员账号）的密码，可同时重置双因素认证；密码为临时密码，登录后须修改。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--reset-2fa", action="store_true", help="同时解除已绑定的双因素验证器")
        parser.add_argument("--stdin", action="store_true", help="从标准输入读取新密码（一行），用于脚本")

    def handle(self, *args, **options):
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为“{options['username']}”的账号。")
        if options["stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("新的临时密码：")
            if getpass.getpass("再输入一次：") != password:
                raise CommandError("两次输入的密码不一致，未作修改。")
        try:
            removed = operator_reset(user, password, second_factor=options["reset_2fa"])
        except DomainError as exc:
            raise CommandError(f"{exc.message}未作修改。") from None
        extra = f"；已解除双因素验证器 {removed} 个" if options["reset_2fa"] else ""
        self.stdout.write(f"已为“{user.username}”设置临时密码，登录后须修改{extra}。")
