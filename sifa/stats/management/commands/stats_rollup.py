"""manage.py stats_rollup [--rebuild] [--limit N]

Brings the daily KPI facts up to date (docs/adr/0021): builds them on the first run
(or when the KPI declarations changed), then recomputes the days of the cases changed
since the last run. Run every minute (deploy/systemd/sifa-stats-rollup.timer); the
dashboard's "数据截至" says how far it has come. Running it twice changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sifa.stats import rollups


class Command(BaseCommand):
    help = "汇总指标日数据（首次运行时全量生成，之后只重算有变动的案件所在的机构和日期）。"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="全部重新生成（统计口径代码更新、机构调整之后）")
        parser.add_argument("--limit", type=int, default=None, help="本次最多处理的变动案件数（其余下次处理）")

    def handle(self, *args, rebuild=False, limit=None, **options):
        if limit is not None and limit <= 0:
            raise CommandError("--limit 须为正整数。")
        if rebuild:
            built = rollups.rebuild()
            self.stdout.write(f"已全量生成：{built['facts']}条日汇总，{built['measures']}项度量，{built['cases']}件案件。")
        result = rollups.run(limit=limit)
        if result["rebuilt"] and not rebuild:
            built = result["rebuilt"]
            self.stdout.write(f"已全量生成：{built['facts']}条日汇总，{built['measures']}项度量，{built['cases']}件案件。")
        self.stdout.write(f"已处理变动案件{result['processed']}件，待处理{result['pending']}件。")
