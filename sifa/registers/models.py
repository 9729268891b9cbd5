"""The kernel half of a register that is not a case (``kit.register``): every
line's entry model subclasses ``Entry``. Its scoping fields are the case's
(``owner_org``/``org_path``/``handler``/``case_type``/``is_sealed``/
``is_deleted``), so ``cases.selectors.visible_q`` and the figures' engine read
an entry with the same conditions as a case; the person's phone and ID number
are encrypted at rest and masked on every page unless revealed."""

from django.conf import settings
from django.db import models

from sifa.cases.models import LiveCaseManager
from sifa.common.crypto import EncryptedTextField


class Entry(models.Model):
    number = models.CharField("登记编号", max_length=19, unique=True)
    # The line whose users see the entry (line-level visibility, ``uses``).
    case_type = models.CharField("业务", max_length=30)
    bureau = models.ForeignKey("orgs.Org", verbose_name="编号所属司法局", on_delete=models.PROTECT, related_name="+")
    owner_org = models.ForeignKey("orgs.Org", verbose_name="登记机构", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on = models.DateField("登记日期")
    person_name = models.CharField("姓名", max_length=100, blank=True)
    person_phone = EncryptedTextField("联系电话", blank=True)
    person_id_number = EncryptedTextField("证件号码", blank=True)
    summary = models.TextField("内容")
    result = models.TextField("处理情况", blank=True)
    # The case it became (``cases.movement.hand_over``); the case links back by number.
    handed_to = models.ForeignKey("cases.Case", verbose_name="已移交案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_sealed = models.BooleanField("封存", default=False)
    version = models.PositiveIntegerField("版本", default=1)
    is_deleted = models.BooleanField(default=False)
    deleted_reason = models.CharField("删除原因", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveCaseManager()  # hides deleted rows, as for cases
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field)

    # Set on each concrete model by ``kit.registry`` when its register is declared.
    register_key = ""

    class Meta:
        abstract = True
        ordering = ["-on", "-id"]
        base_manager_name = "all_objects"
        indexes = [
            # A list is one office's subtree, newest first; figures count by date under a subtree.
            models.Index(fields=["org_path", "on"], name="%(app_label)s_%(class)s_org", opclasses=["varchar_pattern_ops", "date_ops"]),
            models.Index(fields=["on", "id"], name="%(app_label)s_%(class)s_on"),
            models.Index(fields=["handler", "on"], name="%(app_label)s_%(class)s_hdl"),
        ]

    def __str__(self):
        return self.number

    @property
    def code(self) -> str:
        """Its number (where a case shows its code: a ledger import's report)."""
        return self.number

    @property
    def register(self):
        from sifa.kit import registry

        return registry.register(self.register_key)

    # --- what a hand-over carries (``cases.movement.hand_over``) ---

    @property
    def ref(self) -> str:
        return f"{self.register.label} {self.number}"

    def title_for_handover(self) -> str:
        text = " ".join((self.summary or "").split())
        return (text[:40] + "…") if len(text) > 40 else (text or self.register.label)

    def parties_for_handover(self) -> list[dict]:
        if not self.person_name:
            return []
        person = {"role": "applicant", "name": self.person_name}
        if self.person_phone:
            person["phone"] = self.person_phone
        if self.person_id_number:
            person["id_number"] = self.person_id_number
        return [person]
