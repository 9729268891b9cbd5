from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "sifa.deadlines"
    label = "deadlines"
    verbose_name = "期限管理"

    def ready(self):
        from sifa.accounts.roles import MANAGE_SETTINGS, SEE_CASES, has_cap
        from sifa.kit import menu

        menu.add("work", "工作台", menu.MenuEntry("期限预警", "deadlines:list", lambda u: has_cap(u, SEE_CASES)), order=10)
        menu.add("work", "工作台", menu.MenuEntry("期限计算器", "deadlines:calculator", lambda u: has_cap(u, SEE_CASES)), order=10)
        menu.add("admin", "系统管理", menu.MenuEntry("节假日设置", "deadlines:holidays", lambda u: has_cap(u, MANAGE_SETTINGS)), order=900)
        menu.add("admin", "系统管理", menu.MenuEntry("期限提醒设置", "deadlines:settings", lambda u: has_cap(u, MANAGE_SETTINGS)), order=900)
