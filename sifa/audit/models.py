from django.conf import settings
from django.db import models


class Result(models.TextChoices):
    OK = "ok", "成功"
    REFUSED = "refused", "拒绝"
    FAILED = "failed", "失败"


class AuditEntry(models.Model):
    """One audited event. Append-only: rows are never updated or deleted by the
    application (a PostgreSQL trigger refuses it too), and each row's ``hash``
    covers its content and the previous row's hash, so a changed row breaks the
    chain at that row (``manage.py audit_verify``)."""

    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    user_org = models.CharField("所属机构", max_length=100, blank=True)
    ip = models.CharField("IP", max_length=45, blank=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.OK)
    request_id = models.CharField("请求ID", max_length=32, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.username}"


class AuditHead(models.Model):
    """Single row holding the chain's tip. Appending locks it, which orders
    concurrent writers so the chain never forks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
