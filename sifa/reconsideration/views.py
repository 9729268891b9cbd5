"""Pages of the line: the two case lists (the kernel's, declared in
``line.py``) and the two registration forms. The case page itself is the
kernel's (this line plugs in its 基本信息 part, documents and steps); its
figures are on the kernel's line figures page (``stats:line``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone

from sifa.cases.lines import line_list, register_page
from sifa.orgs.selectors import bureau_of

from . import services
from .choices import FY_KEY, YS_KEY
from .forms.registration import ApplicationForm, SuitForm

fy_list = line_list("reconsideration")
suit_list = line_list("litigation")


@login_required
def fy_create(request):
    return register_page(
        request,
        case_type=FY_KEY,
        form_class=ApplicationForm,
        register=lambda user, d, parties, files: services.register_application(user, parties=parties, files=files, owner_org=bureau_of(user.org), **d),
        template="reconsideration/fy_form.html",
        crumbs="登记行政复议申请",
        initial={"received_on": timezone.localdate()},
    )


@login_required
def suit_create(request):
    return register_page(
        request,
        case_type=YS_KEY,
        form_class=SuitForm,
        register=lambda user, d, parties, files: services.register_suit(user, parties=parties, files=files, owner_org=bureau_of(user.org), **d),
        template="reconsideration/ys_form.html",
        crumbs="登记行政应诉案件",
        initial={"served_on": timezone.localdate()},
    )
