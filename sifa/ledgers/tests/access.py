"""Routes the access-matrix tests of this app exercise (sifa/common/tests/test_route_coverage.py)."""

COVERED_ROUTES = {
    "ledgers:jobs",
    "ledgers:import_start",
    "ledgers:import_job",
    "ledgers:import_status",
    "ledgers:import_commit",
    "ledgers:import_retry",
    "ledgers:import_errors",
    "ledgers:template",
    "ledgers:export",
    "ledgers:export_job",
    "ledgers:export_status",
    "ledgers:export_download",
    "ledgers:export_approvals",
}
