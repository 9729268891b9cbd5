"""Forms of the roster (名册): committees and studios, mediators, positions, training.

The page (``views/roster.py``) and the API (``api/roster.py``) validate
through these same forms; ``committee_initial`` / ``mediator_initial`` are what an
edit starts from (the page shows them, the API keeps them for fields not sent)."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from sifa.accounts.models import User
from sifa.common import dictionaries
from sifa.common.forms import LineForm

from ..choices import FIELD_SET, MEDIATOR, CommitteeType, Gender, MediatorKind, MediatorLevel, Position
from ..models import Committee

PROFILE_FIELDS = ("committee_type", "field_code", "established_on", "term_start", "term_years", "filed_on", "note")


def _org_choices(orgs) -> list[tuple[str, str]]:
    return [(str(o.pk), o.name) for o in orgs]


class CommitteeForm(LineForm):
    live_checks = {"phone": "phone"}
    name = forms.CharField(label="名称", max_length=100, help_text="如：东湖街道人民调解委员会、老娘舅金牌调解工作室")
    short_name = forms.CharField(label="简称", max_length=20, help_text="用于文号，如“东湖调委会”")
    parent = forms.ChoiceField(label="所属司法所/上级组织")
    committee_type = forms.ChoiceField(label="组织类型", choices=CommitteeType.choices)
    field_code = forms.ChoiceField(label="行业/专业领域", required=False)
    established_on = forms.DateField(label="成立日期", required=False, widget=forms.DateInput)
    term_start = forms.DateField(label="本届任期起始", required=False, widget=forms.DateInput)
    term_years = forms.IntegerField(label="每届任期（年）", min_value=1, max_value=10, initial=3)
    filed_on = forms.DateField(
        label="备案日期", required=False, widget=forms.DateInput, help_text="设立、变更须在三十个工作日内向司法局备案（宁波条例第十三条）"
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, parents=(), fixed_parent=False, **kwargs):
        self.parents, self.fixed_parent = list(parents), fixed_parent
        super().__init__(*args, **kwargs)

    def setup(self):
        self.fields["parent"].choices = _org_choices(self.parents)
        if self.fixed_parent:
            self.fields["parent"].disabled = True
        self.fields["field_code"].choices = [("", "—")] + dictionaries.choices(FIELD_SET)

    def profile_data(self) -> dict:
        """What ``services.roster`` takes besides parent, name and short name."""
        d = self.cleaned_data
        return {k: d.get(k) for k in (*PROFILE_FIELDS, "address", "phone")}


def committee_initial(org) -> dict:
    """The edit form's starting values: the org and its profile (if it has one)."""
    initial = {"name": org.name, "short_name": org.short_name, "parent": str(org.parent_id), "address": org.address, "phone": org.phone}
    profile = Committee.objects.filter(org=org).first()
    if profile is not None:
        initial |= {k: getattr(profile, k) for k in PROFILE_FIELDS}
    return initial


def linkable_users(committees):
    """Choices of the mediator's sign-in account: active 人民调解员 accounts inside the committees."""
    cond = Q()
    for c in committees:
        cond |= Q(org__path__startswith=c.path)
    if not committees:
        return User.objects.none()
    return User.objects.filter(cond, role=MEDIATOR, is_active=True).order_by("full_name")


def mediator_initial(m) -> dict:
    """The edit form's starting values (never the stored phone: it is masked)."""
    return {k: getattr(m, k) for k in ("name", "gender", "kind", "level", "is_active", "note")} | {"user": str(m.user_id or "")}


class MediatorForm(LineForm):
    live_checks = {"phone": "phone"}
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    committee = forms.ChoiceField(label="所属调解组织")
    position = forms.ChoiceField(label="职务", choices=Position.choices, initial=Position.MEDIATOR)
    since = forms.DateField(label="任职日期", required=False, widget=forms.DateInput)
    kind = forms.ChoiceField(label="专兼职", choices=MediatorKind.choices, initial=MediatorKind.PART_TIME)
    level = forms.ChoiceField(label="等级", choices=MediatorLevel.choices, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    user = forms.ChoiceField(label="登录账号", required=False, help_text="需要登录系统办案的调解员，关联其“人民调解员”角色账号")
    is_active = forms.BooleanField(label="在职", required=False, initial=True)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, committees=(), users=(), editing=False, phone_mask="", **kwargs):
        self.committees, self.users, self.editing, self.phone_mask = list(committees), list(users), editing, phone_mask
        super().__init__(*args, **kwargs)

    def setup(self):
        self.fields["committee"].choices = _org_choices(self.committees)
        self.fields["user"].choices = [("", "不关联")] + [(str(u.pk), f"{u.display_name}（{u.username}）") for u in self.users]
        if self.editing:
            # Positions are kept per committee (任职); the edit form changes the person.
            for name in ("committee", "position", "since"):
                del self.fields[name]
        if self.phone_mask:
            # The stored number is not sent to the page (SECURITY.md masking): blank keeps it.
            self.fields["phone"].widget.attrs["placeholder"] = f"已登记：{self.phone_mask}（留空不修改）"
            self.fields["clear_phone"] = forms.BooleanField(label="清除已登记的联系电话", required=False)

    def mediator_data(self) -> dict:
        d = self.cleaned_data
        data = {k: d.get(k) for k in ("name", "gender", "kind", "level", "phone", "user", "is_active", "note")}
        if self.phone_mask and not d.get("phone"):
            if d.get("clear_phone"):
                data["phone"] = ""
            else:
                data.pop("phone")
        return data


class MembershipForm(LineForm):
    committee = forms.ChoiceField(label="调解组织")
    position = forms.ChoiceField(label="职务", choices=Position.choices, initial=Position.MEMBER)
    since = forms.DateField(label="任职日期", required=False, widget=forms.DateInput)

    def __init__(self, *args, committees=(), **kwargs):
        self.committees = list(committees)
        super().__init__(*args, **kwargs)

    def setup(self):
        self.fields["committee"].choices = _org_choices(self.committees)


class TrainingForm(LineForm):
    on = forms.DateField(label="培训日期", widget=forms.DateInput)
    title = forms.CharField(label="培训内容", max_length=200)
    organizer = forms.CharField(label="组织单位", max_length=100, required=False)
    hours = forms.DecimalField(label="学时", required=False, max_digits=5, decimal_places=1, min_value=0)
