"""The person released (``Releasee``, one-to-one with the kernel's ``Case``: the
code, the person as its party — ID number, phone and address encrypted —, the
timeline and the clocks are the case's) and the file's rows: assistance-group
members (``Helper``), visits and talks (``Contact``), assistance given
(``Assistance``) and risk assessments (``Assessment``). The offence and sentence
are encrypted at rest; the line is restricted (only its staff and the bureau)."""

from django.conf import settings
from django.db import models

from sifa.cases.models import LineRecord
from sifa.common.crypto import EncryptedTextField

from .choices import AssistanceKind, ContactKind, EndKind, HandoverWay, Origin, Placement, Verification


class Releasee(LineRecord):
    """刑满释放人员: one person's resettlement, from the prison's notice to the period's end."""

    origin = models.CharField("来源", max_length=12, choices=Origin.choices, default=Origin.PRISON)
    institution = models.CharField("释放单位（监所/社区矫正机构）", max_length=100)
    notice_on = models.DateField("收到释放通知日期", null=True, blank=True)
    expected_release_on = models.DateField("预计释放日期", null=True, blank=True)
    released_on = models.DateField("释放日期", null=True, blank=True)
    gender = models.CharField("性别", max_length=1, blank=True)
    crime = EncryptedTextField("罪名")
    sentence = EncryptedTextField("原判刑罚及刑期", blank=True)
    sentence_start = models.DateField("刑期起日", null=True, blank=True)
    sentence_end = models.DateField("刑期止日", null=True, blank=True)
    # 重点帮教对象: collected at the prison gate (必接必送).
    key_person = models.BooleanField("重点帮教对象（必接必送）", default=False)
    # 摸排 (verification) and 双列管: where the person really lives.
    verification = models.CharField("摸排结果", max_length=12, choices=Verification.choices, blank=True)
    verified_on = models.DateField("摸排日期", null=True, blank=True)
    residence_org = models.ForeignKey("orgs.Org", verbose_name="居住地司法所（双列管）", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    residence = EncryptedTextField("实际居住地", blank=True)
    # 衔接 (hand-over)
    handed_over_on = models.DateField("衔接日期", null=True, blank=True)
    handover_way = models.CharField("衔接方式", max_length=12, choices=HandoverWay.choices, blank=True)
    # Reported or collected within the set days of release (无缝衔接, what 衔接率 counts).
    seamless = models.BooleanField("无缝衔接", default=False)
    unlinked_since = models.DateField("未衔接起始日期", null=True, blank=True)
    # 风险评估 (the latest; each one is an ``Assessment``)
    grade = models.CharField("风险等级", max_length=12, blank=True)
    graded_on = models.DateField("评估日期", null=True, blank=True)
    # The day the present grade began (a re-rating to the same grade keeps it): the grade's
    # contact duty runs from here, not from each re-rating.
    grade_since = models.DateField("等级起始日期", null=True, blank=True)
    # 帮教小组 and 帮教协议
    agreement_on = models.DateField("帮教协议签订日期", null=True, blank=True)
    last_contact_on = models.DateField("最近走访/谈话日期", null=True, blank=True)
    # 安置
    placement = models.CharField("安置情况", max_length=14, choices=Placement.choices, blank=True)
    placed_on = models.DateField("安置日期", null=True, blank=True)
    # 帮教期 and its end
    period_ends_on = models.DateField("帮教期满日期", null=True, blank=True)
    ended_on = models.DateField("解除/终止日期", null=True, blank=True)
    end_kind = models.CharField("结束方式", max_length=12, choices=EndKind.choices, blank=True)
    reoffended_on = models.DateField("重新违法犯罪日期", null=True, blank=True)
    # Moved out of the system's reach (another province): who received the file.
    moved_to = models.CharField("接收单位（迁出）", max_length=100, blank=True)
    # From community correction: the correction file's assessment summary (not its sanctions
    # or approvals, which stay in correction under its stricter access).
    correction_summary = models.TextField("社区矫正期间表现摘要", blank=True)

    class Meta:
        verbose_name = "刑满释放人员"
        verbose_name_plural = "刑满释放人员"
        indexes = [
            models.Index(fields=["origin"]),
            models.Index(fields=["released_on"]),
            models.Index(fields=["handed_over_on"]),
            models.Index(fields=["grade"]),
            models.Index(fields=["ended_on"]),
            models.Index(fields=["expected_release_on"]),
        ]


class Helper(models.Model):
    """帮教小组成员."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="resettlement_helpers")
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("身份", max_length=50)  # 司法所工作人员、村（居）干部、民警、家属、志愿者
    phone = EncryptedTextField("联系电话", blank=True)

    class Meta:
        verbose_name = "帮教小组成员"
        verbose_name_plural = "帮教小组成员"
        ordering = ["id"]


class Contact(models.Model):
    """One visit, talk or call (走访、谈话), each recorded."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="resettlement_contacts")
    kind = models.CharField("方式", max_length=10, choices=ContactKind.choices)
    on = models.DateField("日期")
    note = models.CharField("情况", max_length=1000)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "走访谈话记录"
        verbose_name_plural = "走访谈话记录"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["case", "on"])]


class Assistance(models.Model):
    """One piece of help given: employment, 低保, social insurance, a place at a transition base …"""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="resettlement_assistance")
    kind = models.CharField("帮扶类别", max_length=12, choices=AssistanceKind.choices)
    on = models.DateField("日期")
    note = models.CharField("内容", max_length=1000)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "帮扶记录"
        verbose_name_plural = "帮扶记录"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["case", "kind", "on"])]


class Assessment(models.Model):
    """风险评估: the grade, the factors found and why; re-rated every six months (configurable)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="resettlement_assessments")
    on = models.DateField("评估日期")
    grade = models.CharField("风险等级", max_length=12)
    factors = models.JSONField("风险因素", default=list, blank=True)
    note = models.CharField("评估意见", max_length=1000, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评估人", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "风险评估记录"
        verbose_name_plural = "风险评估记录"
        ordering = ["-on", "-id"]


class SearchRequest(models.Model):
    """协查: another office (or a unit outside the system) asked to help find an unlinked
    person, and its answer. An office of the platform is named by ``org`` (it is then
    shown the file read-only); one outside it by ``org_name``."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="resettlement_searches")
    org = models.ForeignKey("orgs.Org", verbose_name="协查单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    org_name = models.CharField("协查单位名称", max_length=100)
    asked_on = models.DateField("发出日期")
    request = models.CharField("协查事项", max_length=1000)
    answered_on = models.DateField("回复日期", null=True, blank=True)
    answer = models.CharField("回复情况", max_length=1000, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "协查记录"
        verbose_name_plural = "协查记录"
        ordering = ["-asked_on", "-id"]
