"""The line's record of a case (``LegalAid``, one-to-one with the kernel's
``Case``), the providers it assigns (``Provider``) and its two registers that
are not cases: consultations and duty lawyers' helps (``kit.register``)."""

from datetime import date

from django.conf import settings
from django.db import models

from sifa.cases.models import LineRecord
from sifa.common.crypto import EncryptedTextField
from sifa.registers.models import Entry

from .choices import (
    GROUPS,
    AssignMode,
    Category,
    Channel,
    Grade,
    Ground,
    HelpKind,
    Kind,
    MeansBasis,
    NotifyingOrgan,
    Outcome,
    ProviderKind,
    Satisfaction,
    Stage,
    Station,
)


class Provider(models.Model):
    """A lawyer, grassroots legal worker or volunteer the centre may assign (法律援助人员库)."""

    center = models.ForeignKey("orgs.Org", verbose_name="法律援助机构", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类别", max_length=20, choices=ProviderKind.choices, default=ProviderKind.LAWYER)
    firm = models.CharField("执业机构", max_length=100, blank=True)
    license_no = models.CharField("执业证号", max_length=30, blank=True)
    practice_since = models.DateField("执业起始日期", null=True, blank=True)
    specialities = models.CharField("擅长领域", max_length=200, blank=True)
    phone = EncryptedTextField("联系电话", blank=True)
    # The login of an external lawyer: they see only the cases assigned to them.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="aid_provider"
    )
    is_active = models.BooleanField("在库", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "法律援助人员"
        verbose_name_plural = "法律援助人员"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["org_path"], name="aid_provider_org", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.name}（{self.firm}）" if self.firm else self.name

    def practice_years(self, on: date) -> int:
        """Whole years of practice on ``on`` (0 when unknown)."""
        if self.practice_since is None or on < self.practice_since:
            return 0
        s = self.practice_since
        return on.year - s.year - ((on.month, on.day) < (s.month, s.day))


class LegalAid(LineRecord):
    kind = models.CharField("来源", max_length=20, choices=Kind.choices, default=Kind.APPLY)
    category = models.CharField("案件类别", max_length=20, choices=Category.choices)
    stage = models.CharField("刑事诉讼阶段", max_length=20, choices=Stage.choices, blank=True)
    ground = models.CharField("援助依据", max_length=10, choices=Ground.choices, blank=True)
    # 可能判处无期徒刑、死刑 (§26): only providers with ≥ 3 years' relevant practice.
    capital = models.BooleanField("可能判处无期徒刑、死刑或死刑复核", default=False)
    received_by = models.ForeignKey("orgs.Org", verbose_name="受理地点", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    notifying_organ = models.CharField("通知机关类别", max_length=20, choices=NotifyingOrgan.choices, blank=True)
    notifying_name = models.CharField("通知机关", max_length=100, blank=True)
    notice_number = models.CharField("通知书文号", max_length=60, blank=True)
    # 羁押人员申请: the day the detainee applied to the custodian, who forwards within 24 h (§39).
    submitted_on = models.DateField("羁押人员提出申请日期", null=True, blank=True)
    # The applicant's income and economic situation are personal information (encrypted, masked).
    income = EncryptedTextField("家庭月人均收入", blank=True)
    economy = EncryptedTextField("经济状况说明", blank=True)
    means_basis = models.CharField("经济困难审查方式", max_length=20, choices=MeansBasis.choices, blank=True)
    exemption = models.CharField("免予核查情形", max_length=20, blank=True)
    first_provided = models.BooleanField("先行提供（第四十四条）", default=False)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    provider = models.ForeignKey(Provider, verbose_name="承办人员", null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    assign_mode = models.CharField("指派方式", max_length=20, choices=AssignMode.choices, blank=True)
    assign_reason = models.CharField("指派理由", max_length=200, blank=True)
    assigned_on = models.DateField("指派日期", null=True, blank=True)
    agreement_on = models.DateField("签订委托协议日期", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=20, choices=Outcome.choices, blank=True)
    ended_on = models.DateField("办结日期", null=True, blank=True)
    fees_waived = models.DecimalField("免收律师费（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    losses_recovered = models.DecimalField("挽回经济损失（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    grade = models.CharField("质量评估等级", max_length=20, choices=Grade.choices, blank=True)
    satisfaction = models.CharField("回访满意度", max_length=20, choices=Satisfaction.choices, blank=True)
    # Special groups (特殊群体) the aided person belongs to (choices.GROUPS), counted in the returns.
    migrant_worker = models.BooleanField("农民工", default=False)
    woman = models.BooleanField("妇女", default=False)
    minor = models.BooleanField("未成年人", default=False)
    elderly = models.BooleanField("老年人", default=False)
    disabled = models.BooleanField("残疾人", default=False)

    @property
    def groups(self) -> list[str]:
        return [k for k in GROUPS if getattr(self, k)]

    @property
    def forwarded_late(self) -> bool:
        """A detainee's application reached the centre more than a day after it was made (§39: 24 h)."""
        return bool(self.submitted_on and (self.case.opened_on - self.submitted_on).days > 1)

    @property
    def group_labels(self) -> list[str]:
        return [GROUPS[k] for k in self.groups]

    class Meta:
        verbose_name = "法律援助"
        verbose_name_plural = "法律援助"
        indexes = [models.Index(fields=["category", "stage"]), models.Index(fields=["provider"])]


class Consultation(Entry):
    """法律咨询登记 (来访/电话/信函/网络)."""

    channel = models.CharField("咨询方式", max_length=10, choices=Channel.choices, default=Channel.VISIT)
    category = models.CharField("咨询类别", max_length=20, choices=Category.choices, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "法律咨询"
        verbose_name_plural = "法律咨询"


class DutyHelp(Entry):
    """值班律师法律帮助 (§30), counted apart from cases."""

    station = models.CharField("工作站", max_length=20, choices=Station.choices, default=Station.COURT)
    station_name = models.CharField("工作站名称", max_length=100, blank=True)
    lawyer = models.ForeignKey(Provider, verbose_name="值班律师", null=True, blank=True, on_delete=models.PROTECT, related_name="helps")
    help_kind = models.CharField("帮助内容", max_length=20, choices=HelpKind.choices, default=HelpKind.ADVICE)
    plea_witnessed = models.BooleanField("认罪认罚具结见证", default=False)

    class Meta(Entry.Meta):
        verbose_name = "值班律师法律帮助"
        verbose_name_plural = "值班律师法律帮助"


# --- 办案补贴 (法律援助法 §52): computed when a case is closed, approved, paid in batches -----------


class SubsidyStatus(models.TextChoices):
    COMPUTED = "computed", "待审批"
    APPROVED = "approved", "已审批"
    PAID = "paid", "已发放"


class SubsidyBatch(models.Model):
    """A batch of approved subsidies a centre pays together (发放批次), exported for finance."""

    center = models.ForeignKey("orgs.Org", verbose_name="法律援助机构", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    number = models.CharField("批次号", max_length=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("组批时间", auto_now_add=True)
    paid_on = models.DateField("发放日期", null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记发放", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField("合计（元）", max_digits=14, decimal_places=2, default=0)
    count = models.PositiveIntegerField("笔数", default=0)

    class Meta:
        verbose_name = "办案补贴发放批次"
        verbose_name_plural = "办案补贴发放批次"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="aid_subsidy_batch_number")]
        indexes = [models.Index(fields=["org_path"], name="aid_subsidy_batch_org", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"办案补贴发放批次 {self.number}"


class Subsidy(models.Model):
    """The provider's subsidy for one closed case (办案补贴): the standard from the
    province's table (``subsidies.py``), adjustments ([{reason, amount, rule}],
    amounts as text in 元) and their total."""

    case = models.OneToOneField("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="aid_subsidy")
    provider = models.ForeignKey(Provider, verbose_name="承办人员", on_delete=models.PROTECT, related_name="subsidies")
    category = models.CharField("案件类别", max_length=20, choices=Category.choices)
    stage = models.CharField("刑事诉讼阶段", max_length=20, choices=Stage.choices, blank=True)
    basis = models.CharField("计算依据", max_length=200, blank=True)
    standard = models.DecimalField("补贴标准（元）", max_digits=12, decimal_places=2)
    adjustments = models.JSONField("调整", default=list, blank=True)
    total = models.DecimalField("补贴金额（元）", max_digits=12, decimal_places=2)
    status = models.CharField("状态", max_length=20, choices=SubsidyStatus.choices, default=SubsidyStatus.COMPUTED)
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    batch = models.ForeignKey(SubsidyBatch, verbose_name="发放批次", null=True, blank=True, on_delete=models.PROTECT, related_name="subsidies")

    class Meta:
        verbose_name = "办案补贴"
        verbose_name_plural = "办案补贴"
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["status"], name="aid_subsidy_status")]

    def __str__(self):
        return f"办案补贴 {self.case_id}（{self.total}元）"

    @property
    def adjusted(self):
        """The sum of the adjustments, in 元."""
        from decimal import Decimal

        return sum((Decimal(a["amount"]) for a in self.adjustments), Decimal("0"))


# --- 值班律师排班 (法律援助法 §14, §30): who is on duty at which workstation on which day ------


class DutyShift(models.Model):
    """One duty lawyer on duty at one workstation (法院、检察院、看守所) on one day, arranged
    by the centre. The helps they give are logged apart (``DutyHelp``); the roster
    only says who is on duty."""

    center = models.ForeignKey("orgs.Org", verbose_name="法律援助机构", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    station = models.CharField("工作站", max_length=20, choices=Station.choices, default=Station.COURT)
    station_name = models.CharField("工作站名称", max_length=100)
    on = models.DateField("值班日期")
    provider = models.ForeignKey(Provider, verbose_name="值班律师", on_delete=models.PROTECT, related_name="shifts")
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="排班人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("排班时间", auto_now_add=True)

    class Meta:
        verbose_name = "值班律师排班"
        verbose_name_plural = "值班律师排班"
        ordering = ["on", "station", "station_name", "id"]
        constraints = [models.UniqueConstraint(fields=["center", "station", "station_name", "on", "provider"], name="aid_duty_shift_unique")]
        indexes = [
            models.Index(fields=["org_path"], name="aid_duty_shift_org", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["on"], name="aid_duty_shift_on"),
        ]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_station_display()}（{self.station_name}）{self.provider}"
