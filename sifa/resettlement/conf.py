"""What a bureau may set (``settings.SIFA_RESETTLEMENT_*``), with the defaults the
rules and practice give (DOMAIN.md §5). Read through these functions only, so a
test or a deployment changes one setting and everything follows."""

from __future__ import annotations

from django.conf import settings

# Risk grades (风险评估): code → (label, colour for the badge, contacts every N months).
# 北京 2006: 高危 (重点管控), 中危 (一般帮教), 低危 (情况必知); a bureau may use a four-colour scheme.
GRADES = {
    "high": ("高风险（重点帮教）", "danger", 1),
    "medium": ("中风险（一般帮教）", "warning", 3),
    "low": ("低风险（情况必知）", "success", 6),
}
# Factors the assessment records (分类帮教: 罪错原因, 危害程度, 悔错表现, 家庭状况, 社会交往 …).
FACTORS = {
    "violent": "暴力犯罪或危害国家安全犯罪",
    "repeat": "累犯、再犯",
    "drugs": "涉毒",
    "no_family": "无家可归、无亲可投",
    "no_income": "无业、无生活来源",
    "poor_attitude": "悔错表现差、对社会有抵触",
    "mental": "心理、精神状况异常",
}
# Re-rated every N months (北京: 每半年).
REGRADE_MONTHS = 6
# Days after release to report (衔接): within them the hand-over is 无缝衔接.
REPORT_DAYS = 7
# 摸排: working days after the prison's notice to verify where the person lives.
VERIFY_WORKDAYS = 10
# The assistance period (帮教期), years after release, by origin (福建: 刑满释放、解除矫正五年内).
PERIOD_YEARS = {"prison": 5, "detention": 5, "correction": 5}
# The provincial returns an office reports (广东: 半年报 by 2 July, 年报 by 2 February):
# (label, period kind "half" | "year", month, day of the deadline after the period).
RETURNS = (("半年报", "half", 7, 2), ("年报", "year", 2, 2))
# Days before a return's deadline from which it is shown on the desk and the 指挥中心.
RETURN_NOTICE_DAYS = 15


def _get(name: str, default):
    return getattr(settings, f"SIFA_RESETTLEMENT_{name}", default)


def grades() -> dict:
    return _get("GRADES", GRADES)


def grade_choices() -> list[tuple[str, str]]:
    return [(k, v[0]) for k, v in grades().items()]


def contact_months(grade: str) -> int | None:
    g = grades().get(grade)
    return g[2] if g else None


def factors() -> dict:
    return _get("FACTORS", FACTORS)


def regrade_months() -> int:
    return _get("REGRADE_MONTHS", REGRADE_MONTHS)


def report_days() -> int:
    return _get("REPORT_DAYS", REPORT_DAYS)


def verify_workdays() -> int:
    return _get("VERIFY_WORKDAYS", VERIFY_WORKDAYS)


def period_years(origin: str) -> int:
    return _get("PERIOD_YEARS", PERIOD_YEARS).get(origin, 5)


def returns() -> tuple:
    return _get("RETURNS", RETURNS)


def return_notice_days() -> int:
    return _get("RETURN_NOTICE_DAYS", RETURN_NOTICE_DAYS)
