from django.conf import settings
from django.db import models


class Result(models.TextChoices):
    OK = "ok", "成功"
    REFUSED = "refused", "拒绝"
    FAILED = "failed", "失败"


class AuditEntry(models.Model):
    """One audited event. Append-only: the application inserts a row and, once
    the row is committed, the sealer numbers it (``seq``) and links it into the
    chain: ``hash`` is an HMAC, under a key kept outside the database, of the
    row's content and the previous row's hash, so a changed, removed or
    re-hashed row breaks the chain (``manage.py audit_verify``). On PostgreSQL a
    trigger refuses every UPDATE except that one sealing of an unsealed row, and
    every DELETE and TRUNCATE; the application's database login does not own
    the table, so it cannot switch the trigger off (docs/adr/0017).

    Inserting takes no lock: writers and audited reads never queue behind one
    another. Ordering by ``id`` is insertion order; ``seq`` is the chain's own
    numbering, without the gaps a rolled-back insert leaves in ``id``."""

    seq = models.BigIntegerField("序号", unique=True, null=True, blank=True)
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
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The sealer's work list: small, whatever the size of the log.
            models.Index(fields=["id"], name="audit_entry_unsealed", condition=models.Q(seq__isnull=True)),
        ]

    def __str__(self):
        return f"#{self.seq or '-'} {self.action} {self.username}"

    @property
    def sealed(self) -> bool:
        return self.seq is not None


class AuditHead(models.Model):
    """Single row holding the chain's tip. Only the sealer locks it, so sealing
    runs one at a time and the chain never forks; writers never touch it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
