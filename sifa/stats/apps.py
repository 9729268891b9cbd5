from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "sifa.stats"
    label = "stats"
    verbose_name = "统计与指挥中心"
