from django.apps import AppConfig

# After every line's demo: the figures filled here sit beside the lines' cases.
DEMO_ORDER = 900


class FilingsConfig(AppConfig):
    name = "sifa.filings"
    label = "filings"
    verbose_name = "统计填报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sifa.common.badges import cached_badge
        from sifa.kit import menu, registry

        from . import selectors
        from .demo import seed

        # Beside 指挥中心 and the reports, where statistics live (``stats.apps``).
        mine = menu.MenuEntry("我的填报", "filings:mine", selectors.may_fill, badge=cached_badge("filings_open", selectors.open_count, apps=("filings",)))
        menu.add("stats", "统计分析", mine, order=80)
        menu.add("stats", "统计分析", menu.MenuEntry("填报指标", "filings:indicators", selectors.may_manage), order=80)
        registry.add_demo(DEMO_ORDER, seed)
