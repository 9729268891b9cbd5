"""Routes whose access-matrix tests live in this app (see
sifa/common/tests/test_route_coverage.py). The portal is public: test_access.py
checks that every role and anonymous get the same answers, and that nothing
opens a case to anyone without its code and phone digits."""

COVERED_ROUTES = {
    "portal:home",
    "portal:guide",
    "portal:apply",
    "portal:apply_form",
    "portal:receipt",
    "portal:track",
    "portal:qr",
}
