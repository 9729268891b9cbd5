"""Dispute pages: 我的调解 (the mediator's phone view), registration (full and
quick), the dispute list and the risk list. A dispute itself opens on the
generic case page (its tabs and steps); the line adds its part through
``CaseType.detail_template``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sifa.accounts.roles import EXPORT, HANDLE, has_cap
from sifa.cases.forms import parties_from, party_formset
from sifa.common import dictionaries
from sifa.common.errors import DomainError
from sifa.deadlines import selectors as dl

from .. import selectors
from ..choices import DISPUTE_TYPE_SET, PartyRole, RiskStatus, Source
from ..forms.filters import filtered_disputes
from ..forms.registration import DisputeForm, QuickDisputeForm
from ..ledger import LIST_SOURCE
from ..services import DuplicateDispute, register_dispute


def _lights(cases):
    today = timezone.localdate()
    threshold = dl.soon_threshold(today)
    return [(c, dl.light_for_date(c.next_due, today, threshold)) for c in cases]


@login_required
def home(request):
    """我的调解: my open disputes, my next sessions, follow-ups due."""
    user = request.user
    selectors.require_line(user)
    mine = selectors.mine(user).select_related("owner_org", "dispute").order_by("next_due", "-opened_on")[:50]
    return render(
        request,
        "mediation/home.html",
        {
            "mine": _lights(mine),
            "sessions": list(selectors.next_sessions(user)[:20]),
            "followups": selectors.due_followups(user)[:20],
            "can_register": selectors.may_register(user) and selectors.registration_orgs(user).exists(),
            "breadcrumbs": [("我的调解", None)],
        },
    )


def _registration_orgs(user):
    selectors.require_line(user)
    if not has_cap(user, HANDLE):
        raise PermissionDenied("您的角色只能查看，不能登记纠纷。")
    orgs = list(selectors.registration_orgs(user))
    if not orgs:
        raise PermissionDenied("您的范围内没有可登记纠纷的调解组织。")
    return orgs


def _org(orgs, pk):
    return next((o for o in orgs if str(o.pk) == str(pk)), None)


def _register(request, form, parties, fields: dict):
    """Call the service; on refusal put the Chinese message on the form (nothing is saved)."""
    d = form.cleaned_data
    try:
        return register_dispute(
            request.user,
            owner_org=_org(form.orgs, d["owner_org"]),
            source=d["source"],
            dispute_type=d["dispute_type"],
            parties=parties,
            summary=d["summary"],
            confirm_duplicate=d.get("confirm_duplicate", False),
            **fields,
        )
    except DuplicateDispute as exc:
        form.duplicates = exc.matches
        form.add_error(None, exc.message)
    except DomainError as exc:
        if exc.field in form.fields:
            form.add_domain_error(exc)
        else:
            form.add_error(None, exc.message)
    return None


def _done(request, case):
    messages.success(request, f"已登记纠纷 {case.code}。")
    return redirect(reverse("cases:detail", args=[case.pk]))


@login_required
def create(request):
    """The full registration form: several parties on each side."""
    orgs = _registration_orgs(request.user)
    form = DisputeForm(request.POST or None, orgs=orgs)
    formset = party_formset(
        request.POST or None, roles=dict(PartyRole.choices), extra=1, min_parties=2, initial=[{"role": PartyRole.APPLICANT}, {"role": PartyRole.RESPONDENT}]
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            d = form.cleaned_data
            case = _register(
                request,
                form,
                parties_from(formset),
                {
                    "title": d["title"],
                    "place": d["place"],
                    "amount_in_dispute": d["amount_in_dispute"],
                    "referred_by": d["referred_by"],
                    "opened_on": d["opened_on"],
                },
            )
            if case is not None:
                return _done(request, case)
        status = 400
    return render(
        request,
        "mediation/create.html",
        {"form": form, "parties": formset, "quick": False, "breadcrumbs": [("我的调解", reverse("mediation:home")), ("登记纠纷", None)]},
        status=status,
    )


@login_required
def quick(request):
    """Register a dispute in under a minute on a phone: source, type, one party
    on each side (name and phone), a short summary."""
    orgs = _registration_orgs(request.user)
    form = QuickDisputeForm(request.POST or None, orgs=orgs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            case = _register(request, form, form.parties(), {})
            if case is not None:
                return _done(request, case)
        status = 400
    return render(
        request,
        "mediation/create.html",
        {"form": form, "quick": True, "breadcrumbs": [("我的调解", reverse("mediation:home")), ("快速登记", None)]},
        status=status,
    )


@login_required
def dispute_list(request):
    user = request.user
    selectors.require_line(user)
    form, qs = filtered_disputes(user, request.GET)
    page = Paginator(qs.select_related("owner_org", "handler", "dispute").order_by("-opened_on", "-id"), 30).get_page(request.GET.get("page"))
    types = dictionaries.labels(DISPUTE_TYPE_SET)
    params = request.GET.copy()
    params.pop("page", None)
    params["source"] = LIST_SOURCE.key
    return render(
        request,
        "mediation/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": _lights(page.object_list),
            "types": types,
            "sources": dict(Source.choices),
            "can_register": selectors.may_register(user),
            "export_url": reverse("ledgers:export") + "?" + params.urlencode() if has_cap(user, EXPORT) else "",
            "breadcrumbs": [("纠纷列表", None)],
        },
    )


@login_required
def risks(request):
    """防止民转刑: open disputes with a risk flag, bureau-wide within the user's scope."""
    user = request.user
    selectors.require_line(user)
    include_resolved = request.GET.get("all") == "1"
    rows = list(selectors.risk_list(user, include_resolved=include_resolved)[:500])
    return render(
        request,
        "mediation/risks.html",
        {"rows": rows, "include_resolved": include_resolved, "open_statuses": (RiskStatus.ACTIVE, RiskStatus.REPORTED), "breadcrumbs": [("防止民转刑", None)]},
    )
