from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sifa.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from django.core.signals import request_finished
        from django.db.models.signals import post_migrate

        from sifa.accounts.roles import READ_AUDIT, has_cap
        from sifa.common import audit_hook
        from sifa.kit import menu

        from . import signals  # noqa: F401  (login/logout/failure entries)
        from .dbroles import post_migrate_grant
        from .services import record, refused, seal_when_finished

        # sifa.common cannot import this app; it writes its entries through this hook.
        audit_hook.connect(record=record, refused=refused)
        post_migrate.connect(post_migrate_grant, sender=self, dispatch_uid="sifa.audit.grant_app_role")
        request_finished.connect(seal_when_finished, dispatch_uid="sifa.audit.seal_when_finished")

        menu.add("audit", "安全审计", menu.MenuEntry("审计日志", "audit:list", lambda u: has_cap(u, READ_AUDIT)), order=950)
