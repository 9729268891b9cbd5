"""Public pages (no login): home, online application, receipt, progress lookup, QR.

The lookup answers every failure with the same page, byte for byte and with the
same status (404): an unknown code, a malformed one, wrong digits and a case
type that is not publicly tracked cannot be told apart. It is exempt from CSRF
on purpose: it changes nothing but the attempt counter, and a per-response
token would make two failure pages differ.
"""

from __future__ import annotations

import io

import segno
from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sifa.cases.models import Case
from sifa.common.context import client_ip
from sifa.common.errors import DomainError
from sifa.common.forms import StyledForm, clean_text_inputs, mark_invalid, style_fields
from sifa.kit import registry
from sifa.kit import registry as cases_registry

from . import conf, selectors, services

SESSION_CODES = "portal_codes"  # codes whose QR this browser may fetch
SESSION_RECEIPT = "portal_receipt"
KEEP_CODES = 5


def _no_store(response):
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


def _page(request, template, context=None, status=200):
    org = selectors.receiving_org()
    ctx = {"org_name": org.name if org else "司法行政一体化平台", "contact": selectors.contact(org), **(context or {})}
    return _no_store(render(request, template, ctx, status=status))


def _allow_qr(request, code: str) -> None:
    codes = [c for c in request.session.get(SESSION_CODES, []) if c != code]
    request.session[SESSION_CODES] = ([code] + codes)[:KEEP_CODES]


@require_http_methods(["GET", "HEAD"])
def home(request):
    return _page(request, "portal/home.html", {"forms": registry.public_forms()})


@require_http_methods(["GET", "HEAD"])
def guide(request):
    """办事指南: what can be applied for online, what to prepare, what happens next."""
    return _page(request, "portal/guide.html", {"forms": registry.public_forms()})


class DeclarationForm(StyledForm):
    declaration = forms.BooleanField(label="本人已阅读并承诺", error_messages={"required": "请勾选承诺声明后再提交。"})

    def __init__(self, *args, text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration"].label = text or self.fields["declaration"].label


def _map_field(form, field: str | None) -> str | None:
    if not field:
        return None
    for name in (field, f"applicant_{field}", "attachments" if field == "file" else ""):
        if name and name in form.fields:
            return name
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request, key: str | None = None):
    specs = registry.public_forms()
    if key is None:
        if len(specs) != 1:
            return _page(request, "portal/apply_choose.html", {"forms": specs})
        key = specs[0].key
    spec = registry.public_form(key)
    if spec is None:
        raise Http404()
    org = selectors.receiving_org()
    post = request.method == "POST"
    form = spec.form_class(request.POST if post else None, request.FILES if post else None)
    # A line's public form may be any Form: its text loses control characters here, at the
    # portal's door, as every StyledForm's does (a name with U+0001 broke the case's documents).
    clean_text_inputs(form)
    style_fields(form)  # and it looks like every other form
    declaration = DeclarationForm(request.POST if post else None, text=spec.declaration)
    status = 200
    if post:
        ip = client_ip(request)
        if not services.admit_application(ip):
            return _page(request, "portal/throttled.html", {"what": "提交申请"}, status=429)
        files = sum(len(request.FILES.getlist(name)) for name in request.FILES)
        if files > conf.get("MAX_FILES"):
            form.add_error(None, f"附件最多{conf.get('MAX_FILES')}个，请合并后再提交。")
        if org is None:
            form.add_error(None, "网上申请暂未开通，请到行政复议机构当面提交。")
        if form.is_valid() and declaration.is_valid():
            try:
                case = services.submit(spec, form.cleaned_data, org)
            except DomainError as exc:
                form.add_error(_map_field(form, exc.field), exc.message)
            else:
                _allow_qr(request, case.code)
                request.session[SESSION_RECEIPT] = {"code": case.code, "form": spec.key}
                return redirect("portal:receipt")
        mark_invalid(form)  # as a StyledForm marks itself (a public form may be any Form)
        status = 400
    return _page(request, "portal/apply.html", {"spec": spec, "form": form, "declaration": declaration, "max_files": conf.get("MAX_FILES")}, status=status)


@require_http_methods(["GET", "HEAD"])
def receipt(request):
    info = request.session.get(SESSION_RECEIPT) or {}
    case = Case.objects.filter(code=info.get("code") or "-").first()
    spec = registry.public_form(info.get("form") or "")
    if case is None or spec is None:
        return redirect("portal:home")
    return _page(request, "portal/receipt.html", {"case": case, "spec": spec, "progress": selectors.progress(case)})


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    if request.method != "POST":
        return _page(request, "portal/track.html", {"code": services.clean_code(request.GET.get("code", ""))[:19]})
    try:
        case = services.lookup(request.POST.get("code", ""), request.POST.get("digits", ""), client_ip(request))
    except services.Throttled:
        response = _page(request, "portal/throttled.html", {"what": "查询"}, status=429)
        response["Retry-After"] = str(int(conf.get("TRACK_WINDOW_MINUTES")) * 60)
        return response
    if case is None:
        # One answer for every failure: no echo of what was typed, nothing that varies.
        return _page(request, "portal/track.html", {"failed": True}, status=404)
    _allow_qr(request, case.code)
    ct = cases_registry.case_type(case.case_type)
    return _page(request, "portal/track_result.html", {"case": case, "type_label": ct.label, "progress": selectors.progress(case)})


@require_http_methods(["GET", "HEAD"])
def qr(request, code: str):
    """The QR of a case, only for a browser that just filed it or looked it up."""
    code = services.clean_code(code)
    if not code or code not in request.session.get(SESSION_CODES, []):
        raise Http404()
    base = getattr(settings, "SIFA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    buf = io.BytesIO()
    segno.make(f"{base}/q/{code}", error="m").save(buf, kind="svg", scale=4, border=2, title=code)
    response = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="{code}.svg"'
    return _no_store(response)
