"""Routes whose access-matrix tests live in this app (test_views.py)."""

COVERED_ROUTES = {"audit:list", "audit:detail", "audit:verify"}
