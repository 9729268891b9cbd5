"""The figures 社区矫正 reports (DOMAIN.md §4.6, §14.2), declared once (named in
``line.py``). The dashboard, the statistics table, the line's figures page, the
exports and the annual report compute them in SQL with the user's scoping (a
sealed minor's case is counted, never named) and print each ``definition``.

Which date puts a person in a period: 新接收 the day the documents were received
(the case's 接收日期); 报到 and 入矫宣告 their own days; 解除, 终止 and 重新犯罪 the
解除/终止日期; a reward or sanction its decision or proposal day; 电子定位 the day
it was approved; an approval (审批事项) the day it was asked; 脱管 the day
contact was lost; 调查评估 the day the entrustment arrived, its opinion the day
it was issued.

在册 (on the register at the period's end) and 累计列管 (on the register on any day
of the period) are stocks: ``Measure(stock=…)`` dated by 报到 and 解除/终止.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from sifa.kit.kpis import MONTH, OFFICE, Dimension, Measure, ReportSection, family

from . import conf
from .choices import (
    APPROVAL_KINDS,
    ASSESSMENT,
    CASE_TYPE,
    AssessmentStatus,
    Category,
    Entruster,
    Opinion,
    ReleaseKind,
    Sanction,
    Status,
    TerminationKind,
)

SUBJECT = "correction.Subject"
BASIS = "《社区矫正法》"


def _law(*articles: str) -> str:
    return f"{BASIS}第{'、'.join(articles)}条"


# --- breakdowns ------------------------------------------------------------------------------------

BY_CATEGORY = Dimension("category", "矫正类别", "field", field="category", labels=lambda: dict(Category.choices))
# The same, for rows of the file (奖惩, 审批, 脱管): the person's category through the case.
BY_SUBJECT_CATEGORY = Dimension("category", "矫正类别", "field", field="case__subject__category", labels=lambda: dict(Category.choices))
BY_RELEASE_KIND = Dimension("release_kind", "解除类型", "field", field="release_kind", labels=lambda: dict(ReleaseKind.choices))
BY_TERMINATION_KIND = Dimension("termination_kind", "终止类型", "field", field="termination_kind", labels=lambda: dict(TerminationKind.choices))
BY_SANCTION = Dimension("kind", "惩处/提请类别", "field", field="kind", labels=lambda: dict(Sanction.choices))
BY_APPROVAL = Dimension("kind", "审批事项", "field", field="key", labels=lambda: dict(APPROVAL_KINDS))
BY_ENTRUSTER = Dimension("entruster", "委托单位类别", "field", field="entruster", labels=lambda: dict(Entruster.choices))
BY_PROPOSED = Dimension("category", "拟适用矫正类别", "field", field="proposed_category", labels=lambda: dict(Category.choices))
BY_OPINION = Dimension("opinion", "评估意见", "field", field="opinion", labels=lambda: dict(Opinion.choices))

PERSON_DIMS = (BY_CATEGORY, OFFICE, MONTH)
FILE_DIMS = (BY_SUBJECT_CATEGORY, OFFICE, MONTH)

# --- measures --------------------------------------------------------------------------------------

_subject = partial(Measure, model=SUBJECT, case_path="case", case_types=(CASE_TYPE,))
_ended = partial(_subject, date_field="ended_on")

RECEIVED = _subject("接收的社区矫正对象", date_field="case__opened_on")
REPORTED = _subject("报到（移送接收）的社区矫正对象", date_field="reported_on", filter=Q(reported_on__isnull=False))
# 报到期限: within 10 days of the judgment taking effect (§21), its last day moved past a rest
# day as the clock counts it (``services.report_late_days``, stored at 报到 and on import).
REPORTED_ON_TIME = _subject("其中生效之日起十日内报到的", date_field="reported_on", filter=Q(reported_on__isnull=False, report_late_days=0))
DECLARED = _subject("入矫宣告的社区矫正对象", date_field="declared_on", filter=Q(declared_on__isnull=False))
RELEASED = _ended("解除矫正的社区矫正对象", filter=Q(ended_on__isnull=False, case__status=Status.RELEASED))
TERMINATED = _ended("终止矫正的社区矫正对象", filter=Q(ended_on__isnull=False, case__status=Status.TERMINATED))
ENDED = _ended("解除和终止矫正的社区矫正对象", filter=Q(ended_on__isnull=False, case__status__in=(Status.RELEASED, Status.TERMINATED)))
# Stocks (``Measure.stock``): reported (or transferred) by the period's end and not released
# or terminated by it (在册; one released on 31 December is not on the register at the year's
# end), or on the register on any day of the period (累计列管).
ON_REGISTER = _subject("期末在册的社区矫正对象", date_field="reported_on", ends_field="ended_on", stock="end", filter=Q(reported_on__isnull=False))
MANAGED = _subject("累计列管的社区矫正对象", date_field="reported_on", ends_field="ended_on", stock="during", filter=Q(reported_on__isnull=False))
REOFFENDED = _ended("矫正期间重新犯罪的社区矫正对象", filter=Q(ended_on__isnull=False, case__status=Status.TERMINATED, reoffended=True))

_discipline = partial(Measure, model="correction.Discipline", case_path="case", date_field="on", case_types=(CASE_TYPE,))


def _sanction(kind: Sanction) -> Measure:
    return _discipline(kind.label, filter=Q(kind=kind))


SANCTIONS = _discipline("训诫、警告和各类提请", filter=Q(kind__in=Sanction.values))

# 电子定位: an approval starts the procedure's 电子定位期限 clock on the day it is approved
# (``approvals``: the "monitor" rule starts on "approve"; a renewal extends the same clock).
# So the clocks started in the period are the approvals of the period, each person once.
MONITORED = Measure(
    "经批准使用电子定位装置的社区矫正对象",
    model="deadlines.Deadline",
    case_path="case",
    date_field="start_date",
    filter=Q(procedure__key="monitor", key__endswith=":monitor"),
    case_types=(CASE_TYPE,),
    agg="count_cases",
)
APPROVALS = Measure(
    "登记的审批事项",
    model="cases.Procedure",
    case_path="case",
    date_field="opened_on",
    filter=Q(key__in=tuple(APPROVAL_KINDS)),
    case_types=(CASE_TYPE,),
)
LOST = Measure("脱管", model="correction.LostContact", case_path="case", date_field="lost_on", case_types=(CASE_TYPE,))

_inquiry = partial(Measure, model="correction.Inquiry", case_path="case", case_types=(ASSESSMENT,))
ENTRUSTED = _inquiry("收到的调查评估委托", date_field="case__opened_on")
ISSUED = _inquiry("出具的调查评估意见书", date_field="issued_on", filter=Q(issued_on__isnull=False, case__status=AssessmentStatus.ISSUED))

# --- 再犯罪率's denominator ----------------------------------------------------------------------------
#
# DOMAIN §4.6 / §14.2: 再犯罪率 = 矫正期间重新犯罪人数 ÷ 当期在册（或累计列管）人数, the
# denominator configurable (``conf.REOFFENCE_BASE``): "managed" 累计列管 (default), "on_register"
# 期末在册, "received" 新接收. Read when the figures are declared (at start-up).
REOFFENCE_BASES = {"managed": MANAGED, "on_register": ON_REGISTER, "received": RECEIVED}
REOFFENCE_WORDS = {
    "managed": "统计期内累计列管的社区矫正对象人数（期初在册与期内报到之和）",
    "on_register": "统计期末在册的社区矫正对象人数",
    "received": "统计期内新接收的社区矫正对象人数",
}


def reoffence_base(name: str | None = None) -> str:
    """The configured denominator's name (``SIFA_CORRECTION_REOFFENCE_BASE``)."""
    name = name if name is not None else conf.get("REOFFENCE_BASE")
    if name not in REOFFENCE_BASES:
        raise ImproperlyConfigured(f"SIFA_CORRECTION_REOFFENCE_BASE = {name!r}: choose one of {', '.join(REOFFENCE_BASES)}.")
    return name


BASE = reoffence_base()

# --- the figures -----------------------------------------------------------------------------------------

kpi = family(CASE_TYPE, dimensions=PERSON_DIMS, source=BASIS)


def _sanction_kpi(key: str, kind: Sanction, articles: tuple[str, ...], order: int):
    return kpi(
        key,
        f"{kind.label}次数",
        "次",
        _sanction(kind),
        definition=f"统计期内对社区矫正对象作出{kind.label}的次数，按决定/提请日期统计（一人多次的分别计算）。",
        source=_law(*articles),
        dimensions=FILE_DIMS,
        higher_is_better=False,
        order=order,
    )


KPIS = (
    kpi(
        "received",
        "新接收社区矫正对象",
        "人",
        RECEIVED,
        definition="统计期内登记接收的社区矫正对象人数（管制、缓刑、假释、暂予监外执行），按收到法律文书的接收日期统计。",
        source=_law("十七", "二十", "二十二"),
        headline=True,
        order=10,
    ),
    kpi(
        "on_register",
        "期末在册社区矫正对象",
        "人",
        ON_REGISTER,
        definition="统计期末在册的社区矫正对象人数：期末以前已报到（移送接收），且期末时尚未解除或终止矫正（期末当日解除、终止的不计入）。",
        source=_law("二十二", "四十四", "四十五"),
        dimensions=(BY_CATEGORY, OFFICE),
        headline=True,
        order=12,
    ),
    kpi(
        "managed",
        "累计列管社区矫正对象",
        "人",
        MANAGED,
        definition="统计期内任一日在册的社区矫正对象人数：期末以前已报到，且期初以前未解除或终止矫正（即期初在册人数与期内报到人数之和）。",
        source=_law("二十二", "四十四", "四十五"),
        dimensions=(BY_CATEGORY, OFFICE),
        order=13,
    ),
    kpi(
        "reported",
        "报到（移送接收）人数",
        "人",
        REPORTED,
        definition="统计期内到执行地社区矫正机构报到，或暂予监外执行罪犯被移送接收的人数，按报到日期统计。",
        source=_law("二十一", "二十二"),
        order=15,
    ),
    kpi(
        "report_on_time_rate",
        "按期报到率",
        "%",
        REPORTED_ON_TIME,
        REPORTED,
        definition="统计期内报到（移送接收）的社区矫正对象中，自判决、裁定、决定生效之日起十日内报到的人数 ÷ 报到（移送接收）人数，按报到日期统计。",
        source=_law("二十一"),
        order=16,
    ),
    kpi(
        "declared",
        "入矫宣告人数",
        "人",
        DECLARED,
        definition="统计期内进行入矫宣告的社区矫正对象人数，按宣告日期统计。",
        source=_law("二十二"),
        order=18,
    ),
    kpi(
        "released",
        "解除矫正人数",
        "人",
        RELEASED,
        definition="统计期内矫正期满或被赦免、解除社区矫正的人数，按解除日期统计。",
        source=_law("四十四"),
        dimensions=(BY_RELEASE_KIND, *PERSON_DIMS),
        headline=True,
        order=20,
    ),
    kpi(
        "terminated",
        "终止矫正人数",
        "人",
        TERMINATED,
        definition="统计期内因撤销缓刑、撤销假释、收监执行、死亡等终止社区矫正的人数，按终止日期统计。",
        source=_law("四十五"),
        dimensions=(BY_TERMINATION_KIND, *PERSON_DIMS),
        higher_is_better=False,
        order=25,
    ),
    kpi(
        "assessments",
        "受托调查评估件数",
        "件",
        ENTRUSTED,
        definition="统计期内收到人民法院、人民检察院、公安机关、监狱委托的调查评估件数，按收到委托日期统计。",
        source=_law("十八"),
        dimensions=(BY_ENTRUSTER, BY_PROPOSED, OFFICE, MONTH),
        order=30,
    ),
    kpi(
        "assessments_issued",
        "出具调查评估意见书",
        "件",
        ISSUED,
        definition="统计期内向委托机关出具调查评估意见书的件数（不含委托撤回的），按出具日期统计。",
        source=_law("十八"),
        dimensions=(BY_OPINION, BY_ENTRUSTER, OFFICE, MONTH),
        order=31,
    ),
    kpi(
        "sanctions",
        "惩处和提请次数",
        "次",
        SANCTIONS,
        definition="统计期内对社区矫正对象作出训诫、警告，或提请治安管理处罚、撤销缓刑、撤销假释、收监执行、逮捕的次数，按决定/提请日期统计。",
        source=_law("二十八", "四十六", "四十七", "四十八", "四十九"),
        dimensions=(BY_SANCTION, *FILE_DIMS),
        higher_is_better=False,
        order=40,
    ),
    _sanction_kpi("admonished", Sanction.ADMONISH, ("二十八",), 41),
    _sanction_kpi("warned", Sanction.WARN, ("二十八",), 42),
    _sanction_kpi("penalty_proposed", Sanction.PENALTY, ("二十八",), 43),
    _sanction_kpi("probation_revocations", Sanction.REVOKE_PROBATION, ("二十八", "四十六"), 44),
    _sanction_kpi("parole_revocations", Sanction.REVOKE_PAROLE, ("二十八", "四十六"), 45),
    _sanction_kpi("imprisonments", Sanction.IMPRISON, ("二十八", "四十九"), 46),
    kpi(
        "monitored",
        "使用电子定位装置人数",
        "人",
        MONITORED,
        definition="统计期内经县级社区矫正机构负责人批准使用电子定位装置的社区矫正对象人数，按批准日期统计（续期不另计）。",
        source=_law("二十九"),
        dimensions=FILE_DIMS,
        order=50,
    ),
    kpi(
        "approvals",
        "审批事项件数",
        "件",
        APPROVALS,
        definition="统计期内登记办理的外出、经常性跨市县活动、变更执行地、会客、进入特定区域（场所）、病情复查期限延长和使用电子定位装置审批事项件数，按申请登记日期统计。",
        source=_law("二十三", "二十七", "二十九"),
        dimensions=(BY_APPROVAL, *FILE_DIMS),
        order=55,
    ),
    kpi(
        "lost",
        "脱管人次",
        "人次",
        LOST,
        definition="统计期内社区矫正对象脱离监管（失去联系）的次数，按脱管日期统计（一人多次的分别计算）。",
        source=_law("三十"),
        dimensions=FILE_DIMS,
        higher_is_better=False,
        order=60,
    ),
    kpi(
        "reoffended",
        "矫正期间重新犯罪人数",
        "人",
        REOFFENDED,
        definition="统计期内因在矫正期间重新犯罪而终止社区矫正的人数，按终止日期统计。",
        source=_law("四十五", "四十六"),
        higher_is_better=False,
        order=70,
    ),
    kpi(
        "reoffence_rate",
        "再犯罪率",
        "%",
        REOFFENDED,
        REOFFENCE_BASES[BASE],
        definition=f"统计期内因矫正期间重新犯罪而终止矫正的人数 ÷ {REOFFENCE_WORDS[BASE]}（分母可配置）。",
        source=_law("四十五") + "；社区矫正统计口径：再犯罪率 = 矫正期间重新犯罪人数 ÷ 当期在册（或累计列管）人数",
        higher_is_better=False,
        headline=True,
        order=71,
    ),
)

_k = partial("{}.{}".format, CASE_TYPE)

REPORT = ReportSection(
    CASE_TYPE,
    title="社区矫正工作",
    theme="safety",
    points=(
        (
            "社区矫正对象接收和在册管理规范有序",
            "{span}，{org}新接收社区矫正对象{correction.received}，{correction.received:yoy}；解除矫正{correction.released}，"
            "终止矫正{correction.terminated}；期末在册{correction.on_register}，累计列管{correction.managed}。办理入矫宣告{correction.declared}，"
            "按期报到率{correction.report_on_time_rate}。受托开展调查评估{correction.assessments}，出具调查评估意见书{correction.assessments_issued}。",
        ),
        (
            "分类管理和考核奖惩严格落实",
            "依法训诫{correction.admonished}、警告{correction.warned}，提请治安管理处罚{correction.penalty_proposed}，"
            "提请撤销缓刑{correction.probation_revocations}、提请撤销假释{correction.parole_revocations}、提请收监执行{correction.imprisonments}；"
            "经批准使用电子定位装置{correction.monitored}，办理外出等审批事项{correction.approvals}。",
        ),
        (
            "监管安全底线牢牢守住",
            "发生脱管{correction.lost}；社区矫正对象矫正期间重新犯罪{correction.reoffended}，再犯罪率{correction.reoffence_rate}。",
        ),
    ),
    chart_kpis=(_k("received"), _k("released"), _k("terminated")),  # one unit (人) per chart
    order=60,
)

# The line's figures page (/stats/line/correction/): (KPI key, dimension key).
FIGURES = (
    (_k("received"), "category"),
    (_k("received"), "office"),
    (_k("on_register"), "category"),
    (_k("on_register"), "office"),
    (_k("released"), "release_kind"),
    (_k("terminated"), "termination_kind"),
    (_k("sanctions"), "kind"),
    (_k("approvals"), "kind"),
    (_k("assessments"), "entruster"),
    (_k("assessments_issued"), "opinion"),
)
