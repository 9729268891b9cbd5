"""Routes whose access-matrix tests live in test_access.py of this app."""

COVERED_ROUTES = {"attachments:upload", "attachments:download"}
