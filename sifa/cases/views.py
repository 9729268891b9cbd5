"""Case pages: home, list, search, the case page with its tabs, QR."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sifa.accounts.roles import EXPORT, HANDLE, REVEAL, SEE_CASES, has_cap
from sifa.audit.services import record
from sifa.common import sorting
from sifa.common.forms import applied_filters
from sifa.common.paging import CappedPaginator
from sifa.common.sorting import ASC, Sort, Sorts, date_sort
from sifa.kit import registry
from sifa.orgs.models import Org

from . import selectors
from .forms import CaseFilterForm
from .parties import masked
from .settle import prime_stages

# The case list's columns a click sorts by, each read in order from an index of
# Case (Case.Meta.indexes); the values older links used still work (aliases).
SORTS = Sorts(
    {
        "code": Sort("编码", ("code",)),
        "next_due": date_sort("最近期限", "next_due", first=ASC),
        "opened_on": date_sort("收案日期", "opened_on"),
        "updated_at": date_sort("最后变更", "updated_at"),
    },
    default="-opened_on",
    aliases={"opened": "-opened_on", "-opened": "opened_on", "due": "next_due", "updated": "-updated_at"},
)


def _need_cases(user):
    if not has_cap(user, SEE_CASES):
        raise Http404()


@login_required
def home(request):
    user = request.user
    from .landing import landing_url

    if target := landing_url(request):
        return redirect(target)
    if not has_cap(user, SEE_CASES):
        return render(request, "cases/home_admin.html", {})
    from sifa.deadlines import selectors as dl

    mine = list(selectors.mine(user).filter(closed_on__isnull=True).select_related("owner_org", "handler").order_by("next_due", "-opened_on")[:20])
    prime_stages(mine)  # each row's status badge, in one query
    today = timezone.localdate()
    threshold = dl.soon_threshold(today)
    deadlines = [(d, dl.light(d, today, threshold)) for d in dl.mine(user, today)[:20]]
    # Parties' duties that lapsed (待处理) and the cases nobody handles yet (待分配).
    todos = list(dl.todos(user, today)[:20])
    intake = selectors.intake(user).count() if selectors.may_take(user) else None
    # creatable_orgs checks HANDLE and each line's own may_create: no button leads to a refusal.
    creatable = [ct for ct in registry.case_types() if ct.create_url_name and selectors.creatable_orgs(user, ct.key).exists()]
    return render(
        request,
        "cases/home.html",
        {
            "mine": [(c, dl.light_for_date(c.next_due, today, threshold)) for c in mine],
            "deadlines": deadlines,
            "creatable": creatable,
            "todos": todos,
            "intake": intake,
            "alerts": registry.alerts_for(user),
        },
    )


def filtered_cases(request, user):
    """The case list's filtering, shared with exports so both agree."""
    form = CaseFilterForm(request.GET or None)
    types = registry.case_types()
    form.fields["case_type"].choices = [("", "全部业务")] + [(ct.key, ct.label) for ct in types]
    root = selectors.scope_root(user)
    orgs = Org.objects.filter(path__startswith=root.path, is_active=True).order_by("path") if root else Org.objects.none()
    form.fields["org"].choices = [("", "全部机构")] + [(str(o.pk), ("　" * max(o.depth - root.depth, 0)) + o.name) for o in orgs]
    selected_type = registry.find_type(request.GET.get("case_type", ""))
    status_choices = []
    for ct in [selected_type] if selected_type else types:
        status_choices += [(k, v if selected_type else f"{ct.label}·{v}") for k, v in ct.workflow.states.items()]
    form.fields["status"].widget.choices = [("", "全部状态")] + status_choices
    qs = selectors.visible_to(user)
    if form.is_bound:
        d = applied_filters(form)  # a bad field is named on the page and left out
        if d["q"]:
            qs = selectors.search(user, d["q"])  # scoped by search itself (once, not twice)
        if d["case_type"]:
            qs = qs.filter(case_type=d["case_type"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["org"]:
            org = orgs.filter(pk=d["org"]).first()
            if org:
                qs = qs.filter(org_path__startswith=org.path)
        if d["date_from"]:
            qs = qs.filter(opened_on__gte=d["date_from"])
        if d["date_to"]:
            qs = qs.filter(opened_on__lte=d["date_to"])
        if d["due"]:
            from sifa.deadlines.selectors import soon_threshold

            today = timezone.localdate()
            if d["due"] == "overdue":
                qs = qs.filter(next_due__lt=today)
            elif d["due"] == "due_soon":
                qs = qs.filter(next_due__gte=today, next_due__lte=soon_threshold(today))
            else:
                qs = qs.filter(closed_on__isnull=True)
    # The page's state, on the form as a line's list has it (``lines.filtered``).
    form.sorting = sorting.state(request.GET, SORTS)
    return form, form.sorting.apply(qs)


@login_required
def case_list(request):
    user = request.user
    _need_cases(user)
    form, qs = filtered_cases(request, user)
    page = CappedPaginator(qs.select_related("owner_org", "handler"), 30).get_page(request.GET.get("page"))
    from sifa.deadlines import selectors as dl

    today = timezone.localdate()
    threshold = dl.soon_threshold(today)
    rows = [(c, dl.light_for_date(c.next_due, today, threshold)) for c in page.object_list]
    prime_stages([c for c, _ in rows], today)  # each row's status badge, in one query
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "sorting": form.sorting,
            "can_export": has_cap(user, EXPORT),
            "export_url": _export_url(),
            "breadcrumbs": [("案件查询", None)],
        },
    )


def _export_url() -> str:
    """The ledger export page, when the ledgers app is installed (the core names no app it does not need)."""
    from django.urls import NoReverseMatch

    try:
        return reverse("ledgers:export")
    except NoReverseMatch:
        return ""


def case_context(request, case) -> dict:
    """Everything the case page shows; lines with their own page reuse it."""
    from sifa.attachments.selectors import for_case_page as attachments_for
    from sifa.deadlines.selectors import for_case as deadlines_for

    from .archive import is_archived, may_reopen
    from .movement import links_of
    from .services import allowed_steps

    user = request.user
    selectors.for_page(case)  # its parts share the rows they read (the clocks, a line's rows)
    ct = registry.case_type(case.case_type)
    rec = case.record
    parties = list(case.parties.all())
    events = list(selectors.timeline(case))
    selectors.prime(case, "events", events)  # in the relation's order: a line's documents ask about them
    attachments = attachments_for(case, events)  # one query: the 附件 tab and each event's own
    actions = allowed_steps(user, case)
    writes = selectors.may_write(user, case)  # a query (works_on): asked once for the three uses below
    can_write = writes or bool(actions)
    docs = [d for d in ct.documents if d.available(case)]
    deadlines = deadlines_for(case)
    open_ones = [(d, lt) for d, lt in deadlines if d.is_open and not d.paused_since and d.kind == "organ"]
    return {
        "case": case,
        "ct": ct,
        "rec": rec,
        "detail": ct.detail(case, rec) if ct.detail and rec is not None else None,
        "parties": [(p, masked(p)) for p in parties],
        "party_roles": ct.party_roles,
        "events": events,
        "status_labels": ct.workflow.states,
        "deadlines": deadlines,
        "next_deadline": min(open_ones, key=lambda x: x[0].due_date) if open_ones else None,
        "attachments": attachments,
        "documents": docs,
        "actions": actions,
        **_step_guide(ct, case, events, actions),
        "can_edit": writes and not case.is_deleted,
        "can_write": can_write,
        "can_reveal": has_cap(user, REVEAL),
        "can_take": case.handler_id is None and not case.closed_on and selectors.may_take(user) and writes,
        "archived": is_archived(case),
        "can_reopen": may_reopen(user, case),
        # Most cases have no links or shares: known with the case (page_has), not read empty.
        "links": links_of(user, case) if selectors.page_has(case, "links") else [],
        "shares": list(case.shares.filter(active=True).select_related("org")) if selectors.page_has(case, "shares") else [],
        "handovers": _handovers(user, case),
        **procedure_context(user, case, deadlines),
        "tab": request.GET.get("tab", "info"),
        "breadcrumbs": [("案件查询", reverse("cases:list")), (case.code, None)],
    }


def _handovers(user, case) -> list:
    """The hand-overs the user may start from this case (the header's 移交 menu): those with
    an org to hand to (``movement.handover_orgs``). Whether the user may register the
    receiving line's cases anywhere is asked for all of them in one query (12345 has three);
    only where they may not is handover_orgs asked (a front desk's hand-over)."""
    from django.db.models import Exists

    from .models import Case
    from .movement import handover_orgs

    hs = [h for h in registry.handovers_from(case.case_type) if h.ready is None or not h.ready(case)]
    if not hs:
        return []
    own = Case.all_objects.filter(pk=case.pk).order_by().values(**{f"h{i}": Exists(selectors.creatable_orgs(user, h.target)) for i, h in enumerate(hs)}).get()
    return [h for i, h in enumerate(hs) if own[f"h{i}"] or handover_orgs(user, h).exists()]


def _step_guide(ct, case, events, actions) -> dict:
    """流程进度 and the step buttons: the likely next steps as primary buttons, the
    rest in a menu (kit ``Workflow.leading``), from the steps the case has taken."""
    taken = frozenset(e.transition for e in events if e.transition)
    lead, more = ct.workflow.leading(actions, case.status, taken)
    return {
        "progress": ct.workflow.progress(case.status, taken),
        # Drawn solid, the first in the line's colour; a step that ends the matter badly
        # (终止, 不予受理) stays outlined even when it is likely.
        "lead_actions": [(t, t.style if t.style.endswith("danger") else t.style.removeprefix("outline-")) for t in lead],
        "more_actions": [t for t in more if not t.style.endswith("danger")],
        "risky_actions": [t for t in more if t.style.endswith("danger")],
    }


def procedure_context(user, case, deadlines) -> dict:
    """The case's procedures with the steps the user may take, their clocks and documents."""
    from . import procedures

    if not ct_procedures(case):
        return {"procedures": [], "openable": []}
    rows = []
    for p in case.procedures.all() if selectors.page_has(case, "procedures") else ():
        clocks = [(d, lt) for d, lt in deadlines if d.procedure_id == p.pk]
        rows.append((p, procedures.allowed(user, p), clocks, [d for d in p.spec.documents if d.available(p)]))
    return {"procedures": rows, "openable": procedures.openable(user, case)}


def ct_procedures(case) -> tuple:
    return registry.case_type(case.case_type).procedures


@login_required
def case_detail(request, pk):
    case = selectors.access_case(request.user, pk, page=True)
    record("case.view", actor=request.user, obj=case)
    return render(request, "cases/detail.html", case_context(request, case))


def by_code(request, code):
    """/q/<code> (what a case's QR code holds): staff who may see the case land
    on it; anyone else goes to the public progress page when a portal is
    installed, otherwise to sign in."""
    from urllib.parse import urlencode

    from django.urls import NoReverseMatch

    if request.user.is_authenticated and has_cap(request.user, SEE_CASES):
        case = selectors.visible_to(request.user).filter(code=code.upper()).only("pk").first()
        if case is not None:
            return redirect("cases:detail", pk=case.pk)
    try:
        return redirect(reverse("portal:track") + "?" + urlencode({"code": code}))
    except NoReverseMatch:
        if request.user.is_authenticated:
            raise Http404("未找到该案件。") from None
        return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.path}))


def qr_payload(case) -> str:
    base = getattr(settings, "SIFA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/q/{case.code}"


@login_required
def case_qr(request, pk, fmt):
    if fmt not in ("svg", "png"):
        raise Http404()
    case = selectors.access_case(request.user, pk)
    qr = segno.make(qr_payload(case), error="m")
    buf = io.BytesIO()
    if fmt == "svg":
        qr.save(buf, kind="svg", scale=4, border=2, title=case.code)
        ctype = "image/svg+xml"
    else:
        qr.save(buf, kind="png", scale=6, border=2)
        ctype = "image/png"
    resp = HttpResponse(buf.getvalue(), content_type=ctype)
    resp["Content-Disposition"] = f'inline; filename="{case.code}.{fmt}"'
    return resp


@login_required
def recycle_bin(request):
    user = request.user
    _need_cases(user)
    qs = selectors.visible_to(user, include_deleted=True).filter(is_deleted=True).select_related("owner_org", "deleted_by").order_by("-deleted_at")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "cases/recycle_bin.html", {"page_obj": page, "can_restore": has_cap(user, HANDLE), "breadcrumbs": [("已删除案件", None)]})
