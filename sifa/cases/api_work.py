"""/api/v1/cases/: the intake list and taking a case, transfer, sharing and
hand-over (``cases.movement``), the pages' own actions in JSON
(``views_work``): the same checks, forms and services."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import movement, procedures, selectors
from .serializers import CaseDetailSerializer, CaseListSerializer, EventSerializer, StepInfo, TransitionRequestSerializer, step_info
from .services import bind_step_form
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


# --- procedures inside a case (cases.procedures) ----------------------------------------------------------


class ProcedureInfo(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    steps = StepInfo(many=True, help_text="本人现在可执行的步骤（即页面上的按钮）")


class Openable(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class ProceduresAnswer(serializers.Serializer):
    procedures = ProcedureInfo(many=True)
    openable = Openable(many=True)


class OpenRequest(serializers.Serializer):
    key = serializers.CharField(help_text="程序的代码（见 openable）")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _procedure_info(user, p) -> dict:
    steps = [step_info(t, bind_step_form(t, p.case, p) if t.form else None) for t in procedures.allowed(user, p)]
    fields = ("id", "key", "label", "status", "status_label", "opened_on", "closed_on", "outcome")
    return {f: getattr(p, f) for f in fields} | {"steps": steps}


class Procedures(APIView):
    @extend_schema(summary="本案的审批等程序及本人现在可执行的步骤", responses={200: ProceduresAnswer})
    def get(self, request, pk):
        case = selectors.access_case(request.user, pk)
        items = [_procedure_info(request.user, p) for p in case.procedures.all()]
        return Response({"procedures": items, "openable": [{"key": s.key, "label": s.label} for s in procedures.openable(request.user, case)]})

    @extend_schema(summary="发起程序（如审批、异议）", request=OpenRequest, responses={201: ProcedureInfo})
    def post(self, request, pk):
        case = selectors.access_case(request.user, pk)
        body = OpenRequest(data=request.data)
        body.is_valid(raise_exception=True)
        proc = procedures.open_procedure(request.user, case, body.validated_data["key"], reason=body.validated_data["reason"])
        return Response(_procedure_info(request.user, proc), status=201)


@extend_schema(summary="执行程序中的步骤", request=TransitionRequestSerializer, responses={200: EventSerializer})
class ProcedureStep(APIView):
    def post(self, request, pk, proc_pk, name):
        proc = procedures.procedure_of(request.user, pk, proc_pk)
        body = TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        event = procedures.take_step(
            request.user, proc, name, data=d.get("data") or {}, reason=d.get("reason", ""), on=d.get("on"), expected_version=d.get("version")
        )
        return Response(EventSerializer(event).data)


work_urlpatterns = [
    path("cases/<int:pk>/procedures/", Procedures.as_view(), name="cases-procedures"),
    path("cases/<int:pk>/procedures/<int:proc_pk>/steps/<str:name>/", ProcedureStep.as_view(), name="cases-procedure-step"),
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
