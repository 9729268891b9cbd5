"""/api/v1/cases/: list, detail, search, by code, timeline, transitions, reveal.
The same scoping as the pages: ``visible_to`` / ``access_case``."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from sifa.audit.services import record

from . import parties as party_services
from . import registry, selectors, services
from .models import Party
from .serializers import CaseDetailSerializer, CaseListSerializer, EventSerializer, TransitionRequestSerializer


class CaseScopedMixin:
    """Base for every line's case API: the queryset is what the user may see,
    optionally narrowed to the line's case types."""

    case_types: tuple[str, ...] = ()

    def scoped_cases(self):
        qs = selectors.visible_to(self.request.user)
        if self.case_types:
            qs = qs.filter(case_type__in=self.case_types)
        return qs


@extend_schema(
    summary="案件列表",
    parameters=[
        OpenApiParameter("q", str, description="编码、当事人姓名、拼音首字母或身份证号"),
        OpenApiParameter("case_type", str),
        OpenApiParameter("status", str),
    ],
)
class CaseList(CaseScopedMixin, generics.ListAPIView):
    serializer_class = CaseListSerializer

    def get_queryset(self):
        p = self.request.query_params
        qs = self.scoped_cases()
        if p.get("q"):
            qs = selectors.search(self.request.user, p["q"], qs)
        if p.get("case_type"):
            qs = qs.filter(case_type=p["case_type"])
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        return qs.select_related("owner_org", "handler").order_by("-opened_on", "-id")


@extend_schema(summary="案件详情（个人信息已脱敏）")
class CaseDetail(CaseScopedMixin, generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer

    def get_object(self):
        case = selectors.access_case(self.request.user, self.kwargs["pk"])
        record("case.view", actor=self.request.user, obj=case, detail={"via": "api"})
        return case


@extend_schema(summary="按案件编码查询")
class CaseByCode(CaseDetail):
    def get_object(self):
        case = selectors.access_case(self.request.user, code=self.kwargs["code"])
        record("case.view", actor=self.request.user, obj=case, detail={"via": "api"})
        return case


@extend_schema(summary="办理进展（时间线）")
class CaseTimeline(generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = None

    def get_queryset(self):
        case = selectors.access_case(self.request.user, self.kwargs["pk"])
        return selectors.timeline(case)


class TransitionResult(serializers.Serializer):
    status = serializers.CharField()
    status_label = serializers.CharField()
    version = serializers.IntegerField()
    event = EventSerializer()


@extend_schema(summary="执行办理操作", request=TransitionRequestSerializer, responses={200: TransitionResult})
class CaseTransition(APIView):
    """Apply one workflow step. Refusals answer 400/403 with a Chinese
    ``detail``; a stale ``version`` answers 409; nothing changes in either case."""

    def post(self, request, pk, name):
        body = TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        event = services.transition(
            request.user, pk, name, data=d.get("data") or {}, reason=d.get("reason", ""), expected_version=d.get("version"), on=d.get("on")
        )
        case = event.case
        case.refresh_from_db()
        return Response(
            {"status": case.status, "status_label": case.status_label, "version": case.version, "event": EventSerializer(event).data},
            status=status.HTTP_200_OK,
        )


class RevealResult(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField()


@extend_schema(summary="查看完整个人信息（审计记录）", request=None, responses={200: RevealResult})
class PartyReveal(APIView):
    def post(self, request, pk, field):
        party = Party.objects.filter(pk=pk).first()
        if party is None:
            from django.http import Http404

            raise Http404()
        value = party_services.reveal(request.user, party, field)
        return Response({"field": field, "value": value})


class CaseTypeInfo(serializers.Serializer):
    key = serializers.CharField()
    letters = serializers.CharField()
    label = serializers.CharField()
    states = serializers.DictField(child=serializers.CharField())


@extend_schema(summary="业务类型与状态", responses={200: CaseTypeInfo(many=True)})
class CaseTypes(APIView):
    def get(self, request):
        return Response([{"key": ct.key, "letters": ct.letters, "label": ct.label, "states": ct.workflow.states} for ct in registry.all_types()])


api_urlpatterns = [
    path("cases/", CaseList.as_view(), name="cases-list"),
    path("cases/types/", CaseTypes.as_view(), name="cases-types"),
    path("cases/<int:pk>/", CaseDetail.as_view(), name="cases-detail"),
    path("cases/by-code/<str:code>/", CaseByCode.as_view(), name="cases-by-code"),
    path("cases/<int:pk>/timeline/", CaseTimeline.as_view(), name="cases-timeline"),
    path("cases/<int:pk>/transitions/<str:name>/", CaseTransition.as_view(), name="cases-transition"),
    path("parties/<int:pk>/reveal/<str:field>/", PartyReveal.as_view(), name="parties-reveal"),
]
