"""Pages of 安置帮教: the list of persons (the kernel's, declared in ``line.py``),
预释放登记 (the kernel's page with this line's form) and the 未衔接 list. The
file (case page), its steps, documents and attachments are the kernel's; every
view of a file is audited there."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from sifa.accounts.roles import EXPORT, has_cap
from sifa.audit.services import record
from sifa.cases import selectors as case_selectors
from sifa.cases.lines import line_list, register_page

from . import selectors, services
from .choices import CASE_TYPE
from .forms import ReleaseeForm, UnlinkedFilter

case_list = line_list(CASE_TYPE)


@login_required
def create(request):
    back = reverse("resettlement:list")
    return register_page(
        request,
        case_type=CASE_TYPE,
        form_class=ReleaseeForm,
        register=lambda user, d, parties, files: services.register(user, **d),
        crumbs=[("安置帮教对象", back), ("预释放登记", None)],
        formset=False,
        choose_org=True,
        initial={"notice_on": timezone.localdate()},
        context={"cancel_url": back},
    )


@login_required
def unlinked(request):
    """未衔接: released and not reported in time, not found at 摸排, or registered 未衔接 —
    a named list of people, so its view is audited."""
    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    today = timezone.localdate()
    form = UnlinkedFilter(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = Paginator(selectors.unlinked(user, today, q=q), 50).get_page(request.GET.get("page"))
    record("resettlement.unlinked_view", actor=user, detail={"count": page.paginator.count, "q": bool(q)})
    return render(
        request,
        "resettlement/unlinked.html",
        {
            "form": form,
            "page_obj": page,
            "rows": [(rec, selectors.why_unlinked(rec, today)) for rec in page],
            # The monthly 未衔接 export: the line's list export of those registered 未衔接
            # (a restricted line's export waits for a second person's approval).
            "export_url": reverse("resettlement:list") + "?status=unlinked" if has_cap(user, EXPORT) else "",
            "breadcrumbs": [("安置帮教对象", reverse("resettlement:list")), ("未衔接人员", None)],
        },
    )


@login_required
def statistical_return(request):
    """统计报表报送: the provincial return of the period now due (or the last half year), as
    the stats app shows and exports it."""
    if not case_selectors.uses(request.user, CASE_TYPE):
        raise Http404()
    due = selectors.return_due()
    today = timezone.localdate()
    if due is None:  # between deadlines: the half year last ended
        due = {"kind": "half", "year": today.year if today.month > 6 else today.year - 1, "part": 1 if today.month > 6 else 2}
    params = {"kind": due["kind"], "year": due["year"]} | ({"part": due["part"]} if due["part"] else {})
    return redirect(reverse("stats:return", args=[f"{CASE_TYPE}.return"]) + "?" + urlencode(params))
