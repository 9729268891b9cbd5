from sifa.kit import line


class TestLineConfig(line.LineConfig):
    name = "sifa.cases.tests.testline"
    label = "testline"
    verbose_name = "测试业务"
