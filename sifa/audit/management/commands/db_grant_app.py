"""Give the application's PostgreSQL login its rights (run as the owner after
migrate; ``SIFA_DB_APP_ROLE`` makes migrate do it by itself)."""

from django.core.management.base import BaseCommand, CommandError

from sifa.audit.dbroles import RoleError, grant_app_role


class Command(BaseCommand):
    help = "为应用的数据库账号授权（审计表只能读取、追加和封存）"

    def add_arguments(self, parser):
        parser.add_argument("role", help="应用连接数据库所用的角色名")

    def handle(self, *args, role, **options):
        try:
            statements = grant_app_role(role)
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已为数据库角色“{role}”授权（{len(statements)} 条语句）：审计表只能读取、追加和封存。")
