"""办案补贴 (法律援助法 §52: 法律援助补贴由省级司法行政部门会同同级财政部门制定标准，
及时足额支付). A closed case's provider is due the standard of the province's table
(``conf.SUBSIDY_STANDARD``, by category and, for criminal cases, stage) with its
adjustments: by rule (``conf.SUBSIDY_ADJUSTMENTS``: capital cases, a failed quality
assessment) and entered by the centre (异地办案、多名受援人 …). The way:

    computed (on closing, or 计算补贴 on the page) → approved (局领导, APPROVE)
    → in a batch (the centre: 组成发放批次) → paid (登记发放), the batch exported for finance.

Every write is audited; a refusal raises ``DomainError`` and changes nothing.
Until it is approved a computed subsidy follows its case (computing again picks
up a grade given after closing); approved, it is fixed."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sifa.accounts.roles import APPROVE, EXPORT, HANDLE, has_cap
from sifa.audit.services import record
from sifa.cases import selectors as case_selectors
from sifa.common.errors import DomainError, PermissionRefused, Refused
from sifa.common.sheets import set_value
from sifa.kit import registry
from sifa.orgs.models import Org
from sifa.orgs.selectors import subtree

from .. import conf
from ..choices import CASE_TYPE, CENTER, Category, Grade, Stage, Status
from ..models import LegalAid, Subsidy, SubsidyBatch, SubsidyStatus

CENT = Decimal("0.01")
# The adjustments by rule (conf.SUBSIDY_ADJUSTMENTS, percent of the standard) and when each applies.
RULES = {"capital": "可能判处无期徒刑、死刑的案件", "fail": "质量评估不合格"}


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def standard_for(category: str, stage: str = "") -> tuple[Decimal, str]:
    """The standard of the table for a category (and a criminal case's stage), and its description."""
    entry = conf.get("SUBSIDY_STANDARD").get(category)
    label = Category(category).label if category in Category.values else category
    if isinstance(entry, dict):
        label += f"·{Stage(stage).label if stage in Stage.values else '未填写'}阶段"
        entry = entry.get(stage)
    if entry is None:
        raise Refused(f"办案补贴标准表中没有“{label}”的标准，请联系系统管理员配置。", field="category")
    amount = _money(entry)
    return amount, f"{label} {amount}元"


def rule_adjustments(rec: LegalAid, standard: Decimal) -> list[dict]:
    percents = conf.get("SUBSIDY_ADJUSTMENTS")
    applies = {"capital": rec.capital, "fail": rec.grade == Grade.FAIL}
    out = []
    for key, label in RULES.items():
        pct = Decimal(str(percents.get(key) or 0))
        if pct and applies[key]:
            out.append({"reason": f"{label}（{'上浮' if pct > 0 else '下调'}{abs(pct)}%）", "amount": str(_money(standard * pct / 100)), "rule": key})
    return out


def _adjusted(standard: Decimal, adjustments: list[dict]) -> Decimal:
    """The standard with its adjustments (may be negative)."""
    return _money(standard + sum((Decimal(a["amount"]) for a in adjustments), Decimal("0")))


def _total(standard: Decimal, adjustments: list[dict]) -> Decimal:
    return max(_adjusted(standard, adjustments), Decimal("0.00"))


def _write(case, rec: LegalAid, actor) -> Subsidy:
    """Compute the case's subsidy, or bring a computed one up to date (idempotent)."""
    if rec.provider_id is None:
        raise Refused("案件没有承办人员，不计算办案补贴。", field="provider")
    standard, basis = standard_for(rec.category, rec.stage)
    rules = rule_adjustments(rec, standard)
    s = Subsidy.objects.select_for_update().filter(case=case).first()
    if s is not None:
        if s.status != SubsidyStatus.COMPUTED:
            return s
        adjustments = rules + [a for a in s.adjustments if not a.get("rule")]
        fields = {"provider_id": rec.provider_id, "category": rec.category, "stage": rec.stage, "basis": basis, "standard": standard}
        fields |= {"adjustments": adjustments, "total": _total(standard, adjustments)}
        if all(getattr(s, k) == v for k, v in fields.items()):
            return s
        for k, v in fields.items():
            setattr(s, k, v)
        s.save(update_fields=[k.removesuffix("_id") for k in fields])
        record("legal_aid.subsidy_compute", actor=actor, obj=s, detail={"case": case.code, "basis": basis, "total": str(s.total), "again": True})
        return s
    try:
        with transaction.atomic():
            s = Subsidy.objects.create(
                case=case,
                provider_id=rec.provider_id,
                category=rec.category,
                stage=rec.stage,
                basis=basis,
                standard=standard,
                adjustments=rules,
                total=_total(standard, rules),
            )
    except IntegrityError:  # computed meanwhile (the closing step and the page at once)
        return Subsidy.objects.get(case=case)
    record("legal_aid.subsidy_compute", actor=actor, obj=s, detail={"case": case.code, "basis": basis, "total": str(s.total)})
    return s


def compute(case, actor=None) -> Subsidy:
    """The subsidy of a closed case (计算补贴): created once; computing again only
    updates one not yet approved. ``actor`` None: the system (the closing step)."""
    if case.case_type != CASE_TYPE:
        raise DomainError("只有法律援助案件计算办案补贴。", field="case")
    if actor is not None and not (has_cap(actor, HANDLE) and case_selectors.may_write(actor, case)):
        raise PermissionRefused("您不能计算该案件的办案补贴。")
    if case.status != Status.CLOSED:
        raise Refused("只有结案审查通过的案件才计算办案补贴。", field="status")
    with transaction.atomic():
        return _write(case, LegalAid.objects.get(case=case), actor)


def on_closed(case, rec: LegalAid | None = None, actor=None) -> Subsidy | None:
    """The closing step's hook (``steps.close_write``, inside its transaction, before
    the status changes): compute the subsidy. Closing never fails for it: without a
    provider or a standard for the case, nothing is written and the centre computes
    it from the subsidies page once the table holds it."""
    rec = rec or LegalAid.objects.get(case=case)
    try:
        with transaction.atomic():
            return _write(case, rec, actor)
    except DomainError:
        return None


def _may_handle(actor, s: Subsidy) -> None:
    if not (has_cap(actor, HANDLE) and case_selectors.may_write(actor, s.case)):
        raise PermissionRefused("您不能办理该案件的办案补贴。")


def adjust(actor, subsidy: Subsidy, *, reason: str, amount) -> Subsidy:
    """Add an adjustment (元; negative: deducted) to a subsidy not yet approved."""
    _may_handle(actor, subsidy)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写调整事由。", field="reason")
    try:
        value = _money(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError("调整金额应为数字（元），下调请填负数。", field="amount") from None
    if not value:
        raise DomainError("调整金额不能为0。", field="amount")
    with transaction.atomic():
        s = Subsidy.objects.select_for_update().get(pk=subsidy.pk)
        if s.status != SubsidyStatus.COMPUTED:
            raise Refused(f"该办案补贴{s.get_status_display()}，不能再调整。", field="status")
        adjustments = [*s.adjustments, {"reason": reason[:100], "amount": str(value), "rule": ""}]
        total = _adjusted(s.standard, adjustments)
        if total < 0:
            raise DomainError(f"调整后补贴金额为{total}元，不能为负数。", field="amount")
        s.adjustments, s.total = adjustments, total
        s.save(update_fields=["adjustments", "total"])
        record("legal_aid.subsidy_adjust", actor=actor, obj=s, detail={"case": s.case.code, "reason": reason[:100], "amount": str(value), "total": str(total)})
    return s


def approve(actor, subsidies) -> list[Subsidy]:
    """局领导 approve computed subsidies (one, or several at once: all or none)."""
    if not has_cap(actor, APPROVE):
        raise PermissionRefused("只有局领导可以审批办案补贴。")
    ids = {subsidies.pk} if isinstance(subsidies, Subsidy) else {s.pk for s in subsidies}
    if not ids:
        raise DomainError("请选择要审批的办案补贴。", field="ids")
    with transaction.atomic():
        qs = Subsidy.objects.select_for_update(of=("self",)).select_related("case")
        rows = list(qs.filter(pk__in=ids, case__in=case_selectors.line_cases(actor, CASE_TYPE)).order_by("pk"))
        if len(rows) != len(ids):
            raise PermissionRefused("所选办案补贴不在您的审批范围内。")
        for s in rows:
            if s.status != SubsidyStatus.COMPUTED:
                raise Refused(f"案件{s.case.code}的办案补贴{s.get_status_display()}，不能重复审批。", field="ids")
        now = timezone.now()
        for s in rows:
            s.status, s.approved_by, s.approved_at = SubsidyStatus.APPROVED, actor, now
            s.save(update_fields=["status", "approved_by", "approved_at"])
            record("legal_aid.subsidy_approve", actor=actor, obj=s, detail={"case": s.case.code, "total": str(s.total)})
    return rows


# --- batches (发放批次) --------------------------------------------------------------------------------


def managed_centers(user) -> QuerySet[Org]:
    """The centres whose subsidies ``user`` batches and pays: those in the scope of a
    handler of the line who is not given cases by assignment (the centre's staff,
    the bureau's legal-aid section)."""
    if not (case_selectors.uses(user, CASE_TYPE) and case_selectors.may_take(user)):
        return Org.objects.none()
    return subtree(case_selectors.scope_root(user)).filter(kind=CENTER)


def batches_for(user) -> QuerySet[SubsidyBatch]:
    """The batches ``user`` may see: the centres in their scope, for the line's handlers
    and leaders (a lawyer sees their own subsidies, not the centre's batches)."""
    spec = registry.role(getattr(user, "role", ""))
    if not case_selectors.uses(user, CASE_TYPE) or spec is None or spec.assignment_scoped:
        return SubsidyBatch.objects.none()
    if not (has_cap(user, HANDLE) or has_cap(user, APPROVE)):
        return SubsidyBatch.objects.none()
    return SubsidyBatch.objects.filter(org_path__startswith=case_selectors.scope_root(user).path)


def make_batch(actor, center, subsidies) -> SubsidyBatch:
    """Approved subsidies of one centre, not yet in a batch, into a new batch (批次号 年-序号)."""
    if center is None or not managed_centers(actor).filter(pk=center.pk).exists():
        raise PermissionRefused("您不能为该法律援助机构组成办案补贴发放批次。")
    ids = {s.pk for s in subsidies}
    if not ids:
        raise DomainError("请选择已审批的办案补贴。", field="ids")
    with transaction.atomic():
        Org.objects.select_for_update().get(pk=center.pk)  # one number at a time
        qs = Subsidy.objects.select_for_update(of=("self",)).select_related("case")
        rows = list(qs.filter(pk__in=ids, case__in=case_selectors.line_cases(actor, CASE_TYPE)).order_by("pk"))
        if len(rows) != len(ids):
            raise PermissionRefused("所选办案补贴不在您的办理范围内。")
        for s in rows:
            if not s.case.org_path.startswith(center.path):
                raise Refused(f"案件{s.case.code}不属于{center.name}，不能编入本批次。", field="ids")
            if s.status != SubsidyStatus.APPROVED or s.batch_id:
                state = "已编入批次" if s.batch_id else s.get_status_display()
                raise Refused(f"案件{s.case.code}的办案补贴{state}；只有已审批、未编入批次的补贴可以组成发放批次。", field="ids")
        year = timezone.localdate().year
        seq = SubsidyBatch.objects.filter(center=center, number__startswith=f"{year}-").count() + 1
        total = sum((s.total for s in rows), Decimal("0"))
        batch = SubsidyBatch.objects.create(center=center, org_path=center.path, number=f"{year}-{seq:03d}", created_by=actor, total=total, count=len(rows))
        Subsidy.objects.filter(pk__in=ids).update(batch=batch)
        detail = {"number": batch.number, "center": center.name, "count": len(rows), "total": str(total), "cases": [s.case.code for s in rows]}
        record("legal_aid.subsidy_batch", actor=actor, obj=batch, detail=detail)
    return batch


def mark_paid(actor, batch: SubsidyBatch, paid_on: date | None) -> SubsidyBatch:
    """登记发放: the batch and each of its subsidies are paid on ``paid_on``."""
    if not managed_centers(actor).filter(pk=batch.center_id).exists():
        raise PermissionRefused("您不能登记该批次的发放。")
    if not isinstance(paid_on, date):
        raise DomainError("请填写发放日期。", field="paid_on")
    if paid_on > timezone.localdate():
        raise DomainError("发放日期不能晚于今天。", field="paid_on")
    if paid_on < timezone.localdate(batch.created_at):
        raise DomainError("发放日期不能早于组成批次的日期。", field="paid_on")
    with transaction.atomic():
        b = SubsidyBatch.objects.select_for_update().get(pk=batch.pk)
        if b.paid_on is not None:
            raise Refused(f"该批次已于{b.paid_on:%Y-%m-%d}登记发放，不能重复登记。", field="paid_on")
        b.paid_on, b.paid_by = paid_on, actor
        b.save(update_fields=["paid_on", "paid_by"])
        b.subsidies.update(status=SubsidyStatus.PAID)
        record("legal_aid.subsidy_pay", actor=actor, obj=b, detail={"number": b.number, "paid_on": paid_on, "count": b.count, "total": str(b.total)})
    return b


# --- the finance sheet (.xlsx) --------------------------------------------------------------------------

HEADERS = ["序号", "批次号", "案件编码", "受援人", "承办人员", "执业机构", "案件类别", "补贴标准（元）", "调整（元）", "调整事由", "补贴金额（元）"]
WIDTHS = [6, 12, 22, 14, 12, 24, 16, 14, 12, 40, 14]


def _put(ws, row: int, col: int, value) -> None:
    """A cell that is never a formula (``common.sheets``); amounts with separators."""
    if value is None:
        value = ""
    set_value(ws.cell(row=row, column=col), value, "#,##0.00" if isinstance(value, Decimal) else "")


def rows_of(user, batch: SubsidyBatch) -> list[dict]:
    """The batch's lines as the page and the sheet show them. A sealed case the user may
    not open keeps its line (the batch is paid whole) without the aided person's name."""
    subsidies = list(batch.subsidies.select_related("case", "provider").prefetch_related("case__parties").order_by("case__code", "pk"))
    seen = set(case_selectors.visible_to(user).filter(pk__in=[s.case_id for s in subsidies]).values_list("pk", flat=True))
    out = []
    for s in subsidies:
        names = [p.name for p in s.case.parties.all() if p.role == "applicant"] or [p.name for p in s.case.parties.all()][:1]
        out.append(
            {
                "subsidy": s,
                "aided": "、".join(names) if s.case_id in seen else "（不在您的查看范围）",
                "category": s.get_category_display() + (f"·{s.get_stage_display()}" if s.stage else ""),
                "reasons": "；".join(f"{a['reason']} {a['amount']}" for a in s.adjustments),
            }
        )
    return out


def export_batch(actor, batch: SubsidyBatch) -> bytes:
    """The batch for finance (发放明细表); audited. Nothing masked but what the user may not see:
    finance pays by these names (the providers' bank details are the finance office's own)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if not has_cap(actor, EXPORT):
        raise PermissionRefused("您没有导出权限。")
    wb = Workbook()
    ws = wb.active
    ws.title = "办案补贴发放明细"
    for col, (h, w) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        _put(ws, 1, col, h)
        ws.cell(row=1, column=col).font = Font(bold=True)
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = w
    ws.freeze_panes = "A2"
    rows = rows_of(actor, batch)
    for i, r in enumerate(rows, start=1):
        s = r["subsidy"]
        values = [i, batch.number, s.case.code, r["aided"], s.provider.name, s.provider.firm, r["category"], s.standard, s.adjusted, r["reasons"], s.total]
        for col, v in enumerate(values, start=1):
            _put(ws, i + 1, col, v)
    last = len(rows) + 2
    _put(ws, last, 1, "合计")
    _put(ws, last, 2, f"{batch.center.name} 共{batch.count}笔" + (f"，{batch.paid_on:%Y-%m-%d}发放" if batch.paid_on else "，待发放"))
    _put(ws, last, 11, batch.total)
    ws.cell(row=last, column=1).font = ws.cell(row=last, column=11).font = Font(bold=True)
    buf = BytesIO()
    wb.save(buf)
    record("legal_aid.subsidy_export", actor=actor, obj=batch, detail={"number": batch.number, "rows": len(rows), "total": str(batch.total)})
    return buf.getvalue()
