"""Record lapsed statutory periods of reconsideration cases (run daily by a scheduler):

    manage.py settle_reconsideration [--date YYYY-MM-DD]

视为受理 / 视为放弃申请 / 中止满六十日终止 are recorded through the workflow,
dated as the law dates them; running it twice changes nothing.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sifa.reconsideration.services import settle

LABELS = {"deemed_accept": "视为受理", "deemed_withdraw": "视为放弃申请", "terminate_after_suspension": "中止满六十日终止"}


class Command(BaseCommand):
    help = "登记行政复议案件已届满期限的法定后果（视为受理、视为放弃申请、中止满六十日终止）。"

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
        self.stdout.write("；".join(f"{LABELS[k]} {v} 件" for k, v in done.items()))
