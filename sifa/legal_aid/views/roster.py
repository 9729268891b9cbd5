"""值班律师排班 (法律援助法 §14, §30), mounted under /legal_aid/roster/: a week of the
roster (周一至周日, by workstation and day; a list per day on a phone), 排班, 复制上周排班
and 删除. The centre's registering users arrange it, the line's other users read
their bureau's, a lawyer reads their own shifts; users outside the line get 404,
as does another bureau's shift."""

from __future__ import annotations

from datetime import date, timedelta
from functools import reduce
from operator import or_

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sifa.cases import selectors as case_selectors
from sifa.common.errors import DomainError, PermissionRefused
from sifa.common.forms import StyledForm, name_fields
from sifa.orgs.models import Org

from ..choices import CASE_TYPE, Station
from ..models import Provider
from ..services import roster as services

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def _week(value: str | None) -> date:
    """The Monday of the week ``?week=YYYY-MM-DD`` names (this week when missing or wrong)."""
    try:
        on = date.fromisoformat(value or "")
    except ValueError:
        on = timezone.localdate()
    return services.week_of(on)


def _url(week: date) -> str:
    return f"{reverse('legal_aid:roster')}?week={week.isoformat()}"


def _require(user):
    case_selectors.require_line(user, CASE_TYPE)
    if user.org_id is None:
        raise PermissionDenied()


@login_required
def roster(request):
    user = request.user
    _require(user)
    start = _week(request.GET.get("week"))
    days = [start + timedelta(days=i) for i in range(7)]
    shifts = list(
        services.visible_shifts(user)
        .filter(on__gte=start, on__lte=days[-1])
        .select_related("provider", "center")
        .order_by("station", "station_name", "on", "provider__name", "id")
    )
    managed = {c.pk for c in services.managed_centers(user)}
    several = len({s.center_id for s in shifts}) > 1
    # Rows by workstation (and centre, when several), a cell per day.
    rows: dict[tuple, dict] = {}
    for s in shifts:
        key = (s.center_id, s.station, s.station_name)
        row = rows.setdefault(key, {"station": s.get_station_display(), "name": s.station_name, "center": s.center, "cells": [[] for _ in days]})
        row["cells"][(s.on - start).days].append(s)
    by_day = [
        {"on": d, "label": WEEKDAYS[i], "shifts": sorted((s for s in shifts if s.on == d), key=lambda s: (s.station, s.station_name, s.provider.name))}
        for i, d in enumerate(days)
    ]
    context = {
        "start": start,
        "end": days[-1],
        "days": [(d, WEEKDAYS[i]) for i, d in enumerate(days)],
        "rows": sorted(rows.values(), key=lambda r: (r["center"].path, r["station"], r["name"])),
        "by_day": by_day,
        "several": several,
        "managed": managed,
        "can_manage": bool(managed),
        "today": timezone.localdate(),
        "prev_url": _url(start - timedelta(days=7)),
        "next_url": _url(start + timedelta(days=7)),
        "this_url": reverse("legal_aid:roster"),
        "own_only": user.role == "lawyer",
        "breadcrumbs": [("法律援助", reverse("legal_aid:list")), ("值班律师排班", None)],
    }
    return render(request, "legal_aid/roster.html", context)


class ShiftForm(StyledForm):
    center = forms.ModelChoiceField(label="法律援助机构", queryset=None, empty_label="请选择")
    station = forms.ChoiceField(label="工作站", choices=[("", "请选择"), *Station.choices])
    station_name = forms.CharField(label="工作站名称", max_length=100, help_text="如：某区人民法院、某区看守所")
    on = forms.DateField(label="值班日期", widget=forms.DateInput)
    provider = forms.ModelChoiceField(label="值班律师", queryset=None, empty_label="请选择")
    note = forms.CharField(label="备注", max_length=200, required=False, help_text="如：上午、下午或值班时段")

    def __init__(self, *args, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = Org.objects.filter(pk__in=[c.pk for c in centers])
        self.fields["provider"].queryset = reduce(or_, (services.duty_lawyers(c) for c in centers), Provider.objects.none()).order_by("name", "id")
        self.fields["center"].error_messages["invalid_choice"] = "法律援助机构：请选择您可以排班的法律援助机构。"
        self.fields["provider"].error_messages["invalid_choice"] = "值班律师：请选择本中心人员库中在库的律师。"
        self.fields["station"].error_messages["invalid_choice"] = "工作站：请选择人民法院、人民检察院或看守所。"
        self.fields["on"].error_messages["invalid"] = "值班日期：请按 年-月-日 填写。"
        name_fields(self)
        if len(centers) == 1:  # one centre: not asked
            del self.fields["center"]


@login_required
def shift_create(request):
    user = request.user
    _require(user)
    centers = list(services.managed_centers(user).order_by("path"))
    if not centers:
        raise PermissionDenied("您不能排班。")
    on = _week(request.GET.get("week")) if request.GET.get("week") else timezone.localdate()
    form = ShiftForm(request.POST or None, centers=centers, initial={"on": on})
    status = 400
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            fields = {k: d[k] for k in ("station", "station_name", "on", "provider", "note")}
            shift = services.add_shift(user, d.get("center") or centers[0], **fields)
        except PermissionRefused as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_domain_error(exc)
            status = exc.status_code
        else:
            messages.success(request, f"已排班：{shift.on:%Y-%m-%d} {shift.get_station_display()}（{shift.station_name}）{shift.provider.name}。")
            return redirect(_url(services.week_of(shift.on)))
    context = {"title": "排班（值班律师）", "form": form, "cancel_url": _url(services.week_of(on))}
    return render(request, "includes/form_page.html", context, status=status if request.method == "POST" else 200)


@login_required
@require_POST
def copy_week(request):
    user = request.user
    _require(user)
    if not services.managed_centers(user).exists():
        raise PermissionDenied("您不能排班。")
    start = _week(request.POST.get("week"))
    try:
        copied, skipped = services.copy_week(user, start)
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        more = f"，{skipped}条已有或律师已不在库，未复制" if skipped else ""
        if copied or skipped:
            messages.success(request, f"已复制上周排班{copied}条{more}。")
        else:
            messages.info(request, "上周没有排班，未复制。")
    return redirect(_url(start))


@login_required
@require_POST
def shift_delete(request, pk):
    user = request.user
    _require(user)
    shift = get_object_or_404(services.visible_shifts(user).select_related("center", "provider"), pk=pk)
    week = services.week_of(shift.on)
    try:
        services.remove_shift(user, shift)
    except PermissionRefused as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, "已删除该排班。")
    return redirect(_url(week))
