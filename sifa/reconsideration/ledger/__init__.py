"""The two ledgers (台账) of the line, as a bureau keeps them in Excel:
行政复议案件台账 (``fy.py``) and 行政应诉案件台账 (``ys.py``). Their columns serve the
import template, the import and the export of any list of these cases; how a
row is imported (its state, its records, the clocks replayed) is in the line's
README, 台账."""

from __future__ import annotations

import re


def short_label(label: str) -> str:
    """A statutory label without its article: "判决撤销或部分撤销（第七十条）" → "判决撤销或部分撤销"."""
    return re.sub(r"（第[^）]*）$", "", label)


from .fy import FY_LEDGER  # noqa: E402 (they use short_label)
from .ys import YS_LEDGER  # noqa: E402

__all__ = ["FY_LEDGER", "YS_LEDGER", "short_label"]
