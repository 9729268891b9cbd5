from .kpis import test_kpis  # noqa: F401 (fixture)
