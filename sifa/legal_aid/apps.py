from sifa.kit import line


class LegalAidConfig(line.LineConfig):
    name = "sifa.legal_aid"
    label = "legal_aid"
    verbose_name = "法律援助"
