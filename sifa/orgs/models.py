from django.core.validators import RegexValidator
from django.db import models

from .choices import kind_label

region_code_validator = RegexValidator(r"^\d{6}$", "行政区划代码应为6位数字。")


class Org(models.Model):
    """A node of the organisation tree: city bureau → district bureau → judicial
    offices → mediation committees (and the legal-aid centre, studios …).

    ``path`` is the materialised path of ids ("/1/4/9/"): "everything under this
    office" is one indexed prefix match, which case scoping and the KPIs rely on.
    """

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=20, help_text="用于文号，如“演司”。")
    kind = models.CharField("类型", max_length=20)  # a code of kit.registry.org_kinds()
    parent = models.ForeignKey("self", verbose_name="上级机构", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    region_code = models.CharField("行政区划代码", max_length=6, validators=[region_code_validator])
    path = models.CharField(max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField("排序", default=0)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
        ]
        indexes = [models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name

    def get_kind_display(self) -> str:
        return kind_label(self.kind)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    def is_within(self, other: "Org") -> bool:
        """True if self is ``other`` or below it."""
        return self.path.startswith(other.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]
