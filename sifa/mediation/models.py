"""People's mediation: the roster of committees and mediators, and each
dispute's own records (one-to-one with ``cases.Case``; sessions, follow-up
visits, police reports and the judicial confirmation as child rows).

Writes happen only in ``services`` (registration, roster) and in the
workflow steps' writes (``steps``), inside the engine's transaction.
"""

from django.conf import settings
from django.db import models

from sifa.cases.models import LineRecord
from sifa.common.crypto import EncryptedTextField

from .choices import (
    AgreementForm,
    CommitteeType,
    ConfirmationStatus,
    Gender,
    MediatorChoice,
    MediatorKind,
    MediatorLevel,
    NotAcceptedReason,
    Performance,
    Position,
    Result,
    RiskKind,
    RiskLevel,
    RiskStatus,
    Satisfaction,
    SessionKind,
    Source,
    SourceGroup,
    TerminationReason,
    VisitMethod,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


# --- roster -------------------------------------------------------------------------------


class Committee(models.Model):
    """The mediation profile of a committee or studio. The organisation itself
    (name, short name, parent office, address) is an ``orgs.Org`` of kind
    committee/studio, created through ``orgs.services.create_org``."""

    org = models.OneToOneField("orgs.Org", verbose_name="调解组织", on_delete=models.PROTECT, related_name="mediation_profile")
    committee_type = models.CharField("组织类型", max_length=20, choices=CommitteeType.choices)
    field_code = models.CharField("行业/专业领域", max_length=40, blank=True, help_text="行业性专业性调委会、调解工作室填写（字典）")
    established_on = models.DateField("成立日期", null=True, blank=True)
    term_start = models.DateField("本届任期起始", null=True, blank=True)
    term_years = models.PositiveSmallIntegerField("每届任期（年）", default=3)
    filed_on = models.DateField("向司法局备案日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "调解组织"
        verbose_name_plural = "调解组织"

    def __str__(self):
        return self.org.name


class Mediator(models.Model):
    """A people's mediator (人民调解员). ``org`` is the committee that keeps the
    record (scoping); positions in one or more committees are ``Membership`` rows."""

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    org = models.ForeignKey("orgs.Org", verbose_name="所属调解组织", on_delete=models.PROTECT, related_name="mediators")
    kind = models.CharField("专兼职", max_length=20, choices=MediatorKind.choices, default=MediatorKind.PART_TIME)
    level = models.CharField("等级", max_length=2, choices=MediatorLevel.choices, blank=True, default=MediatorLevel.UNRATED)
    phone = EncryptedTextField("联系电话", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", null=True, blank=True, on_delete=models.PROTECT, related_name="mediator_profile"
    )
    is_active = models.BooleanField("在职", default=True)
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "人民调解员"
        verbose_name_plural = "人民调解员"
        ordering = ["org__path", "name", "id"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    committee = models.ForeignKey("orgs.Org", verbose_name="调解组织", on_delete=models.PROTECT, related_name="mediation_memberships")
    mediator = models.ForeignKey(Mediator, verbose_name="调解员", on_delete=models.CASCADE, related_name="memberships")
    position = models.CharField("职务", max_length=20, choices=Position.choices, default=Position.MEMBER)
    since = models.DateField("任职日期", null=True, blank=True)
    active = models.BooleanField("在任", default=True)

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["committee", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "mediator"], name="mediation_membership_unique")]


class Training(models.Model):
    mediator = models.ForeignKey(Mediator, verbose_name="调解员", on_delete=models.CASCADE, related_name="trainings")
    on = models.DateField("培训日期")
    title = models.CharField("培训内容", max_length=200)
    organizer = models.CharField("组织单位", max_length=100, blank=True)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["-on", "-id"]


# --- the dispute ----------------------------------------------------------------------------------


class Dispute(LineRecord):
    """A dispute's mediation record. Its ``Case`` carries code, owner (the
    committee), status, dates and parties; this carries what only mediation has."""

    source = models.CharField("案件来源", max_length=20, choices=Source.choices)
    source_group = models.CharField("来源分类", max_length=20, choices=SourceGroup.choices)
    referred_by = models.CharField("委托/移送单位", max_length=100, blank=True)
    dispute_type = models.CharField("纠纷类型", max_length=40)
    # The top-level category of ``dispute_type`` (breakdowns count sub-types under it).
    dispute_type_top = models.CharField("纠纷大类", max_length=40)
    place = models.CharField("纠纷发生地", max_length=200, blank=True)
    amount_in_dispute = models.DecimalField("争议金额（元）", null=True, blank=True, **MONEY)
    # acceptance
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    not_accepted_reason = models.CharField("不予受理原因", max_length=20, choices=NotAcceptedReason.choices, blank=True)
    mediator_choice = models.CharField("调解员产生方式", max_length=20, choices=MediatorChoice.choices, blank=True)
    extensions = models.PositiveSmallIntegerField("延期次数", default=0)
    # outcome
    result = models.CharField("调解结果", max_length=20, choices=Result.choices, blank=True)
    outcome_on = models.DateField("调解结果日期", null=True, blank=True)
    facts = models.TextField("纠纷事实、争议事项及责任", blank=True)
    agreement_form = models.CharField("协议形式", max_length=20, choices=AgreementForm.choices, blank=True)
    agreement_content = models.TextField("协议内容", blank=True)
    performance_manner = models.CharField("履行方式", max_length=300, blank=True)
    performance_deadline = models.DateField("履行期限", null=True, blank=True)
    agreement_amount = models.DecimalField("协议涉及金额（元）", null=True, blank=True, **MONEY)
    agreed_on = models.DateField("达成协议日期", null=True, blank=True)
    effective_on = models.DateField("协议生效日期", null=True, blank=True)
    termination_reason = models.CharField("终止原因", max_length=20, choices=TerminationReason.choices, blank=True)
    routes_told = models.BooleanField("已告知其他救济途径", default=False)
    # performance and follow-up
    performance = models.CharField("履行情况", max_length=20, choices=Performance.choices, blank=True)
    performed_on = models.DateField("履行完毕日期", null=True, blank=True)
    visit_count = models.PositiveSmallIntegerField("回访次数", default=0)
    last_visit_on = models.DateField("最近回访日期", null=True, blank=True)
    # risk of turning into a public-order or criminal case (防止民转刑)
    risk_flag = models.BooleanField("风险预警", default=False)
    risk_kind = models.CharField("风险类型", max_length=20, choices=RiskKind.choices, blank=True)
    risk_level = models.CharField("风险等级", max_length=20, choices=RiskLevel.choices, blank=True)
    risk_persons = models.PositiveIntegerField("涉及人数", default=0)
    risk_note = models.TextField("风险情况", blank=True)
    risk_flagged_on = models.DateField("预警日期", null=True, blank=True)
    risk_status = models.CharField("风险处置状态", max_length=20, choices=RiskStatus.choices, blank=True)
    risk_resolved_on = models.DateField("风险处置结果日期", null=True, blank=True)

    class Meta:
        verbose_name = "人民调解纠纷"
        verbose_name_plural = "人民调解纠纷"
        indexes = [
            models.Index(fields=["result", "outcome_on"]),
            models.Index(fields=["risk_flag", "risk_status"]),
            models.Index(fields=["accepted_on"]),
        ]


class DisputeMediator(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="mediator_links")
    mediator = models.ForeignKey(Mediator, verbose_name="调解员", on_delete=models.PROTECT, related_name="dispute_links")
    is_lead = models.BooleanField("主持调解", default=False)
    assigned_on = models.DateField("指派日期")

    class Meta:
        ordering = ["-is_lead", "id"]
        constraints = [models.UniqueConstraint(fields=["dispute", "mediator"], name="mediation_dispute_mediator_unique")]


class Session(models.Model):
    """An investigation or mediation session (调查/调解记录). A session planned
    for a future date has ``held=False`` until its record is written."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField("类别", max_length=20, choices=SessionKind.choices, default=SessionKind.MEDIATION)
    on = models.DateField("日期")
    at_time = models.TimeField("时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200)
    participants = models.CharField("参加人", max_length=300, blank=True)
    mediators = models.CharField("调解员/调查人", max_length=200, blank=True)
    record = models.TextField("记录", blank=True)
    held = models.BooleanField("已进行", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "调查/调解记录"
        verbose_name_plural = "调查/调解记录"
        ordering = ["on", "at_time", "id"]
        indexes = [models.Index(fields=["held", "on"])]


class FollowUpVisit(models.Model):
    """A follow-up visit on an agreement's performance (回访, RMTJ §31)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="visits")
    on = models.DateField("回访日期")
    method = models.CharField("回访方式", max_length=20, choices=VisitMethod.choices)
    visited = models.CharField("回访对象", max_length=200)
    performance = models.CharField("履行情况", max_length=20, choices=Performance.choices)
    satisfaction = models.CharField("满意度", max_length=20, choices=Satisfaction.choices)
    sued = models.BooleanField("当事人是否起诉", default=False)
    new_risk = models.BooleanField("是否有激化隐患", default=False)
    notes = models.TextField("回访情况", blank=True)
    measures = models.TextField("采取措施", blank=True)
    visitor = models.CharField("回访人", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "回访记录"
        verbose_name_plural = "回访记录"
        ordering = ["on", "id"]


class RiskReport(models.Model):
    """A report of a dispute at risk to the police or another body (RMTJ §25)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="risk_reports")
    reported_on = models.DateField("报告日期")
    reported_to = models.CharField("报告单位", max_length=100)
    contact = models.CharField("接收人", max_length=100, blank=True)
    measures = models.TextField("预防措施", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "风险报告"
        verbose_name_plural = "风险报告"
        ordering = ["reported_on", "id"]


class JudicialConfirmation(models.Model):
    """The parties' joint application to court to confirm the agreement
    (RMTJ §33) and the court's acceptance and decision (SPC 2011 §4–5)."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="confirmation")
    court = models.CharField("受理法院", max_length=100)
    applied_on = models.DateField("申请日期")
    status = models.CharField("状态", max_length=20, choices=ConfirmationStatus.choices, default=ConfirmationStatus.APPLIED)
    accepted_on = models.DateField("法院受理日期", null=True, blank=True)
    court_case_number = models.CharField("案号（调确字）", max_length=60, blank=True)
    decided_on = models.DateField("法院决定日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "司法确认"
        verbose_name_plural = "司法确认"
