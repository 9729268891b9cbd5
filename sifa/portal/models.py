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


class ThrottleLock(models.Model):
    """A lock stripe: the limit check and the count of an attempt happen while the
    stripes of its address and its code are locked (select_for_update), so parallel
    requests take turns and no burst evaluates more guesses than the limit. A key
    maps to one of a fixed number of stripes by a hash: the table stays small and
    holds no address or code (two keys sharing a stripe merely take turns)."""

    slot = models.PositiveIntegerField("槽位", primary_key=True)

    class Meta:
        verbose_name = "门户限流锁"
        verbose_name_plural = "门户限流锁"

    def __str__(self):
        return str(self.slot)
