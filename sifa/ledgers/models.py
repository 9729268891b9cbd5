"""Import and export jobs: long work that shows progress and can be left and
come back to (UI.md "Long work"). A job belongs to the user who started it;
nobody else sees it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    AWAITING = "awaiting", "待审批"  # an export of a restricted line waits for a second person
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    VALIDATED = "validated", "校验通过，待确认导入"
    INVALID = "invalid", "校验未通过"
    COMMITTING = "committing", "正在写入"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


ACTIVE = (JobStatus.PENDING, JobStatus.RUNNING, JobStatus.COMMITTING)


class ImportJob(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="ledger_imports")
    case_type = models.CharField("业务类型", max_length=30)
    file = models.FileField("文件", upload_to="ledgers/imports/%Y/%m/")
    file_name = models.CharField("文件名", max_length=200)
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING)
    stage = models.CharField("阶段", max_length=40, blank=True)
    progress = models.PositiveIntegerField("已处理行数", default=0)
    total = models.PositiveIntegerField("总行数", default=0)
    row_count = models.PositiveIntegerField("有效数据行", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    errors = models.JSONField("错误明细", default=list, blank=True)  # [[row, column, message], ...]
    notes = models.JSONField("提示", default=list, blank=True)
    preview = models.JSONField("预览", default=dict, blank=True)  # {"headers": [...], "rows": [[...], ...]}
    message = models.TextField("说明", blank=True)
    created_count = models.PositiveIntegerField("已导入案件数", default=0)
    first_code = models.CharField("首个编码", max_length=19, blank=True)
    last_code = models.CharField("末个编码", max_length=19, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Touched whenever the job moves (status, stage, progress): an active job
    # untouched for longer than jobs.STALE_AFTER lost its worker (jobs.expire_stale).
    heartbeat_at = models.DateTimeField("最近进展", default=timezone.now)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "台账导入"
        verbose_name_plural = "台账导入"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.file_name}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        return int(self.progress * 100 / self.total) if self.total else (100 if self.status == JobStatus.DONE else 0)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class ExportJob(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.PROTECT, related_name="ledger_exports")
    kind = models.CharField("类别", max_length=40)
    label = models.CharField("内容", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveIntegerField("进度", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    file = models.FileField("文件", upload_to="ledgers/exports/%Y/%m/", blank=True)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    row_count = models.PositiveIntegerField("行数", default=0)
    message = models.TextField("说明", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", default=timezone.now)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.label}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        return int(self.progress * 100 / self.total) if self.total else (100 if self.status == JobStatus.DONE else 0)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE
