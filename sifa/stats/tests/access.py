"""Routes the access-matrix tests of this app exercise (sifa/common/tests/test_route_coverage.py)."""

COVERED_ROUTES = {
    "stats:dashboard",
    "stats:wall",
    "stats:drill",
    "stats:table",
    "stats:table_export",
    "stats:report",
    "stats:return",  # test_returns.py: every role, own / other office, other bureau, the .xlsx
    "api:stats-kpis",
    "api:stats-kpi",
}
