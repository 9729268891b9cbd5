from sifa.kit import line


class ReconsiderationConfig(line.LineConfig):
    name = "sifa.reconsideration"
    label = "reconsideration"
    verbose_name = "行政复议与行政应诉"
