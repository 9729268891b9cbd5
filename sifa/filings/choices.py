"""Code lists of the hand-filled indicators (填报): English values, Chinese labels."""

from django.db import models


class PeriodKind(models.TextChoices):
    YEAR = "year", "年度"
    HALF = "half", "半年"
    QUARTER = "quarter", "季度"
    MONTH = "month", "月度"


class Level(models.TextChoices):
    """Who fills an indicator, relative to the bureau that owns it."""

    BUREAU = "bureau", "司法局本级"
    OFFICE = "office", "各司法所"


class Status(models.TextChoices):
    PENDING = "pending", "待填报"
    SUBMITTED = "submitted", "已上报"
    RETURNED = "returned", "已退回"
    LOCKED = "locked", "已锁定"


# Shown instead of 待填报/已退回 once the due date has passed (derived, never stored).
OVERDUE, OVERDUE_LABEL = "overdue", "逾期"

# Badge colours (Bootstrap) of each shown status.
COLOURS = {
    Status.PENDING: "secondary",
    Status.SUBMITTED: "primary",
    Status.RETURNED: "warning",
    Status.LOCKED: "success",
    OVERDUE: "danger",
}

# The units offered when defining an indicator. Counts of things take whole numbers only;
# money and hours may have decimals.
UNITS = ("件", "人", "次", "家", "场", "个", "份", "篇", "期", "元", "万元", "小时")
WHOLE_UNITS = frozenset({"件", "人", "次", "家", "场", "个", "份", "篇", "期"})
