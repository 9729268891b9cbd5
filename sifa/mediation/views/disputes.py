"""Dispute pages: 我的调解 (the mediator's phone view), registration (full and
quick) and the risk list. The dispute list is the kernel's line list
(``cases.lines``, declared in ``line.py``); a dispute opens on the generic case
page, with the line's part from ``CaseType.detail_template``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from sifa.cases.lines import line_list, register_page
from sifa.cases.selectors import creatable_orgs, require_line
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


def _page(request, form_class, crumb: str, **kw):
    home = ("我的调解", reverse("mediation:home"))
    return register_page(
        request, case_type=CASE_TYPE, form_class=form_class, template="mediation/create.html", crumbs=[home, (crumb, None)], choose_org=True, **kw
    )


@login_required
def create(request):
    """The full registration form: several parties on each side."""
    return _page(
        request,
        DisputeForm,
        "登记纠纷",
        register=lambda user, d, parties, files: register_dispute(user, parties=parties, **d),
        min_parties=2,
        party_initial=[{"role": PartyRole.APPLICANT}, {"role": PartyRole.RESPONDENT}],
    )


QUICK_FIELDS = ("owner_org", "source", "dispute_type", "summary", "confirm_duplicate")


@login_required
def quick(request):
    """Register a dispute in under a minute on a phone: source, type, one party
    on each side (name and phone), a short summary."""
    return _page(
        request,
        QuickDisputeForm,
        "快速登记",
        register=lambda user, d, parties, files: register_dispute(user, parties=parties, **{k: d[k] for k in QUICK_FIELDS}),
        formset=False,
        context={"quick": True},
    )


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
