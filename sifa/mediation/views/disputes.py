"""Dispute pages: 我的调解 (the mediator's phone view), registration (full and
quick) and the risk list. The dispute list is the kernel's line list
(``cases.lines``, declared in ``line.py``); a dispute opens on the generic case
page, with the line's part from ``CaseType.detail_template``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from sifa.cases.forms import parties_from, party_formset
from sifa.cases.lines import line_list
from sifa.cases.selectors import creatable_orgs, may_register, require_line
from sifa.cases.services import PossibleDuplicate
from sifa.common.errors import DomainError
from sifa.deadlines.selectors import with_lights

from .. import selectors
from ..choices import CASE_TYPE, PartyRole, RiskStatus
from ..forms.registration import DisputeForm, QuickDisputeForm
from ..services import register_dispute

dispute_list = line_list("mediation.list")


@login_required
def home(request):
    """我的调解: my open disputes, my next sessions, follow-ups due."""
    user = request.user
    require_line(user, CASE_TYPE)
    mine = selectors.mine(user).select_related("owner_org", "dispute").order_by("next_due", "-opened_on")[:50]
    return render(
        request,
        "mediation/home.html",
        {
            "mine": with_lights(mine),
            "sessions": list(selectors.next_sessions(user)[:20]),
            "followups": selectors.due_followups(user)[:20],
            "can_register": creatable_orgs(user, CASE_TYPE).exists(),
            "breadcrumbs": [("我的调解", None)],
        },
    )


def _registration_orgs(user):
    require_line(user, CASE_TYPE)
    if not may_register(user, CASE_TYPE):
        raise PermissionDenied("您的角色只能查看，不能登记纠纷。")
    orgs = list(creatable_orgs(user, CASE_TYPE).order_by("path"))
    if not orgs:
        raise PermissionDenied("您的范围内没有可登记纠纷的调解组织。")
    return orgs


def _register(request, form, parties, fields: dict):
    """Call the service; on refusal put the Chinese message on the form (nothing is saved)."""
    d = form.cleaned_data
    try:
        return register_dispute(
            request.user,
            owner_org=next((o for o in form.orgs if str(o.pk) == str(d["owner_org"])), None),
            source=d["source"],
            dispute_type=d["dispute_type"],
            parties=parties,
            summary=d["summary"],
            confirm_duplicate=d.get("confirm_duplicate", False),
            **fields,
        )
    except PossibleDuplicate as exc:
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
            fields = {k: d[k] for k in ("title", "place", "amount_in_dispute", "referred_by", "opened_on")}
            case = _register(request, form, parties_from(formset), fields)
            if case is not None:
                return _done(request, case)
        status = 400
    crumbs = [("我的调解", reverse("mediation:home")), ("登记纠纷", None)]
    return render(request, "mediation/create.html", {"form": form, "parties": formset, "quick": False, "breadcrumbs": crumbs}, status=status)


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
    crumbs = [("我的调解", reverse("mediation:home")), ("快速登记", None)]
    return render(request, "mediation/create.html", {"form": form, "quick": True, "breadcrumbs": crumbs}, status=status)


@login_required
def risks(request):
    """防止民转刑: open disputes with a risk flag, bureau-wide within the user's scope."""
    user = request.user
    require_line(user, CASE_TYPE)
    include_resolved = request.GET.get("all") == "1"
    rows = list(selectors.risk_list(user, include_resolved=include_resolved)[:500])
    return render(
        request,
        "mediation/risks.html",
        {"rows": rows, "include_resolved": include_resolved, "open_statuses": (RiskStatus.ACTIVE, RiskStatus.REPORTED), "breadcrumbs": [("防止民转刑", None)]},
    )
