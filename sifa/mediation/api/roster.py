"""/api/v1/mediation/ roster (名册): committees and studios, mediators, positions
(任职) and training records, read and written.

Each write is the page's own ``FormAction`` (``views/roster.py``) answering
JSON: the same order of checks (the line, then the record in scope — another
office's answers 404 like a missing one — then the right to keep the roster,
403), the same form and the same service (which writes the audit entry).
Fields not sent take the values the page's form starts from (an edit keeps the
current values, a new record the form's defaults). A refusal answers 400/403
with a Chinese ``detail`` naming the field (``field``) and changes nothing."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.cases.api import line_only
from sifa.common.errors import PermissionRefused
from sifa.orgs.models import Org

from .. import selectors
from ..choices import CASE_TYPE
from ..models import Membership
from ..serializers import CommitteeRowSerializer, CommitteeWithRoster, MediatorDetailSerializer, MediatorSerializer, MembershipRecord, TrainingRecord
from ..services import roster as reg
from ..views import roster as actions

# Users outside the mediation line get 404 on every roster route (as on the pages).
# (Comments, not docstrings, on these classes: drf-spectacular would publish a docstring.)
RosterMixin = line_only(CASE_TYPE)


_create_committee = actions.CommitteeCreate.api(
    summary="新建调解组织或调解工作室",
    response=CommitteeWithRoster,
    description="与页面“新建调解组织”相同的校验：所属组织须在本人管理范围内；组成要求（三至九名委员、主任、妇女成员）只作提示，见 warnings。",
)
_edit_committee = actions.CommitteeEdit.api(
    "patch",
    summary="修改调解组织档案",
    response=CommitteeWithRoster,
    description="未提交的字段保持原值；所属组织不可变更。尚无档案的组织须提交 committee_type。",
)
_create_mediator = actions.MediatorCreate.api(
    summary="登记人民调解员",
    response=MediatorDetailSerializer,
    description="与页面“登记人民调解员”相同：同时在所属调解组织任职；登录账号须为本组织的“人民调解员”角色账号且未关联他人。",
)
_edit_mediator = actions.MediatorEdit.api(
    "patch",
    summary="修改人民调解员",
    response=MediatorDetailSerializer,
    description="未提交的字段保持原值；联系电话不提交或留空不修改，clear_phone=true 清除。任职另见 memberships。",
)


class Committees(RosterMixin, _create_committee):
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


class CommitteeDetail(RosterMixin, _edit_committee):
    @extend_schema(summary="调解组织详情（在任人员）", responses={200: CommitteeWithRoster})
    def get(self, request, pk):
        return Response(actions.committee_detail(selectors.committee_org(request.user, pk)))


class Mediators(RosterMixin, generics.ListAPIView, _create_mediator):
    serializer_class = MediatorSerializer

    @extend_schema(summary="人民调解员", parameters=[OpenApiParameter("committee", int, description="调解组织 id")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.mediators(self.request.user).prefetch_related("memberships__committee")
        c = self.request.query_params.get("committee") or ""
        if c.isdigit():
            qs = qs.filter(memberships__committee_id=c, memberships__active=True).distinct()
        return qs.order_by("org__path", "name", "id")


class MediatorDetail(RosterMixin, _edit_mediator):
    @extend_schema(summary="人民调解员详情（含任职、培训记录）", responses={200: MediatorDetailSerializer})
    def get(self, request, pk):
        return Response(MediatorDetailSerializer(selectors.mediator(request.user, pk)).data)


class Memberships(
    RosterMixin,
    actions.MembershipAdd.api(
        summary="人民调解员任职",
        response=MembershipRecord,
        description="在（另一）调解组织任职，或改任同一组织的职务。主任多于一人等组成问题只作提示（见调解组织的 warnings）。",
    ),
):
    pass


class MembershipEnd(RosterMixin, APIView):
    @extend_schema(summary="免去职务", request=None, responses={200: MembershipRecord})
    def post(self, request, pk):
        user = request.user
        ms = get_object_or_404(Membership.objects.select_related("committee", "mediator"), pk=pk, committee__in=selectors.committee_orgs(user))
        if not selectors.may_manage_roster(user):
            raise PermissionRefused(actions.ROSTER_KEEPERS)
        reg.end_membership(user, ms)
        return Response(MembershipRecord(ms).data)


class Trainings(RosterMixin, actions.TrainingAdd.api(summary="登记培训记录", response=TrainingRecord)):
    pass


roster_urlpatterns = [
    path("mediation/committees/", Committees.as_view(), name="mediation-committees"),
    path("mediation/committees/<int:pk>/", CommitteeDetail.as_view(), name="mediation-committee"),
    path("mediation/mediators/", Mediators.as_view(), name="mediation-mediators"),
    path("mediation/mediators/<int:pk>/", MediatorDetail.as_view(), name="mediation-mediator"),
    path("mediation/mediators/<int:pk>/memberships/", Memberships.as_view(), name="mediation-memberships"),
    path("mediation/memberships/<int:pk>/end/", MembershipEnd.as_view(), name="mediation-membership-end"),
    path("mediation/mediators/<int:pk>/trainings/", Trainings.as_view(), name="mediation-trainings"),
]
