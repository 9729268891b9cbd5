from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "sifa.stats"
    label = "stats"
    verbose_name = "统计与指挥中心"

    def ready(self):
        from sifa.accounts.roles import MANAGE_STATS, has_cap
        from sifa.common import figures_hook
        from sifa.kit import menu, registry
        from sifa.ledgers.exports import CaseSource, register_source

        from . import demo, exports, facts, rollups  # noqa: F401 (exports registers the table and report export kinds)
        from .drill import source_cases
        from .selectors import may_see

        register_source(CaseSource("kpi", "指标明细", source_cases))
        figures_hook.connect(rollups.mark)  # the kernel's writes mark the cases they change (ADR 0021)
        registry.add_demo(950, demo.seed)  # after the lines and 填报: a draft work summary
        registry.add_demo(990, demo.build_rollups)  # last: the daily facts of everything seeded
        for label, name in (("指挥中心", "stats:dashboard"), ("统计报表", "stats:table"), ("工作总结", "stats:report")):
            menu.add("stats", "统计分析", menu.MenuEntry(label, name, may_see), order=80)
        menu.add("stats", "统计分析", menu.MenuEntry("统计口径设置", "stats:definitions", lambda u: has_cap(u, MANAGE_STATS)), order=80)
