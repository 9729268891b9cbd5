"""Routes whose access-matrix tests live here (sifa/common/tests/test_route_coverage.py):
test_access.py runs them for every role. The case routes, the API and the steps
are the kit's contract tests' (sifa/cases/tests/test_line_contract.py)."""

COVERED_ROUTES = {
    "legal_aid:list",
    "legal_aid:create",
    "legal_aid:providers",
    "legal_aid:provider_create",
    "legal_aid:provider_edit",
    "legal_aid:quality",
    "legal_aid:subsidies",
    "legal_aid:subsidy_approve",
    "legal_aid:subsidy_adjust",
    "legal_aid:subsidy_compute",
    "legal_aid:subsidy_batch_create",
    "legal_aid:subsidy_batch",
    "legal_aid:subsidy_batch_paid",
    "legal_aid:subsidy_batch_export",
    "legal_aid:roster",
    "legal_aid:shift_create",
    "legal_aid:roster_copy",
    "legal_aid:shift_delete",
}
# The subsidies' pages (办案补贴): test_subsidies.py runs them for every role.
# The duty lawyers' roster (值班律师排班): test_roster.py runs it for every role.
