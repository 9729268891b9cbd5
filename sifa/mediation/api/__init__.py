"""/api/v1/mediation/: a dispute's sessions and visits, my view, the risk list;
the roster (committees, mediators) from ``api/roster.py``. The disputes' list
(filtered like the page), register and detail are the kernel's, declared in
``line.py`` (``CaseType.api``). Steps are the kernel's: ``mediation/<id>/steps/``.
Same scoping as the pages: another office's record answers 404 like a missing one."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.cases.api import deprecated_step_route, line_only
from sifa.cases.selectors import access_line_case
from sifa.cases.serializers import StepInfo, step_info

from .. import selectors
from ..choices import CASE_TYPE
from ..serializers import (
    DisputeListSerializer,
    MineResponse,
    SessionSerializer,
    VisitSerializer,
)
from ..workflow import WORKFLOW
from .roster import roster_urlpatterns

LineMixin = line_only(CASE_TYPE)


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
    path("mediation/disputes/<int:pk>/sessions/", DisputeSessions.as_view(), name="mediation-sessions"),
    path("mediation/disputes/<int:pk>/visits/", DisputeVisits.as_view(), name="mediation-visits"),
    deprecated_step_route("mediation/disputes/<int:pk>/steps/<str:name>/", "mediation-step-old", CASE_TYPE),
    path("mediation/steps/", Steps.as_view(), name="mediation-steps-all"),
    path("mediation/mine/", Mine.as_view(), name="mediation-mine"),
    path("mediation/risks/", Risks.as_view(), name="mediation-risks"),
    *roster_urlpatterns,
]
