"""The work order (``WorkOrder``, one-to-one with the kernel's ``Case``: the
order's code, caller, content, timeline and clocks are the case's), the
visitor register of the public legal service centres, stations and rooms
(``Visit``, a register that is not a case) and the operators' knowledge base
(``Answer``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sifa.cases.models import LineRecord
from sifa.registers.models import Entry

from .choices import Appointment, CallbackWay, Category, Channel, Kind, Point, Satisfaction, Service, Target


class WorkOrder(LineRecord):
    """A 12348 work order (工单). The caller is the case's party (role ``caller``,
    phone masked); the content is the case's summary."""

    channel = models.CharField("受理渠道", max_length=10, choices=Channel.choices, default=Channel.HOTLINE)
    kind = models.CharField("工单类型", max_length=12, choices=Kind.choices, default=Kind.CONSULT)
    appointment = models.CharField("预约事项", max_length=12, choices=Appointment.choices, blank=True)
    category = models.CharField("法律类别", max_length=16, choices=Category.choices, default=Category.OTHER)
    urgent = models.BooleanField("紧急", default=False)
    # The transferring platform's own number (12345/110), so that replies can go back to it.
    external_ref = models.CharField("转办平台工单编号", max_length=64, blank=True)
    external_due = models.DateField("转办平台要求办结日期", null=True, blank=True)
    answer = models.TextField("答复内容", blank=True)
    answered_on_spot = models.BooleanField("即时解答", default=False)
    answered_on = models.DateField("答复/反馈日期", null=True, blank=True)
    # 派单
    target = models.CharField("派单对象", max_length=20, choices=Target.choices, blank=True)
    dispatched_to = models.ForeignKey("orgs.Org", verbose_name="承办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    dispatched_to_name = models.CharField("承办单位名称", max_length=100, blank=True)
    dispatched_on = models.DateField("派单日期", null=True, blank=True)
    instructions = models.CharField("派单意见", max_length=500, blank=True)
    signed_on = models.DateField("签收日期", null=True, blank=True)
    extension_requested = models.PositiveSmallIntegerField("申请延期（工作日）", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=500, blank=True)
    extended_days = models.PositiveSmallIntegerField("已延期（工作日）", default=0)
    reminders = models.PositiveSmallIntegerField("催办次数", default=0)
    escalated_on = models.DateField("通报日期", null=True, blank=True)
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    redos = models.PositiveSmallIntegerField("重办次数", default=0)
    # 回访 and satisfaction (the caller's rating on the call, or the callback's).
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    callback_on = models.DateField("回访日期", null=True, blank=True)
    callback_way = models.CharField("回访方式", max_length=12, choices=CallbackWay.choices, blank=True)
    callback_note = models.CharField("回访情况", max_length=1000, blank=True)
    reviewed_on = models.DateField("不满意复核日期", null=True, blank=True)
    review_note = models.CharField("复核意见", max_length=1000, blank=True)
    # 质检: a sampled order's score.
    quality_score = models.PositiveSmallIntegerField("质检得分", null=True, blank=True)

    class Meta:
        verbose_name = "12348工单"
        verbose_name_plural = "12348工单"
        indexes = [models.Index(fields=["channel", "kind"]), models.Index(fields=["category"]), models.Index(fields=["dispatched_to"])]
        constraints = [
            # One order per platform reference: a re-sent transfer finds it (idempotent, 重办 reopens it).
            models.UniqueConstraint(fields=["channel", "external_ref"], condition=~Q(external_ref=""), name="hotline_one_order_per_ref"),
        ]


class Visit(Entry):
    """来访登记 at a public legal service centre, station or room."""

    point = models.CharField("服务场所", max_length=10, choices=Point.choices, default=Point.CENTER)
    point_name = models.CharField("场所名称", max_length=100, blank=True)
    service = models.CharField("服务事项", max_length=12, choices=Service.choices, default=Service.CONSULT)
    category = models.CharField("法律类别", max_length=16, choices=Category.choices, blank=True)
    served_by = models.CharField("接待人员", max_length=50, blank=True)

    class Meta(Entry.Meta):
        verbose_name = "来访登记"
        verbose_name_plural = "来访登记"


class Answer(models.Model):
    """An entry of the knowledge base the operators search on a call (知识库),
    kept by a bureau for its subtree."""

    org = models.ForeignKey("orgs.Org", verbose_name="维护单位", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    category = models.CharField("法律类别", max_length=16, choices=Category.choices, default=Category.OTHER)
    question = models.CharField("问题", max_length=200)
    answer = models.TextField("解答口径")
    basis = models.TextField("法律依据", blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    # question + keywords + answer + basis, upper-cased by the index: what the bigram search reads.
    search_text = models.TextField(editable=False, default="")
    is_active = models.BooleanField("启用", default=True)
    uses = models.PositiveIntegerField("引用次数", default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "知识库条目"
        verbose_name_plural = "知识库条目"
        ordering = ["category", "question", "id"]
        indexes = [models.Index(fields=["org_path", "category"], name="hotline_answer_org", opclasses=["varchar_pattern_ops", "varchar_pattern_ops"])]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        self.org_path = self.org.path
        self.search_text = "\n".join(x for x in (self.question, self.keywords, self.answer, self.basis) if x)
        super().save(*args, **kwargs)
