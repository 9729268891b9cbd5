"""The line's adjustable rule parameters, read when used (so a deployment can
set them in its settings without code changes). Defaults and their basis:

=====================================  ========  ===========================================
setting                                default   basis
=====================================  ========  ===========================================
SIFA_MEDIATION_TERM_MONTHS             1         司法部令第75号 §33; 宁波条例 §27 (一个月内调结)
SIFA_MEDIATION_EXTENSION_MONTHS        1         宁波条例 §27: both parties ask → "适当延长"
SIFA_MEDIATION_MAX_EXTENSIONS          1         宁波条例 §27: no agreement after the extension → 终止
SIFA_MEDIATION_CONFIRMATION_DAYS       30        人民调解法 §33
SIFA_MEDIATION_FOLLOWUP_DAYS           30        practice: first 回访 within a month of the agreement
=====================================  ========  ===========================================
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "TERM_MONTHS": 1,
    "EXTENSION_MONTHS": 1,
    "MAX_EXTENSIONS": 1,
    "CONFIRMATION_DAYS": 30,
    "FOLLOWUP_DAYS": 30,
}


def get(name: str) -> int:
    return int(getattr(settings, f"SIFA_MEDIATION_{name}", DEFAULTS[name]))


def extension_months(case=None, data=None) -> int:
    return get("EXTENSION_MONTHS")


def followup_days(case=None, data=None) -> int:
    return get("FOLLOWUP_DAYS")


def term_months(case=None, data=None) -> int:
    return get("TERM_MONTHS")


def confirmation_days(case=None, data=None) -> int:
    return get("CONFIRMATION_DAYS")
