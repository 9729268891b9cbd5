"""法律援助台账: its columns serve the import template, the import (historical
cases with their clocks replayed) and the masked export of the case list."""

from __future__ import annotations

from sifa.kit import columns as col
from sifa.kit.ledger import CellInvalid, Column, Draft, ImportContext, ImportRow, Ledger

from .choices import CASE_TYPE, GROUPS, Category, Kind, Outcome, Stage, Status
from .models import LegalAid, Provider


def _provider(value, ctx: ImportContext):
    name = col.as_text(value)
    if not name:
        return None
    found = ctx.shared.get("providers")
    if found is None:
        from sifa.orgs.selectors import bureau_of

        bureau = ctx.bureau or bureau_of(ctx.user.org)
        found = ctx.shared["providers"] = {p.name: p for p in Provider.objects.filter(org_path__startswith=bureau.path)}
    if name not in found:
        raise CellInvalid(f"承办人员“{name}”不在本局的法律援助人员库中，请先在人员库中添加。")
    return found[name]


COLUMNS = (
    col.code(),
    col.title("案由", example="李某追索劳动报酬"),
    col.opened_on("收到申请日期", example="2024-03-05"),
    col.org("法律援助机构"),
    *col.party("applicant", "受援人"),
    col.choice("kind", "来源", dict(Kind.choices), required=True, record_attr="kind"),
    col.choice("category", "案件类别", dict(Category.choices), required=True, record_attr="category", example="民事"),
    col.choice("stage", "刑事诉讼阶段", dict(Stage.choices), record_attr="stage", example=""),
    col.boolean("capital", "可能判处无期徒刑、死刑", record_attr="capital"),
    col.date_column("decided_on", "决定给予日期", record_attr="decided_on", example=""),
    col.date_column("assigned_on", "指派日期", record_attr="assigned_on", example=""),
    Column(
        "provider",
        "承办人员",
        export=lambda r: r.record.provider.name if r.record and r.record.provider_id else "",
        parse=_provider,
        note="须在人员库中",
        width=10,
    ),
    col.choice("outcome", "办理结果", dict(Outcome.choices), record_attr="outcome", example=""),
    col.date_column("ended_on", "办结日期", record_attr="ended_on", example=""),
    col.money("fees_waived", "免收律师费（元）", record_attr="fees_waived", example=""),
    col.money("losses_recovered", "挽回经济损失（元）", record_attr="losses_recovered", example=""),
    col.closed_on("结案日期", example=""),
    *(col.boolean(key, label, record_attr=key) for key, label in GROUPS.items()),
    col.status(),
    col.handler(),
)


def check_row(row: ImportRow, ctx: ImportContext):
    row.only_if(row.get("category") == Category.CRIMINAL, ("stage",), "只有刑事案件才填写")
    if row.get("capital") and row.get("category") != Category.CRIMINAL:
        row.refuse("只有刑事案件才可能判处无期徒刑、死刑。", "capital")
    if row.get("category") == Category.CRIMINAL and not row.filled("stage"):
        row.refuse("刑事案件请填写刑事诉讼阶段。", "stage")
    row.needs("assigned_on", "provider")
    row.needs("ended_on", "outcome")
    row.needs("closed_on", "ended_on")
    row.not_before("decided_on", "opened_on")
    row.not_before("assigned_on", "decided_on")
    row.not_before("assigned_on", "opened_on")
    row.not_before("ended_on", "assigned_on")
    row.not_before("closed_on", "ended_on")
    if row.filled("ended_on") and not row.filled("assigned_on"):
        row.refuse("填写了办结日期，须同时填写指派日期。", "assigned_on")
    return None  # the refusals are on row.problems already


def _status(row: ImportRow) -> str:
    if row.get("closed_on"):
        return Status.CLOSED
    if row.get("ended_on"):
        return Status.ENDED
    if row.get("assigned_on"):
        return Status.ASSIGNED
    if row.get("decided_on"):
        return Status.GRANTED
    return Status.NOTIFIED if row.get("kind") == Kind.NOTIFY else Status.RECEIVED


def draft(row: ImportRow, ctx: ImportContext) -> Draft:
    status = _status(row)
    return Draft(
        title=row["title"],
        owner_org=row["org"],
        opened_on=row["opened_on"],
        parties=row.parties,
        status=status,
        closed_on=row.get("closed_on"),
        outcome=(row.get("outcome") or "closed") if status == Status.CLOSED else "",
    )


def record(row: ImportRow, ctx: ImportContext) -> LegalAid:
    return LegalAid(
        kind=row["kind"],
        category=row["category"],
        stage=row.get("stage") or "",
        capital=bool(row.get("capital")),
        decided_on=row.get("decided_on"),
        assigned_on=row.get("assigned_on"),
        provider=row.get("provider"),
        outcome=row.get("outcome") or "",
        ended_on=row.get("ended_on"),
        fees_waived=row.get("fees_waived"),
        losses_recovered=row.get("losses_recovered"),
        **{key: bool(row.get(key)) for key in GROUPS},
    )


def replay(case, row: ImportRow, rec, children):
    """The steps the row records, for an open case's clocks."""
    if rec.decided_on:
        yield "grant", rec.decided_on, {}
    if rec.assigned_on:
        yield "assign", rec.assigned_on, {}
    if rec.ended_on:
        yield "end", rec.ended_on, {}


LEDGER = Ledger(case_type=CASE_TYPE, label="法律援助台账", columns=COLUMNS, check_row=check_row, draft=draft, record=record, replay=replay)
