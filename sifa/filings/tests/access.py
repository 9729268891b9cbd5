"""Routes of 填报, exercised by every role against its own bureau's and office's
records and another's in ``test_access.py``."""

COVERED_ROUTES = {
    "filings:mine",
    "filings:fill",
    "filings:indicators",
    "filings:indicator_create",
    "filings:indicator",
    "filings:indicator_edit",
    "filings:round_open",
    "filings:round",
    "filings:return",
    "filings:lock",
    "filings:unlock",
}
