"""行政应诉案件台账: columns, cross-column checks, hearings and judgments as rows."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sifa.cases import codes
from sifa.common import dictionaries
from sifa.kit import columns as col
from sifa.kit.columns import coded, parse_date, rec, split_list, yes_no
from sifa.kit.ledger import CellInvalid, Column, Draft, ImportContext, ImportRow, Ledger

from ..choices import (
    APPEAL_KINDS,
    FIRST_INSTANCE_KINDS,
    JUDGMENTS,
    LOSSES,
    RESPONDENT_AGENCY,
    RULINGS,
    YS_KEY,
    Instance,
    JudgmentKind,
    YsStatus,
)
from ..models import Suit, SuitHearing, SuitJudgment
from ..services import ys_title
from . import short_label

# --- 行政应诉 -------------------------------------------------------------------------------------

INSTANCE_LABELS = dict(Instance.choices)
FIRST_KINDS = {k: short_label(JudgmentKind(k).label) for k in FIRST_INSTANCE_KINDS}
APPEAL_KIND_LABELS = {k: short_label(JudgmentKind(k).label) for k in APPEAL_KINDS}
FULL_KIND_LABELS = {label: value for value, label in JudgmentKind.choices}
FIRST_ALIASES = {label: value for label, value in FULL_KIND_LABELS.items() if value in FIRST_KINDS}
APPEAL_ALIASES = {label: value for label, value in FULL_KIND_LABELS.items() if value in APPEAL_KIND_LABELS}


def _final_loss(judgments: list) -> bool | None:
    """Did the agency lose in the end? 驳回上诉 keeps the first instance's result."""
    if not judgments:
        return None
    last = judgments[-1]
    if last.kind == JudgmentKind.DISMISS_APPEAL:
        first = next((j for j in judgments if j.instance == Instance.FIRST), None)
        return first.kind in LOSSES if first else None
    if last.kind == JudgmentKind.REMAND:
        return None
    return last.kind in LOSSES


def _load_ys(case_ids: list[int]) -> dict:
    hearings: dict[int, list] = {}
    for h in SuitHearing.objects.filter(case_id__in=case_ids).order_by("held_on", "id"):
        hearings.setdefault(h.case_id, []).append(h)
    judgments: dict[int, list] = {}
    for j in SuitJudgment.objects.filter(case_id__in=case_ids).order_by("judged_on", "id"):
        judgments.setdefault(j.case_id, []).append(j)
    out = {}
    for suit in Suit.objects.filter(case_id__in=case_ids):
        hs, js = hearings.get(suit.case_id, []), judgments.get(suit.case_id, [])
        first = next((j for j in js if j.instance == Instance.FIRST), None)
        later = next((j for j in reversed(js) if j.instance != Instance.FIRST), None)
        out[suit.case_id] = SimpleNamespace(
            suit=suit,
            hearings=hs,
            first=first,
            later=later,
            served_on=js[-1].served_on if js else None,
            loss=_final_loss(js),
        )
    return out


def _suit(attr: str):
    return lambda r: getattr(r.record.suit, attr, None) if r.record is not None else None


def _ys(fn):
    return lambda r: fn(r.record) if r.record is not None else None


YS_COLUMNS = (
    col.code(),
    col.opened_on("收到起诉状副本日期", example="2024-03-05"),
    *col.party("plaintiff", "原告", example_name="王五"),
    col.party_kind("plaintiff", "原告"),
    col.dictionary("defendant_agency", "被告", RESPONDENT_AGENCY, export=_suit("defendant_agency"), example="区公安分局"),
    col.boolean("co_defendant", "复议机关为共同被告", export=_suit("reconsideration_co_defendant")),
    col.text("court", "受理法院", required=True, max_length=100, example="演示区人民法院", export=_suit("court"), width=18),
    col.text("court_case_number", "案号", max_length=60, example="（2024）闽0101行初12号", export=_suit("court_case_number"), width=22),
    col.text("cause", "案由", required=True, max_length=100, example="行政处罚", export=_suit("cause"), width=14),
    col.text("contested_act", "被诉行政行为", required=True, max_length=300, example="行政拘留决定", export=_suit("contested_act"), width=24),
    coded(
        "instance",
        "审级",
        INSTANCE_LABELS,
        export=lambda r: INSTANCE_LABELS.get(_suit("instance")(r), ""),
        example="一审",
        note="案件目前（或结案时）所处审级；不填为一审",
    ),
    col.date_column("filed_on", "法院立案日期", example="", export=_suit("filed_on")),
    col.date_column("defence_filed_on", "提交答辩日期", example="2024-03-15", export=_suit("defence_filed_on")),
    Column(
        "hearing_dates",
        "开庭日期",
        export=_ys(lambda rec: "、".join(f"{h.held_on:%Y-%m-%d}" for h in rec.hearings)),
        parse=lambda v, ctx: [parse_date(p, today=ctx.today) for p in split_list(v)] if not isinstance(v, date) else [parse_date(v, today=ctx.today)],
        example="2024-04-10",
        note="已开庭的日期；多次开庭用“、”分隔，如 2024-04-10、2024-05-08",
        width=22,
    ),
    Column(
        "head_attended",
        "负责人是否出庭",
        export=_ys(lambda rec: "、".join(yes_no(h.head_attended) for h in rec.hearings)),
        parse=lambda v, ctx: [_yes_no_cell(p) for p in split_list(v)],
        example="是",
        note="每次开庭一项，与开庭日期一一对应（如“是、否”）；各次相同的可只填一个",
        width=12,
    ),
    col.text(
        "head_name", "出庭负责人", max_length=50, example="李某（副局长）", export=_ys(lambda rec: next((h.head_name for h in rec.hearings if h.head_name), ""))
    ),
    col.text(
        "entrusted_name",
        "委托出庭人员",
        max_length=50,
        example="",
        export=_ys(lambda rec: next((h.entrusted_name for h in rec.hearings if h.entrusted_name), "")),
    ),
    coded(
        "first_kind",
        "一审裁判结果",
        FIRST_KINDS,
        aliases=FIRST_ALIASES,
        export=_ys(lambda rec: FIRST_KINDS.get(rec.first.kind, "") if rec.first else ""),
        example="判决驳回原告诉讼请求",
    ),
    col.date_column("first_on", "一审裁判日期", example="2024-05-20", export=_ys(lambda rec: rec.first.judged_on if rec.first else None)),
    coded(
        "later_kind",
        "二审（再审）裁判结果",
        APPEAL_KIND_LABELS,
        aliases=APPEAL_ALIASES,
        export=_ys(lambda rec: APPEAL_KIND_LABELS.get(rec.later.kind, "") if rec.later else ""),
        note="审级为二审或再审且已裁判的填写",
    ),
    col.date_column("later_on", "二审（再审）裁判日期", example="", export=_ys(lambda rec: rec.later.judged_on if rec.later else None)),
    col.date_column(
        "served_on", "裁判文书送达日期", example="2024-05-22", export=rec("served_on"), note="最后一次裁判的送达日期（上诉期自此起算）；不填按裁判日期"
    ),
    col.boolean("loss", "是否败诉", export=rec("loss"), example="否"),
    col.closed_on("结案日期", example="2024-06-10"),
    col.text("related_code", "关联复议案件编码", max_length=19, example="", export=_suit("related_code"), width=22),
    col.status(),
    col.handler(),
    col.text("summary", "备注", max_length=2000, export=lambda r: r.case.summary, width=30),
)


def _yes_no_cell(text: str) -> bool:
    if text in ("是", "出庭", "Y", "y", "1", "√"):
        return True
    if text in ("否", "未出庭", "N", "n", "0", "×"):
        return False
    raise CellInvalid(f"“{text}”应填“是”或“否”。")


def _ys_judgments(row: ImportRow) -> list[tuple[str, str, date]]:
    """(instance, kind, date) of the row's judgments, in order."""
    out = []
    if row.get("first_kind"):
        out.append((Instance.FIRST, row["first_kind"], row["first_on"]))
    if row.get("later_kind"):
        out.append((row.get("instance") or Instance.FIRST, row["later_kind"], row["later_on"]))
    return out


def _ys_status(row: ImportRow) -> str:
    instance = row.get("instance") or Instance.FIRST
    if row.get("closed_on"):
        return YsStatus.CLOSED
    if (instance == Instance.FIRST and row.get("first_kind")) or (instance != Instance.FIRST and row.get("later_kind")):
        return YsStatus.JUDGED
    if row.get("defence_filed_on") or (instance != Instance.FIRST and row.get("first_kind")):
        return YsStatus.IN_TRIAL
    return YsStatus.REGISTERED


def _ys_check(row: ImportRow, ctx: ImportContext) -> None:
    for kind, on, what in (("first_kind", "first_on", "一审"), ("later_kind", "later_on", "二审（再审）")):
        row.needs(kind, on, f"填写了{what}裁判结果，须同时填写{what}裁判日期。")
        row.needs(on, kind, f"填写了{what}裁判日期，须同时填写{what}裁判结果。")
    if row.problems:
        return
    opened, closed, instance = row["opened_on"], row.get("closed_on"), row.get("instance") or Instance.FIRST
    if row.get("later_kind") and instance == Instance.FIRST:
        row.refuse("填写了二审（再审）裁判结果，审级应为“二审”或“再审”。", "instance")
    if instance == Instance.FIRST:
        row.not_before("first_on", "opened_on", "一审裁判日期早于收到起诉状副本日期。")
    later_on, first_on = row.get("later_on"), row.get("first_on")
    if later_on and (later_on < opened or (first_on and later_on < first_on)):
        row.refuse("二审（再审）裁判日期早于收到起诉状副本日期或一审裁判日期。", "later_on")
    judgments = _ys_judgments(row)
    last_on, served = (judgments[-1][2] if judgments else None), row.get("served_on")
    if served and not judgments:
        row.refuse("没有裁判结果，不应填写裁判文书送达日期。", "served_on")
    if served and last_on and served < last_on:
        row.refuse("裁判文书送达日期早于裁判日期。", "served_on")
    if closed and not judgments:
        row.refuse("已结案的案件须填写裁判结果（一审或二审、再审）。", "first_kind" if instance == Instance.FIRST else "later_kind")
    elif closed and closed < max(last_on, served or last_on):
        row.refuse("结案日期早于最后一次裁判（或其送达）的日期。", "closed_on")
    elif closed and judgments[-1][1] == JudgmentKind.REMAND:
        row.refuse("发回重审的案件尚未审结，不应填写结案日期。", "closed_on")
    elif closed and instance != Instance.FIRST and not row.get("later_kind"):
        row.refuse(f"审级为{INSTANCE_LABELS[instance]}的已结案案件，须填写二审（再审）裁判结果。", "later_kind")
    row.not_after("filed_on", "opened_on")
    row.not_before("defence_filed_on", "opened_on")
    dates, attended = row.get("hearing_dates") or [], row.get("head_attended") or []
    row.needs("hearing_dates", "head_attended", "填写了开庭日期，须填写负责人是否出庭（出庭率按每次开庭统计）。")
    row.needs("head_attended", "hearing_dates", "填写了负责人是否出庭，但没有开庭日期。")
    if dates and attended and len(attended) not in (1, len(dates)):
        row.refuse(f"开庭{len(dates)}次，负责人是否出庭却填了{len(attended)}项；请逐次填写或只填一项。", "head_attended")
    for d in dates:
        if d < opened:
            row.refuse(f"开庭日期 {d:%Y-%m-%d} 早于收到起诉状副本日期。", "hearing_dates")
        if closed and d > closed:
            row.refuse(f"开庭日期 {d:%Y-%m-%d} 晚于结案日期。", "hearing_dates")
    if len(set(dates)) != len(dates):
        row.refuse("开庭日期有重复。", "hearing_dates")
    if dates and not closed and _ys_status(row) == YsStatus.REGISTERED:
        row.refuse("已开庭的在办案件须填写提交答辩日期（答辩后才开庭）。", "defence_filed_on")
    loss = row.get("loss")
    derived = _final_loss([SimpleNamespace(instance=i, kind=k) for i, k, _ in judgments]) if judgments else None
    if loss is not None and derived is not None and loss != derived:
        row.refuse(f"按裁判结果，行政机关{'败诉' if derived else '未败诉'}，“是否败诉”应填“{'是' if derived else '否'}”。", "loss")
    elif loss and not judgments:
        row.refuse("没有裁判结果，不能填写败诉。", "loss")
    code = row.get("related_code")
    if code and not codes.is_valid(codes.normalize(code)):
        row.refuse("关联复议案件编码格式或校验位不正确。", "related_code")


def _hearing_instance(held: date, instance: str, first_on: date | None) -> str:
    if instance == Instance.FIRST or (first_on and held <= first_on):
        return Instance.FIRST
    return instance


def _draft(r: ImportRow, ctx: ImportContext) -> Draft:
    judgments = _ys_judgments(r)
    agencies = ctx.shared.setdefault("agencies", dictionaries.labels(RESPONDENT_AGENCY))
    return Draft(
        title=ys_title(r.parties, agencies.get(r["defendant_agency"], ""), r["cause"]),
        opened_on=r["opened_on"],
        parties=r.parties,
        status=_ys_status(r),
        closed_on=r.get("closed_on"),
        outcome=judgments[-1][1] if r.get("closed_on") else "",
        summary=r.get("summary", ""),
    )


def _record(r: ImportRow, ctx: ImportContext) -> Suit:
    return Suit(
        defendant_agency=r["defendant_agency"],
        reconsideration_co_defendant=bool(r.get("co_defendant")),
        court=r["court"],
        court_case_number=r.get("court_case_number", ""),
        instance=r.get("instance") or Instance.FIRST,
        filed_on=r.get("filed_on"),
        contested_act=r["contested_act"],
        cause=r["cause"],
        related_code=codes.normalize(r.get("related_code", "")),
        defence_filed_on=r.get("defence_filed_on"),
    )


def _children(case, r: ImportRow, suit: Suit) -> list:
    """Every hearing and every judgment its own row, so 出庭率 and 败诉率 count them
    exactly as for cases worked here (a hearing after the first-instance judgment
    belongs to the later instance)."""
    out = []
    dates, attended = r.get("hearing_dates") or [], r.get("head_attended") or []
    if len(attended) == 1:
        attended = attended * len(dates)
    for held, head in zip(dates, attended, strict=True):
        out.append(
            SuitHearing(
                case=case,
                instance=_hearing_instance(held, suit.instance, r.get("first_on")),
                held_on=held,
                head_attended=head,
                head_name=r.get("head_name", "") if head else "",
                entrusted_name="" if head else r.get("entrusted_name", ""),
            )
        )
    js = _ys_judgments(r)
    for i, (instance, kind, on) in enumerate(js):
        last = i == len(js) - 1
        out.append(
            SuitJudgment(
                case=case,
                instance=instance,
                kind=kind,
                judged_on=on,
                served_on=(r.get("served_on") or on) if last else on,
                court_case_number=suit.court_case_number,
            )
        )
    return out


def _replay(case, r: ImportRow, suit: Suit, children: list) -> list:
    """The clocks of an open suit, as its recorded steps would have left them."""
    out = [("file_defence", suit.defence_filed_on, {})] if suit.defence_filed_on else []
    for j in (c for c in children if isinstance(c, SuitJudgment)):
        appealable = j.instance == Instance.FIRST and (j.kind in JUDGMENTS or j.kind == JudgmentKind.DISMISS_SUIT)
        out.append(("record_judgment", j.served_on, {"served_on": j.served_on, "ruling": j.kind in RULINGS, "appealable": appealable}))
        if j.instance == Instance.FIRST and suit.instance != Instance.FIRST:
            out.append(("appeal", j.served_on, {}))
    return out


YS_LEDGER = Ledger(
    case_type=YS_KEY,
    label="行政应诉案件台账",
    columns=YS_COLUMNS,
    load_records=_load_ys,
    check_row=_ys_check,
    draft=_draft,
    record=_record,
    children=_children,
    replay=_replay,
    sheet_name="行政应诉案件台账",
    order=41,
)
