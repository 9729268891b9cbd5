"""Exports of a restricted line (``CaseType.restricted``: 社区矫正) need a second
person's approval: the export is requested (待审批, nothing is written), another
user of the same bureau who may export that line approves or refuses it, and
only then does the job run. Every request, approval and refusal is audited.
Offices' roles of such a line have no export capability at all. Every other
export (the all-cases list, another line's list) leaves restricted cases out,
and a restricted line's sealed cases (minors, §54) are never exported."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sifa.audit.services import record
from sifa.common.errors import PermissionRefused, Refused
from sifa.kit import registry

from .models import ExportJob, JobStatus


def restricted_type(source_key: str) -> str | None:
    """The restricted case type whose list this export source is, or None."""
    spec = registry.list_spec(source_key)
    if spec is None:
        return None
    ct = registry.find_type(spec.case_type)
    return ct.key if ct is not None and ct.restricted else None


def unapproved_q() -> Q:
    """What an export leaves out unless it is an approved export of that line's own list:
    restricted cases."""
    return Q(case_type__in=registry.restricted_types())


def sealed_q() -> Q:
    return Q(case_type__in=registry.restricted_types(), is_sealed=True)


def request(user, params: dict, label: str) -> ExportJob:
    job = ExportJob.objects.create(user=user, kind="ledgers.cases", params=params | {"approval": "pending"}, label=label[:200], status=JobStatus.AWAITING)
    record("ledger.export_request", actor=user, obj=job, detail={"source": params.get("source"), "query": params.get("query", "")})
    return job


def _bureau(user):
    from sifa.orgs.selectors import bureau_of

    return bureau_of(user.org) if user.org_id else None


def may_approve(user, job: ExportJob) -> bool:
    from sifa.cases.selectors import uses

    from .permissions import can_export

    key = restricted_type(job.params.get("source", ""))
    if key is None or job.user_id == user.pk or not can_export(user) or not uses(user, key):
        return False
    mine, theirs = _bureau(user), _bureau(job.user)
    return mine is not None and theirs is not None and mine.pk == theirs.pk


def pending_for(user):
    """The export requests this user may decide: of a restricted line the user uses, asked
    by someone else of the user's bureau. One query; the requesters' bureaus are looked up
    once per requesting organisation (requests come from a bureau's few exporters)."""
    from sifa.cases.selectors import uses
    from sifa.orgs.selectors import bureau_of

    from .permissions import can_export

    if not can_export(user) or not user.org_id:
        return []
    sources = [spec.key for key in registry.restricted_types() if uses(user, key) for spec in registry.list_specs(key)]
    if not sources:
        return []
    mine = bureau_of(user.org)
    qs = (
        ExportJob.objects.filter(status=JobStatus.AWAITING, params__source__in=sources, user__org__path__startswith=mine.path)
        .exclude(user=user)
        .select_related("user", "user__org")
        .order_by("created_at")
    )
    bureaus: dict[int, int] = {}
    out = []
    for job in qs[:200]:
        if job.user.org_id not in bureaus:
            bureaus[job.user.org_id] = bureau_of(job.user.org).pk
        if bureaus[job.user.org_id] == mine.pk:
            out.append(job)
    return out


def decide(user, pk, *, approve: bool, reason: str = "") -> ExportJob:
    from . import jobs

    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=pk, status=JobStatus.AWAITING).first()
        if job is None or not may_approve(user, job):
            raise PermissionRefused("没有这项待审批的导出申请，或您不能审批它。")
        if not approve and not (reason or "").strip():
            raise Refused("请填写不予批准的理由。", field="reason")
        approver = f"{user.display_name}（{user.org.name}）"
        if approve:
            job.params = job.params | {"approval": "approved", "approved_by": approver}
            job.status = JobStatus.PENDING
            job.save(update_fields=["params", "status"])
            record("ledger.export_approve", actor=user, obj=job, detail={"requester": job.user.username, "source": job.params.get("source")})
        else:
            job.params = job.params | {"approval": "refused", "approved_by": approver}
            job.status, job.message, job.finished_at = JobStatus.FAILED, f"导出申请未获批准：{reason.strip()[:200]}", timezone.now()
            job.save(update_fields=["params", "status", "message", "finished_at"])
            record("ledger.export_refuse", actor=user, obj=job, detail={"requester": job.user.username, "reason": reason.strip()[:200]})
    if approve:
        jobs.enqueue_export(job)
        job.refresh_from_db()
    return job
