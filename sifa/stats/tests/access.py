"""Routes the access-matrix tests of this app exercise (sifa/common/tests/test_route_coverage.py)."""

COVERED_ROUTES = {
    "stats:dashboard",
    "stats:wall",
    "stats:drill",
    "stats:table",
    "stats:table_export",
    "stats:report",
    # test_report_records.py: every role, own / other bureau, each state
    "stats:report_create",
    "stats:report_detail",
    "stats:report_download",
    "stats:report_version",
    # sifa/reconsideration/tests/test_definition_choice.py: every kernel role; refusals change nothing
    "stats:definitions",
    "stats:return",  # test_returns.py: every role, own / other office, other bureau, the .xlsx
    "api:stats-kpis",
    "api:stats-kpi",
}
