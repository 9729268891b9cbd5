"""Pages of the work around cases: the intake list (待分配 → 认领), transfer
(移送), sharing (共享), hand-over to another line (移交). Each write is a
``FormAction`` (page and API from one declaration, ``api.py``) or a plain POST;
the services are ``cases.movement``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sifa.common.actions import FormAction
from sifa.common.errors import DomainError, PermissionRefused
from sifa.deadlines.selectors import with_lights
from sifa.kit import registry

from . import movement, selectors
from .forms import HandOverForm, ShareForm, TransferForm
from .serializers import CaseDetailSerializer


@login_required
def intake(request):
    """待分配案件: open cases nobody handles yet that the user may take."""
    user = request.user
    if not selectors.may_take(user):
        raise Http404()
    qs = selectors.intake(user).select_related("owner_org").order_by("opened_on", "id")
    kind = request.GET.get("type") or ""
    if kind:
        qs = qs.filter(case_type=kind)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    types = [(ct.key, ct.label) for ct in registry.case_types() if selectors.uses(user, ct.key)]
    context = {"rows": with_lights(page.object_list), "page_obj": page, "types": types, "type": kind, "breadcrumbs": [("待分配案件", None)]}
    return render(request, "cases/intake.html", context)


@login_required
@require_POST
def take(request, pk):
    try:
        case = movement.take(request.user, pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("cases:intake")
    messages.success(request, f"已认领 {case.code}，由您承办。")
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def end_share(request, pk):
    try:
        s = movement.end_share(request.user, pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("cases:home")
    messages.success(request, f"已结束与{s.org.name}的共享。")
    return redirect(reverse("cases:detail", args=[s.case_id]))


class _OnCase(FormAction):
    """Written from the case page: the case in the user's reach (else 404), the right to change it (else 403)."""

    def load(self):
        self.case = selectors.access_case(self.user, self.kwargs["pk"])

    def check(self):
        if not selectors.may_write(self.user, self.case):
            raise PermissionRefused("您不能处理本案。")

    def done(self, result):
        return redirect("cases:detail", pk=self.case.pk)

    def crumbs(self):
        return [(self.case.code, reverse("cases:detail", args=[self.case.pk])), (self.title, None)]

    def result(self, result):
        self.case.refresh_from_db()
        return CaseDetailSerializer(self.case, context={"request": self.request}).data


class Transfer(_OnCase):
    form_class, title = TransferForm, "移送案件"

    def form_kwargs(self):
        return {"orgs": list(movement.transfer_targets(self.user, self.case)), "initial": {"keep_sight": True}}

    def save(self, form):
        d = form.cleaned_data
        return movement.transfer(self.user, self.case, d["org"], reason=d["reason"], keep_sight=d["keep_sight"])

    def message(self, case):
        return f"已移送至{case.owner_org.name}。"

    def done(self, case):
        return redirect("cases:detail", pk=case.pk) if selectors.visible_to(self.user).filter(pk=case.pk).exists() else redirect("cases:home")


class Share(_OnCase):
    form_class, title, api_status = ShareForm, "共享案件", 201

    def form_kwargs(self):
        return {"orgs": list(movement.transfer_targets(self.user, self.case).exclude(path__startswith=self.case.org_path))}

    def save(self, form):
        d = form.cleaned_data
        return movement.share(self.user, self.case, d["org"], reason=d["reason"], can_write=d["can_write"])

    def message(self, s):
        return f"已共享给{s.org.name}。"


class HandOver(_OnCase):
    form_class, api_status = HandOverForm, 201

    def load(self):
        super().load()
        self.spec = next((h for h in registry.handovers_from(self.case.case_type) if h.key == self.kwargs["key"]), None)
        if self.spec is None:
            raise Http404()
        self.title = self.spec.label
        self.form_class = self.spec.form or HandOverForm

    def check(self):
        if not movement.handover_orgs(self.user, self.spec).exists():
            raise PermissionRefused(f"您不能登记{registry.case_type(self.spec.target).label}案件。")

    def form_kwargs(self):
        return {"orgs": list(movement.handover_orgs(self.user, self.spec).order_by("path"))}

    def save(self, form):
        d = dict(form.cleaned_data)
        return movement.hand_over(self.user, self.case, self.spec.key, owner_org=d.pop("owner_org"), **d)

    def message(self, target):
        return f"已{self.spec.label}，新案件编码 {target.code}。"

    def done(self, target):
        return redirect("cases:detail", pk=target.pk)

    def result(self, target):
        return CaseDetailSerializer(target, context={"request": self.request}).data


transfer, share, hand_over = Transfer.page(), Share.page(), HandOver.page()
