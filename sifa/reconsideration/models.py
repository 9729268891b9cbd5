"""Each reconsideration case's own record (one-to-one with ``cases.Case``) and its
child rows (review activities, suspensions, 意见书); each administrative suit's
record with its hearings and judgments.

Writes happen only in ``services`` (registration) and in the workflow steps'
writes (``steps/``), inside the engine's transaction. ``Application`` and
``Suit`` are the line records (``cases.models.LineRecord``): keyed by their case,
reached as ``case.application`` / ``case.suit``.
"""

from django.conf import settings
from django.db import models

from sifa.cases.models import LineRecord

from .choices import (
    LOSSES,
    AbsenceReason,
    ActivityKind,
    HearingStatus,
    HearMethod,
    Instance,
    JudgmentKind,
    MediationResult,
    NormReviewOrigin,
    NormReviewResult,
    OpinionKind,
    Procedure,
    SimplifiedGround,
    SuspensionGround,
    TerminationReason,
)


class Application(LineRecord):
    """行政复议申请 and everything decided on it. Dates of receipt and decision are
    the case's ``opened_on`` / ``closed_on``; the decision type is ``Case.outcome``."""

    respondent_agency = models.CharField("被申请人", max_length=40)
    category = models.CharField("复议事项类别", max_length=40)
    is_inaction = models.BooleanField("申请履行法定职责（不作为）", default=False)
    contested_act = models.CharField("被申请复议的行政行为", max_length=300)
    act_number = models.CharField("行政行为文书编号", max_length=100, blank=True)
    act_date = models.DateField("行政行为作出日期", null=True, blank=True)
    known_on = models.DateField("知道该行政行为之日", null=True, blank=True)
    amount = models.DecimalField("涉及款额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    request = models.TextField("行政复议请求")
    reasons = models.TextField("事实和理由", blank=True)
    compensation_claim = models.BooleanField("一并提出行政赔偿请求", default=False)
    hearing_requested = models.BooleanField("申请听证", default=False)
    # Acceptance (§30–§31)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    deemed_accepted = models.BooleanField("视为受理", default=False)
    procedure = models.CharField("审理程序", max_length=20, choices=Procedure.choices, blank=True)
    simplified_ground = models.CharField("适用简易程序的情形", max_length=20, choices=SimplifiedGround.choices, blank=True)
    converted_on = models.DateField("转为普通程序日期", null=True, blank=True)
    refusal_reason = models.CharField("不予受理理由", max_length=40, blank=True)
    competent_organ = models.CharField("有管辖权的行政复议机关", max_length=100, blank=True)
    correction_items = models.TextField("补正事项", blank=True)
    correction_notified_on = models.DateField("补正通知日期", null=True, blank=True)
    correction_served_on = models.DateField("申请人收到补正通知日期", null=True, blank=True)
    correction_received_on = models.DateField("收到补正材料日期", null=True, blank=True)
    correction_extended_days = models.PositiveSmallIntegerField("补正期限延长（工作日）", default=0)
    # Ordinary procedure (§48): copy to the respondent, its reply
    copy_sent_on = models.DateField("发送答复通知日期", null=True, blank=True)
    copy_served_on = models.DateField("被申请人收到副本日期", null=True, blank=True)
    reply_received_on = models.DateField("收到书面答复日期", null=True, blank=True)
    # Extension (§62): staff request, leader approval
    extension_requested_days = models.PositiveSmallIntegerField("申请延长天数", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    extension_days = models.PositiveSmallIntegerField("已批准延长天数", null=True, blank=True)
    extension_approved_on = models.DateField("延期批准日期", null=True, blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Conclusion
    order_redo = models.BooleanField("责令重新作出行政行为", default=False)
    compensation_awarded = models.BooleanField("同时决定赔偿或返还财产", default=False)
    decision_summary = models.TextField("决定理由与主文", blank=True)
    termination_reason = models.CharField("终止理由", max_length=30, choices=TerminationReason.choices, blank=True)
    mediation_agreement = models.TextField("调解协议内容", blank=True)
    concluded_on_time = models.BooleanField("按期审结", null=True, blank=True)
    decision_served_on = models.DateField("决定书送达日期", null=True, blank=True)

    class Meta:
        verbose_name = "行政复议申请"
        verbose_name_plural = "行政复议申请"
        indexes = [models.Index(fields=["respondent_agency"]), models.Index(fields=["category"]), models.Index(fields=["accepted_on"])]

    def __str__(self):
        return f"{self.case_id} {self.contested_act[:30]}"

    @property
    def extension_pending(self) -> bool:
        return self.extension_requested_days is not None and self.extension_days is None


class Activity(models.Model):
    """审理活动: hearing the parties, a 听证, an investigation, the committee's
    consultation, a mediation session."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="fy_activities")
    kind = models.CharField("类别", max_length=20, choices=ActivityKind.choices)
    on = models.DateField("日期")
    method = models.CharField("方式", max_length=20, choices=HearMethod.choices, blank=True)
    # 听证: notice date is ``on``; the hearing itself is ``scheduled_for``
    scheduled_for = models.DateField("听证日期", null=True, blank=True)
    place = models.CharField("地点", max_length=100, blank=True)
    status = models.CharField("听证状态", max_length=20, choices=HearingStatus.choices, blank=True)
    held_on = models.DateField("举行日期", null=True, blank=True)
    respondent_head_attended = models.BooleanField("被申请人负责人参加", null=True, blank=True)
    participants = models.CharField("参加人员", max_length=300, blank=True)
    mediation_result = models.CharField("调解结果", max_length=20, choices=MediationResult.choices, blank=True)
    summary = models.TextField("内容/笔录要点", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审理活动"
        verbose_name_plural = "审理活动"
        ordering = ["case", "on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


class Suspension(models.Model):
    """One 中止 of the review, from its start to the 恢复 (or the 终止)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="fy_suspensions")
    ground = models.CharField("中止情形", max_length=30, choices=SuspensionGround.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    started_on = models.DateField("中止日期")
    ended_on = models.DateField("恢复日期", null=True, blank=True)

    class Meta:
        verbose_name = "中止"
        verbose_name_plural = "中止"
        ordering = ["case", "started_on", "id"]

    def __str__(self):
        return f"{self.get_ground_display()} {self.started_on}"


class Opinion(models.Model):
    """行政复议意见书/建议书 to an agency, which reports its correction within 60 days (§76)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="fy_opinions")
    kind = models.CharField("类别", max_length=20, choices=OpinionKind.choices)
    addressee = models.CharField("送达机关", max_length=40)
    content = models.TextField("意见/建议内容")
    issued_on = models.DateField("制发日期")
    served_on = models.DateField("送达日期")
    feedback_on = models.DateField("收到反馈日期", null=True, blank=True)
    feedback = models.TextField("整改反馈情况", blank=True)
    rectified = models.BooleanField("已纠正", null=True, blank=True)

    class Meta:
        verbose_name = "意见书/建议书"
        verbose_name_plural = "意见书/建议书"
        ordering = ["case", "issued_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.issued_on}"


class NormReview(models.Model):
    """附带审查 of a normative document or of the respondent's legal basis (§56–§60):
    handled by the organ itself within 30 days (the drafting organ notified within 3
    working days of the 中止 and replying within 10), or transferred within 7 working
    days to the competent organ, which replies within 60 days."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="fy_norm_reviews")
    origin = models.CharField("审查来由", max_length=20, choices=NormReviewOrigin.choices)
    document = models.CharField("规范性文件或依据", max_length=200)
    drafting_organ = models.CharField("制定机关", max_length=100)
    competent = models.BooleanField("本机关有权处理")
    started_on = models.DateField("启动日期")
    notified_on = models.DateField("书面通知制定机关日期", null=True, blank=True)
    notice_served_on = models.DateField("制定机关收到通知日期", null=True, blank=True)
    reply_on = models.DateField("收到制定机关答复日期", null=True, blank=True)
    reply_summary = models.TextField("制定机关答复要点", blank=True)
    transferee = models.CharField("转送机关", max_length=100, blank=True)
    transferred_on = models.DateField("转送日期", null=True, blank=True)
    transfer_served_on = models.DateField("转送机关收到日期", null=True, blank=True)
    result = models.CharField("审查结果", max_length=30, choices=NormReviewResult.choices, blank=True)
    result_on = models.DateField("办结日期", null=True, blank=True)
    result_note = models.TextField("处理意见", blank=True)

    class Meta:
        verbose_name = "附带审查"
        verbose_name_plural = "附带审查"
        ordering = ["case", "started_on", "id"]

    def __str__(self):
        return f"附带审查 {self.document}"


# --- 行政应诉 -------------------------------------------------------------------------------------


class Suit(LineRecord):
    """An administrative suit in which the government or one of its agencies is
    the defendant. The case's ``opened_on`` is the day the complaint was served."""

    defendant_agency = models.CharField("被告行政机关", max_length=40)
    reconsideration_co_defendant = models.BooleanField("复议机关为共同被告", default=False)
    court = models.CharField("受理法院", max_length=100)
    court_case_number = models.CharField("案号", max_length=60, blank=True)
    instance = models.CharField("审级", max_length=10, choices=Instance.choices, default=Instance.FIRST)
    filed_on = models.DateField("法院立案日期", null=True, blank=True)
    contested_act = models.CharField("被诉行政行为", max_length=300)
    cause = models.CharField("案由", max_length=100)
    related_code = models.CharField("关联复议案件编码", max_length=19, blank=True)
    head_notified = models.BooleanField("法院通知负责人出庭", default=False)
    defence_filed_on = models.DateField("提交答辩状及证据日期", null=True, blank=True)
    next_hearing_on = models.DateField("下次开庭日期", null=True, blank=True)
    next_hearing_place = models.CharField("开庭地点", max_length=100, blank=True)

    class Meta:
        verbose_name = "行政应诉案件"
        verbose_name_plural = "行政应诉案件"
        indexes = [models.Index(fields=["defendant_agency"])]

    def __str__(self):
        return f"{self.court} {self.court_case_number}"


class SuitHearing(models.Model):
    """One court hearing held, and whether the agency head appeared (出庭率 counts these)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="ys_hearings")
    instance = models.CharField("审级", max_length=10, choices=Instance.choices)
    held_on = models.DateField("开庭日期")
    head_attended = models.BooleanField("行政机关负责人出庭")
    head_name = models.CharField("出庭负责人", max_length=50, blank=True)
    head_title = models.CharField("负责人职务", max_length=50, blank=True)
    entrusted_name = models.CharField("委托出庭工作人员", max_length=50, blank=True)
    entrusted_title = models.CharField("委托人员职务", max_length=50, blank=True)
    absence_reason = models.CharField("负责人不能出庭的理由", max_length=20, choices=AbsenceReason.choices, blank=True)
    absence_note = models.CharField("理由说明", max_length=300, blank=True)
    court_notified_head = models.BooleanField("法院通知负责人出庭", default=False)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "开庭"
        verbose_name_plural = "开庭"
        ordering = ["case", "held_on", "id"]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self):
        return f"{self.held_on} {'负责人出庭' if self.head_attended else '委托出庭'}"


class SuitJudgment(models.Model):
    """A judgment or ruling of one instance; 败诉率 counts first-instance judgments."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="ys_judgments")
    instance = models.CharField("审级", max_length=10, choices=Instance.choices)
    kind = models.CharField("裁判结果", max_length=20, choices=JudgmentKind.choices)
    judged_on = models.DateField("裁判日期")
    served_on = models.DateField("送达日期")
    court_case_number = models.CharField("案号", max_length=60, blank=True)
    note = models.CharField("裁判要点", max_length=300, blank=True)

    class Meta:
        verbose_name = "裁判"
        verbose_name_plural = "裁判"
        ordering = ["case", "judged_on", "id"]
        indexes = [models.Index(fields=["instance", "judged_on"])]

    def __str__(self):
        return f"{self.get_instance_display()} {self.get_kind_display()}"

    @property
    def is_loss(self) -> bool:
        """行政机关败诉 (derived from the kind, DOMAIN.md §3.5)."""
        return self.kind in LOSSES
