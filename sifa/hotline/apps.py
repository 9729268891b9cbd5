from sifa.kit import line


class HotlineConfig(line.LineConfig):
    name = "sifa.hotline"
    label = "hotline"
    verbose_name = "12348热线"
