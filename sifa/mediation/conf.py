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

from sifa.common.conf import Settings

_conf = Settings(
    "SIFA_MEDIATION_",
    {"TERM_MONTHS": 1, "EXTENSION_MONTHS": 1, "MAX_EXTENSIONS": 1, "CONFIRMATION_DAYS": 30, "FOLLOWUP_DAYS": 30},
)
get, rule = _conf.get, _conf.rule
