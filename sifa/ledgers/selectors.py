"""Reads of jobs: a job is visible to the user who started it, nobody else."""

from __future__ import annotations

from django.http import Http404

from sifa.audit.services import refused

from .models import ExportJob, ImportJob


def import_jobs(user):
    return ImportJob.objects.filter(user=user).order_by("-created_at", "-id")


def export_jobs(user):
    return ExportJob.objects.filter(user=user).order_by("-created_at", "-id")


def _own(model, user, pk):
    job = model.objects.filter(pk=pk, user=user).first() if getattr(user, "is_authenticated", False) else None
    if job is None:
        if model.objects.filter(pk=pk).exists():
            refused("ledger.job.access", actor=user, object_type=model._meta.label_lower, object_id=str(pk), reason="不是本人的任务")
        raise Http404("未找到该任务。")
    return job


def import_job(user, pk) -> ImportJob:
    return _own(ImportJob, user, pk)


def export_job(user, pk) -> ExportJob:
    return _own(ExportJob, user, pk)
