"""工作总结: the bureau's reports as records (list, new, a report's page with its
text, history and next step, download), and the data part alone for anyone
who sees the statistics. Writes and every permission are in ``..reports``."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from sifa.common.errors import DomainError
from sifa.common.forms import StyledForm
from sifa.ledgers import jobs
from sifa.ledgers.jobs import DOCX
from sifa.ledgers.models import JobStatus

from .. import reports
from ..forms import PARTS, period_params
from ..models import REPORT_TEXT_FIELDS, ReportPeriodKind, ReportStatus
from .common import chooser
from .table import start_job

REPORT_KINDS = ("year", "half", "quarter")
PAGE_SIZE = 20
STATUS_BADGES = {"draft": "secondary", "submitted": "warning", "reviewed": "info", "issued": "success"}


def _crumbs(*tail):
    return [("工作总结", reverse("stats:report")), *tail]


def _error(request, exc: DomainError):
    return render(request, "stats/error.html", {"message": exc.message}, status=exc.status_code)


# --- forms (thin: the services check everything again) ----------------------------------------


class NewReportForm(StyledForm):
    org = forms.ChoiceField(label="总结机构", error_messages={"required": "请选择总结机构。", "invalid_choice": "请选择本局或下属机构。"})
    kind = forms.ChoiceField(
        label="期间类型",
        choices=ReportPeriodKind.choices,
        error_messages={"required": "请选择期间类型。", "invalid_choice": "期间类型只能是年度、半年或季度。"},
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, error_messages={"required": "请选择年度。", "invalid": "年度应为数字。"})
    part = forms.IntegerField(label="半年/季度", required=False, widget=forms.Select)

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.org_list = list(orgs)
        root_depth = self.org_list[0].depth if self.org_list else 0
        self.fields["org"].choices = [(str(o.pk), "　" * max(o.depth - root_depth, 0) + o.name) for o in self.org_list]
        this_year = timezone.localdate().year
        self.fields["year"].widget = forms.Select(choices=[(y, f"{y}年") for y in range(this_year, this_year - 6, -1)], attrs={"class": "form-select"})
        kind = (self.data.get("kind") if self.is_bound else None) or "year"
        self.fields["part"].widget.choices = [("", "—")] + PARTS.get(kind, [])
        # stats.js swaps the options when the kind changes.
        self.fields["part"].widget.attrs["data-parts"] = json.dumps({k: v for k, v in PARTS.items() if k in REPORT_KINDS}, ensure_ascii=False)

    def chosen_org(self):
        return next((o for o in self.org_list if str(o.pk) == self.cleaned_data.get("org")), None)


class TextForm(StyledForm):
    title = forms.CharField(label="标题", max_length=200, error_messages={"required": "请填写标题。"})
    recipients = forms.CharField(label="主送", max_length=200, required=False, help_text="如“区委、区政府”。")
    doc_number = forms.CharField(label="文号", max_length=60, required=False, help_text="如“演司〔2026〕12号”；印发前必须填写。")
    opening = forms.CharField(
        label="开头段落补充", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="如年度获得的荣誉、总体情况，印在数据之前。"
    )
    problems = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    next_steps = forms.CharField(label="下一步工作", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    signer = forms.CharField(label="落款", max_length=100, error_messages={"required": "请填写落款。"})
    signed_on = forms.DateField(label="成文日期", required=False, widget=forms.DateInput, help_text="印发前必须填写。")
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class IssueForm(StyledForm):
    doc_number = forms.CharField(label="文号", max_length=60, required=False)
    signed_on = forms.DateField(label="成文日期", required=False, widget=forms.DateInput)


class ReviewForm(StyledForm):
    note = forms.CharField(label="审核意见", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}), help_text="退回时必须填写退回原因。")


# --- pages ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    """The bureau's reports; for everyone else who sees the statistics, the data
    part alone (as this page was before reports became records)."""
    user = request.user
    if request.method == "POST":
        return start_job(request, "stats.report", "工作总结（数据部分）")
    form, org, period = chooser(request, kinds=REPORT_KINDS)
    context = {"form": form, "org": org, "period": period, "params": period_params(org, period)}
    if not reports.may_use(user):
        return render(request, "stats/report.html", context | {"breadcrumbs": [("工作总结（数据部分）", None)]})
    qs = reports.listed(user).order_by("-period_start", "-id")
    status = request.GET.get("status") or ""
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stats/report_list.html",
        context
        | {
            "page_obj": page,
            "rows": [(r, reports.period_of(r), STATUS_BADGES.get(r.status, "secondary")) for r in page],
            "statuses": ReportStatus.choices,
            "status": status,
            "can_create": reports.may_draft(user),
            "breadcrumbs": [("工作总结", None)],
        },
    )


def _require_use(user) -> None:
    if not reports.may_use(user):
        raise Http404()


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request):
    user = request.user
    _require_use(user)
    if not reports.may_draft(user):
        return render(request, "stats/error.html", {"message": "只有统计管理员可以新建工作总结。"}, status=403)
    orgs = list(reports.creatable_orgs(user))
    year = timezone.localdate().year
    form = NewReportForm(request.POST or None, orgs=orgs, initial={"org": str(orgs[0].pk) if orgs else "", "kind": "year", "year": year - 1})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                d = form.cleaned_data
                period = reports.make_period(d["kind"], d["year"], d.get("part"))
                report = reports.create(user, form.chosen_org(), period)
                messages.success(request, f"已新建“{report.title}”，请填写文字部分。")
                return redirect("stats:report_detail", pk=report.pk)
            except DomainError as exc:
                form.add_domain_error(exc if exc.field != "period_kind" else DomainError(exc.message, field="kind"))
                status = exc.status_code
    return render(request, "stats/report_new.html", {"form": form, "breadcrumbs": _crumbs(("新建工作总结", None))}, status=status)


def _history(report) -> list[dict]:
    """Each version with the fields it changed from the one before."""
    rows = list(reports.versions(report))
    out = []
    for i, v in enumerate(rows):
        prev = rows[i + 1].fields if i + 1 < len(rows) else None
        changed = [reports.LABELS[k] for k in REPORT_TEXT_FIELDS if prev is not None and v.fields.get(k, "") != prev.get(k, "")]
        out.append({"v": v, "changed": "、".join(changed) if prev is not None else "首次保存"})
    return out


def _detail_context(user, report, **forms_) -> dict:
    actions = reports.next_actions(user, report)
    text = forms_.get("text_form")
    if text is None and "save" in actions:
        initial = reports.text_of(report) | {"base_version": reports.latest_version(report)}
        text = TextForm(initial=initial)
    issue_form = forms_.get("issue_form")
    if issue_form is None and "issue" in actions:
        issue_form = IssueForm(initial={"doc_number": report.doc_number, "signed_on": report.signed_on})
    review_form = forms_.get("review_form")
    if review_form is None and "approve" in actions:
        review_form = ReviewForm()
    period = reports.period_of(report)
    return {
        "report": report,
        "period": period,
        "badge": STATUS_BADGES.get(report.status, "secondary"),
        "actions": actions,
        "text_form": text,
        "issue_form": issue_form,
        "review_form": review_form,
        "fields": [(reports.LABELS[k], v) for k, v in reports.text_of(report).items()],
        "history": _history(report),
        "breadcrumbs": _crumbs((report.title, None)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """The report's page; a POST is the next step named by ``action``."""
    user = request.user
    report = reports.access(user, pk)
    if request.method == "GET":
        return render(request, "stats/report_detail.html", _detail_context(user, report))
    action = request.POST.get("action", "")
    forms_, status = {}, 400
    try:
        if action == "save":
            form = forms_["text_form"] = TextForm(request.POST)
            if form.is_valid():
                values = {k: form.cleaned_data[k] for k in REPORT_TEXT_FIELDS}
                _, saved = reports.save_text(user, report.pk, values, base_version=form.cleaned_data.get("base_version"))
                messages.success(request, f"已保存为第{saved.number}版。" if saved else "内容没有变化，未生成新版本。")
                return redirect("stats:report_detail", pk=report.pk)
        elif action == "submit":
            reports.submit(user, report.pk)
            messages.success(request, "已提交局领导审核。")
            return redirect("stats:report_detail", pk=report.pk)
        elif action in ("approve", "return"):
            form = forms_["review_form"] = ReviewForm(request.POST)
            if form.is_valid():
                reports.review(user, report.pk, approve=action == "approve", note=form.cleaned_data["note"])
                messages.success(request, "已审核通过，可以印发。" if action == "approve" else "已退回起草人修改。")
                return redirect("stats:report_detail", pk=report.pk)
        elif action == "issue":
            form = forms_["issue_form"] = IssueForm(request.POST)
            if form.is_valid():
                reports.issue(user, report.pk, doc_number=form.cleaned_data["doc_number"], signed_on=form.cleaned_data["signed_on"])
                messages.success(request, "已印发。印发后的文件和数据不再改变。")
                return redirect("stats:report_detail", pk=report.pk)
        else:
            messages.error(request, "未知的操作。")
    except DomainError as exc:
        status = exc.status_code
        form = next(iter(forms_.values()), None)
        if form is not None and exc.field in form.fields:
            form.add_domain_error(exc)
        else:
            messages.error(request, exc.message)
    report = reports.access(user, report.pk)  # as it is now: a refusal changed nothing
    return render(request, "stats/report_detail.html", _detail_context(user, report, **forms_), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_download(request, pk):
    """Issued: the stored file, exactly as issued. Otherwise (POST): a fresh Word
    with today's figures, made by an export job (progress, "我的导入导出")."""
    user = request.user
    report = reports.access(user, pk)
    if report.status == ReportStatus.ISSUED:
        report, content = reports.download_issued(user, report.pk)
        resp = HttpResponse(content, content_type=DOCX)
        resp["Content-Disposition"] = content_disposition_header(True, reports.file_name(report))
        resp["X-Content-Type-Options"] = "nosniff"
        return resp
    if request.method != "POST":
        return redirect("stats:report_detail", pk=report.pk)
    params = {"report": str(report.pk), **{k: str(v) for k, v in period_params(report.org, reports.period_of(report)).items()}, "meta": reports.meta_of(report)}
    try:
        job = jobs.start_export(user, "stats.report", params, f"{report.title}（{report.get_status_display()}）")
    except DomainError as exc:
        return _error(request, exc)
    return redirect(reverse("ledgers:export_job", args=[job.pk]) + ("?auto=1" if job.status == JobStatus.DONE else ""))


@login_required
def report_version(request, pk, number):
    user = request.user
    report = reports.access(user, pk)
    v = reports.version(report, number)
    fields = v.fields
    return render(
        request,
        "stats/report_version.html",
        {
            "report": report,
            "v": v,
            "latest": reports.latest_version(report),
            "fields": [(reports.LABELS[k], fields.get(k, "")) for k in REPORT_TEXT_FIELDS],
            "breadcrumbs": _crumbs((report.title, reverse("stats:report_detail", args=[report.pk])), (f"第{v.number}版", None)),
        },
    )
