"""Attempts at the public portal, counted for rate limiting. A database table
(not process memory) so every worker process sees the same counts."""

from django.db import models


class Attempt(models.Model):
    TRACK = "track"
    APPLY = "apply"

    scope = models.CharField("类别", max_length=10, choices=[(TRACK, "进度查询"), (APPLY, "网上申请")])
    ip = models.CharField("来源地址", max_length=45)
    code = models.CharField("案件编码", max_length=40, blank=True)
    success = models.BooleanField("成功", default=False)
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "门户访问尝试"
        verbose_name_plural = "门户访问尝试"
        indexes = [models.Index(fields=["scope", "ip", "at"]), models.Index(fields=["scope", "code", "at"])]

    def __str__(self):
        return f"{self.scope} {self.ip} {self.at:%Y-%m-%d %H:%M}"
