"""Record the lapsed statutory periods of every line (run daily by a scheduler):

    manage.py settle [--date YYYY-MM-DD]

Each clock whose rule names a lapse step (行政复议 视为受理、视为放弃申请、
中止满六十日终止 …) has it recorded through the workflow, dated as the law dates
it; then the occurrences of recurring duties fall due (``deadlines.duties``).
Running it twice changes nothing.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sifa.cases.settle import settle
from sifa.kit import registry


class Command(BaseCommand):
    help = "登记各业务已届满期限的法定后果（如行政复议视为受理、视为放弃申请、中止满六十日终止）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期判断期限是否届满（默认今天），格式 YYYY-MM-DD")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        done = settle(today)
        parts = []
        for (key, name), n in done.items():
            ct = registry.case_type(key)
            parts.append(f"{ct.label}·{ct.workflow.get(name).label} {n} 件")
        self.stdout.write("；".join(parts) or "没有需要登记的届满期限。")
        from sifa.deadlines.duties import sync_all

        self.stdout.write(f"定期义务：新增 {sync_all(today)} 项。")
