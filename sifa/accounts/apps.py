from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sifa.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from sifa.kit import menu

        from . import middleware  # noqa: F401  (its sign-in receiver, before any request)
        from .roles import MANAGE_ROLES, MANAGE_USERS, has_cap

        menu.add("admin", "系统管理", menu.MenuEntry("用户管理", "accounts:user_list", lambda u: has_cap(u, MANAGE_USERS)), order=900)
        menu.add("security", "安全管理", menu.MenuEntry("角色与权限", "accounts:role_list", lambda u: has_cap(u, MANAGE_ROLES)), order=920)
