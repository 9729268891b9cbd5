"""The two ledgers (台账) of the line, as a bureau keeps them in Excel:
行政复议案件台账 and 行政应诉案件台账. Columns are declared once and serve the
import template, the import itself and the export of any list of these cases.

Import brings historical and running cases in as each ``Ledger`` declares
(the case's ``Draft``, the line record, its child rows, the triggers to
replay), so an imported case is stored exactly as if it had been worked in the
system and counts in the KPIs the same way:

* 行政复议: no 结案方式 → 待审查 (no 受理日期) or 审理中 (受理日期 given); 不予受理 /
  视为放弃申请 → that final state; every other 结案方式 → 已结案 with the outcome,
  the 终止理由 (调撤率) and 按期审结 computed like the system does it (60 or 30 days
  from 受理, plus the approved extension and the days of 中止, rest-day rule).
* 行政应诉: 结案日期 → 已结案 (outcome = the last judgment, as "裁判生效结案" sets it);
  else 已裁判（上诉期内） when the current instance has a judgment, 审理中 once the
  defence was filed or the case went on appeal, otherwise 待答辩. Every hearing
  (开庭日期, 负责人是否出庭) and every judgment becomes its own row (出庭率, 败诉率).

Deadlines: the framework gives every open imported case its "created" clocks,
counted from the ledger's 收到日期 (行政复议: 受理审查 5 working days; 行政应诉:
答辩 15 days). ``replay`` names, with their dates, the later steps the row
records — 受理 (发送副本 and 复议决定 clocks), 发送答复通知, 收到书面答复, the
approved extension and the days of 中止; 提交答辩, 裁判 (上诉期), 上诉 — through
``sifa.deadlines.services.apply_trigger``, the engine the workflow itself uses.
An old open case may therefore be overdue at once: that is the truth of the data.
Closed cases get no deadlines.

Only staff of the line may import (the kernel's ``may_register``, which the
framework applies to imports as to every registration); the cases belong to
the importer's bureau, like cases registered on the line's own forms. Imported
文号 in the bureau's own form move its 文号 counter past them (the kernel reads
them with the line's 文号 template).
"""

from __future__ import annotations

import re


def short_label(label: str) -> str:
    """A statutory label without its article: "判决撤销或部分撤销（第七十条）" → "判决撤销或部分撤销"."""
    return re.sub(r"（第[^）]*）$", "", label)


from .fy import FY_LEDGER  # noqa: E402 (they use short_label)
from .ys import YS_LEDGER  # noqa: E402

__all__ = ["FY_LEDGER", "YS_LEDGER", "short_label"]
