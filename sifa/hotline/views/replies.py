"""转办答复回传: the replies to orders transferred from 12345/110, for the
front desk to send back to the platform. The page picks a platform and a
period and previews the rows; the export is the .xlsx in the platform's
shape (audited). Outside the line: 404; a role that may not register orders
(a reading leader): 403. The query and rows are ``hotline.replies``'."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sifa.accounts.roles import EXPORT, has_cap
from sifa.audit.services import record
from sifa.cases import selectors as case_selectors
from sifa.common.errors import DomainError
from sifa.common.forms import StyledForm, name_fields

from ..choices import CASE_TYPE, Channel
from ..services import replies

PREVIEW_ROWS = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RepliesForm(StyledForm):
    platform = forms.ChoiceField(label="转办平台", choices=replies.platform_choices)
    since = forms.DateField(label="答复日期自", widget=forms.DateInput)
    until = forms.DateField(label="至", widget=forms.DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_fields(self)

    def clean(self):
        d = super().clean()
        if d.get("since") and d.get("until") and d["since"] > d["until"]:
            self.add_error("until", "结束日期早于开始日期。")
        return d


def _allowed(user) -> None:
    case_selectors.require_line(user, CASE_TYPE)
    if not case_selectors.may_register(user, CASE_TYPE):
        raise PermissionDenied("您的角色不能回传转办工单答复。")


def _form(request) -> RepliesForm:
    """Bound to the query, or to this month so far when the page is first opened."""
    if request.GET:
        return RepliesForm(request.GET)
    today = timezone.localdate()
    return RepliesForm({"platform": Channel.TRANSFER_12345.value, "since": today.replace(day=1).isoformat(), "until": today.isoformat()})


def _orders(request, form: RepliesForm):
    """The orders the valid form names, or None with the refusal put on the form."""
    if not form.is_valid():
        return None
    d = form.cleaned_data
    try:
        return replies.replied_orders(request.user, d["platform"], d["since"], d["until"])
    except DomainError as exc:
        form.add_domain_error(exc)
        return None


def _page(request, form, qs, status=200):
    rows = list(replies.reply_rows(qs[:PREVIEW_ROWS])) if qs is not None else []
    context = {
        "form": form,
        "rows": rows,
        "columns": replies.COLUMNS,
        "count": qs.count() if qs is not None else None,
        "preview": PREVIEW_ROWS,
        "can_export": has_cap(request.user, EXPORT),
        "query": request.GET.urlencode() if qs is not None else "",
        "breadcrumbs": [("12348工单", reverse("hotline:list")), ("转办答复回传", None)],
    }
    return render(request, "hotline/replies.html", context, status=status)


@login_required
def index(request):
    _allowed(request.user)
    form = _form(request)
    return _page(request, form, _orders(request, form))


@login_required
def export(request):
    user = request.user
    _allowed(user)
    if not has_cap(user, EXPORT):
        raise PermissionDenied("您没有导出权限。")
    form = _form(request)
    qs = _orders(request, form)
    if qs is None:
        return _page(request, form, None, status=400)
    d = form.cleaned_data
    rows = list(replies.reply_rows(qs))
    content = replies.sheet(rows, d["platform"])
    record(
        "hotline.replies_export",
        actor=user,
        detail={"platform": d["platform"], "since": d["since"], "until": d["until"], "rows": len(rows), "codes": [r["code"] for r in rows[:20]]},
    )
    name = f"{Channel(d['platform']).label}答复_{d['since']:%Y%m%d}-{d['until']:%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=\"replies-{d['platform']}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response
