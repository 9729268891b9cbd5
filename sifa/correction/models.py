"""The person under correction (``Subject``, one-to-one with the kernel's
``Case``: the code, the person as its party — ID number, phone and address
encrypted —, the timeline and the clocks are the case's), the 调查评估
entrustment (``Inquiry``) and the file's rows: daily supervision
(``Activity``), the correction team (``TeamMember``), rewards and sanctions
(``Discipline``), monthly assessments (``MonthlyAssessment``) and lost-contact
episodes (``LostContact``). Approvals are the kernel's procedures inside the
case (``workflow.APPROVALS``). The offence and sentence are encrypted at rest."""

from django.conf import settings
from django.db import models

from sifa.cases.models import LineRecord
from sifa.common.crypto import EncryptedTextField

from .choices import (
    ActivityKind,
    Category,
    DecisionOrgan,
    Entruster,
    Grade,
    MonthResult,
    Opinion,
    ReleaseKind,
    ReportWay,
    Reward,
    Sanction,
    TeamRole,
    TerminationKind,
)


class Subject(LineRecord):
    """社区矫正对象: one person's correction, from the documents' receipt to release or termination."""

    category = models.CharField("矫正类别", max_length=12, choices=Category.choices)
    decision_organ = models.CharField("决定机关类别", max_length=12, choices=DecisionOrgan.choices, default=DecisionOrgan.COURT)
    decision_org_name = models.CharField("决定机关", max_length=100)
    judgment_no = models.CharField("判决书/决定书文号", max_length=100, blank=True)
    effective_on = models.DateField("判决/裁定/决定生效日期")
    notified_on = models.DateField("收到执行通知日期", null=True, blank=True)
    documents_on = models.DateField("收到法律文书日期", null=True, blank=True)
    # The most sensitive text of the file: encrypted at rest, shown on the file only.
    crime = EncryptedTextField("罪名")
    sentence = EncryptedTextField("原判刑罚及刑期", blank=True)
    additional_penalty = models.CharField("附加刑", max_length=100, blank=True)
    prohibition = EncryptedTextField("禁止令内容", blank=True)
    term_start = models.DateField("矫正期限起日")
    term_end = models.DateField("矫正期限止日")
    is_minor = models.BooleanField("未成年人", default=False)
    gender = models.CharField("性别", max_length=1, blank=True)
    # 报到 / 移送 (§21–22)
    reported_on = models.DateField("报到日期", null=True, blank=True)
    report_way = models.CharField("报到方式", max_length=12, blank=True)
    # Days past the 10-day period (its last day moved past a rest day, as the clock counts it):
    # what the ladder (报到迟延) and 按期报到率 read.
    report_late_days = models.PositiveSmallIntegerField("报到逾期天数", default=0)
    identity_checked = models.BooleanField("身份已核实", default=False)
    declared_on = models.DateField("入矫宣告日期", null=True, blank=True)
    # 分类管理
    grade = models.CharField("管理等级", max_length=10, choices=Grade.choices, blank=True)
    grade_since = models.DateField("等级起始日期", null=True, blank=True)
    # 矫正方案 (§24)
    plan_on = models.DateField("矫正方案制定日期", null=True, blank=True)
    plan_supervision = models.TextField("监督管理措施", blank=True)
    plan_education = models.TextField("教育矫正措施", blank=True)
    plan_assistance = models.TextField("帮困扶助措施", blank=True)
    plan_other = models.TextField("其他措施", blank=True)
    # The last day the person was reached (a report, talk, visit or check): the lost-contact
    # warning compares it with the grade's interval, on an index.
    last_contact_on = models.DateField("最近联系日期", null=True, blank=True)
    lost_since = models.DateField("脱管起始日期", null=True, blank=True)
    # 期满前: personal summary, the office's written appraisal, resettlement advice.
    summary_on = models.DateField("期满鉴定日期", null=True, blank=True)
    personal_summary = models.TextField("个人总结", blank=True)
    appraisal = models.TextField("司法所书面鉴定", blank=True)
    resettlement_advice = models.TextField("安置帮教建议", blank=True)
    # 解除 / 终止 (§44–45)
    ended_on = models.DateField("解除/终止日期", null=True, blank=True)
    release_kind = models.CharField("解除类型", max_length=12, choices=ReleaseKind.choices, blank=True)
    termination_kind = models.CharField("终止类型", max_length=20, choices=TerminationKind.choices, blank=True)
    end_doc_no = models.CharField("解除证明书/裁定文号", max_length=100, blank=True)
    notified_organs = models.CharField("已通知机关", max_length=100, blank=True)
    reoffended = models.BooleanField("矫正期间重新犯罪", default=False)

    class Meta:
        verbose_name = "社区矫正对象"
        verbose_name_plural = "社区矫正对象"
        indexes = [
            models.Index(fields=["category"]),
            models.Index(fields=["grade"]),
            models.Index(fields=["last_contact_on"]),
            models.Index(fields=["term_end"]),
            models.Index(fields=["ended_on"]),
        ]


class Inquiry(LineRecord):
    """调查评估: a court's, procuratorate's, police's or prison's entrustment (§18)."""

    entruster = models.CharField("委托单位类别", max_length=16, choices=Entruster.choices)
    entruster_name = models.CharField("委托单位", max_length=100)
    letter_no = models.CharField("委托函文号", max_length=100, blank=True)
    fast_track = models.BooleanField("速裁程序", default=False)
    crime = EncryptedTextField("涉嫌/判决罪名")
    proposed_category = models.CharField("拟适用矫正类别", max_length=12, choices=Category.choices)
    opinion = models.CharField("评估意见", max_length=12, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField("调查评估情况及意见", blank=True)
    issued_on = models.DateField("意见书出具日期", null=True, blank=True)

    class Meta:
        verbose_name = "调查评估"
        verbose_name_plural = "调查评估"
        indexes = [models.Index(fields=["entruster"]), models.Index(fields=["opinion"])]


class Activity(models.Model):
    """One act of daily supervision: a report, a talk, a visit, a check, study or service hours."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="correction_activities")
    kind = models.CharField("类别", max_length=10, choices=ActivityKind.choices)
    way = models.CharField("方式", max_length=10, choices=ReportWay.choices, blank=True)
    on = models.DateField("日期")
    hours = models.DecimalField("时长（小时）", max_digits=5, decimal_places=1, default=0)
    note = models.CharField("情况", max_length=1000, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "日常监管记录"
        verbose_name_plural = "日常监管记录"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["case", "kind", "on"])]


class TeamMember(models.Model):
    """矫正小组 (§25)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="correction_team")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("身份", max_length=12, choices=TeamRole.choices)
    gender = models.CharField("性别", max_length=1, choices=(("M", "男"), ("F", "女")))
    unit = models.CharField("单位/关系", max_length=100, blank=True)
    phone = EncryptedTextField("联系电话", blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "矫正小组成员"
        verbose_name_plural = "矫正小组成员"
        ordering = ["sort_order", "id"]


DISCIPLINE_KINDS = [*Reward.choices, *Sanction.choices]


class Discipline(models.Model):
    """A reward or a sanction (§28). Whether a sanction was corrected (已改正) is a
    judgement someone records, with its date and officer: never inferred."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="correction_disciplines")
    kind = models.CharField("类别", max_length=20, choices=DISCIPLINE_KINDS)
    on = models.DateField("决定/提请日期")
    reason = models.TextField("事实与理由")
    doc_no = models.CharField("文号", max_length=60, blank=True)
    proposed = models.BooleanField("系统提示后作出", default=False)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.SET_NULL, related_name="+")
    corrected_on = models.DateField("认定已改正日期", null=True, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="认定人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    corrected_note = models.CharField("改正情况", max_length=500, blank=True)

    class Meta:
        verbose_name = "奖惩"
        verbose_name_plural = "奖惩"
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["case", "kind"]), models.Index(fields=["kind", "on"])]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.on:%Y-%m-%d}）"


class MonthlyAssessment(models.Model):
    """月度考核: one result a month."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="correction_months")
    month = models.DateField("考核月份")  # the first day of the month
    result = models.CharField("考核结果", max_length=8, choices=MonthResult.choices)
    note = models.CharField("考核说明", max_length=500, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="考核人", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "月度考核"
        verbose_name_plural = "月度考核"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["case", "month"], name="correction_one_result_a_month")]


class LostContact(models.Model):
    """A lost-contact episode (脱管, §30): when, the search, when found."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="correction_lost")
    lost_on = models.DateField("脱管日期")
    circumstances = models.CharField("脱管情况", max_length=1000)
    notified = models.CharField("通报情况", max_length=500, blank=True)
    found_on = models.DateField("查找到案日期", null=True, blank=True)
    search = models.TextField("查找情况", blank=True)

    class Meta:
        verbose_name = "脱管记录"
        verbose_name_plural = "脱管记录"
        ordering = ["-lost_on"]
