"""Turning validated ledger rows into cases, inside the import's one
transaction, as the line's ``Ledger`` declares them (``import_rows``):

1. each row's ``Draft`` becomes a case with the registry's rules: parties
   already checked by ``clean_party``, the IMPORT channel, and the timeline
   entry "由 <user> 从台账 <file> 导入"; its code is a placeholder for now;
2. the line record of each row, then its child rows, are bulk-created;
3. open cases (not in a final state) get their clocks: the line's "created"
   trigger from the ledger's 收案日期, then the triggers the row records
   (``Ledger.replay``) with their dates, through the same deadline rules the
   steps use. An old open case may therefore be overdue at once: that is the
   truth of the data. Closed historical cases get no clocks;
4. last, the codes: one locked step per bureau, line and year takes the whole
   block of sequence numbers from the counter and the cases get their real
   codes; then imported 文号 in the line's own form move the line's 文号
   counter past them.

Why last (issue 20 item 7): a counter row stays locked until the import's
transaction commits, and every registration of that bureau, line and year
waits on it. Taken first, it was held through the whole import (an office's
registration waited 12.5 s); taken last, for milliseconds. Codes stay
gapless (a rolled-back import returns its block) and unique.

On PostgreSQL the cases themselves are written at step 4, already with their
codes: step 1 only numbers them from the table's sequence, and every row of
steps 1-3 refers to them through foreign keys, which PostgreSQL checks at
commit (Django declares them DEFERRABLE INITIALLY DEFERRED). Written first
with placeholders, as on SQLite, each case was written twice: the code
update touched every one of the table's indexes again, a tenth of a
5,000-row import (issue 19). So between steps 1 and 4 a case exists only as
the object: a line's callbacks read and set its fields (the deadline engine
sets 最近期限 on it), never its row. On SQLite the cases are inserted at
step 1 with placeholder codes (see ``_placeholders``), updated at step 4
with what the callbacks set (``WRITTEN_LAST``).
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from sifa.accounts.roles import HANDLE, has_cap
from sifa.cases import codes
from sifa.cases.choices import Channel, EventKind
from sifa.cases.models import Case, CaseAssignment, CaseEvent, Party
from sifa.cases.parties import build_party
from sifa.cases.services import handler_assignment, next_value, note_doc_numbers
from sifa.common import copyinsert, figures_hook
from sifa.kit import registry as case_registry
from sifa.kit.casetype import BUREAU
from sifa.kit.ledger import Draft, ImportContext, ImportRow, Ledger, RowRefused
from sifa.orgs.selectors import bureau_of

BATCH = 1000
# Placeholder sequence numbers lie above every real one (codes.build stops
# below 1,000,000) and inside PostgreSQL's integer; each import takes its own
# slot of SLOT_SIZE numbers (by its job id), so two imports running at once do
# not wait on each other's uncommitted placeholders in the unique index.
PLACEHOLDER_BASE = 1_000_000
SLOT_SIZE = 100_000
SLOTS = (2**31 - 1 - PLACEHOLDER_BASE) // SLOT_SIZE


def reserve_block(key: str, n: int) -> int:
    """Take ``n`` consecutive numbers of a named sequence under its row lock
    (``cases.services.next_value``); returns the first. Inside the caller's transaction."""
    return next_value(key, n) - n + 1


def _check(ct, d: Draft, today: date) -> None:
    wf = ct.workflow
    status = d.status or wf.initial
    if status not in wf.states:
        raise RowRefused(d.row, "状态", f"状态“{status}”不是{ct.label}的有效状态。")
    if d.opened_on > today:
        raise RowRefused(d.row, "收案日期", "收案日期不能晚于今天。")
    final = status in wf.final_states
    if final and d.closed_on is None:
        raise RowRefused(d.row, "结案日期", "已结案的案件须填写结案日期。")
    if not final and d.closed_on is not None:
        raise RowRefused(d.row, "结案日期", "未结案的案件不应填写结案日期。")
    if d.closed_on is not None and d.closed_on < d.opened_on:
        raise RowRefused(d.row, "结案日期", "结案日期早于收案日期。")
    if not (d.title or "").strip():
        raise RowRefused(d.row, "案由", "案由/标题不能为空。")
    if ct.level == BUREAU and d.owner_org.kind not in ("bureau", "city_bureau"):
        raise RowRefused(d.row, "承办机构", f"{ct.label}案件由司法局办理。")
    if ct.level != BUREAU and ct.owner_kinds and d.owner_org.kind not in ct.owner_kinds:
        raise RowRefused(d.row, "承办机构", f"“{d.owner_org.name}”不能承办{ct.label}案件。")


def create_cases(ctx: ImportContext, drafts: list[Draft]) -> list[Case]:
    """Cases for ``drafts`` (in order), created in bulk. Call inside the import transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("create_cases() must run inside the import transaction")
    ct = case_registry.case_type(ctx.case_type)
    today = ctx.today
    for d in drafts:
        _check(ct, d, today)
    default_handler = ctx.user if has_cap(ctx.user, HANDLE) else None
    bureaus: dict[int, Any] = {}
    for d in drafts:
        if d.owner_org.pk not in bureaus:
            bureaus[d.owner_org.pk] = bureau_of(d.owner_org)
    now = timezone.now()
    creator = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
    cases = []
    for d, (code, seq) in zip(drafts, _placeholders(ctx, len(drafts)), strict=True):
        bureau = bureaus[d.owner_org.pk]
        cases.append(
            Case(
                code=code,
                case_type=ct.key,
                bureau=bureau,
                owner_org=d.owner_org,
                org_path=d.owner_org.path,
                status=d.status or ct.workflow.initial,
                handler=d.handler or default_handler,
                title=d.title.strip()[:200],
                doc_number=(d.doc_number or "")[:60],
                summary=d.summary or "",
                channel=Channel.IMPORT,
                opened_on=d.opened_on,
                closed_on=d.closed_on,
                outcome=d.outcome or "",
                year=d.opened_on.year,
                seq=seq,
                created_by=creator,
            )
        )
    if copyinsert.numbers_ahead(Case):
        # PostgreSQL: numbered now, written last with their real codes (``assign_codes``);
        # the rows below refer to them through foreign keys checked at commit.
        copyinsert.number(Case, cases)
    else:
        copyinsert.insert(Case, cases)
    parties = [build_party(case, fields, i) for case, d in zip(cases, drafts, strict=True) for i, fields in enumerate(d.parties)]
    copyinsert.insert(Party, parties)
    assignments = [CaseAssignment(case=c, user=c.handler, role=handler_assignment(c.handler)) for c in cases if handler_assignment(c.handler)]
    copyinsert.insert(CaseAssignment, assignments)
    actor_name = getattr(ctx.user, "display_name", "") or "系统"
    job_id = getattr(ctx.job, "pk", None)
    events = [
        CaseEvent(
            case=c,
            at=now,
            actor=creator,
            actor_name=actor_name,
            kind=EventKind.IMPORTED,
            label=ctx.event_label[:200],
            to_status=c.status,
            data={"file": ctx.file_name, "row": d.row, "job": job_id} | (d.event_data or {}),
        )
        for c, d in zip(cases, drafts, strict=True)
    ]
    copyinsert.insert(CaseEvent, events)
    figures_hook.cases_changed(cases)  # the figures' rollup marks, in the import transaction (ADR 0021)
    return cases


def _placeholders(ctx: ImportContext, n: int) -> list[tuple[str, int]]:
    """(code, seq) to hold the rows' places until ``assign_codes``: unique
    like real ones, never equal to one, and of this import's own slot."""
    if n > SLOT_SIZE:
        raise RowRefused(0, "—", f"一次最多导入{SLOT_SIZE:,}行，请拆分后分批导入。")
    job_id = getattr(ctx.job, "pk", None)
    slot = job_id % SLOTS if job_id else random.randrange(SLOTS)
    first = PLACEHOLDER_BASE + slot * SLOT_SIZE
    # "~" is outside the code alphabet: a placeholder can never look like a code.
    token = uuid.uuid4().hex[:10]
    return [(f"~{token}{i:08x}", first + i) for i in range(n)]


def assign_codes(ct, cases: list[Case]) -> None:
    """The real codes of freshly created ``cases``: the LAST step of the
    import's transaction (see the module's docstring). One locked step per
    (bureau, year) takes the whole block, in a fixed order (no deadlock
    between two imports); the rows are then updated in a few statements."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("assign_codes() must run inside the import transaction")
    need: dict[tuple[int, int], int] = {}
    by_pk: dict[int, Any] = {}
    for c in cases:
        key = (c.bureau_id, c.year)
        need[key] = need.get(key, 0) + 1
        by_pk[c.bureau_id] = c.bureau
    next_seq: dict[tuple[int, int], int] = {}
    for (bureau_pk, year), n in sorted(need.items()):
        first = reserve_block(f"code:{by_pk[bureau_pk].region_code}:{ct.letters}:{year}", n)
        if first + n - 1 >= 1_000_000:
            raise RowRefused(0, "—", f"{year}年{ct.label}编号已用尽，无法导入。")
        next_seq[(bureau_pk, year)] = first
    for c in cases:
        key = (c.bureau_id, c.year)
        c.seq, next_seq[key] = next_seq[key], next_seq[key] + 1
        c.code = codes.build(by_pk[c.bureau_id].region_code, ct.letters, c.year, c.seq)
    if all(c._state.adding for c in cases):
        copyinsert.insert(Case, cases)  # numbered ahead (create_cases): first written here, with their codes
    else:
        _update_codes(cases)


# What a case may have gained as an object since it was inserted (SQLite): its code, and
# what a line's callback or the deadline engine sets (a minor's file sealed, 最近期限).
WRITTEN_LAST = ["code", "seq", "is_sealed", "next_due"]


def _update_codes(cases: list[Case]) -> None:
    Case.all_objects.bulk_update(cases, WRITTEN_LAST, batch_size=BATCH)


def import_rows(ledger: Ledger, rows: list[ImportRow], ctx: ImportContext) -> list[Case]:
    """The cases of validated rows, as the line's ledger declares them. Inside the import transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("import_rows() must run inside the import transaction")
    if case_registry.find_register(ledger.case_type) is not None:
        from .entries import import_entries

        return import_entries(ledger, rows, ctx)
    ct = case_registry.case_type(ledger.case_type)
    drafts = []
    for r in rows:
        d = ledger.draft(r, ctx)
        d.row = r.number
        d.owner_org = d.owner_org or ctx.bureau
        drafts.append(d)
    cases = create_cases(ctx, drafts)
    records = []
    if ledger.record is not None:
        records = [ledger.record(r, ctx) for r in rows]
        for case, rec in zip(cases, records, strict=True):
            rec.case = case
        if records:
            copyinsert.insert(type(records[0]), records)
    children: list[list] = [[] for _ in rows]
    if ledger.children is not None:
        by_model: dict[type, list] = defaultdict(list)
        for i, (case, r) in enumerate(zip(cases, rows, strict=True)):
            children[i] = list(ledger.children(case, r, records[i] if records else None))
            for child in children[i]:
                by_model[type(child)].append(child)
        for model, items in by_model.items():
            copyinsert.insert(model, items)
    from sifa.deadlines.services import apply_trigger

    for i, (case, r) in enumerate(zip(cases, rows, strict=True)):
        if case.status in ct.workflow.final_states:
            continue
        apply_trigger(case, "created", case.opened_on, {})
        if ledger.replay is not None:
            for trigger, on, data in ledger.replay(case, r, records[i] if records else None, children[i]):
                apply_trigger(case, trigger, on, data)
    # Counters last, in the order a registration takes them (code, then 文号):
    # locked from here to the commit only.
    assign_codes(ct, cases)
    note_doc_numbers(ct.key, [c for c in cases if c.doc_number])
    return cases
