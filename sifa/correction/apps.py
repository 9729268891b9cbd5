from sifa.kit import line


class CorrectionConfig(line.LineConfig):
    name = "sifa.correction"
    label = "correction"
    verbose_name = "社区矫正"
