"""The test line's register that is not a case: consultations (法律咨询), each
with its channel, counted by a KPI, kept in a ledger, handed over to 测试乙类."""

from django.db import models

from sifa.registers.models import Entry


class Channel(models.TextChoices):
    VISIT = "visit", "来访"
    PHONE = "phone", "电话"
    LETTER = "letter", "信函"
    ONLINE = "online", "网络"


class Consultation(Entry):
    channel = models.CharField("咨询方式", max_length=10, choices=Channel.choices, default=Channel.VISIT)

    class Meta(Entry.Meta):
        verbose_name = "法律咨询"
        verbose_name_plural = "法律咨询"
