"""人民调解台账: the mediation ledger's columns and how a row becomes a
dispute, declared once (named in ``line.py``; the dispute list's "导出本列表"
writes these columns too). How a row is imported — the state the workflow
would have left it in (``state_of``), the fields its steps would have written
(``record``), the clocks replayed (``replay``) — is in the line's README, 台账."""

from __future__ import annotations

from sifa.common import dictionaries
from sifa.kit import columns as col
from sifa.kit.ledger import Column, Draft, ImportContext, ImportRow, Ledger

from .choices import CASE_TYPE, DISPUTE_TYPE_SET, DISPUTE_TYPES, SOURCE_GROUP, AgreementForm, Outcome, Performance, Result, Source, Status
from .models import Dispute

RESULTS = dict(Result.choices)  # 调解成功 / 调解不成
SUCCESS_ONLY = ("agreement_form", "agreement_amount", "performance", "visit_on")


# --- columns -----------------------------------------------------------------------------------------


COLUMNS: tuple[Column, ...] = (
    col.code(),
    col.title("纠纷名称", example="张三与李四邻里纠纷"),
    col.opened_on("登记日期", example="2024-03-05"),
    col.org("调解组织", example="东湖街道人民调解委员会"),
    col.choice("source", "案件来源", dict(Source.choices), required=True, record_attr="source"),
    col.dictionary("dispute_type", "纠纷类型", DISPUTE_TYPE_SET, example=DISPUTE_TYPES[1][1], note="从下拉列表选择（纠纷类型字典，含二级类型）"),
    *col.party("applicant", "申请人"),
    *col.party("respondent", "被申请人", example_name="李四", example_id="", example_phone="13900001111"),
    col.summary("纠纷简要情况", example="楼上漏水，双方就维修和赔偿发生争执。"),
    col.money("amount_in_dispute", "争议金额", example="", record_attr="amount_in_dispute"),
    col.date_column("accepted_on", "受理日期", example="2024-03-05", record_attr="accepted_on", note="日期；有调解结果而未填的，以登记日期为受理日期"),
    col.choice("result", "调解结果", RESULTS, example=RESULTS[Result.SUCCESS], record_attr="result", note="调解成功/调解不成；在办未调结的留空"),
    col.date_column("outcome_on", "调解结果日期", example="2024-03-20", record_attr="outcome_on", note="达成协议或终止调解之日；有调解结果的必填"),
    col.choice("agreement_form", "协议形式", dict(AgreementForm.choices), record_attr="agreement_form", note="调解成功的必填"),
    col.money("agreement_amount", "协议涉及金额", example="3000.00", record_attr="agreement_amount"),
    col.choice("performance", "履行情况", dict(Performance.choices), example=Performance.PERFORMED.label, record_attr="performance", note="调解成功的填写"),
    col.date_column("visit_on", "回访日期", example="", record_attr="last_visit_on", note="日期；调解成功且已回访的填写（最近一次）"),
    col.closed_on("结案归档日期", example="2024-03-25"),
    col.status(),
    col.handler(),
)


# --- import: cross-column checks --------------------------------------------------------------------


def check_row(row: ImportRow, ctx: ImportContext) -> None:
    accepted, result, closed = row.get("accepted_on"), row.get("result"), row.get("closed_on")
    row.not_before("accepted_on", "opened_on")
    row.needs("result", "outcome_on", "填写了调解结果，须填写调解结果日期（达成协议或终止调解之日）。")
    row.needs("outcome_on", "result", "填写了调解结果日期，但没有调解结果。")
    row.not_before("outcome_on", "accepted_on" if accepted else "opened_on")
    if result == Result.SUCCESS:
        row.needs("result", "agreement_form", "调解成功的须填写协议形式（口头协议或书面调解协议书，人民调解法第二十八条）。")
    row.only_if(result == Result.SUCCESS, SUCCESS_ONLY, "只有调解成功的纠纷才填写")
    row.not_before("visit_on", "outcome_on", "回访日期不能早于达成协议日期。")
    if closed and not result:
        row.refuse("结案归档的纠纷须有调解结果（调解成功或调解不成）；在办的纠纷请留空结案归档日期。", "closed_on")
    row.not_before("closed_on", "outcome_on")
    if closed and result == Result.SUCCESS and row.get("performance") != Performance.PERFORMED and not row.get("visit_on"):
        why = "调解协议既未回访、也未履行完毕，不能结案归档（人民调解法第三十一条）"
        row.refuse(f"{why}：请填写履行情况或回访日期，或留空结案归档日期按在办导入。", "closed_on")


# --- import: creating the disputes ------------------------------------------------------------------


def state_of(row: ImportRow) -> tuple[str, str]:
    """(status, Case.outcome) of an imported row, as the workflow would have left it."""
    result = row.get("result")
    if row.get("closed_on"):
        return Status.ARCHIVED, (Outcome.SUCCESS if result == Result.SUCCESS else Outcome.FAILED)
    if result == Result.SUCCESS:
        return Status.AGREED, ""
    if result == Result.FAILED:
        return Status.TERMINATED, ""
    if row.get("accepted_on"):
        return Status.ACCEPTED, ""
    return Status.REGISTERED, ""


def draft(row: ImportRow, ctx: ImportContext) -> Draft:
    status, outcome = state_of(row)
    return Draft(
        title=row["title"],
        owner_org=row["org"],
        opened_on=row["opened_on"],
        parties=row.parties,
        status=status,
        closed_on=row.get("closed_on"),
        outcome=outcome,
        summary=row.get("summary") or "",
        event_data={"source": row["source"], "dispute_type": row["dispute_type"]},
    )


def _top_types(ctx: ImportContext) -> dict[str, str]:
    """{dispute type code: its top-level code}, once per import."""
    if "mediation:top" not in ctx.shared:
        ctx.shared["mediation:top"] = {e.code: e.parent.code if e.parent_id else e.code for e in dictionaries.entries(DISPUTE_TYPE_SET)}
    return ctx.shared["mediation:top"]


def record(row: ImportRow, ctx: ImportContext) -> Dispute:
    """The mediation record with the fields the workflow's steps would have written."""
    result = row.get("result") or ""
    success = result == Result.SUCCESS
    outcome_on = row.get("outcome_on")
    visit = row.get("visit_on")
    performance = (row.get("performance") or Performance.PENDING) if success else ""
    source = row["source"]
    return Dispute(
        source=source,
        source_group=SOURCE_GROUP[source],
        dispute_type=row["dispute_type"],
        dispute_type_top=_top_types(ctx)[row["dispute_type"]],
        amount_in_dispute=row.get("amount_in_dispute"),
        # A dispute with a result was accepted: without a 受理日期 its 登记日期 counts.
        accepted_on=row.get("accepted_on") or (row["opened_on"] if result else None),
        result=result,
        outcome_on=outcome_on if result else None,
        agreement_form=(row.get("agreement_form") or "") if success else "",
        agreement_amount=row.get("agreement_amount") if success else None,
        agreed_on=outcome_on if success else None,
        effective_on=outcome_on if success else None,
        performance=performance,
        performed_on=(visit or outcome_on) if performance == Performance.PERFORMED else None,
        visit_count=1 if visit else 0,
        last_visit_on=visit,
    )


def replay(case, row: ImportRow, d: Dispute, children) -> list:
    """The clocks of the step that put an open dispute in its state."""
    if case.status == Status.ACCEPTED:
        return [("accept", d.accepted_on, {})]
    if case.status == Status.AGREED:
        return [("succeed", d.outcome_on, {})] + ([("record_visit", d.last_visit_on, {})] if d.last_visit_on else [])
    return []


LEDGER = Ledger(case_type=CASE_TYPE, label="人民调解台账", columns=COLUMNS, check_row=check_row, draft=draft, record=record, replay=replay, order=10)
