from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public side (no login): online applications that lines plug in
    through ``registry``, and progress lookup by case code + phone digits."""

    name = "sifa.portal"
    label = "portal"
    verbose_name = "公众服务门户"
