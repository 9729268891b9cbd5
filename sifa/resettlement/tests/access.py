"""Routes whose access-matrix tests live here (sifa/common/tests/test_route_coverage.py):
test_access.py runs them for every role. The case routes, the API and the steps
are the kit's contract tests' (sifa/cases/tests/test_line_contract.py)."""

COVERED_ROUTES = {"resettlement:list", "resettlement:create", "resettlement:unlinked", "resettlement:return"}
