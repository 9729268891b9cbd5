"""Routes of the registers that are not cases, exercised by role and office in
``test_registers.py`` (own office, another office, another line, readers,
administrators) and for every register by ``cases/tests/test_line_contract_registers.py``."""

COVERED_ROUTES = {
    "registers:list",
    "registers:create",
    "registers:detail",
    "registers:edit",
    "registers:delete",
    "registers:handover",
    "api:registers-list",
    "api:registers-detail",
    "api:registers-handover",
}
