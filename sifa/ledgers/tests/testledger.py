"""A ledger for the test-only line "ZZ", declared as a real line declares its
ledger.py: columns once, and the ``Draft`` each validated row becomes."""

from __future__ import annotations

import pytest

from sifa.cases.tests.testline import KEY
from sifa.kit import columns as col
from sifa.kit import registry
from sifa.kit.ledger import CellInvalid, Column, Draft, Ledger, RowRefused

RESULTS = {"success": "成功", "refused": "不予受理"}


def _check(row, ctx):
    problems = []
    if row.get("closed_on") and row.get("opened_on") and row["closed_on"] < row["opened_on"]:
        problems.append(CellInvalid("结案日期早于收案日期。", column="closed_on"))
    if row.get("result") and not row.get("closed_on"):
        problems.append(CellInvalid("填写了办理结果，但没有结案日期。", column="closed_on"))
    if row.get("closed_on") and not row.get("result"):
        problems.append(CellInvalid("已结案的须填写办理结果。", column="result"))
    return problems


def _draft(r, ctx):
    result = r.get("result")
    if r.get("title") == "拒绝导入":
        raise RowRefused(r.number, "案由", "该行被业务规则拒绝。")
    return Draft(
        title=r["title"],
        owner_org=r["org"],
        opened_on=r["opened_on"],
        parties=r.parties,
        status={"success": "closed", "refused": "refused"}.get(result) if result else None,
        closed_on=r.get("closed_on"),
        outcome=result or "",
        event_data={"amount": str(r.get("amount") or "")},
    )


LEDGER = Ledger(
    case_type=KEY,
    label="测试业务台账",
    columns=(
        col.code(),
        col.title(example="测试纠纷"),
        col.opened_on(example="2024-03-05"),
        col.org(example="A司法所"),
        *col.party("applicant", "申请人"),
        *col.party("respondent", "被申请人", required=False, id_number=False, phone=False, example_name="李四"),
        col.closed_on(example="2024-03-20"),
        col.choice("result", "办理结果", RESULTS, example="成功", export=lambda r: RESULTS.get(r.case.outcome, "")),
        col.money("amount", "涉及金额", example="1200.50", export=lambda r: None),
        col.status(),
        Column("summary", "备注", export=lambda r: r.case.summary),
    ),
    check_row=_check,
    draft=_draft,
)


@pytest.fixture
def test_ledger():
    registry.add_ledger(LEDGER)
    yield LEDGER
    registry.remove_ledger(KEY)
