from sifa.stats.tests.kpis import test_kpis  # noqa: F401 (fixture)

from .testledger import test_ledger  # noqa: F401 (fixture)
