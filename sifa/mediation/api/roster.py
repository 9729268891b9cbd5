"""/api/v1/mediation/ roster (名册): committees and studios, mediators, positions
(任职) and training records, read and written.

The writes do exactly what the pages in ``views/roster.py`` do: the same
access order (the line, then the record in scope — another office's answers 404
like a missing one — then the right to keep the registry, 403), the same Django
forms for validation and the same services (which write the audit entries).
A JSON body is turned into form data: fields not sent take the values the
page's form starts from (an edit keeps the current values, a new record the
form's defaults). A refusal answers 400/403 with a Chinese ``detail`` naming
the field (``field``) and changes nothing."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.cases.selectors import require_line
from sifa.common import identity
from sifa.common.api import bind_form, labelled_errors
from sifa.common.errors import PermissionRefused
from sifa.orgs.models import Org

from .. import selectors
from ..choices import CASE_TYPE, CommitteeType, Gender, MediatorLevel, Position
from ..forms.roster import CommitteeForm, MediatorForm, MembershipForm, TrainingForm, committee_initial, linkable_users, mediator_initial
from ..models import Membership
from ..serializers import CommitteeRowSerializer, MediatorDetailSerializer, MediatorSerializer, MembershipSerializer, TrainingSerializer
from ..services import roster as reg

# --- access --------------------------------------------------------------------------------------------


# Users outside the mediation line get 404 on every roster route (the pages' ``_read``).
# (Comments, not docstrings, on these classes: drf-spectacular would publish a docstring.)
class RosterMixin:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_line(request.user, CASE_TYPE)


def _write(user) -> None:
    """The pages' ``_write``, as a 403 with the same Chinese sentence."""
    require_line(user, CASE_TYPE)
    if not selectors.may_manage_roster(user):
        raise PermissionRefused("您的角色不能修改调解组织和调解员档案。")


def _pick(orgs, pk):
    """The org the form's choice field accepted (its choices are these orgs)."""
    return next(o for o in orgs if str(o.pk) == str(pk))


# --- serializers (request bodies are documentation: the forms validate) ------------------------------------


class RosterItem(serializers.Serializer):
    mediator = serializers.IntegerField(source="mediator_id")
    name = serializers.CharField(source="mediator.name")
    gender = serializers.CharField(source="mediator.gender")
    position = serializers.CharField()
    position_label = serializers.CharField(source="get_position_display")


class CommitteeWithRoster(CommitteeRowSerializer):
    roster = RosterItem(many=True)


class CommitteeWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, help_text="名称")
    short_name = serializers.CharField(max_length=20, help_text="简称（用于文号）")
    parent = serializers.IntegerField(help_text="所属司法所/上级组织 id（修改时不可变更，忽略）")
    committee_type = serializers.ChoiceField(choices=CommitteeType.choices, help_text="组织类型")
    field_code = serializers.CharField(required=False, allow_blank=True, help_text="行业/专业领域（字典代码）")
    established_on = serializers.DateField(required=False, allow_null=True, help_text="成立日期")
    term_start = serializers.DateField(required=False, allow_null=True, help_text="本届任期起始")
    term_years = serializers.IntegerField(required=False, min_value=1, max_value=10, help_text="每届任期（年），默认 3")
    filed_on = serializers.DateField(required=False, allow_null=True, help_text="备案日期")
    address = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="地址")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="联系电话")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="备注")


class MediatorFields(serializers.Serializer):
    name = serializers.CharField(max_length=50, help_text="姓名")
    gender = serializers.ChoiceField(choices=Gender.choices, help_text="性别")
    # A plain string, not an enum: "kind" already names the party-kind enum in the schema.
    kind = serializers.CharField(required=False, help_text="full_time 专职 / part_time 兼职（默认）")
    level = serializers.ChoiceField(choices=MediatorLevel.choices, required=False, allow_blank=True, help_text="等级")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30, help_text="联系电话")
    user = serializers.IntegerField(required=False, allow_null=True, help_text="登录账号 id（本调解组织的“人民调解员”角色账号）；null 不关联")
    is_active = serializers.BooleanField(required=False, help_text="在职（新登记默认 true）")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text="备注")


class MediatorCreateSerializer(MediatorFields):
    committee = serializers.IntegerField(help_text="所属调解组织 id")
    position = serializers.ChoiceField(choices=Position.choices, required=False, help_text="职务（默认聘任调解员）")
    since = serializers.DateField(required=False, allow_null=True, help_text="任职日期")


class MediatorUpdateSerializer(MediatorFields):
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30, help_text="联系电话；不提交或留空不修改")
    clear_phone = serializers.BooleanField(required=False, help_text="清除已登记的联系电话")


class MembershipCreateSerializer(serializers.Serializer):
    committee = serializers.IntegerField(help_text="调解组织 id")
    position = serializers.ChoiceField(choices=Position.choices, required=False, help_text="职务（默认委员）")
    since = serializers.DateField(required=False, allow_null=True, help_text="任职日期")


class TrainingCreateSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="培训日期")
    title = serializers.CharField(max_length=200, help_text="培训内容")
    organizer = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="组织单位")
    hours = serializers.DecimalField(required=False, allow_null=True, max_digits=5, decimal_places=1, min_value=0, help_text="学时")


# A position with its mediator's id.
class MembershipRecord(MembershipSerializer):
    class Meta(MembershipSerializer.Meta):
        fields = ["mediator", *MembershipSerializer.Meta.fields]


class TrainingRecord(TrainingSerializer):
    class Meta(TrainingSerializer.Meta):
        fields = ["id", "mediator", *TrainingSerializer.Meta.fields]


# --- committees ------------------------------------------------------------------------------------------


def _committee_detail(org) -> dict:
    return CommitteeWithRoster(selectors.committee_rows([org])[0] | {"roster": list(selectors.members(org))}).data


class Committees(RosterMixin, APIView):
    @extend_schema(
        summary="调解组织（含组成提示）",
        parameters=[OpenApiParameter("office", int, description="司法所 id")],
        responses={200: CommitteeRowSerializer(many=True)},
    )
    def get(self, request):
        orgs = selectors.committee_orgs(request.user).order_by("path")
        office = request.query_params.get("office") or ""
        if office.isdigit():
            o = Org.objects.filter(pk=office).first()
            orgs = orgs.filter(path__startswith=o.path) if o else orgs.none()
        return Response(CommitteeRowSerializer(selectors.committee_rows(orgs), many=True).data)

    @extend_schema(
        summary="新建调解组织或调解工作室",
        request=CommitteeWriteSerializer,
        responses={201: CommitteeWithRoster},
        description="与页面“新建调解组织”相同的校验：所属组织须在本人管理范围内；组成要求（三至九名委员、主任、妇女成员）只作提示，见 warnings。",
    )
    def post(self, request):
        user = request.user
        _write(user)
        parents = list(selectors.parent_choices(user))
        form = bind_form(CommitteeForm, request, parents=parents)
        d = form.cleaned_data
        with labelled_errors(form):
            c = reg.create_committee(user, parent=_pick(parents, d["parent"]), name=d["name"], short_name=d["short_name"], **form.profile_data())
        return Response(_committee_detail(c.org), status=status.HTTP_201_CREATED)


class CommitteeDetail(RosterMixin, APIView):
    @extend_schema(summary="调解组织详情（在任人员）", responses={200: CommitteeWithRoster})
    def get(self, request, pk):
        return Response(_committee_detail(selectors.committee_org(request.user, pk)))

    @extend_schema(
        summary="修改调解组织档案",
        request=CommitteeWriteSerializer,
        responses={200: CommitteeWithRoster},
        description="未提交的字段保持原值；所属组织不可变更。尚无档案的组织须提交 committee_type。",
    )
    def patch(self, request, pk):
        user = request.user
        org = selectors.committee_org(user, pk)
        _write(user)
        form = bind_form(CommitteeForm, request, parents=[org.parent], fixed_parent=True, initial=committee_initial(org))
        d = form.cleaned_data
        with labelled_errors(form):
            reg.save_profile(user, org, name=d["name"], short_name=d["short_name"], **form.profile_data())
        org.refresh_from_db()
        return Response(_committee_detail(org))


# --- mediators -------------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="人民调解员", parameters=[OpenApiParameter("committee", int, description="调解组织 id")]),
)
class Mediators(RosterMixin, generics.ListAPIView):
    serializer_class = MediatorSerializer

    def get_queryset(self):
        qs = selectors.mediators(self.request.user).prefetch_related("memberships__committee")
        c = self.request.query_params.get("committee") or ""
        if c.isdigit():
            qs = qs.filter(memberships__committee_id=c, memberships__active=True).distinct()
        return qs.order_by("org__path", "name", "id")

    @extend_schema(
        summary="登记人民调解员",
        request=MediatorCreateSerializer,
        responses={201: MediatorDetailSerializer},
        description="与页面“登记人民调解员”相同：同时在所属调解组织任职；登录账号须为本组织的“人民调解员”角色账号且未关联他人。",
    )
    def post(self, request):
        user = request.user
        _write(user)
        committees = list(selectors.committee_orgs(user).order_by("path"))
        form = bind_form(MediatorForm, request, committees=committees, users=list(linkable_users(committees)))
        d = form.cleaned_data
        with labelled_errors(form):
            m = reg.create_mediator(user, committee=_pick(committees, d["committee"]), position=d["position"], since=d["since"], **form.mediator_data())
        return Response(MediatorDetailSerializer(selectors.mediator(user, m.pk)).data, status=status.HTTP_201_CREATED)


class MediatorDetail(RosterMixin, APIView):
    @extend_schema(summary="人民调解员详情（含任职、培训记录）", responses={200: MediatorDetailSerializer})
    def get(self, request, pk):
        return Response(MediatorDetailSerializer(selectors.mediator(request.user, pk)).data)

    @extend_schema(
        summary="修改人民调解员",
        request=MediatorUpdateSerializer,
        responses={200: MediatorDetailSerializer},
        description="未提交的字段保持原值；联系电话不提交或留空不修改，clear_phone=true 清除。任职另见 memberships。",
    )
    def patch(self, request, pk):
        user = request.user
        m = selectors.mediator(user, pk)
        _write(user)
        form = bind_form(
            MediatorForm, request, users=list(linkable_users([m.org])), editing=True, phone_mask=identity.mask_phone(m.phone), initial=mediator_initial(m)
        )
        with labelled_errors(form):
            reg.update_mediator(user, m, **form.mediator_data())
        return Response(MediatorDetailSerializer(selectors.mediator(user, m.pk)).data)


class Memberships(RosterMixin, APIView):
    @extend_schema(
        summary="人民调解员任职",
        request=MembershipCreateSerializer,
        responses={201: MembershipRecord},
        description="在（另一）调解组织任职，或改任同一组织的职务。主任多于一人等组成问题只作提示（见调解组织的 warnings）。",
    )
    def post(self, request, pk):
        user = request.user
        m = selectors.mediator(user, pk)
        _write(user)
        committees = list(selectors.committee_orgs(user).order_by("path"))
        form = bind_form(MembershipForm, request, committees=committees)
        d = form.cleaned_data
        with labelled_errors(form):
            ms = reg.add_membership(user, m, committee=_pick(committees, d["committee"]), position=d["position"], since=d["since"])
        return Response(MembershipRecord(ms).data, status=status.HTTP_201_CREATED)


class MembershipEnd(RosterMixin, APIView):
    @extend_schema(summary="免去职务", request=None, responses={200: MembershipRecord})
    def post(self, request, pk):
        user = request.user
        ms = get_object_or_404(Membership.objects.select_related("committee", "mediator"), pk=pk, committee__in=selectors.committee_orgs(user))
        _write(user)
        reg.end_membership(user, ms)
        return Response(MembershipRecord(ms).data)


class Trainings(RosterMixin, APIView):
    @extend_schema(summary="登记培训记录", request=TrainingCreateSerializer, responses={201: TrainingRecord})
    def post(self, request, pk):
        user = request.user
        m = selectors.mediator(user, pk)
        _write(user)
        form = bind_form(TrainingForm, request)
        with labelled_errors(form):
            t = reg.add_training(user, m, **form.cleaned_data)
        return Response(TrainingRecord(t).data, status=status.HTTP_201_CREATED)


roster_urlpatterns = [
    path("mediation/committees/", Committees.as_view(), name="mediation-committees"),
    path("mediation/committees/<int:pk>/", CommitteeDetail.as_view(), name="mediation-committee"),
    path("mediation/mediators/", Mediators.as_view(), name="mediation-mediators"),
    path("mediation/mediators/<int:pk>/", MediatorDetail.as_view(), name="mediation-mediator"),
    path("mediation/mediators/<int:pk>/memberships/", Memberships.as_view(), name="mediation-memberships"),
    path("mediation/memberships/<int:pk>/end/", MembershipEnd.as_view(), name="mediation-membership-end"),
    path("mediation/mediators/<int:pk>/trainings/", Trainings.as_view(), name="mediation-trainings"),
]
