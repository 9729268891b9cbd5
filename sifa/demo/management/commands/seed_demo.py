from django.core.management.base import BaseCommand

from sifa.accounts.roles import role_label
from sifa.demo.seed import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "加载演示数据（可重复运行；生产环境拒绝运行）"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="不打印演示账号")

    def handle(self, *args, **options):
        ctx = seed()
        self.stdout.write(f"演示数据就绪（本次新建 {ctx.created} 项）。")
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}；标有验证器密钥的账号登录时还须输入动态验证码，")
            self.stdout.write("把密钥加入手机验证器（如 Google Authenticator、FreeOTP）即可生成）：")
            for u in ctx.users.values():
                secret = f"  验证器密钥 {ctx.totp[u.username]}" if u.username in ctx.totp else ""
                self.stdout.write(f"  {u.username:<11} {role_label(u.role):<8} {u.full_name}（{u.org.name}）{secret}")
