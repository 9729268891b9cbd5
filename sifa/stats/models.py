"""What the statistics keep of their own: a bureau's choice of definition per KPI
(口径设置) and, in ``report``'s models below, the work reports it issues."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class KPIChoice(models.Model):
    """The definition (and rounding) one bureau uses for one KPI, for itself and
    everything under it, from now on. Absent: the KPI as the line declares it.
    Every change is in the audit log (``stats.kpi_choice``) with its reason; a
    report already issued keeps the figures and definitions it was issued with."""

    org = models.ForeignKey("orgs.Org", verbose_name="司法局", on_delete=models.CASCADE, related_name="+")
    kpi = models.CharField("指标", max_length=80)
    variant = models.CharField("口径", max_length=40, blank=True)  # "" = the declared one
    rounding = models.CharField("取舍规则", max_length=10, blank=True)  # "" = the declared one
    reason = models.CharField("调整理由", max_length=200)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "统计口径设置"
        verbose_name_plural = "统计口径设置"
        constraints = [models.UniqueConstraint(fields=["org", "kpi"], name="stats_kpichoice_unique")]

    def __str__(self):
        return f"{self.org} {self.kpi} {self.variant or '默认'}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    REVIEWED = "reviewed", "已审核"
    ISSUED = "issued", "已印发"


class ReportPeriodKind(models.TextChoices):
    YEAR = "year", "年度"
    HALF = "half", "半年"
    QUARTER = "quarter", "季度"


# The words staff write around the figures; each save keeps them as a ReportVersion.
REPORT_TEXT_FIELDS = ("title", "recipients", "doc_number", "opening", "problems", "next_steps", "signer", "signed_on")


class Report(models.Model):
    """A work summary (工作总结) a bureau drafts, its leader reviews and it issues.
    Written only through ``sifa.stats.reports``. Once issued, the figures (``data``),
    the text and the Word file are frozen: ``reports.regenerate`` renders the same
    bytes again from ``data`` and the text, which is how a copy is checked."""

    org = models.ForeignKey("orgs.Org", verbose_name="总结机构", on_delete=models.PROTECT, related_name="+")
    period_kind = models.CharField("期间类型", max_length=10, choices=ReportPeriodKind.choices)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    title = models.CharField("标题", max_length=200)
    recipients = models.CharField("主送", max_length=200, blank=True)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    opening = models.TextField("开头段落补充", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下一步工作", blank=True)
    signer = models.CharField("落款", max_length=100)
    signed_on = models.DateField("成文日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)  # the reason when returned
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="印发人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    data = models.JSONField("印发时的数据", null=True, blank=True)
    document = models.BinaryField("印发文件", null=True, blank=True)
    sha256 = models.CharField("文件摘要", max_length=64, blank=True)

    class Meta:
        verbose_name = "工作总结"
        verbose_name_plural = "工作总结"
        ordering = ["-period_start", "-id"]
        indexes = [models.Index(fields=["org", "-period_start"], name="stats_report_org_period")]

    def __str__(self):
        return self.title

    def document_bytes(self) -> bytes:
        # PostgreSQL drivers hand a BinaryField back as memoryview.
        return bytes(self.document) if self.document is not None else b""


class ReportVersion(models.Model):
    """The text of a report as one save left it (numbered from 1 per report)."""

    report = models.ForeignKey(Report, verbose_name="工作总结", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="保存人", on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField("保存时间", auto_now_add=True)
    fields = models.JSONField("内容")  # REPORT_TEXT_FIELDS → value ("" for none; dates ISO)

    class Meta:
        verbose_name = "工作总结版本"
        verbose_name_plural = "工作总结版本"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="stats_reportversion_unique")]

    def __str__(self):
        return f"{self.report} 第{self.number}版"


# --- rollups (docs/adr/0021, ``rollups.py``) ---------------------------------------------------


class Fact(models.Model):
    """What every fact holds: one measure's aggregate (``value``) over one organisation's
    own cases of one case type, and the rows behind it (a sum can be 0 over rows that
    exist). Only ``rollups`` writes facts; only rows with ``rows`` > 0 are stored."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    case_type = models.CharField(max_length=40)
    measure = models.CharField(max_length=40)  # rollups.measure_key: the measure's own definition
    value = models.DecimalField(max_digits=20, decimal_places=2)
    rows = models.BigIntegerField()

    class Meta:
        abstract = True


class DailyFact(Fact):
    """A fact of one day (``rollups.py``). A subtree's figure for any period is the sum of
    its facts."""

    day = models.DateField()

    class Meta:
        verbose_name = "指标日汇总"
        verbose_name_plural = "指标日汇总"
        constraints = [models.UniqueConstraint(fields=["org", "case_type", "measure", "day"], name="stats_dailyfact_unique")]
        indexes = [
            models.Index(fields=["measure", "day"], name="stats_dailyfact_measure_day"),
            models.Index(fields=["org", "day"], name="stats_dailyfact_org_day"),
        ]


class MonthlyFact(Fact):
    """The daily facts of one organisation, case type and measure summed over a calendar
    month (``month``: its first day). Readers take whole months of a period from here and
    only the days at its edges from ``DailyFact``: a bureau's year is a few thousand
    rows instead of a hundred thousand (issue 19). Only ``rollups`` writes it, always
    with the days it sums; ``stats_verify`` checks both against the rows."""

    month = models.DateField()

    class Meta:
        verbose_name = "指标月汇总"
        verbose_name_plural = "指标月汇总"
        constraints = [models.UniqueConstraint(fields=["org", "case_type", "measure", "month"], name="stats_monthlyfact_unique")]
        indexes = [
            models.Index(fields=["measure", "month"], name="stats_monthlyfact_measure_mon"),
            models.Index(fields=["org", "month"], name="stats_monthlyfact_org_month"),
        ]


class FieldFact(Fact):
    """A monthly fact broken down by one field a KPI is charted by (纠纷类型, 案件类别 …):
    one measure over one organisation's own cases of one case type in one calendar
    month whose ``field`` holds the value ``key`` (JSON, so numbers and text keep their
    type). Read for "by type" charts of whole-month periods (``fieldfacts.py``)."""

    field = models.CharField(max_length=100)
    key = models.TextField()  # the value as JSON: any length a charted field may hold
    month = models.DateField()

    class Meta:
        verbose_name = "指标分类月汇总"
        verbose_name_plural = "指标分类月汇总"
        constraints = [models.UniqueConstraint(fields=["org", "case_type", "measure", "field", "key", "month"], name="stats_fieldfact_unique")]
        indexes = [
            models.Index(fields=["measure", "month"], name="stats_fieldfact_measure_month"),
            models.Index(fields=["org", "month"], name="stats_fieldfact_org_month"),
        ]


class DeadlineFact(models.Model):
    """Running deadlines (``deadlines.selectors.running``: the organ's own, open, not
    paused) of one organisation's own cases of one case type, sealed or not, due on
    one day: the dashboard's 已超期 / 即将到期 counts for the viewers the facts serve
    (``deadlinefacts.py``). Everything already due on the day an organisation's rows
    were counted is one row dated the day before, so the table holds a few rows per
    organisation and upcoming day, however many old deadlines lie overdue."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    case_type = models.CharField(max_length=40)
    sealed = models.BooleanField()
    due_date = models.DateField()
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = "期限汇总"
        verbose_name_plural = "期限汇总"
        indexes = [models.Index(fields=["org", "due_date"], name="stats_deadlinefact_org_due")]


class DirtyCase(models.Model):
    """A case changed since the facts were last brought up to date (marked in the
    writer's transaction; a later change moves ``marked_at``, so a worker that read the
    older mark leaves the newer one)."""

    case_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField()

    class Meta:
        verbose_name = "待汇总案件"
        verbose_name_plural = "待汇总案件"
        indexes = [models.Index(fields=["marked_at"], name="stats_dirtycase_marked")]


class CaseFootprint(models.Model):
    """Where a case's rows stood when the facts last counted it: its organisation and
    the days of its measure dates. A change can move a date or the organisation; the
    footprint names the (org, day) facts it must leave."""

    case_id = models.BigIntegerField(primary_key=True)
    org_id = models.BigIntegerField()
    days = models.JSONField(default=list)  # ISO dates

    class Meta:
        verbose_name = "案件汇总足迹"
        verbose_name_plural = "案件汇总足迹"


class RollupState(models.Model):
    """The one row saying which measures the facts hold (``measures``: their keys) and
    when they were built and last brought up to date."""

    measures = models.JSONField(default=list)
    built_at = models.DateTimeField(null=True)
    last_run = models.DateTimeField(null=True)
    # The day every DeadlineFact was last counted afresh (its overdue rows folded into one
    # per organisation); None: not built, the deadline panel counts live.
    deadlines_on = models.DateField(null=True)

    class Meta:
        verbose_name = "汇总状态"
        verbose_name_plural = "汇总状态"
