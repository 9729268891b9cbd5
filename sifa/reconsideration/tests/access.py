"""Routes whose access-matrix tests live in this app (see
sifa/common/tests/test_route_coverage.py): test_access.py runs each for roles
leader, staff, office_a, office_b, mediator_a, lawyer, sysadmin, secadmin,
auditor and anonymous, against this bureau's case and a neighbouring bureau's."""

COVERED_ROUTES = {
    "reconsideration:list",
    "reconsideration:create",
    "reconsideration:suit_list",
    "reconsideration:suit_create",
    "stats:line",
    "api:reconsideration-list",
    "api:reconsideration-detail",
    "api:reconsideration-transition",
    "api:reconsideration-steps",
    "api:reconsideration-step",
    "api:litigation-list",
    "api:litigation-detail",
    "api:litigation-transition",
    "api:litigation-steps",
    "api:litigation-step",
}
