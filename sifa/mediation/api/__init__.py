"""/api/v1/mediation/: disputes (list filtered like the page, detail, register),
sessions, visits, my view, the risk list; the roster (committees, mediators)
from ``api/roster.py``. Steps are the kernel's: ``mediation/<id>/steps/``.
Same scoping as the pages: another office's record answers 404 like a missing one."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.cases.api import LineCase, LineCases, deprecated_step_route
from sifa.cases.selectors import access_line_case, creatable_orgs, require_line
from sifa.cases.serializers import StepInfo, step_info
from sifa.common.errors import DomainError

from .. import selectors
from ..choices import CASE_TYPE
from ..serializers import (
    DisputeCreateSerializer,
    DisputeDetailSerializer,
    DisputeListSerializer,
    DuplicateResponse,
    MineResponse,
    SessionSerializer,
    VisitSerializer,
)
from ..services import DuplicateDispute, register_dispute
from ..workflow import WORKFLOW
from .roster import roster_urlpatterns


class LineMixin:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_line(request.user, CASE_TYPE)


@extend_schema(
    summary="人民调解纠纷列表",
    parameters=[
        OpenApiParameter("status", str, description="状态；open = 在办"),
        OpenApiParameter("org", int, description="调解组织 id（旧参数名 committee 仍可用）"),
        OpenApiParameter("dispute_type", str, description="纠纷大类代码"),
        OpenApiParameter("source", str, description="来源分类：application / initiative / referral"),
        OpenApiParameter("risk", bool, description="仅风险预警"),
        OpenApiParameter("q", str, description="编码、当事人姓名、拼音首字母或身份证号"),
    ],
)
class DisputeList(LineCases):
    list_key = "mediation.list"
    serializer_class = DisputeListSerializer
    create_serializer_class = DisputeCreateSerializer
    detail_serializer_class = DisputeDetailSerializer
    param_aliases = {"committee": "org"}

    @extend_schema(
        summary="登记人民调解纠纷",
        request=DisputeCreateSerializer,
        responses={201: DisputeDetailSerializer, 409: DuplicateResponse},
        description="当事人（按身份证号，无证件号的按姓名）已有在办纠纷时返回 409 和疑似重复的纠纷；核对后以 confirm_duplicate=true 再次提交。",
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except DuplicateDispute as exc:
            items = [{"id": c.pk, "code": c.code, "title": c.title, "owner_org": c.owner_org.name} for c in exc.matches]
            return Response({"detail": exc.message, "code": exc.code, "field": exc.field, "duplicates": items}, status=status.HTTP_409_CONFLICT)

    def register(self, user, data):
        org = creatable_orgs(user, CASE_TYPE).filter(pk=data.pop("owner_org")).first()
        if org is None:
            raise DomainError("调解组织无效或不在您可登记的范围内。", field="owner_org")
        return register_dispute(user, owner_org=org, **data)


@extend_schema(summary="人民调解纠纷详情（个人信息已脱敏）")
class DisputeDetail(LineCase):
    case_type = CASE_TYPE
    serializer_class = DisputeDetailSerializer


@extend_schema(summary="调查/调解记录（含已安排的调解）")
class DisputeSessions(LineMixin, generics.ListAPIView):
    serializer_class = SessionSerializer
    pagination_class = None

    def get_queryset(self):
        return access_line_case(self.request.user, self.kwargs["pk"], CASE_TYPE).dispute.sessions.all()


@extend_schema(summary="回访记录")
class DisputeVisits(LineMixin, generics.ListAPIView):
    serializer_class = VisitSerializer
    pagination_class = None

    def get_queryset(self):
        return access_line_case(self.request.user, self.kwargs["pk"], CASE_TYPE).dispute.visits.all()


@extend_schema(summary="全部办理步骤及其字段（旧地址；本案当前可执行的步骤见 mediation/<id>/steps/）", responses={200: StepInfo(many=True)}, deprecated=True)
class Steps(LineMixin, APIView):
    def get(self, request):
        return Response([step_info(t, t.form(None, None) if t.form else None) for t in WORKFLOW.steps])


@extend_schema(summary="我的调解：在办纠纷、待开展的调解、待回访", responses={200: MineResponse})
class Mine(LineMixin, APIView):
    def get(self, request):
        user = request.user
        follow = [
            {"case_id": d.case_id, "code": d.case.code, "due_date": d.due_date.isoformat(), "light": light} for d, light in selectors.due_followups(user)[:50]
        ]
        return Response(
            {
                "disputes": DisputeListSerializer(selectors.mine(user).select_related("owner_org", "handler", "dispute")[:100], many=True).data,
                "next_sessions": SessionSerializer(selectors.next_sessions(user)[:50], many=True).data,
                "due_followups": follow,
            }
        )


@extend_schema(summary="防止民转刑：有风险预警的在办纠纷", parameters=[OpenApiParameter("all", bool, description="含已处置的预警")])
class Risks(LineMixin, generics.ListAPIView):
    serializer_class = DisputeListSerializer

    def get_queryset(self):
        return selectors.risk_list(self.request.user, include_resolved=self.request.query_params.get("all") in ("1", "true"))


api_urlpatterns = [
    path("mediation/disputes/", DisputeList.as_view(), name="mediation-disputes"),
    path("mediation/disputes/<int:pk>/", DisputeDetail.as_view(), name="mediation-dispute"),
    path("mediation/disputes/<int:pk>/sessions/", DisputeSessions.as_view(), name="mediation-sessions"),
    path("mediation/disputes/<int:pk>/visits/", DisputeVisits.as_view(), name="mediation-visits"),
    deprecated_step_route("mediation/disputes/<int:pk>/steps/<str:name>/", "mediation-step-old", CASE_TYPE),
    path("mediation/steps/", Steps.as_view(), name="mediation-steps-all"),
    path("mediation/mine/", Mine.as_view(), name="mediation-mine"),
    path("mediation/risks/", Risks.as_view(), name="mediation-risks"),
    *roster_urlpatterns,
]
