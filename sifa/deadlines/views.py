from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sifa.accounts.roles import MANAGE_SETTINGS, SEE_CASES, has_cap
from sifa.common import sorting
from sifa.common.errors import DomainError
from sifa.common.forms import applied_filters
from sifa.common.paging import CappedPaginator

from . import calendar, selectors, services
from .forms import CalculatorForm, DayForm, DeadlineFilterForm, SettingForm
from .models import CalendarYear, Holiday

# The list sorts by the date a deadline falls due (soonest first), read in order from
# Deadline's index on ``due_date``. Its other columns are the case's: ordering by
# them would sort every open deadline of the scope through a join, on each page.
LIST_SORTS = sorting.Sorts({"due_date": sorting.date_sort("届满日", "due_date", first=sorting.ASC)}, default="due_date")


@login_required
def deadline_list(request):
    user = request.user
    if not has_cap(user, SEE_CASES):
        raise Http404()
    from sifa.cases.selectors import scope_root
    from sifa.kit import registry
    from sifa.orgs.models import Org

    form = DeadlineFilterForm(request.GET or None)
    form.fields["case_type"].choices = [("", "全部业务")] + registry.type_choices()
    root = scope_root(user)
    orgs = Org.objects.filter(path__startswith=root.path, is_active=True).order_by("path")
    form.fields["org"].choices = [("", "全部机构")] + [(str(o.pk), o.name) for o in orgs]
    today = timezone.localdate()
    threshold = selectors.soon_threshold(today)
    qs = selectors.open_for(user)
    light = ""
    if form.is_bound:
        d = applied_filters(form)  # a bad field is named on the page and left out
        light = d["light"] or ""
        if d["case_type"]:
            qs = qs.filter(case__case_type=d["case_type"])
        if d["org"]:
            org = orgs.filter(pk=d["org"]).first()
            if org:
                qs = qs.filter(case__org_path__startswith=org.path)
        if d["mine"]:
            qs = qs.filter(Q(case__handler=user) | Q(case__assignments__user=user, case__assignments__active=True)).distinct()
    if light == "overdue":
        qs = qs.filter(due_date__lt=today)
    elif light == "due_soon":
        qs = qs.filter(due_date__gte=today, due_date__lte=threshold)
    elif light != "all":
        qs = qs.filter(due_date__lte=threshold)
    order = sorting.state(request.GET, LIST_SORTS)
    qs = order.apply(qs)
    page = CappedPaginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(d, selectors.light(d, today, threshold)) for d in page.object_list]
    return render(request, "deadlines/list.html", {"form": form, "page_obj": page, "sorting": order, "rows": rows, "breadcrumbs": [("期限预警", None)]})


@login_required
def calculator(request):
    if not selectors.may_calculate(request.user):
        raise Http404()
    form = CalculatorForm(request.GET or None, initial={"start": timezone.localdate(), "unit": "workday"})
    result = None
    status = 200
    if request.GET:
        if form.is_valid():
            d = form.cleaned_data
            result = calendar.compute_due(d["start"], d["amount"], d["unit"])
        else:
            status = 400
    return render(request, "deadlines/calculator.html", {"form": form, "result": result, "breadcrumbs": [("期限计算器", None)]}, status=status)


def _need_settings(user):
    if not has_cap(user, MANAGE_SETTINGS):
        raise Http404()


def _holidays_url(year: int) -> str:
    return f"{reverse('deadlines:holidays')}?year={year}"


@login_required
def holidays(request):
    _need_settings(request.user)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 1950), 2200)
    form = DayForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_day(request.user, form.cleaned_data["date"], form.cleaned_data["kind"], form.cleaned_data["name"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 400
            else:
                messages.success(request, f"已保存 {form.cleaned_data['date']:%Y-%m-%d}，未完成的期限已按新日历重算。")
                return redirect(_holidays_url(form.cleaned_data["date"].year))
        else:
            status = 400
    days = Holiday.objects.filter(date__year=year).order_by("date")
    years = CalendarYear.objects.order_by("-year")
    confirmed = CalendarYear.objects.filter(year=year, confirmed=True).exists()
    return render(
        request,
        "deadlines/holidays.html",
        {"form": form, "days": days, "year": year, "years": years, "confirmed": confirmed, "breadcrumbs": [("节假日设置", None)]},
        status=status,
    )


@login_required
@require_POST
def holiday_clear(request):
    _need_settings(request.user)
    try:
        d = date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, "日期格式不正确，应为 YYYY-MM-DD。")
        return redirect("deadlines:holidays")
    if services.clear_day(request.user, d):
        messages.success(request, f"已删除 {d:%Y-%m-%d} 的设置，未完成的期限已按新日历重算。")
    else:
        messages.info(request, f"{d:%Y-%m-%d} 没有单独设置，无需删除。")
    return redirect(_holidays_url(d.year))


@login_required
@require_POST
def year_confirm(request):
    _need_settings(request.user)
    try:
        year = int(request.POST.get("year", ""))
        if not 1950 <= year <= 2200:
            raise ValueError
    except ValueError:
        messages.error(request, "年度不正确：应为1950至2200之间的年份。")
        return redirect("deadlines:holidays")
    services.confirm_year(request.user, year, request.POST.get("note", ""))
    messages.success(request, f"{year}年节假日安排已确认。")
    return redirect(_holidays_url(year))


@login_required
def deadline_settings(request):
    """The bureau-wide warning setting: how many working days ahead a deadline turns 临期."""
    _need_settings(request.user)
    form = SettingForm(request.POST or None, initial={"due_soon_workdays": selectors.due_soon_workdays()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_due_soon_workdays(request.user, form.cleaned_data["due_soon_workdays"])
            except DomainError as exc:
                form.add_domain_error(exc)
                status = 400
            else:
                messages.success(request, f"已保存：到期前{form.cleaned_data['due_soon_workdays']}个工作日内显示为临期。")
                return redirect("deadlines:settings")
        else:
            status = 400
    return render(request, "deadlines/settings.html", {"form": form, "breadcrumbs": [("期限提醒设置", None)]}, status=status)


@login_required
@require_POST
def duty_done(request, pk):
    """Mark one occurrence of a recurring duty done (from the case's 期限 tab)."""
    from .duties import mark_done
    from .models import Deadline

    dl = Deadline.objects.exclude(duty="").filter(pk=pk).first()
    if dl is None:
        raise Http404("未找到该案件。")
    try:
        mark_done(request.user, dl, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已完成：{dl.label}。")
    return redirect(reverse("cases:detail", args=[dl.case_id]) + "?tab=deadlines")
