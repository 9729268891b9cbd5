"""The line's adjustable rules, read when used (a deployment sets them in its
settings, no code change). National law only requires 分类管理 (社区矫正法 §3,
§24); the grades, their duties and the ladder's thresholds are the province's
(DOMAIN.md §4.2–§4.3). The defaults follow the provincial rules cited there;
a province with other rules sets its own.

==========================================  ===========  =========================================
setting                                     default      basis
==========================================  ===========  =========================================
SIFA_CORRECTION_ASSESSMENT_WORKDAYS         10           调查评估 within 10 working days (实施办法 §14)
SIFA_CORRECTION_ASSESSMENT_FAST_WORKDAYS    5            速裁 cases: 5 working days
SIFA_CORRECTION_INITIAL_GRADE               "strict"     入矫不满2个月 is 严管 (DOMAIN §4.3)
SIFA_CORRECTION_GRADE_DUTIES                (below)      each grade's recurring duties
SIFA_CORRECTION_HOURS                       (below)      monthly study / community-service hours
SIFA_CORRECTION_GRADE_RULES                 (below)      when the system proposes a grade change
SIFA_CORRECTION_CONTACT_DAYS                (below)      longest gap without contact before a
                                                         lost-contact warning, days, per grade
SIFA_CORRECTION_LADDER                      (below)      the thresholds that make a proposal
SIFA_CORRECTION_LEAVE_OFFICE_DAYS           7            外出 ≤ 7 days: the office decides
SIFA_CORRECTION_LEAVE_MAX_DAYS              30           one 外出 at most 30 days
SIFA_CORRECTION_LEAVE_YEAR_DAYS             60           外出 at most 60 days a year
SIFA_CORRECTION_MONITOR_MAX_MONTHS          3            电子定位 ≤ 3 months each time (§29)
SIFA_CORRECTION_RELEASE_NOTICE_DAYS         30           期满鉴定 offered 30 days before the end
SIFA_CORRECTION_MINOR_AGE                   18           under it at intake: a minor (§52–58)
SIFA_CORRECTION_REOFFENCE_BASE              "managed"    再犯罪率 ÷ 累计列管 (or "on_register", "received")
==========================================  ===========  =========================================
"""

from __future__ import annotations

from sifa.common.conf import Settings

_conf = Settings(
    "SIFA_CORRECTION_",
    {
        "ASSESSMENT_WORKDAYS": 10,
        "ASSESSMENT_FAST_WORKDAYS": 5,
        "INITIAL_GRADE": "strict",
        # Grade -> the duties (keys of workflow.DUTIES) it brings. 严管: 每周报到 + 书面汇报,
        # 每周个别教育, 每月学习教育 ≥ 12 h and 公益活动 ≥ 12 h, 实地查访 (DOMAIN §4.3).
        "GRADE_DUTIES": {
            "strict": ["weekly_report", "weekly_written", "weekly_talk", "monthly_study", "monthly_service", "monthly_visit"],
            "normal": ["biweekly_report", "monthly_written", "monthly_talk", "monthly_study", "monthly_service", "quarterly_visit"],
            "lenient": ["monthly_report", "quarterly_talk", "monthly_study", "quarterly_visit"],
        },
        "HOURS": {"strict": {"study": 12, "service": 12}, "normal": {"study": 8, "service": 8}, "lenient": {"study": 4, "service": 0}},
        "CONTACT_DAYS": {"strict": 7, "normal": 14, "lenient": 31},
        # 实施办法 via 温州 (DOMAIN §4.2): two uncorrected 训诫 make a 警告 case, two uncorrected
        # 警告 a revocation case; lost contact (or a late report) ≤ 10 days 训诫, > 10 days 警告,
        # > 1 month (31 days) revocation.
        "LADDER": {"admonish_to_warn": 2, "warn_to_revoke": 2, "lost_warn_days": 10, "lost_revoke_days": 31},
        # 入矫不满2个月 严管; 训诫 ≥ 2 (or 警告, 治安处罚) back to 严管; 连续普管 ≥ 6 个月 or
        # 3 次表扬 may be 宽管 (DOMAIN §4.3).
        "GRADE_RULES": {"strict_first_months": 2, "strict_admonishments": 2, "lenient_after_months": 6, "lenient_commendations": 3},
        "LEAVE_OFFICE_DAYS": 7,
        "LEAVE_MAX_DAYS": 30,
        "LEAVE_YEAR_DAYS": 60,
        "MONITOR_MAX_MONTHS": 3,
        "RELEASE_NOTICE_DAYS": 30,
        "MINOR_AGE": 18,
        # 再犯罪率's denominator (DOMAIN §14.2): "managed" 累计列管, "on_register" 期末在册, "received".
        "REOFFENCE_BASE": "managed",
    },
)
get, rule = _conf.get, _conf.rule


def grade_has(grade: str, duty: str) -> bool:
    return duty in (get("GRADE_DUTIES").get(grade) or ())


def hours(grade: str, kind: str) -> int:
    return int((get("HOURS").get(grade) or {}).get(kind, 0))


def contact_days(grade: str) -> int:
    return int(get("CONTACT_DAYS").get(grade, 7))


def ladder(name: str) -> int:
    return int(get("LADDER")[name])
