"""Mark failed the import and export jobs whose worker died (run every few
minutes, or at least daily, by a scheduler):

    manage.py jobs_sweep

A job still "active" with no progress for longer than the stale interval
(``LEDGER_JOB_STALE_MINUTES``, default 10) lost its worker or its database:
it is marked failed with a message saying it can be retried. A commit still
running holds its job row locked and is left alone. See ``jobs.expire_stale``.
"""

from django.core.management.base import BaseCommand

from sifa.ledgers.jobs import expire_stale, stale_after
from sifa.ledgers.models import ExportJob, ImportJob


class Command(BaseCommand):
    help = "将长时间没有进展的导入/导出任务标记为失败（后台任务中断），以便重试。"

    def handle(self, *args, **options):
        imports = expire_stale(ImportJob)
        exports = expire_stale(ExportJob)
        minutes = int(stale_after().total_seconds() // 60)
        for pk in imports:
            self.stdout.write(f"导入任务 #{pk}")
        for pk in exports:
            self.stdout.write(f"导出任务 #{pk}")
        self.stdout.write(f"超过{minutes}分钟没有进展、已标记为失败：导入任务 {len(imports)} 个，导出任务 {len(exports)} 个。")
