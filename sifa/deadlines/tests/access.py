"""Routes whose access-matrix tests live in test_access.py of this app."""

COVERED_ROUTES = {
    "deadlines:list",
    "deadlines:calculator",
    "deadlines:holidays",
    "deadlines:holiday_clear",
    "deadlines:year_confirm",
    "deadlines:settings",
    "api:deadlines-calculate",
    # test_duties.py: marking a recurring duty done (own office, reader, another office)
    "deadlines:duty_done",
    "api:deadlines-duty-done",
}
