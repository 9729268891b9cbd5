"""Roster (名册) pages: committees and studios per office with the statute's
warnings, mediators with their positions and training. Office staff keep
their office's records, the bureau's section staff all; leaders and
mediators read (a mediator only their own committee). Each write is a
``FormAction``: one declaration for its page and its API (``api/roster.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from rest_framework import serializers

from sifa.cases.selectors import require_line
from sifa.common import dictionaries, identity
from sifa.common.actions import FormAction
from sifa.common.errors import DomainError, PermissionRefused
from sifa.orgs.choices import OrgKind
from sifa.orgs.models import Org

from .. import selectors
from ..choices import CASE_TYPE, FIELD_SET
from ..forms.roster import CommitteeForm, MediatorForm, MembershipForm, TrainingForm, committee_initial, linkable_users, mediator_initial
from ..models import Membership
from ..serializers import CommitteeWithRoster, MediatorDetailSerializer, MembershipRecord, TrainingRecord
from ..services import roster as reg

ROSTER_KEEPERS = "您的角色不能修改调解组织和调解员档案。"
LIST = ("调解组织", "mediation:committees")
PEOPLE = ("人民调解员", "mediation:mediators")


def _crumbs(*items):
    return [(label, reverse(name) if name else None) for label, name in items]


def _by_office(request, qs, path: str):
    """The list narrowed to the office picked in the filter: (rows, offices, picked id)."""
    root = selectors.scope_root(request.user)
    offices = list(Org.objects.filter(path__startswith=root.path, kind=OrgKind.OFFICE).order_by("sort_order", "path")) if root else []
    office = request.GET.get("office") or ""
    chosen = next((o for o in offices if str(o.pk) == office), None)
    return (qs.filter(**{f"{path}__startswith": chosen.path}) if chosen else qs), offices, office


@login_required
def committees(request):
    user = request.user
    require_line(user, CASE_TYPE)
    orgs, offices, office = _by_office(request, selectors.committee_orgs(user).order_by("path"), "path")
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
    require_line(user, CASE_TYPE)
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


# --- mediators -----------------------------------------------------------------------------------------


@login_required
def mediators(request):
    user = request.user
    require_line(user, CASE_TYPE)
    qs, offices, office = _by_office(request, selectors.mediators(user), "org__path")
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
    require_line(user, CASE_TYPE)
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


def committee_detail(org) -> dict:
    """A committee as the API shows it: its row (counts, warnings) and its members."""
    return CommitteeWithRoster(selectors.committee_rows([org])[0] | {"roster": list(selectors.members(org))}).data


# --- writes: each one declared once for its page and its API (api/roster.py) ------------------------------


class _RosterWrite(FormAction):
    """Keep the roster: office and section staff of the line, within their scope."""

    def check(self):
        if not selectors.may_manage_roster(self.user):
            raise PermissionRefused(ROSTER_KEEPERS)

    def load(self):
        require_line(self.user, CASE_TYPE)


class CommitteeCreate(_RosterWrite):
    form_class, title, api_status = CommitteeForm, "新建调解组织", 201

    def form_kwargs(self):
        self.parents = list(selectors.parent_choices(self.user))
        initial = {"parent": self.request.GET.get("parent")} if self.request.GET.get("parent") else {}
        return {"parents": self.parents, "initial": initial}

    def save(self, form):
        d = form.cleaned_data
        parent = next(o for o in self.parents if str(o.pk) == d["parent"])
        return reg.create_committee(self.user, parent=parent, name=d["name"], short_name=d["short_name"], **form.profile_data())

    def message(self, c):
        return f"已建立“{c.org.name}”。"

    def result(self, c):
        return committee_detail(c.org)

    def done(self, c):
        return redirect("mediation:committee", pk=c.org_id)

    def crumbs(self):
        return _crumbs(LIST, ("新建", None))


class CommitteeEdit(_RosterWrite):
    form_class = CommitteeForm
    title = "修改调解组织档案"

    def load(self):
        super().load()
        self.org = selectors.committee_org(self.user, self.kwargs["pk"])
        self.title = f"修改调解组织档案：{self.org.name}"

    def form_kwargs(self):
        return {"parents": [self.org.parent], "fixed_parent": True, "initial": committee_initial(self.org)}

    def save(self, form):
        d = form.cleaned_data
        return reg.save_profile(self.user, self.org, name=d["name"], short_name=d["short_name"], **form.profile_data())

    def done(self, c):
        return redirect("mediation:committee", pk=self.org.pk)

    def result(self, c):
        self.org.refresh_from_db()
        return committee_detail(self.org)

    def crumbs(self):
        return _crumbs(LIST, (self.org.name, None))


class MediatorCreate(_RosterWrite):
    form_class, title, api_status = MediatorForm, "登记人民调解员", 201

    def form_kwargs(self):
        self.committees = list(selectors.committee_orgs(self.user).order_by("path"))
        initial = {"committee": self.request.GET.get("committee")} if self.request.GET.get("committee") else {}
        return {"committees": self.committees, "users": list(linkable_users(self.committees)), "initial": initial}

    def save(self, form):
        d = form.cleaned_data
        org = next(o for o in self.committees if str(o.pk) == d["committee"])
        return reg.create_mediator(self.user, committee=org, position=d["position"], since=d["since"], **form.mediator_data())

    def message(self, m):
        return f"已登记调解员 {m.name}。"

    def result(self, m):
        return MediatorDetailSerializer(selectors.mediator(self.user, m.pk)).data

    def done(self, m):
        return redirect("mediation:mediator", pk=m.pk)

    def crumbs(self):
        return _crumbs(PEOPLE, ("登记", None))


class _OneMediator(_RosterWrite):
    def load(self):
        super().load()
        self.m = selectors.mediator(self.user, self.kwargs["pk"])

    def done(self, result):
        return redirect("mediation:mediator", pk=self.m.pk)

    def crumbs(self):
        return _crumbs(PEOPLE, (self.m.name, None))


class MediatorEdit(_OneMediator):
    form_class = MediatorForm
    schema_exclude = ("committee", "position", "since")
    schema_extra = {"clear_phone": lambda: serializers.BooleanField(required=False, help_text="清除已登记的联系电话")}

    def form_kwargs(self):
        self.title = f"修改调解员：{self.m.name}"
        m = self.m
        return {"users": list(linkable_users([m.org])), "editing": True, "phone_mask": identity.mask_phone(m.phone), "initial": mediator_initial(m)}

    def save(self, form):
        return reg.update_mediator(self.user, self.m, **form.mediator_data())

    def result(self, m):
        return MediatorDetailSerializer(selectors.mediator(self.user, m.pk)).data


class MembershipAdd(_OneMediator):
    form_class, api_status = MembershipForm, 201

    def form_kwargs(self):
        self.title = f"任职：{self.m.name}"
        self.committees = list(selectors.committee_orgs(self.user).order_by("path"))
        return {"committees": self.committees}

    def save(self, form):
        d = form.cleaned_data
        org = next(o for o in self.committees if str(o.pk) == d["committee"])
        return reg.add_membership(self.user, self.m, committee=org, position=d["position"], since=d["since"])

    def message(self, ms):
        return "已保存任职。"

    def result(self, ms):
        return MembershipRecord(ms).data


class TrainingAdd(_OneMediator):
    form_class, api_status = TrainingForm, 201

    def form_kwargs(self):
        self.title = f"培训记录：{self.m.name}"
        return {}

    def save(self, form):
        return reg.add_training(self.user, self.m, **form.cleaned_data)

    def message(self, t):
        return "已登记培训记录。"

    def result(self, t):
        return TrainingRecord(t).data


committee_create, committee_edit = CommitteeCreate.page(), CommitteeEdit.page()
mediator_create, mediator_edit = MediatorCreate.page(), MediatorEdit.page()
membership_add, training_add = MembershipAdd.page(), TrainingAdd.page()


@login_required
@require_POST
def membership_end(request, pk):
    user = request.user
    require_line(user, CASE_TYPE)
    ms = get_object_or_404(Membership.objects.select_related("committee", "mediator"), pk=pk, committee__in=selectors.committee_orgs(user))
    if not selectors.may_manage_roster(user):
        raise PermissionDenied(ROSTER_KEEPERS)
    try:
        reg.end_membership(user, ms)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已免去 {ms.mediator.name} 在{ms.committee.name}的职务。")
    return redirect("mediation:mediator", pk=ms.mediator_id)
