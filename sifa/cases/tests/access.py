"""Routes whose access-matrix tests live in this app's tests (see
sifa/common/tests/test_route_coverage.py): test_access.py runs each of them for
every role against the role's own record and another office's record."""

COVERED_ROUTES = {
    "home",
    "case_by_code",
    "cases:home",
    "cases:list",
    "cases:recycle_bin",
    "cases:detail",
    "cases:qr",
    "cases:transition",
    "cases:edit",
    "cases:assign",
    "cases:delete",
    "cases:restore",
    "cases:party_add",
    "cases:party_edit",
    "cases:party_delete",
    "cases:party_reveal",
    "cases:document",
    "api:cases-list",
    "api:cases-types",
    "api:cases-detail",
    "api:cases-by-code",
    "api:cases-timeline",
    "api:cases-assignees",  # test_assignees.py
    "api:cases-transition",
    "api:parties-reveal",
    # test_movement.py: the intake list, transfer, sharing, hand-over
    "cases:intake",
    "cases:take",
    "cases:transfer",
    "cases:share",
    "cases:share_end",
    "cases:handover",
    "api:cases-intake",
    "api:cases-take",
    "api:cases-transfer",
    "api:cases-share",
    "api:cases-share-end",
    "api:cases-handover",
    # test_procedures.py: procedures inside a case
    "cases:procedure_open",
    "cases:procedure_step",
    "cases:procedure_document",
    # test_archive.py: reopening an archived case
    "cases:reopen",
    "api:cases-procedures",
    "api:cases-procedure-step",
}

# The steps of every case type: test_line_contract.py runs them for each line's case
# and another office's (or bureau's).
from sifa.kit import registry  # noqa: E402

COVERED_ROUTES |= {f"api:{ct.api_root}-{suffix}" for ct in registry.case_types() for suffix in ("steps", "step")}
# …and the list and one-case endpoints a case type declares (CaseType.api).
COVERED_ROUTES |= {f"api:{name}" for ct in registry.case_types() if ct.api for name in ct.api.route_names(ct.api_root)}
