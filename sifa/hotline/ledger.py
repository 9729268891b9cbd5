"""12348工单台账: the columns of a call-centre export, declared once for the
import template, the import and every export of the order list.

How a row becomes an order is what the workflow would have left behind
(``state_of``): answered without dispatch is closed by the answer (答复办结,
whether on the call or later); dispatched and answered by the handling unit
waits for the callback (已反馈待回访) unless the row has one; dispatched and not
answered is 已派单; anything else 已受理. Closed orders get no clocks; an open
one gets its 办理时限 from the 受理日期 and, once answered, the callback clock
(``replay``), so an old open order may be overdue at once: that is the truth
of the data."""

from __future__ import annotations

from datetime import date

from sifa.kit import columns as col
from sifa.kit.ledger import Column, Draft, ImportContext, ImportRow, Ledger

from .choices import (
    CASE_TYPE,
    PLATFORMS,
    TARGET_KINDS,
    Appointment,
    CallbackWay,
    Category,
    Channel,
    Kind,
    Satisfaction,
    Status,
    Target,
)
from .models import WorkOrder
from .services import title_for

# --- columns -----------------------------------------------------------------------------------------


def _case_attr(name):
    return lambda r: getattr(r.case, name)


def _replied_on(r):
    """The handling unit's feedback date: the answer of a dispatched order."""
    rec = r.record
    return rec.answered_on if rec is not None and rec.dispatched_on else None


COLUMNS: tuple[Column, ...] = (
    col.code("工单编码"),
    # Call-centre exports often have no title: one is made the way registration makes it.
    col.text(
        "title",
        "工单标题",
        max_length=200,
        example="张三咨询（劳动劳务）",
        export=_case_attr("title"),
        width=28,
        note="可不填：不填的按“诉求人+工单类型（法律类别）”生成",
    ),
    col.opened_on("受理日期", example="2026-03-05"),
    col.org("受理单位", example="某区公共法律服务中心"),
    # A hotline export carries the caller's name and phone, not an ID number.
    *col.party("caller", "诉求人", id_number=False),
    *col.party("respondent", "对方当事人", required=False, id_number=False, phone=False, example_name=""),
    col.choice("channel", "受理渠道", dict(Channel.choices), required=True, example=Channel.HOTLINE.label),
    col.text("external_ref", "转办平台工单编号", max_length=64, example="", note="12345转办、110联动的工单必填（答复据此回传）", width=20),
    col.choice("kind", "工单类型", dict(Kind.choices), required=True, example=Kind.CONSULT.label),
    col.choice("appointment", "预约事项", dict(Appointment.choices), example="", note="预约工单必填"),
    col.choice("category", "法律类别", dict(Category.choices), example=Category.LABOUR.label, note="从下拉列表选择；不填为“其他”"),
    col.boolean("urgent", "紧急", example="否"),
    col.text("summary", "诉求内容", required=True, max_length=4000, example="单位拖欠三个月工资，咨询如何维权。", export=_case_attr("summary"), width=40),
    col.text("answer", "答复内容", max_length=4000, example="告知可向劳动保障监察机构投诉或申请劳动仲裁。", width=40),
    col.date_column("answered_on", "答复日期", example="2026-03-05", note="日期；派单办理的以办理反馈日期为答复日期"),
    col.boolean("answered_on_spot", "即时解答", example="是"),
    col.choice("target", "派单对象", dict(Target.choices), example=""),
    col.text("dispatched_to_name", "承办单位名称", max_length=100, example="", note="派单的必填；与本局机构同名的关联到该机构"),
    col.date_column("dispatched_on", "派单日期", example=""),
    col.date_column("replied_on", "办理反馈日期", example="", export=_replied_on, note="日期；派单办理的工单，承办单位反馈办理结果之日"),
    col.date_column("callback_on", "回访日期", example=""),
    col.choice("callback_way", "回访方式", dict(CallbackWay.choices), example=""),
    col.text("callback_note", "回访情况", max_length=1000, example=""),
    col.choice("satisfaction", "满意度", dict(Satisfaction.choices), example=Satisfaction.SATISFIED.label, note="来电时（即时解答）或回访时的评价"),
    col.text("review_note", "不满意复核意见", max_length=1000, example=""),
    col.date_column("reviewed_on", "复核日期", example=""),
    col.integer("quality_score", "质检得分", example=""),
    Column("closed_on", "办结日期", export=_case_attr("closed_on"), width=12, number_format=col.DATE_FORMAT),
    col.status(),
    col.handler("经办人"),
)


# --- the state a row's history puts the order in ----------------------------------------------------


def _on_spot(row: ImportRow) -> bool | None:
    """True/False as the cell says; None when the cell is empty (then the dates decide)."""
    v = row["answered_on_spot"]
    return None if v is None else bool(v)


def _dispatched(row: ImportRow) -> bool:
    return row.filled("dispatched_on") or row.filled("target")


def answered_on(row: ImportRow) -> date | None:
    """When the order was answered: the feedback date of a dispatched order, the answer
    date otherwise; an answer on the call without a date is the day of the call."""
    if not row.filled("answer"):
        return None
    if _dispatched(row):
        return row.get("replied_on") or row.get("answered_on")
    if _on_spot(row):
        return row.get("answered_on") or row["opened_on"]
    return row.get("answered_on")


def on_spot(row: ImportRow) -> bool:
    """The answer step's rule (answered on the day of the call, without dispatch) unless
    the row says otherwise."""
    said = _on_spot(row)
    if said is not None:
        return said
    answered = answered_on(row)
    return answered is not None and not _dispatched(row) and answered == row["opened_on"]


def state_of(row: ImportRow) -> tuple[str, date | None]:
    """(status, closed_on) as the steps would have left the order."""
    answered = answered_on(row)
    if answered and not _dispatched(row):
        return Status.CLOSED, answered  # 答复办结 (a later 不满意回访 keeps it closed)
    if answered and row.get("callback_on"):
        return Status.CLOSED, row["callback_on"]
    if answered:
        return Status.REPLIED, None
    if _dispatched(row):
        return Status.DISPATCHED, None
    return Status.ACCEPTED, None


# --- import: cross-column checks ----------------------------------------------------------------------


def _refs_in_use(ctx: ImportContext) -> set:
    """(channel, reference) pairs already registered, once per import: the model's unique
    constraint is over every bureau's orders."""
    if "hotline:refs" not in ctx.shared:
        ctx.shared["hotline:refs"] = set(WorkOrder.objects.exclude(external_ref="").values_list("channel", "external_ref"))
    return ctx.shared["hotline:refs"]


def _unique_ref(row: ImportRow, ctx: ImportContext) -> None:
    ref = (row.get("external_ref") or "").strip()
    if not ref or not row.get("channel"):
        return
    key, label = (row["channel"], ref), Channel(row["channel"]).label
    rows = ctx.shared.setdefault("hotline:ref_rows", {})  # {(channel, reference): first row with it}
    if key in _refs_in_use(ctx):
        row.refuse(f"转办平台工单编号“{ref}”（{label}）已登记过，不能重复导入；请在工单列表中按编号查找。", "external_ref")
    elif rows.get(key, row.number) != row.number:
        row.refuse(f"转办平台工单编号“{ref}”（{label}）与第{rows[key]}行重复。", "external_ref")
    else:
        rows[key] = row.number


def check_row(row: ImportRow, ctx: ImportContext) -> None:
    # Refusals go on row.problems (returning them too would report each twice).
    dispatched, said_on_spot = _dispatched(row), _on_spot(row)
    if row.get("channel") in PLATFORMS and not row.filled("external_ref"):
        row.refuse("12345转办、110联动的工单须填写转办平台工单编号（答复据此回传）。", "external_ref")
    _unique_ref(row, ctx)
    if row.get("kind") == Kind.APPOINTMENT and not row.filled("appointment"):
        row.refuse("预约工单须填写预约事项。", "appointment")
    row.only_if(row.get("kind") == Kind.APPOINTMENT, ("appointment",), "只有预约工单才填写")

    # 派单: who, to whom, when; the handling unit's feedback only on a dispatched order.
    row.needs("target", "dispatched_on")
    row.needs("dispatched_on", "target")
    row.needs("target", "dispatched_to_name")
    row.needs("dispatched_to_name", "target")
    row.not_before("dispatched_on", "opened_on")
    row.only_if(dispatched, ("replied_on",), "只有派单办理的工单才填写")
    row.not_before("replied_on", "dispatched_on")
    if said_on_spot and dispatched:
        row.refuse("即时解答的工单不再派单：请删去“即时解答”或派单信息。", "answered_on_spot")

    # 答复: content and date go together; on the call means on the day of the call.
    row.not_before("answered_on", "opened_on")
    row.not_before("answered_on", "replied_on")
    if said_on_spot and not row.filled("answer"):
        row.refuse("即时解答的工单须填写答复内容。", "answer")
    if said_on_spot and row.get("answered_on") and row["answered_on"] != row["opened_on"]:
        row.refuse("即时解答的工单答复日期应为受理日期。", "answered_on")
    if row.filled("answer") and answered_on(row) is None:
        where = "replied_on" if dispatched else "answered_on"
        row.refuse(f"填写了答复内容，须同时填写{row.labels.get(where, where)}。", where)
    for key in ("answered_on", "replied_on"):
        row.needs(key, "answer")

    # 回访 and the rating (on the call, or at the callback).
    way, rating = row.get("callback_way"), row.get("satisfaction")
    row.needs("callback_on", "callback_way")
    row.needs("callback_way", "callback_on")
    if row.filled("callback_on") and not row.filled("answer"):
        row.refuse("尚未答复的工单不能回访：请填写答复内容和日期，或删去回访信息。", "callback_on")
    row.not_before("callback_on", "answered_on")
    row.not_before("callback_on", "replied_on")
    row.only_if(row.filled("callback_on"), ("callback_note",), "只有回访过的工单才填写")
    if rating and not row.filled("callback_on") and not on_spot(row):
        row.refuse("满意度是来电时（即时解答）或回访时的评价：填写了满意度，须同时填写回访日期，或为即时解答的工单。", "satisfaction")
    if way and way != CallbackWay.NONE and not rating:
        row.refuse("回访联系上诉求人的须填写满意度；联系不上的，回访方式请选“联系不上”。", "satisfaction")
    if way == CallbackWay.NONE and rating and not on_spot(row):
        row.refuse("回访联系不上的工单没有满意度评价。", "satisfaction")

    # 不满意 is reviewed after its callback.
    row.only_if(rating == Satisfaction.UNSATISFIED, ("review_note", "reviewed_on"), "只有评价为不满意的工单才填写")
    row.needs("review_note", "reviewed_on")
    row.needs("reviewed_on", "review_note")
    row.needs("reviewed_on", "callback_on", "不满意复核在回访之后：填写了复核日期，须同时填写回访日期。")
    row.not_before("reviewed_on", "callback_on")

    # 质检 scores closed orders, out of 100.
    status, _closed = state_of(row)
    row.only_if(status == Status.CLOSED, ("quality_score",), "只有已办结的工单才填写")
    if (row.get("quality_score") or 0) > 100:
        row.refuse("质检得分为百分制，不能超过100。", "quality_score")


# --- import: creating the orders ------------------------------------------------------------------------


def draft(row: ImportRow, ctx: ImportContext) -> Draft:
    status, closed_on = state_of(row)
    kind, category = row["kind"], row.get("category") or Category.OTHER
    return Draft(
        title=row.get("title") or title_for(row.parties, kind, category),
        owner_org=row["org"],
        opened_on=row["opened_on"],
        parties=row.parties,
        status=status,
        closed_on=closed_on,
        outcome="answered" if status == Status.CLOSED else "",
        summary=row["summary"],
        event_data={"channel": row["channel"], "kind": kind},
    )


def _unit(row: ImportRow, ctx: ImportContext):
    """The org of the bureau that the handling unit's name names, if any (a law firm,
    or a unit outside the tree, keeps its name only)."""
    target, name = row.get("target"), (row.get("dispatched_to_name") or "").strip()
    if not name or target not in TARGET_KINDS:
        return None
    if "hotline:units" not in ctx.shared:
        from sifa.orgs.models import Org

        top = ctx.bureau.path if ctx.bureau is not None else "/"
        kinds = [k for ks in TARGET_KINDS.values() for k in ks]
        units = Org.objects.filter(path__startswith=top, is_active=True, kind__in=kinds).order_by("depth", "id")
        found: dict = {}
        for org in units:
            found.setdefault((org.kind, org.name), org)
            found.setdefault((org.kind, org.short_name), org)
        ctx.shared["hotline:units"] = found
    units = ctx.shared["hotline:units"]
    return next((units[(k, name)] for k in TARGET_KINDS[target] if (k, name) in units), None)


def record(row: ImportRow, ctx: ImportContext) -> WorkOrder:
    """The order with the fields its steps would have written."""
    status, _closed = state_of(row)
    rating = row.get("satisfaction") or ""
    dispatched = _dispatched(row)
    return WorkOrder(
        channel=row["channel"],
        kind=row["kind"],
        appointment=row.get("appointment") or "",
        category=row.get("category") or Category.OTHER,
        urgent=bool(row.get("urgent")),
        external_ref=(row.get("external_ref") or "").strip(),
        answer=row.get("answer") or "",
        answered_on=answered_on(row),
        answered_on_spot=on_spot(row),
        target=row.get("target") or "",
        dispatched_to=_unit(row, ctx) if dispatched else None,
        dispatched_to_name=(row.get("dispatched_to_name") or "").strip(),
        dispatched_on=row.get("dispatched_on"),
        satisfaction=rating,
        callback_on=row.get("callback_on"),
        callback_way=row.get("callback_way") or "",
        callback_note=row.get("callback_note") or "",
        reviewed_on=row.get("reviewed_on"),
        review_note=row.get("review_note") or "",
        quality_score=row.get("quality_score") if status == Status.CLOSED else None,
    )


def children(case, row: ImportRow, rec: WorkOrder) -> list:
    """An open order imported as dispatched to a unit of the tree is shared with it for
    work, as the dispatch step does: it is on that unit's 待办工单 at once. (A replied
    or closed one is the front desk's to call back; the unit keeps a read-only view.)"""
    from sifa.cases.models import CaseShare

    org = rec.dispatched_to
    if org is None or org.path.startswith(case.org_path) or case.org_path.startswith(org.path):
        return []
    working = case.status in (Status.DISPATCHED, Status.HANDLING)
    return [CaseShare(case=case, org=org, org_path=org.path, can_write=working, reason="12348工单派单（台账导入）", active=True)]


def replay(case, row: ImportRow, rec: WorkOrder, children) -> list:
    """An open order's clocks: the 办理时限 ran from the 受理日期 (the kernel's "created"
    trigger); the handling unit's feedback completed it and started the callback clock."""
    if case.status == Status.REPLIED:
        return [("reply", rec.answered_on, {})]
    return []


LEDGER = Ledger(
    case_type=CASE_TYPE,
    label="12348工单台账",
    columns=COLUMNS,
    check_row=check_row,
    draft=draft,
    record=record,
    children=children,
    replay=replay,
    sheet_name="12348工单",
)
