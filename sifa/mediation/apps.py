from sifa.kit import line


class MediationConfig(line.LineConfig):
    name = "sifa.mediation"
    label = "mediation"
    verbose_name = "人民调解"
