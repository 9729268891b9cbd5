"""The figures the 12348 hotline and the public legal service centres report
(DOMAIN.md §7, §14.2: 按时办结率, 回访率, 满意率, 质检率, 不满意100%回访),
declared once (named in ``line.py``). The dashboard, tables, exports, the
return and the annual report compute them in SQL with the user's scoping and
print each ``definition`` beside the number.

Which date puts an order in a period: received orders by the 受理日期; answers,
dispatches and callbacks by their own dates; ratings and quality scores by the
办结日期, which is the date of the rating: an order is rated when it is closed
(on the call by the answer that closes it, or at the callback that closes it).
A later 不满意回访 of an order answered on the call keeps that date.

On time is read from the order's 办理时限 clock itself (``Deadline`` "handle",
the one ``deadlines.selectors.met`` reads): completed on or before its due
date, extensions granted included. The hotline's clocks never pause, so the
paused days ``met`` allows for do not arise here. Orders imported closed have
no clocks and are not in that rate.

Hand-overs (转人民调解 / 转法律援助 / 转行政复议) are the kernel's ``CaseLink``
rows, counted on the hotline's side: an order's through the link (scoped as
the order), a visit's through the visit (scoped as the entry), each dated by
the day the receiving line registered its case."""

from __future__ import annotations

from functools import partial

from django.db.models import Exists, F, OuterRef, Q

from sifa.cases.models import CaseLink
from sifa.kit.kpis import MONTH, OFFICE, Dimension, Measure, ReportSection, ReturnRow, StatReturn, family

from .choices import CASE_TYPE, Category, Channel, Kind, Point, Satisfaction, Service, Status

ORDER = "hotline.WorkOrder"
VISIT = "hotline.Visit"
BASIS = "12345转办工单办理规则（应急类当日、咨询求助类3个工作日、投诉建议类13个工作日，办结次日回访）；安徽12348平台指标（满意率、质检率、不满意评价100%回访）"

# The receiving lines' HandOver keys (declared in their line.py; named here as data, never imported).
HANDOVERS = {"mediate": "转人民调解", "apply": "转法律援助", "reconsider": "转行政复议"}


def _case_type_labels() -> dict:
    from sifa.kit import registry

    return {ct.key: ct.label for ct in registry.case_types()}


def order_dims(prefix: str = "") -> tuple[Dimension, ...]:
    """受理渠道, 工单类型, 法律类别, 受理单位, 司法所, 月份; ``prefix`` is the path to the
    WorkOrder from the measure's model."""
    return (
        Dimension("channel", "受理渠道", "field", field=f"{prefix}channel", labels=lambda: dict(Channel.choices)),
        Dimension("kind", "工单类型", "field", field=f"{prefix}kind", labels=lambda: dict(Kind.choices)),
        Dimension("category", "法律类别", "field", field=f"{prefix}category", labels=lambda: dict(Category.choices)),
        Dimension("desk", "受理单位", "org"),
        OFFICE,
        MONTH,
    )


ORDER_DIMS = order_dims()
CLOCK_DIMS = order_dims("case__workorder__")
VISIT_DIMS = (
    Dimension("point", "服务场所", "field", field="point", labels=lambda: dict(Point.choices)),
    Dimension("service", "服务事项", "field", field="service", labels=lambda: dict(Service.choices)),
    Dimension("desk", "登记机构", "org"),
    OFFICE,
    MONTH,
)
LINK_DIMS = (Dimension("handover", "转入业务", "field", field="kind", labels=lambda: dict(HANDOVERS)), OFFICE, MONTH)
VISIT_LINK_DIMS = (Dimension("handover", "转入业务", "field", field="handed_to__case_type", labels=_case_type_labels), OFFICE, MONTH)

# --- measures -----------------------------------------------------------------------------------

_order = partial(Measure, model=ORDER, case_path="case", case_types=(CASE_TYPE,))
_closed = partial(_order, date_field="case__closed_on")
_HANDLED = ~Q(target="") & Q(answered_on__isnull=False)  # answered by the unit it was dispatched to
_RATED = ~Q(satisfaction="")

RECEIVED = _order("受理的工单", date_field="case__opened_on")
ON_SPOT = _order("即时解答办结的工单", date_field="answered_on", filter=Q(answered_on_spot=True))
DISPATCHED = _order("派单的工单", date_field="dispatched_on")
REPLIED = _order("派单办理并已反馈的工单", date_field="answered_on", filter=_HANDLED)
CALLED_BACK = _order("其中已回访的工单", date_field="answered_on", filter=_HANDLED & Q(callback_on__isnull=False))
RATED = _closed("有满意度评价的工单", filter=_RATED)
SATISFIED = _closed("评价满意或基本满意的工单", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]))
UNSATISFIED = _closed("评价不满意的工单", filter=Q(satisfaction=Satisfaction.UNSATISFIED))
UNSATISFIED_CALLED = _closed("其中已回访的不满意工单", filter=Q(satisfaction=Satisfaction.UNSATISFIED, callback_on__isnull=False))
CLOSED = _closed("办结的工单", filter=Q(case__status=Status.CLOSED))
SCORED = _closed("其中已质检的工单", filter=Q(case__status=Status.CLOSED, quality_score__isnull=False))

# The 办理时限 clock of each order (one per order: a 重办 restarts the same clock).
_handle = partial(Measure, model="deadlines.Deadline", case_path="case", case_types=(CASE_TYPE,), date_field="completed_on")
_CLOCK = Q(key="handle", procedure__isnull=True, cancelled=False)
HANDLE_DONE = _handle("办理时限已完成的工单", filter=_CLOCK)
HANDLE_ON_TIME = _handle("其中在办理时限内完成的工单", filter=_CLOCK & Q(completed_on__lte=F("due_date")))

VISITS = Measure("来访登记", model=VISIT, date_field="on")

# Hand-overs: a link out of an order whose new case still stands (one deleted as a duplicate is not counted).
_link = partial(Measure, model="cases.CaseLink", case_path="source", case_types=(CASE_TYPE,), date_field="target__opened_on")
_visit_link = partial(Measure, model=VISIT, date_field="handed_to__opened_on")
_LIVE_TARGET = Q(target__is_deleted=False)
_VISIT_HANDED = Q(handed_to__isnull=False, handed_to__is_deleted=False)
ORDER_HANDOVERS = _link("转入其他业务的工单", filter=_LIVE_TARGET)
VISIT_HANDOVERS = _visit_link("转入其他业务的来访", filter=_VISIT_HANDED)


def _order_handover(key: str) -> Measure:
    return _link(f"工单{HANDOVERS[key]}", filter=_LIVE_TARGET & Q(kind=key))


def _visit_handover(key: str) -> Measure:
    # The visit's link names it by its number, not its id: the receiving case and the kind say which.
    linked = Exists(CaseLink.objects.filter(target=OuterRef("handed_to"), kind=key))
    return _visit_link(f"来访{HANDOVERS[key]}", filter=_VISIT_HANDED & Q(linked))


# --- the figures -----------------------------------------------------------------------------------

kpi = family(CASE_TYPE, dimensions=ORDER_DIMS, source=BASIS)

KPIS = (
    kpi(
        "orders",
        "受理工单数",
        "件",
        RECEIVED,
        definition="统计期内受理的12348热线工单件数（含12348来电、12345转办、110联动、网络、窗口和信函），按受理日期统计。",
        headline=True,
        order=10,
    ),
    kpi(
        "on_spot",
        "即时解答办结数",
        "件",
        ON_SPOT,
        definition="统计期内在受理当日未经派单、由坐席或窗口直接答复办结的工单件数，按答复日期统计。",
        order=20,
    ),
    kpi(
        "dispatched",
        "派单数",
        "件",
        DISPATCHED,
        definition="统计期内派往司法所、法律援助中心、人民调解组织、公共法律服务中心或律师事务所办理的工单件数，按（最近一次）派单日期统计。",
        order=30,
    ),
    kpi(
        "on_time_rate",
        "按时办结率",
        "%",
        HANDLE_ON_TIME,
        HANDLE_DONE,
        definition=(
            "在办理时限内完成的工单件数 ÷ 办理时限已完成（答复办结或承办单位办理反馈）的工单件数 × 100%，均按完成日期在统计期内统计。"
            "办理时限按工作日计算（咨询、求助3个工作日，投诉、建议13个工作日，紧急当日），经批准的延期计入；以台账导入的已办结工单没有办理时限，不计入。"
        ),
        dimensions=CLOCK_DIMS,
        headline=True,
        order=40,
    ),
    kpi(
        "callback_rate",
        "回访率",
        "%",
        CALLED_BACK,
        REPLIED,
        definition=(
            "派单办理并已反馈的工单中已回访诉求人的件数 ÷ 派单办理并已反馈的工单件数 × 100%，均按办理反馈日期统计；"
            "回访联系不上的也计为已回访。即时解答和直接答复办结的工单不需回访，不计入。"
        ),
        order=50,
    ),
    kpi(
        "satisfaction",
        "满意率",
        "%",
        SATISFIED,
        RATED,
        definition=(
            "评价为满意或基本满意的工单件数 ÷ 有满意度评价（来电时评价或回访评价）的工单件数 × 100%，均按办结日期（即评价日期）统计；"
            "未评价、回访联系不上的不计入。"
        ),
        headline=True,
        order=60,
    ),
    kpi(
        "unsatisfied_callback_rate",
        "不满意回访率",
        "%",
        UNSATISFIED_CALLED,
        UNSATISFIED,
        definition="评价为不满意且已回访的工单件数 ÷ 评价为不满意的工单件数 × 100%，均按办结日期统计（目标100%）。",
        order=70,
    ),
    kpi(
        "quality_rate",
        "质检率",
        "%",
        SCORED,
        CLOSED,
        definition="已质检评分的办结工单件数 ÷ 办结的工单件数 × 100%，均按办结日期统计（目标不低于5%）。",
        order=80,
    ),
    kpi(
        "visits",
        "来访人次",
        "人次",
        VISITS,
        definition="统计期内公共法律服务中心、工作站、工作室登记的来访人次（一人来访一次登记一次），按登记日期统计。",
        dimensions=VISIT_DIMS,
        headline=True,
        order=90,
    ),
    kpi(
        "handovers",
        "工单转入其他业务数",
        "件",
        ORDER_HANDOVERS,
        definition="统计期内由12348工单转为人民调解、法律援助申请或行政复议申请等其他业务案件的件数，按接收业务登记案件的日期统计。",
        dimensions=LINK_DIMS,
        order=100,
    ),
    *(
        kpi(
            f"handovers_{key}",
            f"工单{label}数",
            "件",
            _order_handover(key),
            definition=f"统计期内由12348工单{label}的件数，按接收业务登记案件的日期统计。",
            dimensions=(OFFICE, MONTH),
            order=101 + i,
        )
        for i, (key, label) in enumerate(HANDOVERS.items())
    ),
    kpi(
        "visit_handovers",
        "来访转入其他业务数",
        "件",
        VISIT_HANDOVERS,
        definition="统计期内由来访登记转为人民调解、法律援助申请或行政复议申请等其他业务案件的件数，按接收业务登记案件的日期统计。",
        dimensions=VISIT_LINK_DIMS,
        order=110,
    ),
    *(
        kpi(
            f"visit_handovers_{key}",
            f"来访{label}数",
            "件",
            _visit_handover(key),
            definition=f"统计期内由来访登记{label}的件数，按接收业务登记案件的日期统计。",
            dimensions=(OFFICE, MONTH),
            order=111 + i,
        )
        for i, (key, label) in enumerate(HANDOVERS.items())
    ),
)


def _k(key: str) -> str:
    return f"{CASE_TYPE}.{key}"


# The public-legal-service part of the generated work summary.
REPORT = ReportSection(
    line=CASE_TYPE,
    title="公共法律服务热线和实体平台",
    theme="public_service",
    points=(
        (
            "12348热线服务便捷高效",
            "{span}，{org}依托12348公共法律服务热线，与12345政务服务便民热线、110报警服务台联动，前台统一受理、后台分流转办，"
            "共受理群众来电和转办工单{hotline.orders}，{hotline.orders:yoy}；其中坐席当场解答办结{hotline.on_spot}，"
            "派往司法所、法律援助中心、人民调解组织等单位办理{hotline.dispatched}。工单按时办结率{hotline.on_time_rate}，"
            "群众满意率{hotline.satisfaction}，{hotline.satisfaction:yoy}；派单工单回访率{hotline.callback_rate}，"
            "不满意评价回访率{hotline.unsatisfied_callback_rate}，工单质检率{hotline.quality_rate}。",
        ),
        (
            "实体平台与业务办理有效衔接",
            "各级公共法律服务中心、工作站、工作室共接待来访群众{hotline.visits}，{hotline.visits:yoy}。"
            "对需要进一步办理的事项及时转入相关业务：由热线工单转人民调解{hotline.handovers_mediate}、转法律援助{hotline.handovers_apply}、"
            "转行政复议{hotline.handovers_reconsider}；由来访登记转人民调解{hotline.visit_handovers_mediate}、"
            "转法律援助{hotline.visit_handovers_apply}、转行政复议{hotline.visit_handovers_reconsider}。",
        ),
    ),
    chart_kpis=(_k("orders"), _k("visits")),
    order=50,
)

RETURN = StatReturn(
    "hotline.return",
    "12348公共法律服务热线和实体平台工作统计表",
    CASE_TYPE,
    rows=(
        ReturnRow("受理工单", _k("orders")),
        ReturnRow("其中：即时解答办结", _k("on_spot"), 1),
        ReturnRow("派单办理", _k("dispatched"), 1),
        ReturnRow("按时办结率", _k("on_time_rate")),
        ReturnRow("回访率（派单工单）", _k("callback_rate")),
        ReturnRow("满意率", _k("satisfaction")),
        ReturnRow("不满意回访率", _k("unsatisfied_callback_rate")),
        ReturnRow("质检率", _k("quality_rate")),
        ReturnRow("来访人次", _k("visits")),
        ReturnRow("工单转入其他业务", _k("handovers")),
        *(ReturnRow(f"其中：{label}" if i == 0 else label, _k(f"handovers_{key}"), 1) for i, (key, label) in enumerate(HANDOVERS.items())),
        ReturnRow("来访转入其他业务", _k("visit_handovers")),
        *(ReturnRow(f"其中：{label}" if i == 0 else label, _k(f"visit_handovers_{key}"), 1) for i, (key, label) in enumerate(HANDOVERS.items())),
    ),
    note=(
        "工单按受理日期、派单按派单日期、即时解答按答复日期、按时办结率按办理时限完成日期、回访率按办理反馈日期、"
        "满意率、不满意回访率和质检率按办结日期、来访按登记日期、转入其他业务按接收业务登记案件的日期计入统计期间；各项口径见“指标口径”。"
    ),
)
