"""Routes whose access-matrix tests live in this app (test_views.py)."""

COVERED_ROUTES = {"orgs:tree", "orgs:create", "orgs:edit"}
