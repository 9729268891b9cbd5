"""/api/v1/cases/: the intake list and taking a case, transfer, sharing and
hand-over (``cases.movement``), the pages' own actions in JSON
(``views_work``): the same checks, forms and services."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from . import movement, selectors
from .serializers import CaseDetailSerializer, CaseListSerializer
from .views_work import HandOver, Share, Transfer


@extend_schema(summary="待分配案件（尚无承办人、本人可认领的在办案件）")
class Intake(generics.ListAPIView):
    serializer_class = CaseListSerializer

    def get_queryset(self):
        return selectors.intake(self.request.user).select_related("owner_org", "handler").order_by("opened_on", "id")


@extend_schema(summary="认领案件（本人成为承办人）", request=None, responses={200: CaseDetailSerializer})
class Take(APIView):
    def post(self, request, pk):
        case = movement.take(request.user, pk)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)


@extend_schema(summary="结束共享", request=None, responses={204: None})
class EndShare(APIView):
    def post(self, request, pk):
        movement.end_share(request.user, pk)
        return Response(status=204)


work_urlpatterns = [
    path("cases/intake/", Intake.as_view(), name="cases-intake"),
    path("cases/<int:pk>/take/", Take.as_view(), name="cases-take"),
    path(
        "cases/<int:pk>/transfer/",
        Transfer.api(summary="移送案件（随案移送编码、办理进展、期限和文书）", response=CaseDetailSerializer).as_view(),
        name="cases-transfer",
    ),
    path("cases/<int:pk>/shares/", Share.api(summary="共享给其他机构（默认只读）", response=CaseDetailSerializer).as_view(), name="cases-share"),
    path("cases/shares/<int:pk>/end/", EndShare.as_view(), name="cases-share-end"),
    path("cases/<int:pk>/handovers/<str:key>/", HandOver.api(summary="移交为其他业务的案件", response=CaseDetailSerializer).as_view(), name="cases-handover"),
]
