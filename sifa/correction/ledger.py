"""社区矫正对象台账: the people under correction (and, for history, those released
or terminated), declared once for the import template, the import and the
export of the line's list.

A row becomes the case the steps would have left (``state_of``): released or
terminated when it says so (with its 解除/终止日期 as the closing day),
otherwise 在矫 once declared (入矫宣告), 已报到待宣告 once reported, else 待报到.
The file (``Subject``) gets what 登记接收, 报到 and 入矫宣告 write: the decision,
the term, the grade from its day, the last contact (the latest of 报到, 宣告 and
the row's 最近联系日期). An open case's clocks come from the kernel's "created"
(the 10-day 报到期限 from the judgment's effective date) and the row's 报到
(``replay``); the grade's recurring duties run from the day of the import (the
system has no record of the reports made before it).

A minor's case is sealed (§54) as 登记接收 seals it (``children``). The export
leaves sealed cases out: the ledgers framework does that for every restricted
line (``ledgers.approvals.sealed_q``), so the ``Ledger`` needs no hook for it. The
offence and the sentence (encrypted at rest) are written only in an export that
shows personal data in full (an audited reveal)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sifa.kit import columns as col
from sifa.kit.ledger import Column, Draft, ExportRow, ImportContext, ImportRow, Ledger

from .choices import CASE_TYPE, Category, DecisionOrgan, Grade, ReleaseKind, Status, TerminationKind
from .models import Subject
from .services import is_minor, report_late_days

# --- columns -----------------------------------------------------------------------------------------

HIDDEN = "（不显示）"


def _secret(attr: str):
    """An encrypted field of the file: in full only when the export reveals personal data."""

    def get(r: ExportRow):
        if r.record is None:
            return ""
        return getattr(r.record, attr, "") if r.reveal else HIDDEN

    return get


def _person() -> tuple[Column, ...]:
    """Name, ID number (required: the person is identified by it), phone, residence."""
    cells = col.party("subject", "社区矫正对象", address=True, example_name="张三", example_id="110101199003071233")
    return tuple(replace(c, required=True, note=c.note + "；必填") if c.key == "subject.id_number" else c for c in cells)


COLUMNS: tuple[Column, ...] = (
    col.code(),
    *_person(),
    col.opened_on("接收日期", example="2024-03-05"),
    col.org("执行地司法所"),
    col.choice("category", "矫正类别", dict(Category.choices), required=True, example=Category.PROBATION.label),
    col.choice("decision_organ", "决定机关类别", dict(DecisionOrgan.choices), example=DecisionOrgan.COURT.label, note="从下拉列表选择；不填为人民法院"),
    col.text("decision_org_name", "决定机关", required=True, max_length=100, example="某区人民法院"),
    col.text("judgment_no", "判决书/决定书文号", max_length=100, example="", width=22),
    col.date_column("effective_on", "判决/裁定/决定生效日期", required=True, example="2024-03-01"),
    col.text("crime", "罪名", required=True, max_length=200, example="危险驾驶罪", export=_secret("crime"), note="文字，最多200字；加密保存"),
    col.text("sentence", "原判刑罚及刑期", max_length=200, example="", export=_secret("sentence"), note="文字，最多200字；加密保存"),
    col.date_column("term_start", "矫正期限起日", required=True, example="2024-03-01", allow_future=True),
    col.date_column("term_end", "矫正期限止日", required=True, example="2025-02-28", allow_future=True),
    col.date_column("reported_on", "报到日期", example="2024-03-08", note="日期；暂予监外执行的填移送接收日期；尚未报到的留空"),
    col.date_column("declared_on", "入矫宣告日期", example="2024-03-10", note="日期；尚未宣告的留空"),
    col.choice("grade", "管理等级", dict(Grade.choices), example=Grade.STRICT.label, note="从下拉列表选择；已入矫宣告的必填"),
    col.date_column("grade_since", "等级起始日期", example="2024-03-10", note="日期；不填的以入矫宣告日期计"),
    col.date_column("last_contact_on", "最近联系日期", example="2024-03-15", note="日期：最近一次报告、谈话、走访或核查；不填的以报到或宣告日期计"),
    col.date_column("ended_on", "解除/终止日期", example="", note="日期；已解除或终止矫正的填写"),
    col.choice("release_kind", "解除类型", dict(ReleaseKind.choices), example="", note="已解除矫正的填写"),
    col.choice("termination_kind", "终止类型", dict(TerminationKind.choices), example="", note="已终止矫正的填写"),
    col.boolean("reoffended", "矫正期间重新犯罪", example=""),
    col.status(),
    col.handler("矫正负责人"),
)


# --- the state a row puts the person in ---------------------------------------------------------------


def state_of(row: ImportRow) -> str:
    if row.filled("termination_kind"):
        return Status.TERMINATED
    if row.filled("release_kind"):
        return Status.RELEASED
    if row.filled("declared_on"):
        return Status.SUPERVISING
    if row.filled("reported_on"):
        return Status.ENROLLED
    return Status.RECEIVED


# The termination that fits the category (as the 终止矫正 step checks it).
_TERMINATION_FITS = {
    TerminationKind.REVOKE_PROBATION: Category.PROBATION,
    TerminationKind.REVOKE_PAROLE: Category.PAROLE,
    TerminationKind.IMPRISON: Category.MEDICAL,
}


def _id_number(row: ImportRow) -> str:
    return next((p.get("id_number") or "" for p in row.parties if p.get("role") == "subject"), "")


def _open_hashes(ctx: ImportContext) -> set:
    """The keyed hashes of the ID numbers of the bureau's people still under correction, once per import."""
    key = "correction:open"
    if key not in ctx.shared:
        from sifa.cases.models import Party

        qs = Party.objects.filter(role="subject", case__case_type=CASE_TYPE, case__is_deleted=False, case__closed_on__isnull=True)
        if ctx.bureau is not None:
            qs = qs.filter(case__org_path__startswith=ctx.bureau.path)
        ctx.shared[key] = set(qs.exclude(id_hash="").values_list("id_hash", flat=True))
    return ctx.shared[key]


def _not_twice(row: ImportRow, ctx: ImportContext) -> None:
    """A person is under correction once: not a second open row, not one already on the register."""
    number = _id_number(row)
    if not number or row.filled("ended_on"):
        return
    from sifa.common.crypto import keyed_hash

    seen = ctx.shared.setdefault("correction:rows", {})  # {ID number: first open row}
    if keyed_hash(number) in _open_hashes(ctx):
        row.refuse("该社区矫正对象已在本局登记且尚未解除或终止矫正，不能重复导入。", "subject.id_number")
    elif seen.get(number, row.number) != row.number:
        row.refuse(f"与第{seen[number]}行是同一社区矫正对象，且均未解除或终止矫正。", "subject.id_number")
    else:
        seen[number] = row.number


def check_row(row: ImportRow, ctx: ImportContext) -> None:
    """The rules across columns (refusals go on ``row.problems``)."""
    if row.get("term_start") and row.get("term_end") and row["term_end"] <= row["term_start"]:
        row.refuse("矫正期限止日应晚于起日。", "term_end")
    # 报到 (§21) and 入矫宣告 (§22), in that order.
    row.not_before("reported_on", "effective_on", "报到日期不能早于判决/裁定/决定生效日期。")
    row.needs("declared_on", "reported_on")
    row.not_before("declared_on", "reported_on")
    declared = row.filled("declared_on")
    row.needs("declared_on", "grade")
    row.only_if(declared, ("grade", "grade_since"), "只有已入矫宣告的社区矫正对象才填写")
    row.not_before("grade_since", "declared_on")
    row.only_if(row.filled("reported_on"), ("last_contact_on",), "只有已报到的社区矫正对象才填写")
    row.not_before("last_contact_on", "reported_on")
    # 解除 (§44) or 终止 (§45): one of them, with its day.
    release, termination = row.get("release_kind"), row.get("termination_kind")
    if release and termination:
        row.refuse("解除类型和终止类型只能填写一项。", "termination_kind")
    if row.filled("ended_on") and not (release or termination):
        row.refuse("填写了解除/终止日期，须同时填写解除类型或终止类型。", "release_kind")
    row.needs("release_kind", "ended_on")
    row.needs("termination_kind", "ended_on")
    for earlier in ("opened_on", "reported_on", "declared_on", "last_contact_on", "grade_since"):
        row.not_before("ended_on", earlier)
    if release and not declared:
        row.refuse("解除矫正在入矫宣告之后：请填写报到日期和入矫宣告日期。", "declared_on")
    if release == ReleaseKind.EXPIRY and row.get("ended_on") and row.get("term_end") and row["ended_on"] < row["term_end"]:
        row.refuse(f"矫正期满日为{row['term_end']:%Y-%m-%d}，期满前不能以期满解除。", "ended_on")
    fits = _TERMINATION_FITS.get(termination)
    if fits and row.get("category") and row["category"] != fits:
        row.refuse(f"{TerminationKind(termination).label}只适用于{Category(fits).label}的社区矫正对象。", "termination_kind")
    if row.get("reoffended") and not termination:
        row.refuse("只有终止矫正的社区矫正对象才填写“矫正期间重新犯罪”为“是”。", "reoffended")
    _not_twice(row, ctx)


# --- import: creating the files -----------------------------------------------------------------------


def draft(row: ImportRow, ctx: ImportContext) -> Draft:
    status = state_of(row)
    final = status in (Status.RELEASED, Status.TERMINATED)
    name = next((p["name"] for p in row.parties if p.get("role") == "subject"), "")
    return Draft(
        title=f"{name}（{Category(row['category']).label}）",  # as 登记接收 names it
        owner_org=row["org"],
        opened_on=row["opened_on"],
        parties=row.parties,
        status=status,
        closed_on=row["ended_on"] if final else None,
        outcome=status if final else "",
        event_data={"category": row["category"]},
    )


def _latest(*days: date | None) -> date | None:
    found = [d for d in days if d is not None]
    return max(found) if found else None


def record(row: ImportRow, ctx: ImportContext) -> Subject:
    """The file with the fields 登记接收, 报到, 入矫宣告 and 解除/终止 would have written."""
    person = next((p for p in row.parties if p.get("role") == "subject"), {})
    reported, declared = row.get("reported_on"), row.get("declared_on")
    termination = row.get("termination_kind") or ""
    return Subject(
        category=row["category"],
        decision_organ=row.get("decision_organ") or DecisionOrgan.COURT,
        decision_org_name=row["decision_org_name"].strip()[:100],
        judgment_no=(row.get("judgment_no") or "")[:100],
        effective_on=row["effective_on"],
        documents_on=row["opened_on"],
        crime=row["crime"].strip(),
        sentence=(row.get("sentence") or "").strip(),
        term_start=row["term_start"],
        term_end=row["term_end"],
        is_minor=is_minor(person["id_number"], row["effective_on"]),
        gender=person.get("gender", ""),
        reported_on=reported,
        report_late_days=report_late_days(row["effective_on"], reported),
        identity_checked=reported is not None,
        declared_on=declared,
        grade=(row.get("grade") or "") if declared else "",
        grade_since=(row.get("grade_since") or declared) if declared else None,
        last_contact_on=_latest(reported, declared, row.get("last_contact_on")),
        ended_on=row.get("ended_on"),
        release_kind=row.get("release_kind") or "",
        termination_kind=termination,
        reoffended=bool(row.get("reoffended")) and bool(termination),
    )


def children(case, row: ImportRow, rec: Subject) -> list:
    """No rows of the file; but a minor's case is sealed at once, as 登记接收 seals it
    (§54: only the officers assigned see it, its figures count unnamed). The framework
    has no Draft field for it, so it is set here, on the case object the import writes."""
    if rec.is_minor:
        case.is_sealed = True
    return []


def replay(case, row: ImportRow, rec: Subject, children) -> list:
    """An open file's clocks: the 报到期限 started by "created" is met by the row's 报到."""
    return [("report", rec.reported_on, {})] if rec.reported_on else []


LEDGER = Ledger(
    case_type=CASE_TYPE,
    label="社区矫正对象台账",
    columns=COLUMNS,
    check_row=check_row,
    draft=draft,
    record=record,
    children=children,
    replay=replay,
    sheet_name="社区矫正对象",
)
