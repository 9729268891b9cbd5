from django.db import models


class DictionaryEntry(models.Model):
    """An entry of an editable code list (字典): dispute types, matter categories,
    respondent agencies … Official lists can be dropped in when obtained
    (DOMAIN.md §1.2). Two levels via ``parent`` (e.g. dispute type → sub-type).

    ``code`` is stable and stored on records; ``label`` may be edited.
    """

    code_set = models.CharField("字典", max_length=40)
    code = models.CharField("代码", max_length=40)
    label = models.CharField("名称", max_length=100)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    source = models.CharField("来源", max_length=40, blank=True, help_text="statute / practice / SF/T (pending) / local")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "字典项"
        verbose_name_plural = "字典项"
        ordering = ["code_set", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["code_set", "code"], name="dictionary_unique_code")]

    def __str__(self):
        return self.label


def put(obj: models.Model, **fields) -> None:
    """Set these fields on ``obj`` and save only them (a step's write, inside its transaction)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(fields))


class WorkerBeat(models.Model):
    """The last sign of life of a background worker (``manage.py worker``).
    django-tasks-db records which worker claimed a task but never whether that
    worker is still there; ``sifa.common.worker`` reads these rows to tell a
    task that is running from one whose worker died."""

    worker_id = models.CharField("进程标识", max_length=64, unique=True)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    beat_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "后台进程心跳"
        verbose_name_plural = "后台进程心跳"

    def __str__(self):
        return f"{self.worker_id} ({self.host}:{self.pid})"
