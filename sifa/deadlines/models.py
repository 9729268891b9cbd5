from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日（休息）"
    WORKDAY = "workday", "调休上班"


class Holiday(models.Model):
    """A date that departs from the Monday–Friday rule: an official rest day
    (holiday, including the weekend days inside a holiday period) or a make-up
    working day (调休上班) on a weekend. Seeded from ``chinese-calendar``;
    the system administrator adds years the package does not know yet."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=40, blank=True)
    source = models.CharField("来源", max_length=20, default="manual")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "节假日/调休"
        verbose_name_plural = "节假日/调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """Marks a year whose official holiday arrangement has been entered. Deadlines
    that fall in a year without one are flagged as provisional."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    confirmed = models.BooleanField("已确认", default=True)
    source = models.CharField("来源", max_length=20, default="manual")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class Unit(models.TextChoices):
    WORKDAY = "workday", "工作日"
    DAY = "day", "日"
    MONTH = "month", "月"


class Kind(models.TextChoices):
    """Whose period (``kit.deadlines``): only the organ's can be 超期."""

    ORGAN = "organ", "机关办理期限"
    RIGHT = "right", "当事人权利期间"
    DUTY = "duty", "当事人义务期间"


class Deadline(models.Model):
    """A named statutory or practice time limit of one case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(max_length=40)
    label = models.CharField("期限", max_length=60)
    kind = models.CharField("性质", max_length=10, choices=Kind.choices, default=Kind.ORGAN)
    # An occurrence of a recurring duty (``kit.casework.RecurringDuty``): its key; "" for a rule's clock.
    duty = models.CharField("定期义务", max_length=30, blank=True)
    # A clock of a procedure inside the case (审批, 异议 …: ``kit.casework.SubProcedure``).
    procedure = models.ForeignKey("cases.Procedure", null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines")
    basis = models.CharField("依据", max_length=200, blank=True)
    start_date = models.DateField("起算日")
    amount = models.PositiveIntegerField("期间")
    unit = models.CharField("单位", max_length=10, choices=Unit.choices)
    # Extension in the same unit as the period (e.g. 60 日 + 30 日).
    extended = models.PositiveIntegerField("延长", default=0)
    paused_since = models.DateField("中止自", null=True, blank=True)
    paused_days = models.PositiveIntegerField("已中止天数", default=0)
    due_date = models.DateField("届满日", db_index=True)
    completed_on = models.DateField("完成日", null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    warn_workdays = models.PositiveSmallIntegerField("临期提醒(工作日)", null=True, blank=True)
    rule_text = models.CharField("计算规则", max_length=200, blank=True)
    provisional = models.BooleanField("节假日未确认", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="deadline_unique_key")]
        # PostgreSQL also has a partial index of the running deadlines (migration 0003).
        indexes = [models.Index(fields=["completed_on", "cancelled", "due_date"])]

    def __str__(self):
        return f"{self.label} {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.completed_on is None and not self.cancelled


class DeadlineSetting(models.Model):
    """Bureau-wide settings for warnings (singleton row)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    due_soon_workdays = models.PositiveSmallIntegerField("临期提醒（到期前工作日数）", default=3)
