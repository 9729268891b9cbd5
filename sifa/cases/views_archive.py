"""Reopening an archived case (归档 is read-only until then; ``cases.archive``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from sifa.common.errors import DomainError
from sifa.common.forms import StyledForm

from . import archive, selectors


class ReopenForm(StyledForm):
    reason = forms.CharField(label="重新开启的理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


@login_required
def reopen_case(request, pk):
    case = selectors.access_case(request.user, pk)
    if not archive.is_archived(case):
        messages.info(request, "本案未归档，无需重新开启。")
        return redirect("cases:detail", pk=case.pk)
    if not archive.may_reopen(request.user, case):
        # Told before filling in a form that could never be saved.
        raise PermissionDenied("重新开启已归档的案件须由本业务的局科室工作人员或局领导办理。")
    form = ReopenForm(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                archive.reopen(request.user, case, reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = exc.status_code if exc.status_code in (400, 403, 409) else 400
            else:
                messages.success(request, f"案件 {case.code} 已重新开启，可以补正；补正后请重新归档。")
                return redirect("cases:detail", pk=case.pk)
        else:
            status = 400
    crumbs = [("案件查询", reverse("cases:list")), (case.code, reverse("cases:detail", args=[case.pk])), (archive.REOPEN_LABEL, None)]
    return render(request, "cases/reopen.html", {"case": case, "form": form, "breadcrumbs": crumbs}, status=status)
