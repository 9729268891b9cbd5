from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "sifa.common"
    label = "common"
    verbose_name = "公共"
