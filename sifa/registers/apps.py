from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "sifa.registers"
    label = "registers"
    verbose_name = "登记簿"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from sifa.kit import registry

        registry.on_line(_menu_entries)


def _menu_entries(line) -> None:
    """Each register of a line is an entry of the line's menu group, for whoever uses the line."""
    from sifa.cases.selectors import using
    from sifa.kit import menu

    for r in line.registers:
        menu.add(line.label, line.name, menu.MenuEntry(r.label, "registers:list", using(r.case_type), args=(r.slug,)), order=line.order)
