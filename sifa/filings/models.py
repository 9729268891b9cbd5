"""Hand-filled indicators (填报): what the platform does not run but the bureau
reports (公证, 司法鉴定, 律师 …). An ``Indicator`` belongs to the bureau whose
statistics administrator defined it; a ``Round`` is one period of it; a
``Filing`` is one organisation's figure for that round, filled, submitted,
reviewed and locked. Only locked figures count (``selectors.figures``)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from .choices import COLOURS, OVERDUE, OVERDUE_LABEL, WHOLE_UNITS, Level, PeriodKind, Status


class Indicator(models.Model):
    bureau = models.ForeignKey("orgs.Org", verbose_name="所属司法局", on_delete=models.PROTECT, related_name="+")
    key = models.SlugField("指标代码", max_length=40)
    name = models.CharField("名称", max_length=60)
    unit = models.CharField("单位", max_length=8)
    period_kind = models.CharField("填报周期", max_length=10, choices=PeriodKind.choices)
    level = models.CharField("填报层级", max_length=10, choices=Level.choices)
    definition = models.TextField("统计口径")
    # A key of ``kit.kpis.THEMES``: not a choices list, so a new chapter needs no migration.
    theme = models.CharField("报告章节", max_length=20)
    # A KPI a line declares: from ``live_from`` on the platform computes the figure itself.
    kpi_key = models.CharField("对应平台指标", max_length=80, blank=True)
    live_from = models.DateField("平台上线日期", null=True, blank=True)
    due_days = models.PositiveSmallIntegerField("填报截止（期末后天数）", default=10)
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "填报指标"
        verbose_name_plural = "填报指标"
        ordering = ["bureau", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "key"], name="filings_indicator_unique_key"),
            models.UniqueConstraint(fields=["bureau", "name"], name="filings_indicator_unique_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def whole(self) -> bool:
        """Counts of things (件, 人, 家 …) are filled as whole numbers."""
        return self.unit in WHOLE_UNITS

    @property
    def tied(self) -> bool:
        return bool(self.kpi_key and self.live_from)


class Round(models.Model):
    """One period of an indicator, opened by the statistics administrator."""

    indicator = models.ForeignKey(Indicator, verbose_name="填报指标", on_delete=models.PROTECT, related_name="rounds")
    start = models.DateField("期间开始")
    end = models.DateField("期间结束")
    label = models.CharField("期间", max_length=30)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "填报轮次"
        verbose_name_plural = "填报轮次"
        ordering = ["-start", "id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "start"], name="filings_round_unique_period")]

    def __str__(self):
        return f"{self.indicator.name} {self.label}"


class Filing(models.Model):
    round = models.ForeignKey(Round, verbose_name="填报轮次", on_delete=models.PROTECT, related_name="filings")
    org = models.ForeignKey("orgs.Org", verbose_name="填报单位", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("填报截止日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    value = models.DecimalField("填报数值", max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField("填报说明", blank=True)
    filled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filled_at = models.DateTimeField("最后保存", null=True, blank=True)
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    # Why it came back (退回, or 解锁 for a correction); shown to whoever fills it.
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "填报"
        verbose_name_plural = "填报"
        ordering = ["round", "org__path"]
        constraints = [models.UniqueConstraint(fields=["round", "org"], name="filings_filing_unique_org")]
        indexes = [
            # 我的填报 and its menu badge: one organisation's filings by status and due date.
            models.Index(fields=["org", "status", "due_on"], name="filings_org_status_due"),
            # The figures: locked filings of a round.
            models.Index(fields=["round", "status"], name="filings_round_status"),
        ]

    def __str__(self):
        return f"{self.round} · {self.org}"

    @property
    def editable(self) -> bool:
        return self.status in (Status.PENDING, Status.RETURNED)

    def overdue(self, today: date | None = None) -> bool:
        return self.editable and self.due_on < (today or timezone.localdate())

    def shown_status(self, today: date | None = None) -> tuple[str, str, str]:
        """(code, label, badge colour): 逾期 replaces 待填报/已退回 after the due date."""
        if self.overdue(today):
            return OVERDUE, OVERDUE_LABEL, COLOURS[OVERDUE]
        return self.status, self.get_status_display(), COLOURS[self.status]

    @property
    def late(self) -> bool:
        """Submitted after its due date (shown beside it in the review table)."""
        return self.submitted_at is not None and timezone.localdate(self.submitted_at) > self.due_on
