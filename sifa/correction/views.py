"""Pages of 社区矫正: the lists of persons and of 调查评估 (the kernel's, declared
in ``line.py``), receiving a person and registering an entrustment (the
kernel's page with this line's forms), and the lost-contact warnings (脱管预警).
The file (case page), its steps, approvals, documents and attachments are the
kernel's; every view of a file is audited there."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sifa.audit.services import record
from sifa.cases import selectors as case_selectors
from sifa.cases.lines import line_list, register_page

from . import selectors, services
from .choices import ASSESSMENT, CASE_TYPE
from .forms import InquiryForm, SubjectForm

case_list = line_list(CASE_TYPE)
inquiry_list = line_list(ASSESSMENT)


def _fields(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("name", "id_number", "phone", "address")}


@login_required
def create(request):
    back = reverse("correction:list")
    return register_page(
        request,
        case_type=CASE_TYPE,
        form_class=SubjectForm,
        register=lambda user, d, parties, files: services.register(user, parties=parties, **_fields(d)),
        crumbs=[("社区矫正对象", back), ("登记接收", None)],
        formset=False,
        choose_org=True,
        initial={"opened_on": timezone.localdate()},
        context={"cancel_url": back},
    )


@login_required
def inquiry_create(request):
    back = reverse("correction:inquiries")
    return register_page(
        request,
        case_type=ASSESSMENT,
        form_class=InquiryForm,
        register=lambda user, d, parties, files: services.register_inquiry(user, parties=[{**p, "role": "assessed"} for p in parties], **_fields(d)),
        crumbs=[("调查评估", back), ("登记委托", None)],
        formset=False,
        choose_org=True,
        initial={"opened_on": timezone.localdate()},
        context={"cancel_url": back},
    )


@login_required
def warnings(request):
    """脱管预警: every person not reached within their grade's interval, back late from
    an approved 外出, or marked 脱管 — a named list, so its view is audited."""
    user = request.user
    case_selectors.require_line(user, CASE_TYPE)
    today = timezone.localdate()
    page = Paginator(selectors.warnings(user, today), 50).get_page(request.GET.get("page"))
    record("correction.warnings_view", actor=user, detail={"count": page.paginator.count})
    return render(
        request,
        "correction/warnings.html",
        {
            "page_obj": page,
            "rows": [(rec, selectors.why_warned(rec, today)) for rec in page],
            "breadcrumbs": [("社区矫正对象", reverse("correction:list")), ("脱管预警", None)],
        },
    )
