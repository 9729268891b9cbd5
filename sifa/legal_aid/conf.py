"""The line's adjustable rule parameters, read when used (a deployment sets them
in its settings, no code change). Defaults and their basis:

==================================  ========  ===============================================
setting                             default   basis
==================================  ========  ===============================================
SIFA_LEGAL_AID_REVIEW_DAYS          7         法律援助法 §43 (收到申请之日起七日内)
SIFA_LEGAL_AID_REVIEW_UNIT          day       the statute's 日; "workday" where a province counts working days
SIFA_LEGAL_AID_ASSIGN_DAYS          3         §43 (决定之日起三日内), §36 (收到通知之日起三日内)
SIFA_LEGAL_AID_MATERIALS_DAYS       10        §43 一次性告知补正 (the period is the centre's; practice)
SIFA_LEGAL_AID_CLOSING_WORKDAYS     30        结案材料提交 (安顺/桂林 practice, DOMAIN §6.1)
SIFA_LEGAL_AID_OBJECTION_DAYS       5         §49 (司法行政部门收到异议之日起五日内)
SIFA_LEGAL_AID_CAPITAL_YEARS        3         §26 (三年以上相关执业经历)
==================================  ========  ===============================================
"""

from __future__ import annotations

from sifa.common.conf import Settings

_conf = Settings(
    "SIFA_LEGAL_AID_",
    {"REVIEW_DAYS": 7, "REVIEW_UNIT": "day", "ASSIGN_DAYS": 3, "MATERIALS_DAYS": 10, "CLOSING_WORKDAYS": 30, "OBJECTION_DAYS": 5, "CAPITAL_YEARS": 3},
)
get, rule = _conf.get, _conf.rule
