"""Pages of the hotline: the order list (the kernel's, declared in ``line.py``),
the call registration (the kernel's page with this line's one-screen form and
the knowledge base beside it), the handling unit's 待办工单 and the quality
sample (质检抽查). The order page, its steps, documents, procedures and
attachments are the kernel's."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from sifa.cases import selectors as case_selectors
from sifa.cases.lines import line_list, register_page

from .. import conf, selectors, services
from ..choices import CASE_TYPE, Status
from ..forms import WorkOrderForm

case_list = line_list(CASE_TYPE)


@login_required
def create(request):
    back = reverse("hotline:list")
    return register_page(
        request,
        case_type=CASE_TYPE,
        form_class=WorkOrderForm,
        register=lambda user, d, parties, files: services.register_from_form(user, d, parties),
        crumbs=[("12348工单", back), ("登记来电/工单", None)],
        template="hotline/register.html",
        formset=False,
        choose_org=True,
        initial={"opened_on": timezone.localdate()},
        context={"cancel_url": back},
    )


@login_required
def todo(request):
    """待办工单: the orders dispatched to the user's unit, on the line's list."""
    case_selectors.require_line(request.user, CASE_TYPE)
    return redirect(f"{reverse('hotline:list')}?mine=on")


@login_required
def quality_sample(request):
    """质检抽查: the orders closed in a month that the user may see, a fixed share of
    them sampled (``conf.QUALITY_SAMPLE`` percent, by id, so the sample stays the same
    when the page is opened again), each with its score once reviewed."""
    from sifa.cases.models import Procedure

    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    if not case_selectors.may_register(user, CASE_TYPE):
        raise PermissionDenied("您的角色不能组织工单质检。")
    today = timezone.localdate()
    month = request.GET.get("month", "")
    try:
        start = date(int(month[:4]), int(month[5:7]), 1) if len(month) == 7 else today.replace(day=1)
    except ValueError:
        start = today.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    rate = int(conf.get("QUALITY_SAMPLE"))
    closed = selectors.cases(user).filter(status=Status.CLOSED, closed_on__gte=start, closed_on__lt=end)
    sampled = case_selectors.fixed_share(closed, rate).select_related("workorder", "owner_org").order_by("-closed_on", "-id")
    page = Paginator(sampled, 50).get_page(request.GET.get("page"))
    done = dict(Procedure.objects.filter(case__in=[c.pk for c in page], key="quality", closed_on__isnull=False).values_list("case_id", "data__score"))
    context = {
        "page_obj": page,
        "rows": [(c, done.get(c.pk)) for c in page],
        "month": f"{start:%Y-%m}",
        "rate": rate,
        "closed": closed.count(),
        "breadcrumbs": [("12348工单", reverse("hotline:list")), ("工单质检", None)],
    }
    return render(request, "hotline/quality.html", context)
