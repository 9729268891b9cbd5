"""Roster (名册) pages: committees and studios per office with the statute's
warnings, mediators with their positions and training. Office staff keep
their office's records, the bureau's section staff all; leaders and
mediators read (a mediator only their own committee)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sifa.cases.selectors import require_line
from sifa.common import dictionaries, identity
from sifa.common.errors import DomainError
from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org

from .. import selectors
from ..choices import CASE_TYPE, FIELD_SET
from ..forms.roster import CommitteeForm, MediatorForm, MembershipForm, TrainingForm, committee_initial, linkable_users, mediator_initial
from ..models import Membership
from ..services import roster as reg

LIST = ("调解组织", "mediation:committees")
PEOPLE = ("人民调解员", "mediation:mediators")


def _read(user) -> None:
    require_line(user, CASE_TYPE)


def _write(user) -> None:
    require_line(user, CASE_TYPE)
    if not selectors.may_manage_roster(user):
        raise PermissionDenied("您的角色不能修改调解组织和调解员档案。")


def _crumbs(*items):
    return [(label, reverse(name) if name else None) for label, name in items]


def _apply_error(form, exc: DomainError) -> None:
    if exc.field in form.fields:
        form.add_domain_error(exc)
    else:
        form.add_error(None, exc.message)


def _offices(user):
    root = selectors.scope_root(user)
    return Org.objects.filter(path__startswith=root.path, kind=OrgKind.OFFICE).order_by("sort_order", "path") if root else Org.objects.none()


@login_required
def committees(request):
    user = request.user
    _read(user)
    orgs = selectors.committee_orgs(user).order_by("path")
    office = request.GET.get("office") or ""
    offices = list(_offices(user))
    chosen = next((o for o in offices if str(o.pk) == office), None)
    if chosen is not None:
        orgs = orgs.filter(path__startswith=chosen.path)
    rows = selectors.committee_rows(orgs)
    counts = selectors.open_dispute_counts(user, [r["org"] for r in rows])
    for r in rows:
        r["open_disputes"] = counts.get(r["org"].pk, 0)
    return render(
        request,
        "mediation/committees.html",
        {
            "rows": rows,
            "offices": offices,
            "office": office,
            "with_warnings": sum(1 for r in rows if r["warnings"]),
            "fields": dictionaries.labels(FIELD_SET),
            "can_manage": selectors.may_manage_roster(user),
            "breadcrumbs": _crumbs((LIST[0], None)),
        },
    )


@login_required
def committee(request, pk):
    user = request.user
    _read(user)
    org = selectors.committee_org(user, pk)
    row = selectors.committee_rows([org])[0]
    return render(
        request,
        "mediation/committee.html",
        {
            "org": org,
            "row": row,
            "members": list(selectors.members(org)),
            "studios": list(selectors.committee_orgs(user).filter(parent=org)),
            "fields": dictionaries.labels(FIELD_SET),
            "can_manage": selectors.may_manage_roster(user),
            "breadcrumbs": _crumbs(LIST, (org.name, None)),
        },
    )


@login_required
def committee_create(request):
    user = request.user
    _write(user)
    parents = list(selectors.parent_choices(user))
    initial = {"parent": request.GET.get("parent")} if request.GET.get("parent") else {}
    form = CommitteeForm(request.POST or None, parents=parents, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            parent = next((o for o in parents if str(o.pk) == d["parent"]), None)
            try:
                c = reg.create_committee(user, parent=parent, name=d["name"], short_name=d["short_name"], **form.profile_data())
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, f"已建立“{c.org.name}”。")
                return redirect("mediation:committee", pk=c.org_id)
        status = 400
    return render(request, "mediation/form.html", {"form": form, "title": "新建调解组织", "breadcrumbs": _crumbs(LIST, ("新建", None))}, status=status)


@login_required
def committee_edit(request, pk):
    user = request.user
    _read(user)
    org = selectors.committee_org(user, pk)
    _write(user)
    form = CommitteeForm(request.POST or None, parents=[org.parent], fixed_parent=True, initial=committee_initial(org))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                reg.save_profile(user, org, name=d["name"], short_name=d["short_name"], **form.profile_data())
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("mediation:committee", pk=org.pk)
        status = 400
    return render(
        request,
        "mediation/form.html",
        {"form": form, "title": f"修改调解组织档案：{org.name}", "breadcrumbs": _crumbs(LIST, (org.name, None))},
        status=status,
    )


# --- mediators -----------------------------------------------------------------------------------------


@login_required
def mediators(request):
    user = request.user
    _read(user)
    qs = selectors.mediators(user)
    offices = list(_offices(user))
    office = request.GET.get("office") or ""
    chosen = next((o for o in offices if str(o.pk) == office), None)
    if chosen is not None:
        qs = qs.filter(org__path__startswith=chosen.path)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(org__name__contains=q))
    if request.GET.get("inactive") != "1":
        qs = qs.filter(is_active=True)
    rows = list(qs.prefetch_related("memberships__committee", "trainings")[:1000])
    return render(
        request,
        "mediation/mediators.html",
        {
            "rows": rows,
            "offices": offices,
            "office": office,
            "q": q,
            "can_manage": selectors.may_manage_roster(user),
            "breadcrumbs": _crumbs((PEOPLE[0], None)),
        },
    )


@login_required
def mediator(request, pk):
    user = request.user
    _read(user)
    m = selectors.mediator(user, pk)
    return render(
        request,
        "mediation/mediator.html",
        {
            "m": m,
            "memberships": list(m.memberships.select_related("committee").order_by("-active", "committee__path")),
            "trainings": list(m.trainings.all()),
            "can_manage": selectors.may_manage_roster(user),
            "breadcrumbs": _crumbs(PEOPLE, (m.name, None)),
        },
    )


@login_required
def mediator_create(request):
    user = request.user
    _write(user)
    committees = list(selectors.committee_orgs(user).order_by("path"))
    initial = {"committee": request.GET.get("committee")} if request.GET.get("committee") else {}
    form = MediatorForm(request.POST or None, committees=committees, users=linkable_users(committees), initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            org = next((o for o in committees if str(o.pk) == d["committee"]), None)
            try:
                m = reg.create_mediator(user, committee=org, position=d["position"], since=d["since"], **form.mediator_data())
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, f"已登记调解员 {m.name}。")
                return redirect("mediation:mediator", pk=m.pk)
        status = 400
    return render(request, "mediation/form.html", {"form": form, "title": "登记人民调解员", "breadcrumbs": _crumbs(PEOPLE, ("登记", None))}, status=status)


@login_required
def mediator_edit(request, pk):
    user = request.user
    _read(user)
    m = selectors.mediator(user, pk)
    _write(user)
    form = MediatorForm(request.POST or None, users=linkable_users([m.org]), editing=True, phone_mask=identity.mask_phone(m.phone), initial=mediator_initial(m))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reg.update_mediator(user, m, **form.mediator_data())
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("mediation:mediator", pk=m.pk)
        status = 400
    return render(
        request, "mediation/form.html", {"form": form, "title": f"修改调解员：{m.name}", "breadcrumbs": _crumbs(PEOPLE, (m.name, None))}, status=status
    )


@login_required
def membership_add(request, pk):
    user = request.user
    _read(user)
    m = selectors.mediator(user, pk)
    _write(user)
    committees = list(selectors.committee_orgs(user).order_by("path"))
    form = MembershipForm(request.POST or None, committees=committees)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            org = next((o for o in committees if str(o.pk) == d["committee"]), None)
            try:
                reg.add_membership(user, m, committee=org, position=d["position"], since=d["since"])
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "已保存任职。")
                return redirect("mediation:mediator", pk=m.pk)
        status = 400
    return render(request, "mediation/form.html", {"form": form, "title": f"任职：{m.name}", "breadcrumbs": _crumbs(PEOPLE, (m.name, None))}, status=status)


@login_required
@require_POST
def membership_end(request, pk):
    user = request.user
    _read(user)
    ms = get_object_or_404(Membership.objects.select_related("committee", "mediator"), pk=pk, committee__in=selectors.committee_orgs(user))
    _write(user)
    try:
        reg.end_membership(user, ms)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已免去 {ms.mediator.name} 在{ms.committee.name}的职务。")
    return redirect("mediation:mediator", pk=ms.mediator_id)


@login_required
def training_add(request, pk):
    user = request.user
    _read(user)
    m = selectors.mediator(user, pk)
    _write(user)
    form = TrainingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reg.add_training(user, m, **form.cleaned_data)
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, "已登记培训记录。")
                return redirect("mediation:mediator", pk=m.pk)
        status = 400
    return render(request, "mediation/form.html", {"form": form, "title": f"培训记录：{m.name}", "breadcrumbs": _crumbs(PEOPLE, (m.name, None))}, status=status)
