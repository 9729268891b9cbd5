"""/api/v1/reconsideration/ and /api/v1/litigation/: list, create, detail (with
each case's named deadlines and due dates), and workflow steps. Scoping is the
pages': ``visible_to`` / ``access_case``; another office's case answers 404."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from sifa.accounts.roles import HANDLE, has_cap
from sifa.audit.services import record
from sifa.cases import selectors as case_selectors
from sifa.cases.api import CaseScopedMixin, CaseTransition, TransitionResult
from sifa.cases.serializers import TransitionRequestSerializer
from sifa.orgs.selectors import bureau_of

from . import selectors, services
from .choices import FY_KEY, YS_KEY
from .serializers import FyCreateSerializer, FyDetailSerializer, FyListSerializer, YsCreateSerializer, YsDetailSerializer, YsListSerializer

LIST_PARAMS = [OpenApiParameter("q", str, description="编码、当事人姓名、拼音首字母或身份证号"), OpenApiParameter("status", str, description="状态")]


class _LineList(CaseScopedMixin, generics.ListCreateAPIView):
    key = ""
    create_serializer = None
    detail_serializer = None
    related = ""

    def get_serializer_class(self):
        return self.create_serializer if self.request.method == "POST" else self.serializer_class

    def get_queryset(self):
        p = self.request.query_params
        qs = self.scoped_cases()
        if p.get("q"):
            qs = case_selectors.search(self.request.user, p["q"], qs)
        if p.get("status"):
            qs = qs.filter(status=p["status"])
        return qs.select_related("owner_org", "handler", self.related).order_by("-opened_on", "-id")

    def create(self, request, *args, **kwargs):
        if not (selectors.uses_line(request.user, self.key) and has_cap(request.user, HANDLE)):
            raise PermissionDenied("您的角色不能登记该业务的案件。")
        body = self.create_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = self.register(request.user, dict(body.validated_data))
        return Response(self.detail_serializer(case, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["行政复议"], parameters=LIST_PARAMS)
class FyList(_LineList):
    """GET: 行政复议案件列表（个人信息已脱敏）；POST: 登记行政复议申请。"""

    case_types = (FY_KEY,)
    key = FY_KEY
    serializer_class = FyListSerializer
    create_serializer = FyCreateSerializer
    detail_serializer = FyDetailSerializer
    related = "fy_application"

    @extend_schema(summary="行政复议案件列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="登记行政复议申请", request=FyCreateSerializer, responses={201: FyDetailSerializer})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def register(self, user, data):
        parties = [dict(p) for p in data.pop("parties")]
        return services.register_application(user, org=bureau_of(user.org), parties=parties, **data)


@extend_schema(tags=["行政应诉"], parameters=LIST_PARAMS)
class YsList(_LineList):
    """GET: 行政应诉案件列表；POST: 登记行政应诉案件。"""

    case_types = (YS_KEY,)
    key = YS_KEY
    serializer_class = YsListSerializer
    create_serializer = YsCreateSerializer
    detail_serializer = YsDetailSerializer
    related = "ys_suit"

    @extend_schema(summary="行政应诉案件列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="登记行政应诉案件", request=YsCreateSerializer, responses={201: YsDetailSerializer})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def register(self, user, data):
        parties = [dict(p) for p in data.pop("parties")]
        return services.register_suit(user, org=bureau_of(user.org), parties=parties, **data)


def _line_case(user, pk, key):
    case = case_selectors.access_case(user, pk)
    if case.case_type != key:
        raise Http404()
    return case


class _LineDetail(generics.RetrieveAPIView):
    key = ""

    def get_object(self):
        case = _line_case(self.request.user, self.kwargs["pk"], self.key)
        record("case.view", actor=self.request.user, obj=case, detail={"via": "api"})
        return case


@extend_schema(tags=["行政复议"], summary="行政复议案件详情（含各项期限及届满日，个人信息已脱敏）")
class FyDetail(_LineDetail):
    key = FY_KEY
    serializer_class = FyDetailSerializer


@extend_schema(tags=["行政应诉"], summary="行政应诉案件详情（含各项期限及届满日，个人信息已脱敏）")
class YsDetail(_LineDetail):
    key = YS_KEY
    serializer_class = YsDetailSerializer


class _LineTransition(CaseTransition):
    """One workflow step; ``data`` goes through the same form as on the page.
    Refusals answer 400/403 with a Chinese ``detail`` naming the field; a stale
    ``version`` answers 409; nothing changes in either case."""

    key = ""

    def post(self, request, pk, name):
        _line_case(request.user, pk, self.key)
        return super().post(request, pk, name)


@extend_schema(tags=["行政复议"], summary="执行行政复议办理操作", request=TransitionRequestSerializer, responses={200: TransitionResult})
class FyTransition(_LineTransition):
    key = FY_KEY


@extend_schema(tags=["行政应诉"], summary="执行行政应诉办理操作", request=TransitionRequestSerializer, responses={200: TransitionResult})
class YsTransition(_LineTransition):
    key = YS_KEY


api_urlpatterns = [
    path("reconsideration/", FyList.as_view(), name="reconsideration-list"),
    path("reconsideration/<int:pk>/", FyDetail.as_view(), name="reconsideration-detail"),
    path("reconsideration/<int:pk>/transitions/<str:name>/", FyTransition.as_view(), name="reconsideration-transition"),
    path("litigation/", YsList.as_view(), name="litigation-list"),
    path("litigation/<int:pk>/", YsDetail.as_view(), name="litigation-detail"),
    path("litigation/<int:pk>/transitions/<str:name>/", YsTransition.as_view(), name="litigation-transition"),
]
