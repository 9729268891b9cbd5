from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "sifa.ledgers"
    label = "ledgers"
    verbose_name = "台账导入导出"

    def ready(self):
        from sifa.common.badges import cached_badge
        from sifa.kit import menu

        from . import (
            entries,  # noqa: F401 (registers the export of register entries)
            exports,  # noqa: F401 (registers the case-list source and the case export)
        )
        from .permissions import can_use_jobs, may_import_some

        # On every page's menu, and a dozen subqueries to build: kept per user like the
        # menu's numbers, forgotten when an account (role, office, lines) or the
        # organisation tree changes. The import page itself always asks afresh.
        importer = cached_badge("ledger_import", lambda u: int(may_import_some(u)), apps=("accounts", "orgs"))
        menu.add("stats", "统计分析", menu.MenuEntry("台账导入", "ledgers:import_start", lambda u: bool(importer(u))), order=80)
        menu.add("stats", "统计分析", menu.MenuEntry("我的导入导出", "ledgers:jobs", can_use_jobs), order=80)
