"""The bureau's work report (工作总结) as a record with a life:
draft (统计管理员 writes) → submitted → reviewed by the leader (or returned to
draft with a reason) → issued, after which nothing about it changes.

Every write is here, checks its own permissions (views and jobs only parse and
call), is audited, and a refusal is audited too and changes nothing. Who may
touch a report: the bureau's 统计管理员 (MANAGE_STATS) and its leaders (APPROVE
with SEE_DASHBOARD), for reports on organisations in their bureau's subtree;
to everyone else a report does not exist (404)."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from sifa.accounts.roles import APPROVE, MANAGE_STATS, SEE_DASHBOARD, has_cap
from sifa.audit.services import record, refused
from sifa.common.errors import Conflict, DomainError, PermissionRefused, Refused
from sifa.orgs.choices import OrgKind
from sifa.orgs.selectors import bureau_of

from .models import REPORT_TEXT_FIELDS, Report, ReportPeriodKind, ReportStatus, ReportVersion
from .periods import Period, starting

log = logging.getLogger("sifa.stats")

S = ReportStatus
BUREAU_KINDS = (OrgKind.BUREAU, OrgKind.CITY_BUREAU)
PARTS = {"half": 2, "quarter": 4}
# Long enough for any real section of a summary, short enough that a pasted
# document by mistake is caught with a message instead of stored.
TEXT_LIMITS = {"title": 200, "recipients": 200, "doc_number": 60, "signer": 100, "opening": 20000, "problems": 20000, "next_steps": 20000}
REQUIRED = ("title", "signer")
LABELS = {name: str(Report._meta.get_field(name).verbose_name) for name in REPORT_TEXT_FIELDS}


# --- who ---------------------------------------------------------------------------------------


def _bureau(user):
    """The bureau a report user sits at; None when they sit anywhere else."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "org_id", None):
        return None
    return bureau_of(user.org) if user.org.kind in BUREAU_KINDS else None


def may_draft(user) -> bool:
    return has_cap(user, MANAGE_STATS) and _bureau(user) is not None


def may_review(user) -> bool:
    return has_cap(user, APPROVE) and has_cap(user, SEE_DASHBOARD) and _bureau(user) is not None


def may_use(user) -> bool:
    return may_draft(user) or may_review(user)


def visible(user) -> QuerySet[Report]:
    """The reports the user may see: those on organisations under their bureau."""
    if not may_use(user):
        return Report.objects.none()
    return Report.objects.filter(org__path__startswith=_bureau(user).path)


def listed(user) -> QuerySet[Report]:
    # The frozen figures and file are large and the list needs neither.
    return visible(user).select_related("org", "created_by").defer("data", "document")


def access(user, pk) -> Report:
    """One report the user may see, or 404 (audited when it exists elsewhere)."""
    try:
        return visible(user).select_related("org").get(pk=int(pk))
    except (ValueError, TypeError, Report.DoesNotExist):
        pass
    if str(pk).isdigit() and Report.objects.filter(pk=int(pk)).exists():
        refused("stats.report.access", actor=user, object_type="stats.report", object_id=str(pk), reason="不在访问范围内")
    raise Http404("未找到该工作总结。")


def creatable_orgs(user):
    """Organisations a 统计管理员 may write a report for: their bureau and everything under it."""
    from sifa.orgs.models import Org

    if not may_draft(user):
        return Org.objects.none()
    return Org.objects.filter(path__startswith=_bureau(user).path, is_active=True).order_by("path")


def next_actions(user, report) -> list[str]:
    """The steps this user may take on the report now (the page shows exactly these)."""
    if report.status == S.DRAFT and may_draft(user):
        return ["save", "submit"]
    if report.status == S.SUBMITTED and may_review(user):
        return ["approve", "return"]
    if report.status == S.REVIEWED and may_use(user):
        return ["issue"]
    return []


# --- periods and the document's words ----------------------------------------------------------


def make_period(kind: str, year, part=None) -> Period:
    """A report period from the chooser's kind/year/part; a Chinese refusal naming the field."""
    if kind not in ReportPeriodKind.values:
        raise Refused("请选择期间类型（年度、半年或季度）。", field="period_kind")
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise Refused("年度应在2000至2100之间。", field="year")
    if kind == "year":
        return Period.year(year)
    try:
        part = int(part)
    except (TypeError, ValueError):
        part = 0
    if not 1 <= part <= PARTS[kind]:
        raise Refused("请选择上半年或下半年。" if kind == "half" else "请选择第几季度（1至4）。", field="part")
    return Period.half(year, part) if kind == "half" else Period.quarter(year, part)


def period_of(report) -> Period:
    return starting(report.period_kind, report.period_start)


def text_of(report) -> dict:
    """The text fields as stored in a version (strings; the date as ISO or "")."""
    out = {name: getattr(report, name) or "" for name in REPORT_TEXT_FIELDS}
    out["signed_on"] = report.signed_on.isoformat() if report.signed_on else ""
    return out


def cut_off(report) -> str:
    """The issued figures' cut-off as printed, from ``issued_at`` in the bureau's zone,
    so that it renders the same on every later regeneration."""
    return report.issued_at.astimezone(ZoneInfo(settings.TIME_ZONE)).isoformat(timespec="seconds")


def meta_of(report, *, generated_at: str = "") -> dict:
    """What ``builder.render`` prints around the figures."""
    meta = text_of(report) | {"status": report.status, "generated_at": generated_at}
    if report.status == S.ISSUED and report.issued_at and not generated_at:
        meta["generated_at"] = cut_off(report)
    return meta


def file_name(report) -> str:
    stem = report.title
    if report.status == S.ISSUED and report.doc_number:
        stem = f"{report.doc_number} {report.title}"
    elif report.status != S.ISSUED:
        stem = f"{report.title}（{report.get_status_display()}）"
    # Characters no file system accepts in a name.
    return "".join("_" if c in '\\/:*?"<>|' else c for c in stem) + ".docx"


def versions(report) -> QuerySet[ReportVersion]:
    return report.versions.select_related("saved_by").order_by("-number")


def latest_version(report) -> int:
    return report.versions.aggregate(n=Max("number"))["n"] or 0


def version(report, number) -> ReportVersion:
    try:
        return report.versions.select_related("saved_by").get(number=int(number))
    except (ValueError, TypeError, ReportVersion.DoesNotExist):
        raise Http404("未找到该版本。") from None


# --- writes ------------------------------------------------------------------------------------


def _locked(pk) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("org").get(pk=pk)


def create(actor, org, period: Period) -> Report:
    """A new draft for ``org`` over ``period``, with the usual title and signer."""
    try:
        if not may_draft(actor):
            raise PermissionRefused("您的角色不能起草工作总结。")
        if org is None or not creatable_orgs(actor).filter(pk=org.pk).exists():
            raise Refused("不能为该机构起草工作总结，请选择本局或下属机构。", field="org")
        if period.kind not in ReportPeriodKind.values:
            raise Refused("工作总结的期间只能是年度、半年或季度。", field="period_kind")
    except DomainError as exc:
        refused("stats.report.create", actor=actor, reason=exc.message, detail={"org": getattr(org, "pk", None), "period": period.label})
        raise
    with transaction.atomic():
        report = Report.objects.create(
            org=org,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            title=f"{org.name}{period.label}工作总结",
            signer=org.name,
            created_by=actor,
        )
        record("stats.report.create", actor=actor, obj=report, detail={"org": org.name, "period": period.label})
    return report


def _clean(report, values: dict) -> dict:
    """The text fields as they would be after this save; refusals name the field."""
    out = text_of(report)
    for name in REPORT_TEXT_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "signed_on":
            out[name] = _clean_date(report, value)
            continue
        # Browsers send CRLF; versions should differ only when the words do.
        value = str(value or "").replace("\r\n", "\n").strip()
        if name in REQUIRED and not value:
            raise Refused(f"请填写{LABELS[name]}。", field=name)
        if len(value) > TEXT_LIMITS[name]:
            raise Refused(f"{LABELS[name]}不能超过{TEXT_LIMITS[name]}个字。", field=name)
        out[name] = value
    return out


def _clean_date(report, value) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise Refused("成文日期格式不正确，应为 2026-01-15 这样的日期。", field="signed_on") from None
    if value < report.period_start:
        raise Refused("成文日期不能早于总结期间的开始日期。", field="signed_on")
    return value.isoformat()


def save_text(actor, pk, values: dict, *, base_version: int | None = None) -> tuple[Report, ReportVersion | None]:
    """Save the text of a draft as a new version (None when nothing changed).
    ``base_version``: the version the editor started from; someone else's save
    in between is a conflict, never a silent overwrite."""
    report = access(actor, pk)
    try:
        with transaction.atomic():
            report = _locked(report.pk)
            if not may_draft(actor):
                raise PermissionRefused("您的角色不能修改工作总结，只有统计管理员可以起草和修改。")
            if report.status != S.DRAFT:
                raise Refused(f"工作总结{report.get_status_display()}，不能再修改；只有草稿可以修改。")
            latest = latest_version(report)
            if base_version is not None and int(base_version) != latest:
                raise Conflict("该工作总结已被他人修改（已有新版本），请刷新后在最新版本上修改。")
            before = text_of(report)
            after = _clean(report, values)
            changed = [name for name in REPORT_TEXT_FIELDS if after[name] != before[name]]
            if not changed:
                return report, None
            for name in REPORT_TEXT_FIELDS:
                setattr(report, name, after[name] if name != "signed_on" else (date.fromisoformat(after[name]) if after[name] else None))
            report.save()
            saved = ReportVersion.objects.create(report=report, number=latest + 1, saved_by=actor, fields=after)
            record("stats.report.save", actor=actor, obj=report, detail={"version": saved.number, "fields": changed})
    except DomainError as exc:
        refused("stats.report.save", actor=actor, obj=report, reason=exc.message, detail={"field": exc.field or ""})
        raise
    return report, saved


def submit(actor, pk) -> Report:
    report = access(actor, pk)
    try:
        with transaction.atomic():
            report = _locked(report.pk)
            if not may_draft(actor):
                raise PermissionRefused("只有统计管理员可以提交审核。")
            if report.status != S.DRAFT:
                raise Refused(f"工作总结{report.get_status_display()}，只有草稿可以提交审核。")
            report.status = S.SUBMITTED
            report.save(update_fields=["status", "updated_at"])
            record("stats.report.submit", actor=actor, obj=report, detail={"version": latest_version(report)})
    except DomainError as exc:
        refused("stats.report.submit", actor=actor, obj=report, reason=exc.message)
        raise
    return report


def review(actor, pk, *, approve: bool, note: str = "") -> Report:
    """The leader's decision: approve (→ 已审核) or return to draft with a reason."""
    note = (note or "").replace("\r\n", "\n").strip()
    report = access(actor, pk)
    try:
        with transaction.atomic():
            report = _locked(report.pk)
            if not may_review(actor):
                raise PermissionRefused("只有局领导可以审核工作总结。")
            if report.status != S.SUBMITTED:
                raise Refused(f"工作总结{report.get_status_display()}，只有待审核的可以审核。")
            if not approve and not note:
                raise Refused("退回须填写退回原因。", field="note")
            if len(note) > 500:
                raise Refused("审核意见不能超过500个字。", field="note")
            report.status = S.REVIEWED if approve else S.DRAFT
            report.reviewed_by, report.reviewed_at, report.review_note = actor, timezone.now(), note
            report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
            if approve:
                record("stats.report.approve", actor=actor, obj=report, detail={"version": latest_version(report), "note": note})
            else:
                record("stats.report.return", actor=actor, obj=report, detail={"version": latest_version(report), "reason": note})
    except DomainError as exc:
        refused("stats.report.approve" if approve else "stats.report.return", actor=actor, obj=report, reason=exc.message)
        raise
    return report


def _may_issue(actor, report) -> None:
    if not may_use(actor):
        raise PermissionRefused("只有统计管理员或局领导可以印发工作总结。")
    if report.status != S.REVIEWED:
        raise Refused(f"工作总结{report.get_status_display()}，须经局领导审核通过后才能印发。")


def _ready(report) -> None:
    if not report.doc_number.strip():
        raise Refused("印发前须填写文号（如“演司〔2026〕12号”）。", field="doc_number")
    if report.signed_on is None:
        raise Refused("印发前须填写成文日期。", field="signed_on")
    bureau = bureau_of(report.org)
    taken = Report.objects.filter(status=S.ISSUED, doc_number=report.doc_number, org__path__startswith=bureau.path).exclude(pk=report.pk)
    if taken.exists():
        raise Refused(f"文号“{report.doc_number}”已用于本局另一份已印发的工作总结。", field="doc_number")


def _fill(report, doc_number, signed_on) -> list[str]:
    """文号 and 成文日期 are usually assigned when the report is issued, after the
    leader has approved its content: the issuer may give them here (and only
    them). Applied to ``report`` in memory; returns the fields that change."""
    given = {k: v for k, v in (("doc_number", doc_number), ("signed_on", signed_on)) if v not in (None, "")}
    if not given:
        return []
    before, after = text_of(report), _clean(report, given)
    changed = [k for k in given if after[k] != before[k]]
    if "doc_number" in changed:
        report.doc_number = after["doc_number"]
    if "signed_on" in changed:
        report.signed_on = date.fromisoformat(after["signed_on"])
    return changed


RENDER_FAILED = "生成印发文件失败，工作总结未印发；请稍后重试，如仍失败请联系系统管理员。"


def _render(builder, report) -> bytes:
    # A failure here must roll the issue back with a message, not end in a 500.
    try:
        return builder.render(report.data, meta_of(report))
    except Exception:
        log.exception("rendering report %s failed", report.pk)
        raise Refused(RENDER_FAILED) from None


def issue(actor, pk, *, doc_number: str | None = None, signed_on=None) -> Report:
    """Freeze the figures as of now, render the Word file and keep both; from
    here on the report is read-only. The figures are collected outside the
    transaction (it may take long) and the state is checked again under lock.
    ``doc_number``/``signed_on``: given at issue (see ``_fill``), kept as a new version."""
    from .report import builder

    report = access(actor, pk)
    approved_text = text_of(report)
    try:
        _may_issue(actor, report)
        _fill(report, doc_number, signed_on)
        _ready(report)
    except DomainError as exc:
        refused("stats.report.issue", actor=actor, obj=report, reason=exc.message, detail={"field": exc.field or ""})
        raise
    issued_at = timezone.now()
    try:
        data = json.loads(json.dumps(builder.collect(actor, report.org, period_of(report))))
    except Exception:
        log.exception("collecting the figures of report %s failed", report.pk)
        refused("stats.report.issue", actor=actor, obj=report, reason=RENDER_FAILED)
        raise Refused(RENDER_FAILED) from None
    try:
        with transaction.atomic():
            locked = _locked(report.pk)
            if text_of(locked) != approved_text:
                raise Conflict("该工作总结已被他人修改，请刷新后查看。")
            _may_issue(actor, locked)  # someone may have issued it meanwhile
            filled = _fill(locked, doc_number, signed_on)
            _ready(locked)
            if filled:
                locked.save(update_fields=[*filled, "updated_at"])
                ReportVersion.objects.create(report=locked, number=latest_version(locked) + 1, saved_by=actor, fields=text_of(locked))
                record("stats.report.save", actor=actor, obj=locked, detail={"version": latest_version(locked), "fields": filled, "at_issue": True})
            locked.status, locked.issued_by, locked.issued_at, locked.data = S.ISSUED, actor, issued_at, data
            locked.save(update_fields=["status", "issued_by", "issued_at", "data", "updated_at"])
            # Render from what the database gives back (jsonb orders keys its own way),
            # so regenerate() sees exactly the data the file was made from.
            locked.data = Report.objects.values_list("data", flat=True).get(pk=locked.pk)
            content = _render(builder, locked)
            locked.document, locked.sha256 = content, hashlib.sha256(content).hexdigest()
            locked.save(update_fields=["document", "sha256"])
            record(
                "stats.report.issue",
                actor=actor,
                obj=locked,
                detail={"doc_number": locked.doc_number, "signed_on": locked.signed_on.isoformat(), "sha256": locked.sha256, "version": latest_version(locked)},
            )
    except DomainError as exc:
        refused("stats.report.issue", actor=actor, obj=report, reason=exc.message, detail={"field": exc.field or ""})
        raise
    return locked


def regenerate(report) -> bytes:
    """The issued file rendered again from the stored figures and text: equal to
    ``report.document`` byte for byte unless one of them was tampered with."""
    from .report import builder

    if report.status != S.ISSUED or report.data is None:
        raise Refused("工作总结尚未印发，没有可核对的印发文件。")
    return builder.render(report.data, meta_of(report))


def download_issued(actor, pk) -> tuple[Report, bytes]:
    """The stored file of an issued report (audited as an export)."""
    report = access(actor, pk)
    if report.status != S.ISSUED:
        raise Refused("工作总结尚未印发；请先生成Word文档查看。")
    content = report.document_bytes()
    record("stats.report.download", actor=actor, obj=report, detail={"doc_number": report.doc_number, "sha256": report.sha256})
    return report, content
