from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "sifa.stats"
    label = "stats"
    verbose_name = "统计与指挥中心"

    def ready(self):
        from sifa.kit import menu
        from sifa.ledgers.exports import CaseSource, register_source

        from . import exports  # noqa: F401 (registers the table and report export kinds)
        from .drill import source_cases
        from .selectors import may_see

        register_source(CaseSource("kpi", "指标明细", source_cases))
        for label, name in (("指挥中心", "stats:dashboard"), ("统计报表", "stats:table"), ("年度报告", "stats:report")):
            menu.add("stats", "统计分析", menu.MenuEntry(label, name, may_see), order=80)
