"""Pages of the line: the two case lists, the two registration forms, and the
figures with their definitions. The case page itself is the core's (this line
plugs in its 基本信息 part, documents and steps)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from sifa.accounts.roles import EXPORT, has_cap
from sifa.cases.forms import parties_from, party_formset
from sifa.common import dictionaries
from sifa.common.errors import DomainError
from sifa.deadlines import selectors as dl
from sifa.orgs.selectors import bureau_of
from sifa.stats import engine
from sifa.stats import registry as stats_registry
from sifa.stats.periods import Period

from . import kpis, selectors, services
from .choices import FY_KEY, YS_KEY, FyStatus, YsStatus
from .codelists import FY_CATEGORY, RESPONDENT_AGENCY
from .forms.registration import ApplicationForm, SuitForm
from .services.registration import FY_PARTY_ROLES, YS_PARTY_ROLES


def _need_line(user, key: str, *, write: bool = False) -> None:
    if not (selectors.may_register if write else selectors.uses_line)(user, key):
        raise PermissionDenied("您的角色不能使用该业务。")


def _lights(cases):
    today = timezone.localdate()
    threshold = dl.soon_threshold(today)
    return [(c, dl.light_for_date(c.next_due, today, threshold)) for c in cases]


@login_required
def fy_list(request):
    _need_line(request.user, FY_KEY)
    qs, flt = selectors.filtered_fy(request.user, request.GET)
    page = Paginator(qs.select_related("fy_application", "handler"), 30).get_page(request.GET.get("page"))
    agencies, categories = dictionaries.labels(RESPONDENT_AGENCY), dictionaries.labels(FY_CATEGORY)
    rows = [
        (c, light, selectors.stage(c), agencies.get(c.fy_application.respondent_agency, ""), categories.get(c.fy_application.category, ""))
        for c, light in _lights(page.object_list)
    ]
    return render(
        request,
        "reconsideration/fy_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "flt": flt,
            "states": FyStatus.choices,
            "agencies": dictionaries.choices(RESPONDENT_AGENCY),
            "categories": dictionaries.choices(FY_CATEGORY),
            "can_create": selectors.may_register(request.user, FY_KEY),
            "can_export": has_cap(request.user, EXPORT),
            "breadcrumbs": [("行政复议案件", None)],
        },
    )


@login_required
def suit_list(request):
    _need_line(request.user, YS_KEY)
    qs, flt = selectors.filtered_ys(request.user, request.GET)
    page = Paginator(qs.select_related("ys_suit", "handler"), 30).get_page(request.GET.get("page"))
    agencies = dictionaries.labels(RESPONDENT_AGENCY)
    rows = [(c, light, agencies.get(c.ys_suit.defendant_agency, "")) for c, light in _lights(page.object_list)]
    return render(
        request,
        "reconsideration/ys_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "flt": flt,
            "states": YsStatus.choices,
            "can_create": selectors.may_register(request.user, YS_KEY),
            "can_export": has_cap(request.user, EXPORT),
            "breadcrumbs": [("行政应诉案件", None)],
        },
    )


def _register(request, *, key, form_class, roles, min_label, service, template, crumb):
    _need_line(request.user, key, write=True)
    data = request.POST if request.method == "POST" else None
    form = form_class(data, request.FILES or None, initial={"received_on": timezone.localdate(), "served_on": timezone.localdate()})
    parties = party_formset(data, roles=roles, extra=2, min_parties=1)
    status = 200
    if request.method == "POST":
        if form.is_valid() and parties.is_valid():
            d = dict(form.cleaned_data)
            files = d.pop("attachments", [])
            try:
                with transaction.atomic():
                    case = service(request.user, parties=parties_from(parties), files=files, org=bureau_of(request.user.org), **d)
            except DomainError as exc:
                if exc.field in form.fields:
                    form.add_domain_error(exc)
                else:
                    form.add_error(None, exc.message)
                status = exc.status_code if exc.status_code in (400, 403, 409) else 400
            else:
                messages.success(request, f"已登记，案件编码 {case.code}。")
                return redirect("cases:detail", pk=case.pk)
        else:
            status = 400
    return render(request, template, {"form": form, "parties": parties, "min_label": min_label, "breadcrumbs": [(crumb, None)]}, status=status)


@login_required
def fy_create(request):
    return _register(
        request,
        key=FY_KEY,
        form_class=ApplicationForm,
        roles=FY_PARTY_ROLES,
        min_label="申请人",
        service=services.register_application,
        template="reconsideration/fy_form.html",
        crumb="登记行政复议申请",
    )


@login_required
def suit_create(request):
    return _register(
        request,
        key=YS_KEY,
        form_class=SuitForm,
        roles=YS_PARTY_ROLES,
        min_label="原告",
        service=services.register_suit,
        template="reconsideration/ys_form.html",
        crumb="登记行政应诉案件",
    )


BREAKDOWNS = (
    ("reconsideration.received", kpis.CATEGORY),
    ("reconsideration.received", kpis.RESPONDENT),
    ("reconsideration.concluded", kpis.OUTCOME),
    ("reconsideration.correction_rate", kpis.RESPONDENT),
    ("litigation.appearance_rate", kpis.HEARING_DEFENDANT),
)


@login_required
def stats(request):
    user = request.user
    if not (selectors.uses_line(user, FY_KEY) or selectors.uses_line(user, YS_KEY)):
        raise PermissionDenied("您的角色不能查看该业务的统计。")
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 1)
    period = Period.year(year)
    org = bureau_of(user.org)
    groups = []
    for line, label in ((FY_KEY, "行政复议"), (YS_KEY, "行政应诉")):
        if selectors.uses_line(user, line):
            groups.append((label, [engine.compute(k, org, period, user) for k in stats_registry.all_kpis(line)]))
    tables = []
    for key, dim in BREAKDOWNS:
        kpi = stats_registry.get(key)
        if selectors.uses_line(user, kpi.line):
            rows = [r for r in engine.breakdown(kpi, org, period, dim, user) if r["numerator"] or r["denominator"]]
            tables.append((kpi, dim, rows))
    return render(
        request,
        "reconsideration/stats.html",
        {
            "groups": groups,
            "tables": tables,
            "year": year,
            "years": list(range(this_year, this_year - 5, -1)),
            "org": org,
            "breadcrumbs": [("复议应诉统计", None)],
        },
    )
