from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sifa.orgs"
    label = "orgs"
    verbose_name = "组织机构"

    def ready(self):
        from sifa.common import menu

        from .permissions import can_manage_orgs

        menu.add("admin", "系统管理", menu.MenuEntry("组织机构", "orgs:tree", can_manage_orgs), order=900)
