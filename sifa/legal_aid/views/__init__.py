"""Pages of 法律援助: the case list (the kernel's, declared in ``line.py``), the
registration form (the kernel's page with this line's form: any office may
receive an application for the competent centre, 通办) and the providers'
registry (法律援助人员库). The case page, its steps, documents, procedures and
attachments are the kernel's."""

from functools import reduce
from operator import or_

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sifa.accounts.roles import HANDLE, has_cap
from sifa.cases import selectors as case_selectors
from sifa.cases.lines import line_list, register_page
from sifa.common.errors import DomainError
from sifa.orgs.selectors import bureau_of

from .. import selectors, services
from ..choices import CASE_TYPE, ProviderKind
from ..forms import LegalAidForm, ProviderForm
from ..models import Provider

case_list = line_list(CASE_TYPE)


@login_required
def create(request):
    back = reverse("legal_aid:list")
    return register_page(
        request,
        case_type=CASE_TYPE,
        form_class=LegalAidForm,
        register=lambda user, d, parties, files: services.register(user, parties=parties, **d),
        crumbs=[("法律援助", back), ("登记申请/通知", None)],
        choose_org=True,
        initial={"opened_on": timezone.localdate()},
        context={"cancel_url": back},
    )


@login_required
def providers(request):
    """The providers of the user's bureau (a lawyer sees only themselves)."""
    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    if user.org_id is None:
        raise PermissionDenied()
    qs = Provider.objects.filter(org_path__startswith=bureau_of(user.org).path).order_by("-is_active", "name", "id")
    if not has_cap(user, HANDLE):
        qs = qs.filter(user=user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(p, p.practice_years(today), ProviderKind(p.kind).label) for p in page]
    can_add = has_cap(user, HANDLE) and case_selectors.creatable_orgs(user, CASE_TYPE).exists()
    return render(
        request,
        "legal_aid/providers.html",
        {"page_obj": page, "rows": rows, "can_add": can_add, "breadcrumbs": [("法律援助", reverse("legal_aid:list")), ("法律援助人员库", None)]},
    )


@login_required
def provider_create(request):
    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    centers = list(case_selectors.creatable_orgs(user, CASE_TYPE).order_by("path"))
    if not has_cap(user, HANDLE) or not centers:
        raise PermissionDenied("您不能管理法律援助人员库。")
    form = ProviderForm(request.POST or None, logins=_logins(centers))
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            p = services.add_provider(user, centers[0], **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status_code
        else:
            messages.success(request, f"已添加 {p.name}。")
            return redirect("legal_aid:providers")
    context = {"title": "添加法律援助人员", "form": form, "cancel_url": reverse("legal_aid:providers")}
    return render(request, "includes/form_page.html", context, status=status if request.method == "POST" else 200)


def _logins(centers):
    """The 援助律师 accounts of these centres' bureaus that a provider may be linked to."""
    from sifa.accounts.models import User

    within = reduce(or_, (Q(org__path__startswith=bureau_of(c).path) for c in centers), Q(pk__in=[]))
    return list(User.objects.filter(within, role="lawyer", is_active=True).select_related("org").order_by("username"))


@login_required
def provider_edit(request, pk):
    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    centers = list(case_selectors.creatable_orgs(user, CASE_TYPE).order_by("path"))
    provider = Provider.objects.filter(pk=pk, center__in=centers).first()
    if provider is None:
        raise Http404()
    if not has_cap(user, HANDLE):
        raise PermissionDenied("您不能管理法律援助人员库。")
    fields = ("name", "kind", "firm", "license_no", "practice_since", "specialities", "is_active")
    initial = {f: getattr(provider, f) for f in fields} | {"user": str(provider.user_id or "")}
    form = ProviderForm(request.POST or None, logins=_logins(centers), initial=initial)
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            services.update_provider(user, provider, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status_code
        else:
            messages.success(request, f"已保存 {provider.name}。")
            return redirect("legal_aid:providers")
    context = {"title": f"修改法律援助人员：{provider.name}", "form": form, "cancel_url": reverse("legal_aid:providers")}
    return render(request, "includes/form_page.html", context, status=status if request.method == "POST" else 200)


@login_required
def quality_sample(request):
    """质量评估抽查: the closed cases of a year the user may see, a fixed share of them
    sampled (``conf.QUALITY_SAMPLE`` percent, by case id, so the sample does not change
    when the page is opened again), each with its assessment if made."""
    from datetime import date

    from sifa.cases.models import Procedure

    from .. import conf
    from ..choices import Status

    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    if not case_selectors.may_register(user, CASE_TYPE):
        raise PermissionDenied("您的角色不能组织质量评估。")
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= today.year else today.year
    rate = int(conf.get("QUALITY_SAMPLE"))
    closed = selectors.cases(user).filter(status=Status.CLOSED, closed_on__gte=date(year, 1, 1), closed_on__lte=date(year, 12, 31))
    sampled = case_selectors.fixed_share(closed, rate).select_related("legalaid__provider", "owner_org").order_by("-closed_on", "-id")
    page = Paginator(sampled, 50).get_page(request.GET.get("page"))
    done = dict(Procedure.objects.filter(case__in=[c.pk for c in page], key="quality", closed_on__isnull=False).values_list("case_id", "data__total"))
    rows = [(c, done.get(c.pk)) for c in page]
    context = {
        "page_obj": page,
        "rows": rows,
        "year": year,
        "rate": rate,
        "closed": closed.count(),
        "breadcrumbs": [("法律援助", reverse("legal_aid:list")), ("质量评估抽查", None)],
    }
    return render(request, "legal_aid/quality.html", context)
