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
SIFA_LEGAL_AID_MEANS_STANDARD       0         §34: 经济困难标准 (家庭月人均收入, 元), set by the province; 0 = not set
SIFA_LEGAL_AID_QUALITY_SAMPLE       20        SF/T 0085 peer review: percent of closed cases sampled for assessment
SIFA_LEGAL_AID_QUALITY_SHEET        (below)   the score sheet: (key, indicator, max score); grades by total
SIFA_LEGAL_AID_SUBSIDY_STANDARD     (below)   §52 办案补贴标准 (元 a case), by category and, for criminal cases, stage
SIFA_LEGAL_AID_SUBSIDY_ADJUSTMENTS  (below)   §52 上浮/下调, percent of the standard (0 = not applied)
==================================  ========  ===============================================

办案补贴 (法律援助法 §52): the real standard is set by the province's justice and
finance departments (省级司法行政部门会同同级财政部门), differs between provinces
and is revised from time to time; the defaults below are an example only and a
deployment sets its own table. SUBSIDY_STANDARD maps a case category (choices.
Category) to an amount, or for criminal cases to a dict by stage (choices.Stage);
a category or stage missing from the table is refused when computing, naming the
setting. SUBSIDY_ADJUSTMENTS: "capital" (可能判处无期徒刑、死刑的案件, §26) and
"fail" (质量评估不合格), each a percent of the standard added (negative: deducted);
other adjustments (异地办案、多名受援人 …) are entered by the centre before approval.
"""

from __future__ import annotations

from sifa.common.conf import Settings

_conf = Settings(
    "SIFA_LEGAL_AID_",
    {
        "REVIEW_DAYS": 7,
        "REVIEW_UNIT": "day",
        "ASSIGN_DAYS": 3,
        "MATERIALS_DAYS": 10,
        "CLOSING_WORKDAYS": 30,
        "OBJECTION_DAYS": 5,
        "CAPITAL_YEARS": 3,
        "MEANS_STANDARD": 0,
        "QUALITY_SAMPLE": 20,
        # SF/T 0085-2020 style peer review of a closed case: indicators and their maximum scores.
        "QUALITY_SHEET": (
            ("acceptance", "受理、审查和指派程序规范", 10),
            ("contact", "会见、通报进展等与受援人沟通", 15),
            ("preparation", "阅卷、调查取证等准备工作", 20),
            ("advocacy", "代理或辩护意见及其采纳", 30),
            ("documents", "法律文书和卷宗材料质量", 15),
            ("discipline", "遵守职业道德和执业纪律", 10),
        ),
        # Grades by total score: at least 85 优秀, at least 60 合格, else 不合格.
        "QUALITY_GRADES": ((85, "excellent"), (60, "pass"), (0, "fail")),
        # 办案补贴标准 (元 a case): an example; the province's table replaces it (see above).
        "SUBSIDY_STANDARD": {
            "criminal": {"investigation": 1500, "prosecution": 1500, "trial": 2500, "death_review": 3000},
            "civil": 2000,
            "administrative": 2000,
            "state_comp": 2000,
            "labour_arb": 1500,
            "non_litigation": 1000,
        },
        # Adjustments by rule, percent of the standard: capital cases +50 %, a failed quality assessment −50 %.
        "SUBSIDY_ADJUSTMENTS": {"capital": 50, "fail": -50},
    },
)
get, rule = _conf.get, _conf.rule
