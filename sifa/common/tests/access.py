"""Routes whose access-matrix tests live in this app (test_dictionaries_access.py,
test_styleguide.py)."""

COVERED_ROUTES = {
    "common:dictionary_sets",
    "common:dictionary_entries",
    "common:dictionary_create",
    "common:dictionary_edit",
    "common:dictionary_toggle",
    "common:styleguide",
}
