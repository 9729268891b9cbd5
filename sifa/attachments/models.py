from django.conf import settings
from django.db import models


def _upload_to(instance, filename):
    # Stored under a random name: the original name is kept in the row only.
    return f"attachments/{instance.case_id % 1000:03d}/{instance.token}"


class Attachment(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="attachments")
    event = models.ForeignKey("cases.CaseEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=_upload_to, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    category = models.CharField("类别", max_length=40, blank=True)
    kind = models.CharField("文件类型", max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    description = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_deleted = models.BooleanField(default=False)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["case", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name
