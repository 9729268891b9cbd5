"""After a big import the planner's statistics are refreshed (PostgreSQL); not after
one that is small beside the tables already there."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sifa.ledgers import imports


def _analyze_count(table: str) -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")
        cur.execute("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cur.fetchone()[0]


def _analyzes(rows: int) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        imports._refresh_planner_statistics(rows)
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("ANALYZE")]


@pytest.mark.django_db
def test_big_import_refreshes_statistics_small_one_does_not():
    if connection.vendor != "postgresql":
        assert _analyzes(10**6) == []
        return
    assert _analyzes(imports.ANALYZE_AFTER_ROWS - 1) == []
    before = _analyze_count("cases_case")
    assert _analyzes(imports.ANALYZE_AFTER_ROWS) == ["ANALYZE cases_case, cases_party, deadlines_deadline"]
    # (autovacuum may analyse too, hence "at least")
    assert _analyze_count("cases_case") >= before + 1


@pytest.mark.django_db
def test_an_import_small_beside_the_table_leaves_the_statistics():
    if connection.vendor != "postgresql":
        return
    rows = imports.ANALYZE_AFTER_ROWS * 5
    with mock.patch.object(imports, "_known_cases", return_value=rows / imports.ANALYZE_SHARE + 1):
        assert _analyzes(rows) == []
    with mock.patch.object(imports, "_known_cases", return_value=rows / imports.ANALYZE_SHARE - 1):
        assert len(_analyzes(rows)) == 1
    with mock.patch.object(imports, "_known_cases", return_value=-1.0):  # never analysed
        assert len(_analyzes(rows)) == 1
    assert isinstance(imports._known_cases(), float)  # the query itself runs
