from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sifa.orgs"
    label = "orgs"
    verbose_name = "组织机构"

    def ready(self):
        from sifa.kit import menu

        from .permissions import can_manage_orgs

        menu.add("admin", "系统管理", menu.MenuEntry("组织机构", "orgs:tree", can_manage_orgs), order=900)
        # The dictionary admin lives in sifa.common, which may not know about roles;
        # its menu entry is registered here, with the same capability.
        menu.add("admin", "系统管理", menu.MenuEntry("字典管理", "common:dictionary_sets", can_manage_orgs), order=900)
