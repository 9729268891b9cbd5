from django.core.management.base import BaseCommand

from sifa.deadlines.services import seed_from_package


class Command(BaseCommand):
    help = "从 chinese-calendar 重新载入法定节假日与调休上班日（手工录入的日期保持不变）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="只载入指定年度（可重复）")

    def handle(self, *args, **options):
        n = seed_from_package(options.get("year"))
        self.stdout.write(f"已载入，新增 {n} 天。")
