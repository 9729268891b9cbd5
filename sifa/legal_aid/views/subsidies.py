"""Pages of 办案补贴 (法律援助法 §52), mounted under /legal_aid/subsidies/: the subsidies
of the cases the user may see (a lawyer: their own), 计算补贴 for a closed case
without one, 调整 before approval, 审批 of the selected ones (局领导), 组成发放批次
from approved ones and 登记发放 (the centre's staff, the bureau's legal-aid section),
and a batch's sheet for finance. Another office's subsidy or batch answers 404."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sifa.accounts.roles import APPROVE, EXPORT, HANDLE, has_cap
from sifa.cases import selectors as case_selectors
from sifa.common.errors import DomainError, PermissionRefused
from sifa.common.forms import StyledForm

from ..choices import CASE_TYPE, Status
from ..models import Subsidy, SubsidyStatus
from ..services import subsidies as services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _crumbs(*more):
    return [("法律援助", reverse("legal_aid:list")), ("办案补贴", reverse("legal_aid:subsidies")), *more]


def _scoped(user):
    """The subsidies of the cases ``user`` may see (404 for users outside the line)."""
    case_selectors.require_line(user, CASE_TYPE)
    return Subsidy.objects.filter(case__in=case_selectors.line_cases(user, CASE_TYPE))


def _selected(request, qs):
    ids = [int(i) for i in request.POST.getlist("ids") if str(i).isdigit()]
    return list(qs.filter(pk__in=ids).select_related("case__owner_org")) if ids else []


def _run(request, action, done: str):
    """Run a service: its refusal as a message (403 when it is about the user's rights)."""
    try:
        result = action()
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, done.format(result=result))
    return result


@login_required
def subsidies(request):
    user = request.user
    qs = _scoped(user).select_related("case", "provider", "batch", "approved_by")
    status = request.GET.get("status", "")
    if status in SubsidyStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("status", "-computed_at", "-pk"), 50).get_page(request.GET.get("page"))
    manages = services.managed_centers(user).exists()
    pending = []
    if manages:
        closed = case_selectors.line_cases(user, CASE_TYPE).filter(status=Status.CLOSED, aid_subsidy__isnull=True)
        pending = list(closed.select_related("legalaid__provider").order_by("-closed_on", "-pk")[:20])
    context = {
        "page_obj": page,
        "status": status,
        "statuses": SubsidyStatus.choices,
        "pending": pending,
        "batches": list(services.batches_for(user).select_related("center")[:20]),
        "can_approve": has_cap(user, APPROVE),
        "can_handle": has_cap(user, HANDLE) and manages,
        "breadcrumbs": _crumbs()[:1] + [("办案补贴", None)],
    }
    return render(request, "legal_aid/subsidies.html", context)


@login_required
@require_POST
def compute(request, case_pk):
    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    case = case_selectors.access_line_case(user, case_pk, CASE_TYPE)
    if not has_cap(user, HANDLE):
        raise PermissionDenied("您不能计算办案补贴。")
    _run(request, lambda: services.compute(case, user), "已计算案件{result.case.code}的办案补贴：{result.total}元。")
    return redirect("legal_aid:subsidies")


@login_required
@require_POST
def approve(request):
    user = request.user
    qs = _scoped(user)
    if not has_cap(user, APPROVE):
        raise PermissionDenied("只有局领导可以审批办案补贴。")
    chosen = _selected(request, qs)
    _run(request, lambda: len(services.approve(user, chosen)), "已审批{result}笔办案补贴。")
    return redirect(reverse("legal_aid:subsidies") + "?status=computed")


@login_required
@require_POST
def batch_create(request):
    user = request.user
    qs = _scoped(user)
    if not services.managed_centers(user).exists():
        raise PermissionDenied("您不能组成办案补贴发放批次。")
    chosen = _selected(request, qs)
    centers = {s.case.owner_org_id: s.case.owner_org for s in chosen}
    batch = None
    if not chosen:
        messages.error(request, "请选择已审批的办案补贴。")
    elif len(centers) > 1:
        messages.error(request, "所选办案补贴属于不同的法律援助机构，请分别组成发放批次。")
    else:
        center = next(iter(centers.values()))
        batch = _run(request, lambda: services.make_batch(user, center, chosen), "已组成发放批次{result.number}：{result.count}笔，合计{result.total}元。")
    return redirect("legal_aid:subsidy_batch", batch.pk) if batch else redirect(reverse("legal_aid:subsidies") + "?status=approved")


class AdjustForm(StyledForm):
    reason = forms.CharField(label="调整事由", max_length=100, help_text="如：异地办案差旅、多名受援人、阶段未完成")
    amount = forms.DecimalField(label="调整金额（元）", max_digits=12, decimal_places=2, help_text="上浮填正数，下调填负数")


@login_required
def adjust(request, pk):
    user = request.user
    s = get_object_or_404(_scoped(user).select_related("case"), pk=pk)
    if not (has_cap(user, HANDLE) and case_selectors.may_write(user, s.case)):
        raise PermissionDenied("您不能调整该办案补贴。")
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s = services.adjust(user, s, **form.cleaned_data)
        except PermissionRefused as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已调整，补贴金额为{s.total}元。")
            return redirect("legal_aid:subsidies")
    context = {
        "title": f"调整办案补贴：{s.case.code}（{s.basis}，现为{s.total}元）",
        "form": form,
        "cancel_url": reverse("legal_aid:subsidies"),
        "breadcrumbs": _crumbs(("调整", None)),
    }
    return render(request, "includes/form_page.html", context, status=400 if request.method == "POST" else 200)


def _batch(user, pk):
    case_selectors.require_line(user, CASE_TYPE)
    return get_object_or_404(services.batches_for(user).select_related("center", "created_by", "paid_by"), pk=pk)


@login_required
def batch(request, pk):
    user = request.user
    b = _batch(user, pk)
    context = {
        "batch": b,
        "rows": services.rows_of(user, b),
        "can_pay": b.paid_on is None and services.managed_centers(user).filter(pk=b.center_id).exists(),
        "can_export": has_cap(user, EXPORT),
        "breadcrumbs": _crumbs((f"发放批次 {b.number}", None)),
    }
    return render(request, "legal_aid/subsidy_batch.html", context)


@login_required
@require_POST
def batch_paid(request, pk):
    user = request.user
    b = _batch(user, pk)
    try:
        paid_on = date.fromisoformat(request.POST.get("paid_on", ""))
    except ValueError:
        paid_on = None
    _run(request, lambda: services.mark_paid(user, b, paid_on), "批次{result.number}已登记发放（{result.paid_on:%Y-%m-%d}）。")
    return redirect("legal_aid:subsidy_batch", b.pk)


@login_required
def batch_export(request, pk):
    user = request.user
    b = _batch(user, pk)
    if not has_cap(user, EXPORT):
        raise PermissionDenied("您没有导出权限。")
    response = HttpResponse(services.export_batch(user, b), content_type=XLSX)
    name = f"办案补贴发放明细_{b.number}.xlsx"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename=\"subsidies-{b.number}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response
