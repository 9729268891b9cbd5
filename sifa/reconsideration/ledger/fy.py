"""行政复议案件台账: columns, cross-column checks, and import into the states the workflow reaches."""

from __future__ import annotations

from datetime import date, timedelta

from sifa.common import dictionaries
from sifa.deadlines import calendar
from sifa.kit import columns as col
from sifa.kit.columns import coded, rec, yes_no
from sifa.kit.ledger import Column, Draft, ExportRow, ImportContext, ImportRow, Ledger

from ..choices import (
    CONCLUDED,
    CORRECTIVE,
    DECISIONS,
    FY_CATEGORY,
    FY_KEY,
    INACTION_CATEGORIES,
    INACTION_ONLY,
    RESPONDENT_AGENCY,
    FyStatus,
    Outcome,
    Procedure,
    TerminationReason,
)
from ..models import Application, Suspension
from ..services import fy_title

MAX_EXTENSION_DAYS = 30  # 行政复议法 §62


# --- 行政复议 -------------------------------------------------------------------------------------

OUTCOME_LABELS = dict(Outcome.choices)
OUTCOME_ALIASES = {"调解": Outcome.MEDIATION, "调解结案": Outcome.MEDIATION, "调解书": Outcome.MEDIATION, "行政复议调解书": Outcome.MEDIATION}
TERMINATION_LABELS = {
    TerminationReason.WITHDRAWN: "申请人撤回申请",
    TerminationReason.SETTLED: "和解后撤回申请",
    TerminationReason.DEATH_NO_HEIR: "申请人死亡无近亲属或放弃",
    TerminationReason.ORG_NO_SUCCESSOR: "单位终止无承受人或放弃",
    TerminationReason.CRIMINAL_MEASURES: "被采取刑事强制措施",
    TerminationReason.SUSPENSION_EXPIRED: "中止满六十日",
}
TERMINATION_ALIASES = {label: value for value, label in TerminationReason.choices} | {
    "撤回申请": TerminationReason.WITHDRAWN,
    "撤回": TerminationReason.WITHDRAWN,
}


def _fy_corrective(r: ExportRow):
    if r.case.outcome in CORRECTIVE:
        return True
    return False if r.case.outcome in DECISIONS else None


def _load_fy(case_ids: list[int]) -> dict:
    suspended: dict[int, int] = {}
    for s in Suspension.objects.filter(case_id__in=case_ids, ended_on__isnull=False):
        suspended[s.case_id] = suspended.get(s.case_id, 0) + (s.ended_on - s.started_on).days
    out = {}
    for app in Application.objects.filter(case_id__in=case_ids):
        app.suspended_days = suspended.get(app.case_id) or None
        out[app.case_id] = app
    return out


FY_COLUMNS = (
    col.code(),
    col.opened_on("收到申请日期", example="2024-03-05"),
    *col.party("applicant", "申请人", example_name="张三"),
    col.party_kind("applicant", "申请人"),
    col.dictionary("respondent_agency", "被申请人", RESPONDENT_AGENCY, record_attr="respondent_agency", example="区市场监督管理局"),
    col.dictionary("category", "复议事项类别", FY_CATEGORY, record_attr="category", example="罚款"),
    col.text("contested_act", "被申请复议的行政行为", required=True, max_length=300, example="区市场监督管理局罚款决定", width=28),
    col.text("request", "行政复议请求", max_length=4000, example="请求撤销该罚款决定", width=28),
    col.boolean("is_inaction", "申请履行法定职责", example="否"),
    col.date_column("accepted_on", "受理日期", example="2024-03-08", note="日期；已受理的填写（视为受理的填审查期限届满之日），未受理的留空"),
    coded(
        "procedure",
        "审理程序",
        dict(Procedure.choices),
        export=lambda r: _label(Procedure, rec("procedure")(r)),
        example="普通程序",
        note="普通程序或简易程序；已受理而不填的按普通程序",
    ),
    col.date_column("copy_sent_on", "发送答复通知日期", example="", note="日期；向被申请人发送申请书副本（答复通知）的日期，可不填"),
    col.date_column("reply_received_on", "收到书面答复日期", example="", note="日期；可不填"),
    col.integer("extension_days", "延长审理期限（日）", example="", export=rec("extension_days")),
    col.integer("suspended_days", "中止天数", example="", export=rec("suspended_days")),
    col.closed_on("结案日期", example="2024-04-20"),
    coded(
        "outcome",
        "结案方式",
        OUTCOME_LABELS,
        aliases=OUTCOME_ALIASES,
        export=lambda r: OUTCOME_LABELS.get(r.case.outcome, r.case.outcome),
        example="撤销",
        note="从下拉列表选择；未结案的留空。不予受理、视为放弃申请也在此填写",
    ),
    coded(
        "termination_reason",
        "终止理由",
        TERMINATION_LABELS,
        aliases=TERMINATION_ALIASES,
        export=lambda r: TERMINATION_LABELS.get(rec("termination_reason")(r), ""),
        note="结案方式为“终止”的必填",
    ),
    col.boolean("corrective", "是否纠错", export=_fy_corrective, example="是"),
    Column("on_time", "是否按期审结", export=lambda r: yes_no(rec("concluded_on_time")(r)), width=10, note="系统按受理日期、审理程序、延期和中止计算"),
    col.text("doc_number", "文号", max_length=60, example="演司行复〔2024〕第3号", export=lambda r: r.case.doc_number, width=22),
    col.status(),
    col.handler(),
    col.text("summary", "备注", max_length=2000, export=lambda r: r.case.summary, width=30),
)


def _label(choices, value) -> str:
    return choices(value).label if value in choices.values else ""


NOT_ACCEPTED_EMPTY = ("procedure", "copy_sent_on", "reply_received_on", "extension_days", "suspended_days")


def _fy_check(row: ImportRow, ctx: ImportContext) -> None:
    accepted, outcome, reason = row.get("accepted_on"), row.get("outcome"), row.get("termination_reason")
    label = OUTCOME_LABELS.get(outcome, "")
    row.needs("closed_on", "outcome")
    row.needs("outcome", "closed_on", f"结案方式为“{label}”，须填写结案日期。")
    row.not_before("closed_on", "opened_on")
    if outcome in (Outcome.NOT_ACCEPTED, Outcome.ABANDONED) and accepted:
        row.refuse(f"结案方式为“{label}”的申请未受理，不应填写受理日期。", "accepted_on")
    elif outcome not in (Outcome.NOT_ACCEPTED, Outcome.ABANDONED):
        row.needs("outcome", "accepted_on", f"结案方式为“{label}”的案件已受理，须填写受理日期。")
    row.not_before("accepted_on", "opened_on")
    row.not_before("closed_on", "accepted_on")
    row.only_if(bool(accepted), NOT_ACCEPTED_EMPTY, "未受理的申请不应填写")
    row.not_before("copy_sent_on", "accepted_on")
    row.needs("reply_received_on", "copy_sent_on")
    row.not_before("reply_received_on", "copy_sent_on")
    row.not_after("copy_sent_on", "closed_on")
    row.not_after("reply_received_on", "closed_on")
    if (row.get("extension_days") or 0) > MAX_EXTENSION_DAYS:
        row.refuse(f"审理期限最多延长{MAX_EXTENSION_DAYS}日（《行政复议法》第六十二条）。", "extension_days")
    if row.get("extension_days") and row.get("procedure") == Procedure.SIMPLIFIED:
        row.refuse("简易程序案件的审理期限不能延长（第六十二条）；已转为普通程序的，审理程序请填“普通程序”。", "extension_days")
    if outcome == Outcome.TERMINATE:
        row.needs("outcome", "termination_reason", "结案方式为“终止”的，须填写终止理由。")
    elif reason:
        row.refuse("只有结案方式为“终止”的才填写终止理由。", "termination_reason")
    inaction = row.get("is_inaction")
    if outcome in INACTION_ONLY and not (row.get("category") in INACTION_CATEGORIES if inaction is None else inaction):
        why = f"“{label}”只适用于申请履行法定职责（不作为）的案件（第六十六条、第六十九条）"
        row.refuse(f"{why}；如属此类，请将“申请履行法定职责”填“是”。", "outcome")
    corrective = row.get("corrective")
    if corrective is not None and outcome in DECISIONS and corrective != (outcome in CORRECTIVE):
        word, answer = ("属于", "是") if outcome in CORRECTIVE else ("不属于", "否")
        row.refuse(f"结案方式“{label}”{word}纠错，“是否纠错”应填“{answer}”。", "corrective")
    elif corrective and outcome not in DECISIONS:
        row.refuse("只有作出变更、撤销、确认违法、确认无效、责令履行决定的案件才是纠错案件。", "corrective")


def _fy_status(outcome: str, accepted: date | None) -> str:
    if outcome == Outcome.NOT_ACCEPTED:
        return FyStatus.NOT_ACCEPTED
    if outcome == Outcome.ABANDONED:
        return FyStatus.ABANDONED
    if outcome:
        return FyStatus.CLOSED
    return FyStatus.REVIEWING if accepted else FyStatus.RECEIVED


def concluded_on_time(accepted: date, closed: date, procedure: str, extension_days: int = 0, suspended_days: int = 0) -> bool:
    """Concluded within the 复议决定 period, as the system's clock counts it (§62, §88)."""
    amount = 30 if procedure == Procedure.SIMPLIFIED else 60
    return closed <= calendar.compute_due(accepted, amount + extension_days, "day", paused_days=suspended_days).due


def _draft(r: ImportRow, ctx: ImportContext) -> Draft:
    outcome, accepted, paused = r.get("outcome", ""), r.get("accepted_on"), r.get("suspended_days", 0)
    labels = ctx.shared.setdefault("labels", (dictionaries.labels(RESPONDENT_AGENCY), dictionaries.labels(FY_CATEGORY)))
    return Draft(
        title=fy_title(r.parties, labels[0].get(r["respondent_agency"], ""), labels[1].get(r["category"], "")),
        opened_on=r["opened_on"],
        parties=r.parties,
        status=_fy_status(outcome, accepted),
        closed_on=r.get("closed_on"),
        outcome=outcome,
        summary=r.get("summary", ""),
        doc_number=r.get("doc_number") or "",
        event_data={"suspended_days": paused} if paused else {},
    )


def _record(r: ImportRow, ctx: ImportContext) -> Application:
    outcome, accepted = r.get("outcome", ""), r.get("accepted_on")
    procedure = (r.get("procedure") or Procedure.ORDINARY) if accepted else ""
    ext, paused = r.get("extension_days", 0), r.get("suspended_days", 0)
    inaction = r.get("is_inaction")
    return Application(
        respondent_agency=r["respondent_agency"],
        category=r["category"],
        is_inaction=r["category"] in INACTION_CATEGORIES if inaction is None else inaction,
        contested_act=r["contested_act"],
        request=r.get("request", ""),
        accepted_on=accepted,
        procedure=procedure,
        copy_sent_on=r.get("copy_sent_on"),
        copy_served_on=r.get("copy_sent_on"),
        reply_received_on=r.get("reply_received_on"),
        extension_requested_days=ext or None,
        extension_days=ext or None,
        termination_reason=r.get("termination_reason", ""),
        concluded_on_time=concluded_on_time(accepted, r["closed_on"], procedure, ext, paused) if outcome in CONCLUDED else None,
    )


def _replay(case, r: ImportRow, app: Application, children) -> list:
    """The clocks of a case under review, as the steps the row records would have left them."""
    if case.status != FyStatus.REVIEWING:
        return []
    out = [("accept", app.accepted_on, {"accepted_on": app.accepted_on, "procedure": app.procedure})]
    if app.copy_sent_on:
        out.append(("send_copy", app.copy_sent_on, {"served_on": app.copy_served_on, "procedure": app.procedure}))
    if app.reply_received_on:
        out.append(("record_reply", app.reply_received_on, {}))
    if app.extension_days:
        out.append(("approve_extension", app.accepted_on, {"extension_days": app.extension_days}))
    if paused := r.get("suspended_days", 0):
        # The 复议决定 clock stood still for that many days (the dates themselves are not in the ledger).
        out += [("suspend", app.accepted_on, {}), ("resume", app.accepted_on + timedelta(days=paused), {})]
    return out


FY_LEDGER = Ledger(
    case_type=FY_KEY,
    label="行政复议案件台账",
    columns=FY_COLUMNS,
    load_records=_load_fy,
    check_row=_fy_check,
    draft=_draft,
    record=_record,
    replay=_replay,
    sheet_name="行政复议案件台账",
    order=40,
)
