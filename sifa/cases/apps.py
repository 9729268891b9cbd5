from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sifa.cases"
    label = "cases"
    verbose_name = "案件登记"

    def ready(self):
        from sifa.accounts.roles import SEE_CASES, has_cap
        from sifa.audit.labels import register_describer
        from sifa.common.badges import cached_badge
        from sifa.kit import menu

        from . import landing  # noqa: F401 (connects the sign-in landing)
        from .audit_describe import describe_case_entry

        register_describer("cases.case", describe_case_entry)

        menu.add("work", "工作台", menu.MenuEntry("首页", "cases:home", lambda u: True), order=10)
        menu.add("work", "工作台", menu.MenuEntry("案件查询", "cases:list", lambda u: has_cap(u, SEE_CASES)), order=10)
        from sifa.common import badges

        from . import selectors

        badges.scope_resolver = selectors.badge_scope  # a change under my subtree recounts my numbers
        intake = menu.MenuEntry(
            "待分配案件", "cases:intake", selectors.may_take, badge=cached_badge("intake", lambda u: selectors.intake(u).count(), apps=("cases",))
        )
        menu.add("work", "工作台", intake, order=10)
