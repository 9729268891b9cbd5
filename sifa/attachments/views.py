from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sifa.cases.selectors import access_case
from sifa.common.errors import DomainError

from . import services
from .selectors import access_attachment


@login_required
@require_POST
def upload(request, case_pk):
    case = access_case(request.user, case_pk)
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, "请选择要上传的文件。")
    for f in files:
        try:
            services.upload(request.user, case.pk, f, category=request.POST.get("category", ""), description=request.POST.get("description", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已上传：{f.name}")
    return redirect(reverse("cases:detail", args=[case.pk]) + "?tab=files")


@login_required
def download(request, pk):
    att = access_attachment(request.user, pk)
    try:
        data = services.read_verified(request.user, att)
    except DomainError as exc:
        return render(request, "errors/400.html", {"title": "附件无法下载", "message": exc.message}, status=409)
    resp = HttpResponse(data, content_type=att.content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(att.original_name)}"
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp
