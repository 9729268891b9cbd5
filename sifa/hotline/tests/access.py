"""Routes whose access-matrix tests live here (sifa/common/tests/test_route_coverage.py):
test_access.py runs them for every role. The case routes, the API and the steps
are the kit's contract tests' (sifa/cases/tests/test_line_contract.py)."""

COVERED_ROUTES = {
    "hotline:create",
    "hotline:knowledge",
    "hotline:knowledge_create",
    "hotline:knowledge_detail",
    "hotline:knowledge_edit",
    "hotline:knowledge_search",
    "hotline:knowledge_use",
    "hotline:list",
    "hotline:quality",
    "hotline:todo",
}

# The transferring platforms' API: test_api.py (test_every_role_on_the_platform_routes) calls it
# with every role's token (403) and the service account's (200).
COVERED_ROUTES |= {"api:hotline-transfers", "api:hotline-transfer", "api:hotline-replies"}

# 转办答复回传 (page and .xlsx): test_replies.py (test_every_role_on_the_replies_routes).
COVERED_ROUTES |= {"hotline:replies", "hotline:replies_export"}
