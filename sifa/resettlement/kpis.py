"""The figures 安置帮教 reports (DOMAIN.md §5.2, §14.2), declared once (named in
``line.py``). The dashboard, the statistics tables, the provincial return, their
exports and the annual report compute them in SQL with the user's scoping and
print each ``definition`` beside the number.

Which date puts a person in a period: 刑满释放 / 解除社区矫正, 衔接, 无缝衔接 and
必接必送 the 释放日期 (so 衔接率's numerator and denominator are the same
people); 未衔接 the day the person was found not handed over; 重新违法犯罪 its own
day. No official formula exists (§5.2): the ones below are those the bureaus'
reports use, each printed with the figure.

在册帮教对象 (on the register at the period's end) and 累计帮教 (on it on any day
of the period) are stocks (``Measure(stock=…)``) dated by 衔接 and 解除/终止; so
are 已安置 (from the 安置日期) and 已签订帮教协议 (from the 协议日期), which makes
安置率 and 帮教率 "at the period's end" figures.
"""

from __future__ import annotations

from functools import partial

from django.db.models import Q

from sifa.kit.kpis import MONTH, OFFICE, Dimension, Measure, ReportSection, ReturnRow, StatReturn, Variant, family

from .choices import CASE_TYPE, HandoverWay, Origin, Placement

RELEASEE = "resettlement.Releasee"
BASIS = "《关于进一步加强刑满释放解除劳教人员安置帮教工作的意见》（中办发〔2010〕5号）"

CUSTODIAL = tuple(Origin.custodial())
PLACED_KINDS = tuple(v for v in Placement.values if v != Placement.NOT_NEEDED)

# --- breakdowns ------------------------------------------------------------------------------------

BY_ORIGIN = Dimension("origin", "来源", "field", field="origin", labels=lambda: dict(Origin.choices))
BY_PLACEMENT = Dimension("placement", "安置情况", "field", field="placement", labels=lambda: dict(Placement.choices))
BY_WAY = Dimension("handover_way", "衔接方式", "field", field="handover_way", labels=lambda: dict(HandoverWay.choices))

FLOW_DIMS = (BY_ORIGIN, OFFICE, MONTH)
STOCK_DIMS = (BY_ORIGIN, OFFICE)  # a stock has no month breakdown

# --- measures --------------------------------------------------------------------------------------

_person = partial(Measure, model=RELEASEE, case_path="case", case_types=(CASE_TYPE,), unit="人")
_released = partial(_person, date_field="released_on")
_custodial = Q(released_on__isnull=False, origin__in=CUSTODIAL)
_key = _custodial & Q(key_person=True)

RELEASED = _released("刑满释放和解除社区矫正人员", filter=Q(released_on__isnull=False))
RELEASED_CUSTODIAL = _released("监所刑满释放人员", filter=_custodial)
RELEASED_CORRECTION = _released("解除社区矫正人员", filter=Q(released_on__isnull=False, origin=Origin.CORRECTION))
HANDED_OVER = _released("已衔接的监所刑满释放人员", filter=_custodial & Q(handed_over_on__isnull=False))
SEAMLESS = _released("无缝衔接的监所刑满释放人员", filter=_custodial & Q(seamless=True))
KEY_RELEASED = _released("释放的重点帮教对象", filter=_key)
COLLECTED = _released("监所门口接回的重点帮教对象", filter=_key & Q(handover_way=HandoverWay.COLLECTED))
UNLINKED = _person("未衔接人员", date_field="unlinked_since", filter=Q(unlinked_since__isnull=False))
REOFFENDED = _person("帮教期内重新违法犯罪人员", date_field="reoffended_on", filter=Q(reoffended_on__isnull=False))

# Stocks: handed over by the period's end and not released from assistance by it (在册), or on
# the register on any day of the period (累计帮教).
_stock = partial(_person, ends_field="ended_on")
ON_REGISTER = _stock("期末在册帮教对象", date_field="handed_over_on", stock="end", filter=Q(handed_over_on__isnull=False))
MANAGED = _stock("累计帮教对象", date_field="handed_over_on", stock="during", filter=Q(handed_over_on__isnull=False))
NEED_PLACING = _stock(
    "期末在册应安置帮教对象",
    date_field="handed_over_on",
    stock="end",
    filter=Q(handed_over_on__isnull=False) & ~Q(placement=Placement.NOT_NEEDED),
)
PLACED = _stock(
    "期末在册已安置帮教对象",
    date_field="placed_on",
    stock="end",
    filter=Q(handed_over_on__isnull=False, placed_on__isnull=False, placement__in=PLACED_KINDS),
)
AGREED = _stock(
    "期末在册已签订帮教协议的帮教对象",
    date_field="agreement_on",
    stock="end",
    filter=Q(handed_over_on__isnull=False, agreement_on__isnull=False),
)

# --- the figures -----------------------------------------------------------------------------------

kpi = family(CASE_TYPE, dimensions=FLOW_DIMS, source=BASIS)
_HANDOVER_SOURCE = BASIS + "；衔接口径参照广东省《刑满释放人员衔接工作办法》（粤司〔2013〕132号）：衔接率 = 已衔接人数 ÷ 应衔接人数"

KPIS = (
    kpi(
        "released",
        "刑满释放和解除社区矫正人员",
        "人",
        RELEASED,
        definition="统计期内刑满释放（监狱、看守所）和解除社区矫正、纳入本辖区安置帮教的人数，按释放（解除矫正）日期统计。",
        headline=True,
        order=10,
    ),
    kpi(
        "released_custodial",
        "监所释放人员（应衔接）",
        "人",
        RELEASED_CUSTODIAL,
        definition="统计期内从监狱、看守所刑满释放、户籍或居住地在本辖区的人数，即应衔接人数，按释放日期统计。",
        order=11,
    ),
    kpi(
        "released_correction",
        "解除社区矫正人员",
        "人",
        RELEASED_CORRECTION,
        definition="统计期内解除社区矫正后转入安置帮教的人数，按解除矫正日期统计。",
        order=12,
    ),
    kpi(
        "handed_over",
        "已衔接人员",
        "人",
        HANDED_OVER,
        definition="统计期内监所释放人员中，截至统计时已与司法所衔接（接回或报到登记）的人数，按释放日期统计。",
        order=20,
    ),
    kpi(
        "seamless",
        "无缝衔接人员",
        "人",
        SEAMLESS,
        definition="统计期内监所释放人员中，由司法所在监所门口接回，或释放后在规定期限内到司法所报到登记的人数，按释放日期统计。",
        order=21,
    ),
    kpi(
        "handover_rate",
        "衔接率",
        "%",
        SEAMLESS,
        RELEASED_CUSTODIAL,
        definition="衔接率 = 无缝衔接人数 ÷ 监所释放人数（应衔接人数）× 100%，均按释放日期在统计期内统计，四舍五入保留两位小数。",
        source=_HANDOVER_SOURCE,
        variant_label="以无缝衔接人数为分子",
        variants=(
            Variant(
                "handed_over",
                "以已衔接人数（含事后查找衔接）为分子",
                numerator=HANDED_OVER,
                definition="衔接率 = 截至统计时已衔接人数（含未按期报到、经查找后衔接的）÷ 监所释放人数（应衔接人数）× 100%，均按释放日期统计。",
            ),
        ),
        headline=True,
        order=22,
    ),
    kpi(
        "key_released",
        "释放的重点帮教对象（应必接必送）",
        "人",
        KEY_RELEASED,
        definition="统计期内从监狱、看守所释放的重点帮教对象人数，即应必接必送人数，按释放日期统计。",
        order=30,
    ),
    kpi(
        "collected",
        "必接必送人员",
        "人",
        COLLECTED,
        definition="统计期内释放的重点帮教对象中，由司法所会同有关部门在监所门口接回的人数，按释放日期统计。",
        order=31,
    ),
    kpi(
        "collection_rate",
        "必接必送率",
        "%",
        COLLECTED,
        KEY_RELEASED,
        definition="必接必送率 = 在监所门口接回的重点帮教对象人数 ÷ 释放的重点帮教对象人数 × 100%，均按释放日期统计。",
        headline=True,
        order=32,
    ),
    kpi(
        "unlinked",
        "未衔接人员",
        "人",
        UNLINKED,
        definition="统计期内释放后未按期报到、经摸排下落不明而列为未衔接（须查找、协查）的人数，按列为未衔接的日期统计。",
        higher_is_better=False,
        order=35,
    ),
    kpi(
        "on_register",
        "在册帮教对象",
        "人",
        ON_REGISTER,
        definition="统计期末在册的安置帮教对象人数：期末以前已衔接，且期末时尚未解除或终止帮教（期末当日解除的不计入）。",
        dimensions=STOCK_DIMS,
        headline=True,
        order=40,
    ),
    kpi(
        "managed",
        "累计帮教对象",
        "人",
        MANAGED,
        definition="统计期内任一日在册的安置帮教对象人数：期末以前已衔接，且期初以前未解除或终止帮教（即期初在册人数与期内衔接人数之和）。",
        dimensions=STOCK_DIMS,
        order=41,
    ),
    kpi(
        "placed",
        "已安置帮教对象",
        "人",
        PLACED,
        definition="统计期末在册的帮教对象中，期末以前已落实就业、自主创业、务农、低保、过渡性安置、家庭接纳或就学等安置的人数（无需安置的不计入）。",
        dimensions=(BY_PLACEMENT, *STOCK_DIMS),
        order=50,
    ),
    kpi(
        "placement_rate",
        "安置率",
        "%",
        PLACED,
        ON_REGISTER,
        definition="安置率 = 期末在册帮教对象中已安置的人数 ÷ 期末在册帮教对象人数 × 100%。",
        variant_label="以在册帮教对象人数为分母",
        variants=(
            Variant(
                "need",
                "以在册应安置人数（扣除无需安置的）为分母",
                denominator=NEED_PLACING,
                definition="安置率 = 期末在册帮教对象中已安置的人数 ÷ 期末在册帮教对象中应安置的人数（扣除退休、丧失劳动能力等无需安置的）× 100%。",
            ),
        ),
        dimensions=STOCK_DIMS,
        headline=True,
        order=51,
    ),
    kpi(
        "agreed",
        "签订帮教协议的帮教对象",
        "人",
        AGREED,
        definition="统计期末在册的帮教对象中，期末以前已成立帮教小组并签订帮教协议的人数。",
        dimensions=STOCK_DIMS,
        order=55,
    ),
    kpi(
        "assistance_rate",
        "帮教率",
        "%",
        AGREED,
        ON_REGISTER,
        definition="帮教率 = 期末在册帮教对象中已落实帮教（成立帮教小组、签订帮教协议）的人数 ÷ 期末在册帮教对象人数 × 100%。",
        dimensions=STOCK_DIMS,
        headline=True,
        order=56,
    ),
    kpi(
        "reoffended",
        "重新违法犯罪人员",
        "人",
        REOFFENDED,
        definition="统计期内帮教期间重新违法犯罪的帮教对象人数，按重新违法犯罪日期统计。",
        higher_is_better=False,
        order=60,
    ),
    kpi(
        "reoffence_rate",
        "重新违法犯罪率",
        "%",
        REOFFENDED,
        MANAGED,
        definition="重新违法犯罪率 = 统计期内帮教期间重新违法犯罪的人数 ÷ 统计期内累计帮教对象人数 × 100%。",
        dimensions=STOCK_DIMS,
        higher_is_better=False,
        order=61,
    ),
)

_k = partial("{}.{}".format, CASE_TYPE)

# The line's part of the work summary, in the chapter of its theme (kit.kpis.THEMES), as
# "一是{lead}。{sentence}" points. It names no internal file or code: the bureau signs it.
REPORT = ReportSection(
    CASE_TYPE,
    title="安置帮教工作",
    theme="safety",
    points=(
        (
            "刑满释放人员衔接工作扎实有效",
            "{span}，{org}接收刑满释放和解除社区矫正人员{resettlement.released}，{resettlement.released:yoy}，其中监所释放{resettlement.released_custodial}、"
            "解除社区矫正{resettlement.released_correction}；无缝衔接{resettlement.seamless}，衔接率{resettlement.handover_rate}"
            "（{resettlement.handover_rate:basis}），{resettlement.handover_rate:yoy}。",
        ),
        (
            "重点帮教对象必接必送全面落实",
            "释放的重点帮教对象{resettlement.key_released}，在监所门口接回{resettlement.collected}，必接必送率{resettlement.collection_rate}；"
            "对未衔接的{resettlement.unlinked}逐一查找、发函协查。",
        ),
        (
            "安置帮教措施落实到人",
            "期末在册帮教对象{resettlement.on_register}，累计帮教{resettlement.managed}；已安置{resettlement.placed}，安置率{resettlement.placement_rate}"
            "（{resettlement.placement_rate:basis}）；成立帮教小组、签订帮教协议{resettlement.agreed}，帮教率{resettlement.assistance_rate}。",
        ),
        (
            "预防重新违法犯罪成效明显",
            "帮教期内重新违法犯罪{resettlement.reoffended}，重新违法犯罪率{resettlement.reoffence_rate}，{resettlement.reoffence_rate:yoy}。",
        ),
    ),
    chart_kpis=(_k("released"), _k("seamless")),  # one unit (人) per chart
    order=65,
)

# The provincial half-year and annual return (刑释人员情况, 衔接情况, 安置情况, 帮教情况).
RETURN = StatReturn(
    _k("return"),
    "刑满释放人员安置帮教工作统计表",
    "resettlement",
    rows=(
        ReturnRow("一、刑释人员情况：刑满释放和解除社区矫正人员", _k("released")),
        ReturnRow("其中：监所刑满释放", _k("released_custodial"), 1),
        ReturnRow("其中：解除社区矫正", _k("released_correction"), 1),
        ReturnRow("其中：重点帮教对象", _k("key_released"), 1),
        ReturnRow("二、衔接情况：应衔接人数", _k("released_custodial")),
        ReturnRow("已衔接人数", _k("handed_over"), 1),
        ReturnRow("其中：无缝衔接", _k("seamless"), 1),
        ReturnRow("衔接率", _k("handover_rate"), 1),
        ReturnRow("必接必送人数", _k("collected"), 1),
        ReturnRow("必接必送率", _k("collection_rate"), 1),
        ReturnRow("未衔接人数", _k("unlinked"), 1),
        ReturnRow("三、安置情况：期末在册帮教对象", _k("on_register")),
        ReturnRow("已安置人数", _k("placed"), 1),
        ReturnRow("安置率", _k("placement_rate"), 1),
        ReturnRow("四、帮教情况：累计帮教对象", _k("managed")),
        ReturnRow("签订帮教协议人数", _k("agreed"), 1),
        ReturnRow("帮教率", _k("assistance_rate"), 1),
        ReturnRow("重新违法犯罪人数", _k("reoffended"), 1),
        ReturnRow("重新违法犯罪率", _k("reoffence_rate"), 1),
    ),
    note="释放、衔接、必接必送按释放日期，未衔接按列为未衔接日期，重新违法犯罪按其发生日期计入统计期间；在册、安置、帮教协议为期末时点数，累计帮教为期内任一日在册的人数。半年报于7月2日前、年报于次年2月2日前报送。",
)

# The line's figures page (/stats/line/resettlement/): (KPI key, dimension key).
FIGURES = (
    (_k("released"), "origin"),
    (_k("released"), "office"),
    (_k("handover_rate"), "office"),
    (_k("on_register"), "office"),
    (_k("placed"), "placement"),
)
