from sifa.kit import line


class ResettlementConfig(line.LineConfig):
    name = "sifa.resettlement"
    label = "resettlement"
    verbose_name = "安置帮教"
