"""The one case registry (一案一码): every matter of every line is a ``Case``.

Line-specific fields live in the line's own model, one-to-one with ``Case``.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from sifa.common.crypto import EncryptedTextField
from sifa.common.models import put
from sifa.kit import registry

from .choices import AssignmentRole, Channel, EventKind, Gender, IdType, PartyKind, PartyRole


class LiveCaseManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(is_deleted=False)


class Case(models.Model):
    code = models.CharField("案件编码", max_length=19, unique=True)
    case_type = models.CharField("业务类型", max_length=30)
    bureau = models.ForeignKey("orgs.Org", verbose_name="编码所属司法局", on_delete=models.PROTECT, related_name="+")
    owner_org = models.ForeignKey("orgs.Org", verbose_name="承办机构", on_delete=models.PROTECT, related_name="cases")
    # Copy of owner_org.path: "everything under this office" is one indexed prefix match.
    org_path = models.CharField(max_length=255, editable=False)
    status = models.CharField("状态", max_length=40)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT, related_name="handled_cases")
    title = models.CharField("案由/标题", max_length=200)
    summary = models.TextField("简要情况", blank=True)
    channel = models.CharField("来源渠道", max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    opened_on = models.DateField("收案日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    outcome = models.CharField("结案方式", max_length=40, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    doc_number = models.CharField("文号", max_length=60, blank=True)
    next_due = models.DateField("最近期限", null=True, blank=True)
    is_sealed = models.BooleanField("封存/未成年人案件", default=False)
    legal_hold = models.BooleanField("诉讼保全（禁止清理）", default=False)
    version = models.PositiveIntegerField("版本", default=1)
    is_deleted = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    deleted_reason = models.CharField("删除原因", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveCaseManager()
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-opened_on", "-id"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(fields=["bureau", "case_type", "year", "seq"], name="case_unique_sequence"),
        ]
        indexes = [
            models.Index(fields=["case_type", "status"]),
            # Prefix matches (LIKE 'x%') need pattern opclasses on PostgreSQL;
            # other databases ignore opclasses. (The code's prefix index is the
            # "_like" index PostgreSQL gets for the unique code. PostgreSQL-only
            # indexes: migrations 0004.)
            models.Index(fields=["org_path", "case_type"], name="case_org_path_prefix", opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]),
            # Lists are newest first: read in this order, a page stops after 30 rows.
            models.Index(fields=["opened_on", "id"], name="case_opened_order"),
            models.Index(fields=["case_type", "opened_on"]),
            # With id: a sort stops after a page even inside a run of equal values (the
            # open cases' empty closed_on, the cases without a deadline), not sorting the run.
            models.Index(fields=["case_type", "closed_on", "id"], name="case_type_closed_order"),
            models.Index(fields=["next_due", "id"], name="case_due_order"),
            # The lists' sortable columns (common.sorting), each read in order and stopped
            # after a page: the case list's 最后变更, a line's list (one case_type) by its
            # 最近期限 and its 编码 (opened_on, closed_on, next_due: the indexes above).
            models.Index(fields=["updated_at", "id"], name="case_updated_order"),
            models.Index(fields=["case_type", "next_due", "id"], name="case_type_due_order"),
            models.Index(fields=["case_type", "code"], name="case_type_code_order"),
            models.Index(fields=["handler", "status"]),
            # The intake list (待分配): open cases nobody handles yet, by place.
            models.Index(
                fields=["org_path"],
                name="case_intake",
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(handler__isnull=True, closed_on__isnull=True, is_deleted=False),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def type(self):
        return registry.find_type(self.case_type)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop("record", None)

    @cached_property
    def record(self):
        """The line's one-to-one record (``CaseType.record``), or None. Loaded once
        per case object; ``refresh_from_db`` forgets it."""
        ct = self.type
        model = ct.record_model if ct else None
        return model.objects.filter(pk=self.pk).first() if model is not None else None

    @property
    def status_label(self) -> str:
        ct = self.type
        return ct.status_label(self.status) if ct else self.status

    @cached_property
    def stage(self):
        """Where the case stands in law today (``settle.stage``): its state, or a lapse
        the law already made of it (视为受理) before the nightly job records it. The one
        status every page shows (header, lists, the line's panel), so a case never shows two."""
        from .settle import stage

        return stage(self)

    @property
    def status_colour(self) -> str:
        ct = self.type
        return ct.workflow.colour(self.status) if ct else "secondary"

    @property
    def type_label(self) -> str:
        ct = self.type
        return ct.label if ct else self.case_type

    @property
    def outcome_label(self) -> str:
        ct = self.type
        return ct.outcome_label(self.outcome) if ct and self.outcome else self.outcome

    @property
    def is_closed(self) -> bool:
        ct = self.type
        return bool(ct and self.status in ct.workflow.final_states)


class LineRecord(models.Model):
    """A line's own record of a case (人民调解 Dispute, 行政复议 Application …):
    one-to-one with its ``Case`` and keyed by it, so the record's id is the
    case's id everywhere. Deleted with its case (only the retention job ever
    deletes a case; the application soft-deletes). The reverse accessor is the
    model's name in lower case (``case.dispute``)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="%(class)s")

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.case)

    def put(self, **fields) -> None:
        """Set these fields and save only them (a step's write, inside its transaction)."""
        put(self, **fields)


class Counter(models.Model):
    """A named sequence. Rows are locked (SELECT … FOR UPDATE) inside the
    creating transaction, so parallel creators get distinct, gap-free numbers."""

    key = models.CharField(max_length=80, unique=True)
    value = models.PositiveIntegerField(default=0)


class Party(models.Model):
    """A party to one case (a snapshot as of that case; the same person in two
    cases is two rows, linked by ``id_hash``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("身份", max_length=20, default=PartyRole.APPLICANT)
    kind = models.CharField("类型", max_length=20, choices=PartyKind.choices, default=PartyKind.NATURAL)
    name = models.CharField("姓名/名称", max_length=100)
    name_initials = models.CharField(max_length=64, blank=True)
    name_pinyin = models.CharField(max_length=255, blank=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    id_number = EncryptedTextField("证件号码", blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    phone = EncryptedTextField("联系电话", blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True)
    address = EncryptedTextField("住址/地址", blank=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    legal_rep = models.CharField("法定代表人/负责人", max_length=50, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        # case_id, not case: "case" orders by the case's own ordering, a join to the
        # case table on every read of a case's parties.
        ordering = ["case_id", "sort_order", "id"]
        indexes = [
            models.Index(fields=["name"], name="party_name_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name_initials"], name="party_initials_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name_pinyin"], name="party_pinyin_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name


class CaseAssignment(models.Model):
    """Who works a case besides (or as) its handler: mediators, lawyers, assistants.
    Mediators and lawyers see only the cases they are assigned to."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments")
    role = models.CharField("分工", max_length=20, default=AssignmentRole.HANDLER)  # a code of kit.registry.assignment_roles()
    assigned_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user", "role"], name="assignment_unique")]
        indexes = [models.Index(fields=["user", "active"])]


class CaseEvent(models.Model):
    """One entry of a case's timeline (全程可溯): who, when, what, from → to, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("经办人", max_length=100, blank=True)
    kind = models.CharField("类别", max_length=20, choices=EventKind.choices)
    transition = models.CharField(max_length=60, blank=True)
    label = models.CharField("事项", max_length=200)
    from_status = models.CharField(max_length=40, blank=True)
    to_status = models.CharField(max_length=40, blank=True)
    reason = models.TextField("理由/说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self):
        return f"{self.case_id} {self.label}"


class CaseShare(models.Model):
    """A case made visible to a second organisation (the office an application
    was passed on from; the office of household registration beside the office
    of residence): read-only there unless ``can_write``. Owner, code and
    history stay where they are (``cases.movement.share``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    org = models.ForeignKey("orgs.Org", verbose_name="共享给", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)  # the org's path, for the scoping
    can_write = models.BooleanField("可办理", default=False)
    reason = models.CharField("理由", max_length=200)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "案件共享"
        verbose_name_plural = "案件共享"
        constraints = [models.UniqueConstraint(fields=["case", "org"], name="share_unique_org")]
        indexes = [models.Index(fields=["org_path"], name="share_org_path", opclasses=["varchar_pattern_ops"])]


class CaseLink(models.Model):
    """A hand-over between lines (``cases.movement.hand_over``): what ``source``
    (a case, or a register entry named by ``source_ref``) became: ``target``, a
    case of another line. Each side shows the other's code and status."""

    target = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    source = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="links_out")
    source_ref = models.CharField(max_length=80, blank=True)  # "<register key>:<entry id>" for a register entry
    kind = models.CharField(max_length=40)  # the HandOver's key
    label = models.CharField("移交事项", max_length=60)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "移交关联"
        verbose_name_plural = "移交关联"
        indexes = [models.Index(fields=["source_ref"])]


class Procedure(models.Model):
    """A procedure inside a case (``kit.casework.SubProcedure``: 审批, 异议, 延期 …)
    with its own states, steps, clocks and documents, run by the same engine as
    the case's steps (``cases.procedures``). ``data`` holds what its steps wrote."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="procedures")
    key = models.CharField(max_length=40)
    status = models.CharField("状态", max_length=40)
    opened_on = models.DateField("发起日期")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    outcome = models.CharField("结果", max_length=40, blank=True)
    data = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "子程序"
        verbose_name_plural = "子程序"
        ordering = ["case", "opened_on", "id"]
        indexes = [models.Index(fields=["case", "key"])]

    def __str__(self):
        return f"{self.case.code} {self.label}"

    @cached_property
    def spec(self):
        """Its declaration (``kit.casework.SubProcedure``)."""
        return next(p for p in registry.case_type(self.case.case_type).procedures if p.key == self.key)

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def status_label(self) -> str:
        return self.spec.workflow.label(self.status)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def put(self, **fields) -> None:
        put(self, **fields)
